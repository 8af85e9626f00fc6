//! Pinata v3 through the dedicated gateway: download links to private files (the three
//! paths that make them, the gateway's `/files/` refusing unsigned, tampered and expired
//! links), gateway access tokens on `/ipfs/`, hot swaps with the Hot Swaps plugin and
//! the `pinata-signature` header.

mod common;

use std::time::Duration;

use common::v3::{V3, v3_error};
use common::{http, start, text};
use pinion_emulator::RunningEmulator;
use reqwest::Method;
use serde_json::{Value, json};

/// Now in unix seconds (wall clock: the emulator's clock starts at it; tests advance it).
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn gateway(emulator: &RunningEmulator) -> String {
    emulator.credentials().pinata.gateway_url.clone()
}

/// Uploads `bytes` privately; returns the CID.
async fn private_file(v3: &V3, name: &str, bytes: &[u8]) -> String {
    let made = v3
        .upload(name, bytes.to_vec(), &[("network", "private")], 200)
        .await;
    made["data"]["cid"].as_str().unwrap().to_owned()
}

/// A download link for `url` made at `path` (one of the three routes), `expires` seconds.
async fn link_at(v3: &V3, path: &str, url: &str, date: i64, expires: i64) -> String {
    let body = json!({ "url": url, "date": date, "expires": expires, "method": "GET" });
    let made = v3.api.call(Method::POST, path, Some(body), 200).await;
    made["data"].as_str().expect("the link is data").to_owned()
}

async fn link(v3: &V3, emulator: &RunningEmulator, cid: &str, expires: i64) -> String {
    let url = format!("{}/files/{cid}", gateway(emulator));
    link_at(
        v3,
        "/files/private/download_link",
        &url,
        unix_now(),
        expires,
    )
    .await
}

/// GETs `url` without credentials; returns the status, content type and body.
async fn fetch(url: &str) -> (u16, String, String) {
    let response = http().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// `url` with query parameter `name` set to `value`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(n, v)| {
            let v = if n == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (n.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(&pairs);
    parsed.into()
}

#[tokio::test]
async fn a_private_file_is_served_only_through_its_download_link() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let cid = private_file(&v3, "secret.txt", b"private bytes").await;
    let gw = gateway(&emulator);

    let (status, kind, body) = fetch(&format!("{gw}/files/{cid}")).await;
    assert_eq!(status, 401, "{body}");
    assert!(kind.starts_with("text/plain"), "{kind}");
    let (status, _, _) = fetch(&format!("{gw}/ipfs/{cid}")).await;
    assert_eq!(status, 404, "a private file is never public");

    let link = link(&v3, &emulator, &cid, 60).await;
    let prefix = format!("{gw}/files/{cid}?X-Algorithm=PINATA1&X-Date=");
    assert!(link.starts_with(&prefix), "{link}");
    assert!(link.contains("&X-Method=GET&X-Signature="), "{link}");
    let (status, kind, body) = fetch(&link).await;
    assert_eq!((status, body.as_str()), (200, "private bytes"));
    assert!(kind.starts_with("text/plain"), "{kind}");
    let head = http().head(&link).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(head.headers()["content-length"], "13");
}

#[tokio::test]
async fn every_download_link_route_makes_a_working_link() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let cid = private_file(&v3, "a.txt", b"via every route").await;
    let gw = gateway(&emulator);
    for path in [
        "/files/private/download_link",
        "/files/download_link",
        "/files/sign",
    ] {
        let url = format!("{gw}/files/{cid}");
        let link = link_at(&v3, path, &url, unix_now(), 30).await;
        assert_eq!(fetch(&link).await.2, "via every route", "{path}");
    }
    // A link made for a real gateway host works through the emulator's gateway, and a
    // query already in the URL stays in (signed) with `&` before the signature.
    let url = format!("https://blush-fast-impala-660.mypinata.cloud/files/{cid}?img-width=10");
    let link = link_at(&v3, "/files/download_link", &url, unix_now(), 30).await;
    assert!(
        link.starts_with(&format!("{url}&X-Algorithm=PINATA1&")),
        "{link}"
    );
    let query = link.split_once('?').unwrap().1;
    let (status, _, body) = fetch(&format!("{gw}/files/{cid}?{query}")).await;
    assert_eq!((status, body.as_str()), (200, "via every route"));
    let (status, _, _) = fetch(&format!(
        "{gw}/files/{cid}?{}",
        query.replace("img-width=10", "img-width=11")
    ))
    .await;
    assert_eq!(status, 401, "the query is signed too");
}

