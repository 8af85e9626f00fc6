//! Pinata v3 through the dedicated gateway: gateway access tokens on `/ipfs/`, hot swaps
//! with the Hot Swaps plugin (`etag`) and the `pinata-signature` header.

mod common;

use common::gateway::{fetch, gateway, gateway_id, hot_swaps, link, private_file};
use common::v3::V3;
use common::{http, start, text};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn once_the_gateway_has_an_access_token_ipfs_needs_one() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let gw = gateway(&emulator);
    let cid = v3.public_cid("open.txt", b"public bytes".to_vec()).await;
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
    let cid = v3.public_cid("a.txt", b"kept".to_vec()).await;
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
#[tokio::test]
async fn swaps_are_served_only_with_the_hot_swaps_plugin() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let gw = gateway(&emulator);
    let original = v3.public_cid("a.txt", b"original".to_vec()).await;
    let target = v3.public_cid("b.txt", b"replacement".to_vec()).await;
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
    let public = v3.public_cid("p.txt", b"public".to_vec()).await;
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
