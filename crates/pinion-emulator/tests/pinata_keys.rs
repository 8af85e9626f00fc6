//! Pinata API keys: creation rules, listing, revocation and `maxUses`.

mod common;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use common::{Auth, start};
use pinion_emulator::Emulator;
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
use reqwest::Method;
use serde_json::json;

/// Many requests at once on a key with `maxUses` N: exactly N get through, because the
/// check and the count are one step.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn max_uses_hold_under_concurrent_requests() {
    // A durable store makes every counted use slow, which widened the window between
    // the check and the count when they were two steps.
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let admin = admin(&emulator);
    const MAX: u64 = 10;
    const CONCURRENT: usize = 64;
    const ROUNDS: usize = 6;
    // Open the connections first, so that the counted requests arrive together.
    let health = format!("{}/_emulator/health", emulator.origin());
    let warm = (0..CONCURRENT).map(|_| admin.http.get(&health).send());
    for response in futures::future::join_all(warm).await {
        assert!(response.unwrap().status().is_success());
    }
    // Several rounds, each on a fresh key: one lost race is enough to fail.
    for _ in 0..ROUNDS {
        let limited = exhaust_concurrently(&admin, MAX, CONCURRENT).await;
        let refused = limited.get("/data/pinList", 403).await;
        assert_eq!(reason(&refused), "NO_PERMISSIONS");
    }
    let listed = admin.get("/v3/pinata/keys?limitedUse=true", 200).await;
    for key in listed["keys"].as_array().unwrap() {
        assert_eq!(key["uses"], MAX, "{key}");
    }
    // The counted uses were committed (by the batching writer) before they were
    // answered: a restart finds every key still used up.
    emulator.shutdown().await;
    let emulator = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let restarted = common::pinata::admin(&emulator);
    let listed = restarted.get("/v3/pinata/keys?limitedUse=true", 200).await;
    assert_eq!(listed["keys"].as_array().unwrap().len(), ROUNDS);
    for key in listed["keys"].as_array().unwrap() {
        assert_eq!(key["uses"], MAX, "{key}");
    }
}

/// Creates a key with `maxUses` `max` and sends `concurrent` requests with it at once;
/// asserts that exactly `max` succeed.
async fn exhaust_concurrently(admin: &Pinata, max: u64, concurrent: usize) -> Pinata {
    let permissions = PinataPermissions::from_flags([PinataFlag::PinList]);
    let (limited, _) = admin
        .key(serde_json::to_value(permissions).unwrap(), Some(max))
        .await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(concurrent));
    let requests = (0..concurrent).map(|_| {
        let limited = limited.clone();
        let start = start.clone();
        tokio::spawn(async move {
            start.wait().await;
            let response = limited
                .request(reqwest::Method::GET, "/data/pinList")
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        })
    });
    let statuses: Vec<u16> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(|status| status.unwrap())
        .collect();
    let succeeded = statuses.iter().filter(|status| **status == 200).count();
    assert_eq!(succeeded as u64, max, "{statuses:?}");
    limited
}

#[tokio::test]
async fn max_uses_are_counted_and_listed() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let permissions = PinataPermissions::from_flags([PinataFlag::PinList]);
    let (limited, _) = admin
        .key(serde_json::to_value(permissions).unwrap(), Some(2))
        .await;
    limited.get("/data/pinList", 200).await;
    limited.get("/data/pinList", 200).await;
    let exhausted = limited.get("/data/pinList", 403).await;
    assert_eq!(reason(&exhausted), "NO_PERMISSIONS");
    assert!(
        exhausted["error"]["details"]
            .as_str()
            .unwrap()
            .contains("maxUses")
    );
    let listed = admin.get("/v3/pinata/keys?exhausted=true", 200).await;
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["keys"][0]["uses"], 2);
    assert_eq!(listed["keys"][0]["max_uses"], 2);
}

/// Tries to create a key from `body`; asserts 400 and returns the refusal.
async fn refused_key(admin: &Pinata, body: serde_json::Value) -> serde_json::Value {
    admin
        .send_json(Method::POST, "/users/generateApiKey", body, 400)
        .await
}

#[tokio::test]
async fn admin_and_endpoints_together_are_invalid_permissions() {
    let emulator = start().await;
    let refused = refused_key(
        &admin(&emulator),
        json!({"keyName": "x", "permissions": {"admin": true, "endpoints": {"data": {"pinList": true}}}}),
    )
    .await;
    assert_eq!(reason(&refused), "INVALID_PERMISSIONS");
}