#[tokio::test]
async fn a_tampered_link_is_refused() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let cid = private_file(&v3, "a.txt", b"first").await;
    let other = private_file(&v3, "b.txt", b"second").await;
    let link = link(&v3, &emulator, &cid, 60).await;
    assert_eq!(fetch(&link).await.0, 200);
    let signature = reqwest::Url::parse(&link)
        .unwrap()
        .query_pairs()
        .find(|(n, _)| n == "X-Signature")
        .unwrap()
        .1
        .into_owned();
    let flipped = format!(
        "{}{}",
        &signature[..63],
        if signature.ends_with('0') { '1' } else { '0' }
    );
    let date = unix_now() - 1;
    for tampered in [
        with_param(&link, "X-Expires", "99999999"),
        with_param(&link, "X-Date", &date.to_string()),
        with_param(&link, "X-Method", "POST"),
        with_param(&link, "X-Algorithm", "PINATA2"),
        with_param(&link, "X-Signature", &flipped),
        with_param(&link, "X-Signature", &signature.to_uppercase()),
        link.replace(&cid, &other),
        format!("{link}&extra=1"),
    ] {
        let (status, kind, body) = fetch(&tampered).await;
        assert_eq!(status, 401, "{tampered}: {body}");
        assert!(kind.starts_with("text/plain"), "{kind}");
        assert!(!body.contains("first"), "{body}");
    }
}

#[tokio::test]
async fn a_link_is_valid_from_its_date_until_it_expires_on_the_emulators_clock() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let cid = private_file(&v3, "a.txt", b"clocked").await;
    let url = format!("{}/files/{cid}", gateway(&emulator));
    let link = link_at(&v3, "/files/private/download_link", &url, unix_now(), 30).await;
    assert_eq!(fetch(&link).await.0, 200);
    let future = link_at(
        &v3,
        "/files/private/download_link",
        &url,
        unix_now() + 600,
        30,
    )
    .await;
    let (status, _, body) = fetch(&future).await;
    assert_eq!(status, 403, "not valid yet: {body}");
    // Milliseconds in X-Date, as live links show, are read as milliseconds.
    let millis = link_at(
        &v3,
        "/files/private/download_link",
        &url,
        unix_now() * 1000,
        30,
    )
    .await;
    assert_eq!(fetch(&millis).await.0, 200);

    emulator.advance_clock(Duration::from_secs(40)).unwrap();
    let (status, kind, body) = fetch(&link).await;
    assert_eq!(status, 403, "{body}");
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert!(body.contains("expired"), "{body}");
    assert_eq!(fetch(&millis).await.0, 403);
}

#[tokio::test]
async fn download_links_need_files_write() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let cid = private_file(&v3, "a.txt", b"scoped").await;
    let url = format!("{}/files/{cid}", gateway(&emulator));
    let body = json!({ "url": url, "date": unix_now(), "expires": 30, "method": "GET" });
    let reader = v3
        .key(json!({ "resources": ["org:files:read"] }), None)
        .await;
    for path in [
        "/files/private/download_link",
        "/files/download_link",
        "/files/sign",
    ] {
        let refused = reader
            .api
            .call(Method::POST, path, Some(body.clone()), 403)
            .await;
        assert_eq!(v3_error(&refused).0, 403, "{path}");
    }
    let writer = v3
        .key(json!({ "resources": ["org:files:write"] }), None)
        .await;
    let made = writer
        .api
        .call(
            Method::POST,
            "/files/private/download_link",
            Some(body),
            200,
        )
        .await;
    assert_eq!(fetch(made["data"].as_str().unwrap()).await.2, "scoped");
}

