//! Pinata v3 download links to private files: the three routes that make them, and the
//! gateway's `/files/` refusing unsigned, tampered and expired links.

mod common;

use std::time::Duration;

use common::gateway::{fetch, gateway, link, link_at, private_file, unix_now, with_param};
use common::v3::{V3, v3_error};
use common::{http, start};
use reqwest::Method;
use serde_json::json;

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
    // One second before the signed date, not "now - 1": the link may have been signed
    // a second ago, and then that date would be the signed one, not a tampered one.
    let signed_date: u64 = reqwest::Url::parse(&link)
        .unwrap()
        .query_pairs()
        .find(|(n, _)| n == "X-Date")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let date = signed_date - 1;
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
    // Dated within the 60 s clock skew ahead: valid already.
    let near = link_at(
        &v3,
        "/files/private/download_link",
        &url,
        unix_now() + 30,
        30,
    )
    .await;
    assert_eq!(fetch(&near).await.0, 200, "within the clock skew");
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
