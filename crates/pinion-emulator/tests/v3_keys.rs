//! v3 keys: `/v3/api_keys` (GET/POST/DELETE) beside `/v3/pinata/keys`, bodies without
//! `permissions` or with only `resources`, `org:write` required, revocation.

mod common;

use common::Auth;
use common::pinata::{admin, reason};
use common::start;
use common::v3::{V3, v3_error};
use reqwest::Method;
use serde_json::{Value, json};

async fn create(v3: &V3, body: Value, status: u16) -> Value {
    v3.api
        .call(Method::POST, "/api_keys", Some(body), status)
        .await
}

fn jwt_of(created: &Value) -> Auth {
    Auth::Jwt(created["JWT"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn keys_are_created_listed_and_revoked() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let created = create(
        &v3,
        json!({"keyName": "Files reader", "permissions": {"resources": ["org:files:read"]}, "maxUses": 5}),
        200,
    )
    .await;
    assert!(created["pinata_api_key"].is_string() && created["pinata_api_secret"].is_string());
    let reader = v3.with(jwt_of(&created));
    reader.api.get("/files/public", 200).await;
    let listed = v3.api.get("/api_keys?name=files%20READER", 200).await;
    assert_eq!(listed["count"], 1);
    let key = &listed["keys"][0];
    assert_eq!(key["name"], "Files reader");
    assert_eq!(key["max_uses"], 5);
    assert_eq!(key["uses"], 1);
    assert_eq!(key["scopes"]["resources"], json!(["org:files:read"]));
    assert!(key.get("secret").is_none() || key["secret"].is_null());
    assert_eq!(
        v3.api.get("/api_keys?limitedUse=true", 200).await["count"],
        1
    );
    let path = format!("/api_keys/{}", created["pinata_api_key"].as_str().unwrap());
    assert_eq!(
        v3.api.call(Method::DELETE, &path, None, 200).await,
        json!("Revoked")
    );
    assert_eq!(v3.api.get("/api_keys?revoked=true", 200).await["count"], 1);
    let refused = reader.api.get("/files/public", 401).await;
    assert_eq!(v3_error(&refused).0, 401);
    let missing = v3
        .api
        .call(Method::DELETE, "/api_keys/0123456789abcdef0123", None, 404)
        .await;
    assert_eq!(v3_error(&missing).0, 404);
    v3.api.get("/api_keys?revoked=maybe", 400).await;
}

#[tokio::test]
async fn a_body_without_permissions_makes_a_key_that_may_call_nothing() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    for body in [
        json!({"keyName": "bare"}),
        json!({"keyName": "empty", "permissions": {}}),
    ] {
        let created = create(&v3, body, 200).await;
        let key = v3.with(jwt_of(&created));
        let refused = key.api.get("/files/public", 401).await;
        assert_eq!(v3_error(&refused), (401, "no Authorization header found"));
        let legacy = admin(&emulator).with(jwt_of(&created));
        assert_eq!(
            reason(&legacy.get("/data/pinList", 403).await),
            "NO_PERMISSIONS"
        );
    }
    // The SDK's route takes the same bodies.
    admin(&emulator)
        .call(
            Method::POST,
            "/v3/pinata/keys",
            Some(json!({"keyName": "sdk bare"})),
            200,
        )
        .await;
    // The legacy route still requires permissions.
    admin(&emulator)
        .call(
            Method::POST,
            "/users/generateApiKey",
            Some(json!({"keyName": "legacy"})),
            400,
        )
        .await;
    for bad in [
        json!({"permissions": {"admin": true}}),
        json!({"keyName": "x", "permissions": {"resources": ["org:everything"]}}),
        json!({"keyName": "x", "permissions": {"admin": true}, "maxUses": 0}),
    ] {
        let refused = create(&v3, bad.clone(), 400).await;
        assert_eq!(v3_error(&refused).0, 400, "{bad}");
    }
}

#[tokio::test]
async fn key_routes_need_org_write() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let files = create(
        &v3,
        json!({"keyName": "files", "permissions": {"resources": ["org:files:write"]}}),
        200,
    )
    .await;
    let refused = v3.with(jwt_of(&files)).api.get("/api_keys", 403).await;
    assert!(v3_error(&refused).1.contains("org:write"), "{refused}");
    let org = create(
        &v3,
        json!({"keyName": "org", "permissions": {"resources": ["org:write"]}}),
        200,
    )
    .await;
    let org = v3.with(jwt_of(&org));
    org.api.get("/api_keys", 200).await;
    create(
        &org,
        json!({"keyName": "made by org:write", "permissions": {"resources": ["org:groups:read"]}}),
        200,
    )
    .await;
}
