//! Pinata authentication and permissions: every failure in Pinata's shapes, revocation,
//! and what each permission flag opens.

mod common;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use common::{Auth, json, start};
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

#[tokio::test]
async fn no_credentials_are_keys_must_be_strings() {
    let emulator = start().await;
    let none = admin(&emulator)
        .with(Auth::None)
        .get("/data/testAuthentication", 400)
        .await;
    assert_eq!(reason(&none), "KEYS_MUST_BE_STRINGS");
}

#[tokio::test]
async fn half_a_key_pair_is_keys_must_be_strings() {
    let emulator = start().await;
    let only_key = admin(&emulator)
        .with(Auth::None)
        .request(Method::GET, "/data/testAuthentication")
        .header("pinata_api_key", "abc")
        .send()
        .await
        .unwrap();
    assert_eq!(reason(&json(only_key, 400).await), "KEYS_MUST_BE_STRINGS");
}

#[tokio::test]
async fn a_wrong_secret_is_invalid_credentials() {
    let emulator = start().await;
    let c = emulator.credentials();
    let wrong = admin(&emulator).with(Auth::Pair(c.pinata.api_key.clone(), "0".repeat(64)));
    assert_eq!(
        reason(&wrong.get("/data/testAuthentication", 401).await),
        "INVALID_CREDENTIALS"
    );
}

#[tokio::test]
async fn a_forged_jwt_is_invalid_credentials() {
    let emulator = start().await;
    let c = emulator.credentials();
    let forged = admin(&emulator).with(Auth::Jwt(format!("{}x", c.pinata.jwt)));
    assert_eq!(
        reason(&forged.get("/data/testAuthentication", 401).await),
        "INVALID_CREDENTIALS"
    );
}

#[tokio::test]
async fn the_key_pair_and_the_jwt_both_authenticate() {
    let emulator = start().await;
    let c = emulator.credentials();
    let pair = admin(&emulator).with(Auth::Pair(
        c.pinata.api_key.clone(),
        c.pinata.api_secret.clone(),
    ));
    pair.get("/data/testAuthentication", 200).await;
    admin(&emulator).get("/data/testAuthentication", 200).await;
}

#[tokio::test]
async fn the_v3_sdk_glue_answers_under_v3_data() {
    let emulator = start().await;
    // The v3 SDK asks under `/v3` when its endpointUrl ends in `/v3`.
    admin(&emulator)
        .get("/v3/data/testAuthentication", 200)
        .await;
    let usage = admin(&emulator)
        .get("/v3/data/userPinnedDataTotal", 200)
        .await;
    assert!(usage["pin_count"].is_number(), "{usage}");
}

#[tokio::test]
async fn a_revoked_key_stops_at_once_by_pair_and_by_jwt() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let (scoped, created) = admin.key(json!({"admin": true}), None).await;
    scoped.get("/data/testAuthentication", 200).await;
    let jwt_client = admin.with(Auth::Jwt(created["JWT"].as_str().unwrap().to_owned()));
    jwt_client.get("/data/testAuthentication", 200).await;
    let revoked = admin
        .send_json(
            Method::PUT,
            "/users/revokeApiKey",
            json!({"apiKey": created["pinata_api_key"]}),
            200,
        )
        .await;
    assert_eq!(revoked, json!("Revoked"));
    for client in [&scoped, &jwt_client] {
        assert_eq!(
            reason(&client.get("/data/testAuthentication", 401).await),
            "INVALID_CREDENTIALS"
        );
    }
}

/// For each permission flag: an endpoint it opens, as (method, path, body, success status).
fn endpoint_of(flag: PinataFlag) -> (Method, &'static str, Option<Value>, u16) {
    let policy = json!({"regions": [{"id": "FRA1", "desiredReplicationCount": 1}]});
    match flag {
        PinataFlag::PinList => (Method::GET, "/data/pinList", None, 200),
        PinataFlag::UserPinnedDataTotal => (Method::GET, "/data/userPinnedDataTotal", None, 200),
        PinataFlag::HashMetadata => (
            Method::PUT,
            "/pinning/hashMetadata",
            Some(
                json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "name": "x"}),
            ),
            404,
        ),
        PinataFlag::HashPinPolicy => (
            Method::PUT,
            "/pinning/hashPinPolicy",
            Some(
                json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "newPinPolicy": policy}),
            ),
            404,
        ),
        PinataFlag::PinByHash => (
            Method::POST,
            "/pinning/pinByHash",
            Some(json!({"hashToPin": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"})),
            200,
        ),
        PinataFlag::PinFileToIpfs => (Method::POST, "/pinning/pinFileToIPFS", None, 200),
        PinataFlag::PinJsonToIpfs => (
            Method::POST,
            "/pinning/pinJSONToIPFS",
            Some(json!({"a": 1})),
            200,
        ),
        PinataFlag::PinJobs => (Method::GET, "/pinning/pinJobs", None, 200),
        PinataFlag::Unpin => (
            Method::DELETE,
            // Not the CID the PinByHash case queues: unpinning a queued CID cancels its job.
            "/pinning/unpin/QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            None,
            404,
        ),
        PinataFlag::UserPinPolicy => (
            Method::PUT,
            "/pinning/userPinPolicy",
            Some(json!({"newPinPolicy": policy})),
            200,
        ),
    }
}

async fn call(client: &Pinata, flag: PinataFlag) -> u16 {
    let (method, path, body, _) = endpoint_of(flag);
    let mut request = client.request(method, path);
    if flag == PinataFlag::PinFileToIpfs {
        request = request
            .multipart(Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.txt")));
    } else if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap().status().as_u16()
}

async fn scoped_key(admin: &Pinata, flag: PinataFlag) -> Pinata {
    let permissions = serde_json::to_value(PinataPermissions::from_flags([flag])).unwrap();
    admin.key(permissions, None).await.0
}

#[tokio::test]
async fn each_permission_flag_opens_exactly_its_endpoint() {
    let emulator = start().await;
    let admin = admin(&emulator);
    for flag in PinataFlag::ALL {
        let scoped = scoped_key(&admin, flag).await;
        let (_, _, _, success) = endpoint_of(flag);
        assert_eq!(
            call(&scoped, flag).await,
            success,
            "{flag:?} must open its own endpoint"
        );
        for other in PinataFlag::ALL.into_iter().filter(|other| *other != flag) {
            assert_eq!(
                call(&scoped, other).await,
                403,
                "{flag:?} must not open {other:?}"
            );
        }
    }
}

#[tokio::test]
async fn admin_only_routes_stay_closed_to_scoped_keys() {
    let emulator = start().await;
    let admin = admin(&emulator);
    for flag in PinataFlag::ALL {
        let scoped = scoped_key(&admin, flag).await;
        let refused = scoped.get("/data/testAuthentication", 403).await;
        assert_eq!(reason(&refused), "NO_PERMISSIONS");
        assert!(
            refused["error"]["details"]
                .as_str()
                .unwrap()
                .contains("admin"),
            "{refused}"
        );
        scoped.get("/users/apiKeys", 403).await;
        scoped.get("/groups", 403).await;
    }
}