#[tokio::test]
async fn a_bad_link_request_is_refused_in_the_v3_shape() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let gw = gateway(&emulator);
    let now = unix_now();
    for body in [
        json!({ "url": "/files/relative", "date": now, "expires": 30, "method": "GET" }),
        json!({ "url": "not a url", "date": now, "expires": 30, "method": "GET" }),
        json!({ "url": format!("{gw}/files/x"), "date": now, "expires": -1, "method": "GET" }),
        json!({ "url": format!("{gw}/files/x"), "date": -5, "expires": 30, "method": "GET" }),
        json!({ "url": format!("{gw}/files/x?X-Signature=ab"), "date": now, "expires": 30, "method": "GET" }),
        json!({ "url": format!("{gw}/files/x"), "expires": 30, "method": "GET" }),
        json!({ "url": format!("{gw}/files/x"), "date": "today", "expires": 30, "method": "GET" }),
        json!(["not", "an", "object"]),
    ] {
        let refused = v3
            .api
            .call(
                Method::POST,
                "/files/private/download_link",
                Some(body.clone()),
                400,
            )
            .await;
        assert_eq!(v3_error(&refused).0, 400, "{body}");
    }
}

#[tokio::test]
async fn a_signed_link_to_an_unknown_cid_is_404_and_unsigned_requests_learn_nothing() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let gw = gateway(&emulator);
    let unknown = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    let url = format!("{gw}/files/{unknown}");
    let link = link_at(&v3, "/files/private/download_link", &url, unix_now(), 30).await;
    assert_eq!(fetch(&link).await.0, 404);
    assert_eq!(
        fetch(&url).await.0,
        401,
        "no signature: refused before any lookup"
    );
    let (status, _, _) = fetch(&format!("{gw}/files/not-a-cid")).await;
    assert_eq!(status, 400);
}

