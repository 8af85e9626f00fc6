//! Pinata v3 routing and authorization: both hosts by prefix and by `Host`, the v3
//! error shape on every v3 path, and `resources` scopes enforced on every route by the
//! shared guard.

mod common;

use common::v3::{V3, v3_error};
use common::{Auth, http, json, start};
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn unknown_v3_paths_answer_in_the_v3_shape() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for body in [
        v3.api.get("/nothing/here", 404).await,
        v3.uploads.get("/nothing/here", 404).await,
        // A files list on the uploads host does not exist.
        v3.uploads.get("/files/public", 404).await,
    ] {
        assert_eq!(v3_error(&body).0, 404, "{body}");
    }
    // Networks are public or private: another value is a bad parameter.
    for (method, path) in [
        (Method::GET, "/files/shared"),
        (Method::POST, "/groups/shared"),
        (Method::GET, "/files/shared/0191"),
    ] {
        let body = v3.api.call(method, path, None, 400).await;
        assert!(v3_error(&body).1.contains("network"), "{body}");
    }
}

#[tokio::test]
async fn the_real_hosts_route_by_host_header() {
    let emulator = start().await;
    let c = emulator.credentials();
    let origin = c.pinata.base_url.trim_end_matches("/pinata");
    let uploaded = V3::admin(&emulator)
        .upload_public("a.txt", b"by host".to_vec())
        .await;
    let cid = uploaded["cid"].as_str().unwrap();
    let listed = json(
        http()
            .get(format!("{origin}/v3/files/public?cid={cid}"))
            .header("host", "api.pinata.cloud")
            .bearer_auth(&c.pinata.jwt)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(listed["data"]["files"][0]["cid"], cid);
    let form = reqwest::multipart::Form::new()
        .text("network", "public")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"uploads host".to_vec()).file_name("b.txt"),
        );
    let made = json(
        http()
            .post(format!("{origin}/v3/files"))
            .header("host", "uploads.pinata.cloud")
            .bearer_auth(&c.pinata.jwt)
            .multipart(form)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(made["data"]["network"], "public");
}

#[tokio::test]
async fn one_base_serves_uploads_beside_the_api() {
    // The SDK with endpointUrl = uploadUrl = <base>/pinata/v3.
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let one_base = V3 {
        api: v3.api.clone(),
        uploads: v3.api.clone(),
    };
    let made = one_base
        .upload_public("one.txt", b"one base".to_vec())
        .await;
    let got = v3
        .api
        .get(
            &format!("/files/public/{}", made["id"].as_str().unwrap()),
            200,
        )
        .await;
    assert_eq!(got["data"]["cid"], made["cid"]);
}

#[tokio::test]
async fn v3_routes_take_a_bearer_jwt_only() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let c = emulator.credentials();
    for auth in [
        Auth::None,
        Auth::Pair(c.pinata.api_key.clone(), c.pinata.api_secret.clone()),
    ] {
        let body = v3.with(auth).api.get("/files/public", 401).await;
        assert_eq!(v3_error(&body), (401, "no Authorization header found"));
    }
    let body = v3
        .with(Auth::Jwt("not.a.jwt".into()))
        .api
        .get("/files/public", 401)
        .await;
    assert_eq!(v3_error(&body).0, 401);
}

#[tokio::test]
async fn legacy_endpoint_keys_are_refused_as_pinata_does() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let permissions =
        PinataPermissions::from_flags([PinataFlag::PinFileToIpfs, PinataFlag::PinList]);
    let legacy = v3
        .key(serde_json::to_value(permissions).unwrap(), None)
        .await;
    let body = legacy.upload("a.txt", b"x".to_vec(), &[], 401).await;
    assert_eq!(v3_error(&body), (401, "no Authorization header found"));
}

#[tokio::test]
async fn a_files_read_key_lists_but_cannot_upload_or_touch_groups() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let reader = v3.key(json!({"resources": ["org:files:read"]}), None).await;
    reader.api.get("/files/public", 200).await;
    reader.api.get("/files/private", 200).await;
    let refused = reader.upload("a.txt", b"x".to_vec(), &[], 403).await;
    assert_eq!(v3_error(&refused).0, 403);
    assert!(
        v3_error(&refused).1.contains("org:files:write"),
        "{refused}"
    );
    // A write key reads too.
    let writer = v3
        .key(json!({"resources": ["org:files:write"]}), None)
        .await;
    writer.upload_public("w.txt", b"w".to_vec()).await;
    writer.api.get("/files/public", 200).await;
}

#[tokio::test]
async fn max_uses_are_counted_on_v3_routes() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let limited = v3
        .key(json!({"resources": ["org:files:read"]}), Some(2))
        .await;
    limited.api.get("/files/public", 200).await;
    limited.api.get("/files/public", 200).await;
    let body = limited.api.get("/files/public", 403).await;
    assert!(v3_error(&body).1.contains("maxUses"), "{body}");
}

#[tokio::test]
async fn revoked_keys_are_refused() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let created = common::pinata::admin(&emulator)
        .call(
            Method::POST,
            "/users/generateApiKey",
            Some(json!({"keyName": "k", "permissions": {"admin": true}})),
            200,
        )
        .await;
    let key = v3.with(Auth::Jwt(created["JWT"].as_str().unwrap().to_owned()));
    key.api.get("/files/public", 200).await;
    common::pinata::admin(&emulator)
        .call_text(
            Method::PUT,
            "/users/revokeApiKey",
            Some(json!({"apiKey": created["pinata_api_key"]})),
            200,
        )
        .await;
    let body = key.api.get("/files/public", 401).await;
    assert_eq!(v3_error(&body).0, 401);
}

#[tokio::test]
async fn credentials_carry_the_v3_base_urls() {
    let emulator = start().await;
    let c = emulator.credentials();
    assert!(c.pinata.v3_base_url.ends_with("/pinata/v3"));
    assert!(c.pinata.uploads_url.ends_with("/pinata-uploads/v3"));
    assert!(c.pinata.gateway_url.ends_with("/gateway"));
    let debug = format!("{c:?}");
    assert!(!debug.contains(&c.pinata.jwt));
}