#[tokio::test]
async fn partial_endpoints_are_invalid_permissions() {
    let emulator = start().await;
    let refused = refused_key(
        &admin(&emulator),
        json!({"keyName": "x", "permissions": {"endpoints": {"data": {"pinList": true}}}}),
    )
    .await;
    assert_eq!(reason(&refused), "INVALID_PERMISSIONS");
}

#[tokio::test]
async fn a_blank_key_name_is_refused() {
    let emulator = start().await;
    let refused = refused_key(
        &admin(&emulator),
        json!({"keyName": " ", "permissions": {"admin": true}}),
    )
    .await;
    assert!(
        refused["error"]["details"]
            .as_str()
            .unwrap()
            .contains("keyName")
    );
}

#[tokio::test]
async fn zero_max_uses_is_refused() {
    let emulator = start().await;
    let refused = refused_key(
        &admin(&emulator),
        json!({"keyName": "x", "permissions": {"admin": true}, "maxUses": 0}),
    )
    .await;
    assert!(
        refused["error"]["details"]
            .as_str()
            .unwrap()
            .contains("maxUses")
    );
}

#[tokio::test]
async fn a_created_key_has_the_services_shapes() {
    let emulator = start().await;
    let (_, created) = admin(&emulator)
        .key(json!({"admin": true}), Some(100))
        .await;
    assert_eq!(created["pinata_api_key"].as_str().unwrap().len(), 20);
    assert_eq!(created["pinata_api_secret"].as_str().unwrap().len(), 64);
    assert_eq!(created["JWT"].as_str().unwrap().split('.').count(), 3);
}

#[tokio::test]
async fn listed_keys_never_show_secrets() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let (_, created) = admin.key(json!({"admin": true}), None).await;
    let listed = admin.get("/users/apiKeys", 200).await;
    assert_eq!(listed["count"], 2);
    let text = listed.to_string();
    assert!(!text.contains(created["pinata_api_secret"].as_str().unwrap()));
    assert!(!text.contains(created["JWT"].as_str().unwrap()));
}

#[tokio::test]
async fn v3_key_routes_take_the_jwt_only() {
    let emulator = start().await;
    let c = emulator.credentials();
    let pair = admin(&emulator).with(Auth::Pair(
        c.pinata.api_key.clone(),
        c.pinata.api_secret.clone(),
    ));
    // The v3 routes answer in the v3 shape, as Pinata's v3 host does.
    let refused = pair.get("/v3/pinata/keys", 401).await;
    assert_eq!(refused["error"]["message"], "no Authorization header found");
}

#[tokio::test]
async fn v3_keys_are_created_filtered_and_revoked() {
    let emulator = start().await;
    let admin = admin(&emulator);
    admin.key(json!({"admin": true}), Some(100)).await;
    let made = admin
        .send_json(
            Method::POST,
            "/v3/pinata/keys",
            json!({"keyName": "v3 key", "permissions": {"admin": true}}),
            200,
        )
        .await;
    assert_eq!(
        admin.get("/v3/pinata/keys?limitedUse=true", 200).await["count"],
        1
    );
    assert_eq!(admin.get("/v3/pinata/keys?name=V3", 200).await["count"], 1);
    let key = made["pinata_api_key"].as_str().unwrap();
    let revoked = admin
        .send_json(
            Method::PUT,
            &format!("/v3/pinata/keys/{key}"),
            json!({}),
            200,
        )
        .await;
    assert_eq!(revoked, json!("Revoked"));
    assert_eq!(
        admin.get("/v3/pinata/keys?revoked=true", 200).await["count"],
        1
    );
    admin.get("/v3/pinata/keys?revoked=maybe", 400).await;
}

#[tokio::test]
async fn revoking_an_unknown_key_is_object_not_found() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let v3 = admin
        .send_json(Method::PUT, "/v3/pinata/keys/nope", json!({}), 404)
        .await;
    let legacy = admin
        .send_json(
            Method::PUT,
            "/users/revokeApiKey",
            json!({"apiKey": "nope"}),
            404,
        )
        .await;
    assert_eq!(reason(&v3), "OBJECT_NOT_FOUND");
    assert_eq!(reason(&legacy), "OBJECT_NOT_FOUND");
}

#[tokio::test]
async fn the_legacy_list_pages_by_ten() {
    let emulator = start().await;
    let admin = admin(&emulator);
    for _ in 0..12 {
        admin.key(json!({"admin": true}), None).await;
    }
    let first = admin.get("/users/apiKeys", 200).await;
    assert_eq!(first["keys"].as_array().unwrap().len(), 10);
    let second = admin.get("/users/apiKeys?offset=10", 200).await;
    assert_eq!(second["keys"].as_array().unwrap().len(), 3);
}