/// The account's gateway id, from `GET /gateways`.
async fn gateway_id(v3: &V3) -> String {
    let listed = v3.api.get("/gateways", 200).await;
    assert_eq!(listed["data"]["count"], 1, "{listed}");
    let row = &listed["data"]["rows"][0];
    assert!(
        row["domain"].as_str().is_some_and(|d| !d.is_empty()),
        "{row}"
    );
    row["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn once_the_gateway_has_an_access_token_ipfs_needs_one() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let gw = gateway(&emulator);
    let cid = v3.upload_public("open.txt", b"public bytes".to_vec()).await["cid"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{gw}/ipfs/{cid}");
    assert_eq!(fetch(&url).await.2, "public bytes");

    let id = gateway_id(&v3).await;
    assert_eq!(gateway_id(&v3).await, id, "one stable gateway");
    let created = v3
        .api
        .call(
            Method::POST,
            &format!("/gateways/{id}/access_tokens"),
            None,
            200,
        )
        .await;
    let token = created["data"]["value"].as_str().unwrap().to_owned();
    let token_id = created["data"]["id"].as_str().unwrap().to_owned();
    assert!(created["data"]["createdAt"].is_string(), "{created}");

    let (status, kind, body) = fetch(&url).await;
    assert_eq!(status, 401);
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert_eq!(
        body,
        "This content cannot be requested through the gateway you are using - ERR_ID:00024"
    );
    assert_eq!(
        fetch(&format!("{url}?pinataGatewayToken={token}")).await.2,
        "public bytes"
    );
    let by_header = http()
        .get(&url)
        .header("x-pinata-gateway-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(text(by_header, 200).await, "public bytes");
    assert_eq!(
        fetch(&format!("{url}?pinataGatewayToken=wrong")).await.0,
        401
    );
    let wrong_header = http()
        .get(&url)
        .header("x-pinata-gateway-token", format!("{token}x"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_header.status().as_u16(), 401);

    // A download link carries its own authorization.
    let secret = private_file(&v3, "s.txt", b"still linked").await;
    assert_eq!(
        fetch(&link(&v3, &emulator, &secret, 30).await).await.2,
        "still linked"
    );

    let listed = v3.api.get("/gateways", 200).await;
    let tokens = &listed["data"]["rows"][0]["settings"]["restriction_policies"]["accessTokens"];
    assert_eq!(tokens[0]["id"], token_id.as_str(), "{listed}");

    let deleted = v3
        .api
        .call(
            Method::DELETE,
            &format!("/gateways/{id}/access_tokens/{token_id}"),
            None,
            200,
        )
        .await;
    assert_eq!(deleted, json!({ "data": null }));
    assert_eq!(fetch(&url).await.2, "public bytes", "open again");
    v3.api
        .call(
            Method::DELETE,
            &format!("/gateways/{id}/access_tokens/{token_id}"),
            None,
            404,
        )
        .await;
    v3.api
        .call(
            Method::POST,
            "/gateways/not-this-one/access_tokens",
            None,
            404,
        )
        .await;
}

#[tokio::test]
async fn gateway_routes_take_gateway_scopes() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let id = gateway_id(&v3).await;
    let files = v3
        .key(json!({ "resources": ["org:files:write"] }), None)
        .await;
    files.api.get("/gateways", 403).await;
    let reader = v3
        .key(json!({ "resources": ["org:gateways:read"] }), None)
        .await;
    assert_eq!(gateway_id(&reader).await, id);
    reader
        .api
        .call(
            Method::POST,
            &format!("/gateways/{id}/access_tokens"),
            None,
            403,
        )
        .await;
    let writer = v3
        .key(json!({ "resources": ["org:gateways:write"] }), None)
        .await;
    writer
        .api
        .call(
            Method::POST,
            &format!("/gateways/{id}/access_tokens"),
            None,
            200,
        )
        .await;
    v3.api.get("/gateways?page=0", 400).await;
    assert_eq!(
        v3.api.get("/gateways?page=2", 200).await["data"]["count"],
        1
    );
}

#[tokio::test]
async fn the_gateway_and_its_tokens_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let start_in = || {
        pinion_emulator::Emulator::builder()
            .state_dir(dir.path())
            .start()
    };
    let emulator = start_in().await.unwrap();
    let v3 = V3::admin(&emulator);
    let id = gateway_id(&v3).await;
    let created = v3
        .api
        .call(
            Method::POST,
            &format!("/gateways/{id}/access_tokens"),
            None,
            200,
        )
        .await;
    emulator.shutdown().await;

    let emulator = start_in().await.unwrap();
    let v3 = V3::admin(&emulator);
    assert_eq!(gateway_id(&v3).await, id);
    let cid = v3.upload_public("a.txt", b"kept".to_vec()).await["cid"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{}/ipfs/{cid}", gateway(&emulator));
    assert_eq!(fetch(&url).await.0, 401);
    let token = created["data"]["value"].as_str().unwrap();
    assert_eq!(
        fetch(&format!("{url}?pinataGatewayToken={token}")).await.2,
        "kept"
    );
}

#[tokio::test]
async fn the_control_route_takes_only_its_body() {
    let emulator = start().await;
    let response = http()
        .put(format!(
            "{}/_emulator/gateway/plugins/hot-swaps",
            emulator.origin()
        ))
        .json(&json!({ "installed": "yes" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let shown = common::json(
        http()
            .get(format!("{}/_emulator/gateway", emulator.origin()))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(shown["hot_swaps"], false, "{shown}");
    assert_eq!(shown["access_tokens"], 0, "{shown}");
}
/// Turns the gateway's Hot Swaps plugin on or off (the emulator's control route).
async fn hot_swaps(emulator: &RunningEmulator, installed: bool) -> Value {
    let response = http()
        .put(format!(
            "{}/_emulator/gateway/plugins/hot-swaps",
            emulator.origin()
        ))
        .json(&json!({ "installed": installed }))
        .send()
        .await
        .unwrap();
    common::json(response, 200).await
}

#[tokio::test]
async fn swaps_are_served_only_with_the_hot_swaps_plugin() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let gw = gateway(&emulator);
    let original = v3.upload_public("a.txt", b"original".to_vec()).await["cid"]
        .as_str()
        .unwrap()
        .to_owned();
    let target = v3.upload_public("b.txt", b"replacement".to_vec()).await["cid"]
        .as_str()
        .unwrap()
        .to_owned();
    v3.api
        .call(
            Method::PUT,
            &format!("/files/public/swap/{original}"),
            Some(json!({ "swap_cid": target })),
            200,
        )
        .await;
    let url = format!("{gw}/ipfs/{original}");
    let plain = http().get(&url).send().await.unwrap();
    assert_eq!(plain.headers()["etag"], format!("\"{original}\"").as_str());
    assert_eq!(
        plain.text().await.unwrap(),
        "original",
        "no plugin: no swap"
    );

    let shown = hot_swaps(&emulator, true).await;
    assert_eq!(shown["hot_swaps"], true, "{shown}");
    let swapped = http().get(&url).send().await.unwrap();
    assert_eq!(swapped.status().as_u16(), 200);
    assert_eq!(swapped.headers()["etag"], format!("\"{target}\"").as_str());
    assert_eq!(swapped.text().await.unwrap(), "replacement");
    let head = http().head(&url).send().await.unwrap();
    assert_eq!(head.headers()["etag"], format!("\"{target}\"").as_str());

    v3.api
        .call(
            Method::DELETE,
            &format!("/files/public/swap/{original}"),
            None,
            200,
        )
        .await;
    assert_eq!(fetch(&url).await.2, "original", "swap removed");
    hot_swaps(&emulator, false).await;
}

#[tokio::test]
async fn a_signed_cid_carries_the_pinata_signature_header() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let cid = v3
        .upload_public("signed.txt", b"signed content".to_vec())
        .await["cid"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{}/ipfs/{cid}", gateway(&emulator));
    let before = http().get(&url).send().await.unwrap();
    assert!(before.headers().get("pinata-signature").is_none());
    let signature = format!("0x{}", "ab".repeat(65));
    v3.api
        .call(
            Method::POST,
            &format!("/files/public/signature/{cid}"),
            Some(json!({ "signature": signature, "address": format!("0x{}", "12".repeat(20)) })),
            200,
        )
        .await;
    for method in [Method::GET, Method::HEAD] {
        let response = http().request(method.clone(), &url).send().await.unwrap();
        assert_eq!(
            response.headers()["pinata-signature"],
            signature.as_str(),
            "{method}"
        );
    }
    v3.api
        .call(
            Method::DELETE,
            &format!("/files/public/signature/{cid}"),
            None,
            200,
        )
        .await;
    let after = http().get(&url).send().await.unwrap();
    assert!(after.headers().get("pinata-signature").is_none());
}

#[tokio::test]
async fn a_private_files_swap_is_followed_through_its_download_link() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let original = private_file(&v3, "a.txt", b"private original").await;
    let target = private_file(&v3, "b.txt", b"private replacement").await;
    let link = link(&v3, &emulator, &original, 60).await;
    v3.api
        .call(
            Method::PUT,
            &format!("/files/private/swap/{original}"),
            Some(json!({ "swapCid": target })),
            200,
        )
        .await;
    assert_eq!(
        fetch(&link).await.2,
        "private original",
        "no plugin: no swap"
    );
    hot_swaps(&emulator, true).await;
    let swapped = http().get(&link).send().await.unwrap();
    assert_eq!(swapped.headers()["etag"], format!("\"{target}\"").as_str());
    assert_eq!(swapped.text().await.unwrap(), "private replacement");
    // A public swap never reaches private bytes through /ipfs/.
    let public = v3.upload_public("p.txt", b"public".to_vec()).await["cid"]
        .as_str()
        .unwrap()
        .to_owned();
    v3.api
        .call(
            Method::PUT,
            &format!("/files/public/swap/{public}"),
            Some(json!({ "swap_cid": target })),
            200,
        )
        .await;
    let (status, _, body) = fetch(&format!("{}/ipfs/{public}", gateway(&emulator))).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("private replacement"));
}
