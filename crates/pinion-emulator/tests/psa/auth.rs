//! Who may use each endpoint: Pinata's key JWTs with the key's permissions (mapped by
//! `pinion_scopes::psa`), revoked at once; W3IPFS's login JWT only.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Psa, Service, start, unknown_cid};
use crate::common::Api;
use crate::common::pinata::PinataCalls;

/// A complete Pinata `endpoints` object granting exactly `granted` (flag names).
fn permissions(granted: &[&str]) -> Value {
    let flag = |name: &str| granted.contains(&name);
    json!({"endpoints": {
        "data": {"pinList": flag("pinList"), "userPinnedDataTotal": false},
        "pinning": {
            "hashMetadata": false, "hashPinPolicy": false, "pinByHash": flag("pinByHash"),
            "pinFileToIPFS": false, "pinJSONToIPFS": false, "pinJobs": false,
            "unpin": flag("unpin"), "userPinPolicy": false
        }
    }})
}

/// A new Pinata key granting `granted`: the PSA client using its JWT, and its API key.
async fn pinata_key(admin: &Psa, pinata: &Api, granted: &[&str]) -> (Psa, String) {
    let (_, created) = pinata.key(permissions(granted), None).await;
    (
        admin.with_token(created["JWT"].as_str()),
        created["pinata_api_key"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn pinata_refuses_missing_and_bad_tokens_as_recorded() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::Pinata);
    let missing = psa.with_token(None).send(Method::GET, "/pins", None).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.reason(), "KEYS_MUST_BE_STRINGS");
    let bad = psa
        .with_token(Some("not.a.jwt"))
        .send(Method::GET, "/pins", None)
        .await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.reason(), "INVALID_CREDENTIALS");
    // A W3IPFS login JWT is not a Pinata key.
    let other = psa
        .with_token(Some(&emulator.credentials().w3ipfs.jwt))
        .send(Method::GET, "/pins", None)
        .await;
    assert_eq!(other.status, 401);
}

#[tokio::test]
async fn pinata_keys_need_the_permissions_each_operation_maps_to() {
    let emulator = start(false).await;
    let admin = Psa::new(&emulator, Service::Pinata);
    let pinata = Api::pinata(&emulator);
    let existing = admin.add_cid(&unknown_cid(1)).await;

    let (lister, _) = pinata_key(&admin, &pinata, &["pinList"]).await;
    assert_eq!(lister.send(Method::GET, "/pins", None).await.status, 200);
    assert_eq!(lister.get(&existing).await.status, 200);
    let add = lister
        .send(Method::POST, "/pins", Some(json!({"cid": unknown_cid(2)})))
        .await;
    assert_eq!((add.status, add.reason()), (403, "NO_PERMISSIONS".into()));
    assert_eq!(lister.delete(&existing).await.status, 403);

    let (adder, _) = pinata_key(&admin, &pinata, &["pinByHash"]).await;
    adder.add_cid(&unknown_cid(3)).await;
    assert_eq!(adder.send(Method::GET, "/pins", None).await.status, 403);
    // Replace needs pinByHash and unpin.
    let replace = adder
        .send(
            Method::POST,
            &format!("/pins/{existing}"),
            Some(json!({"cid": unknown_cid(4)})),
        )
        .await;
    assert_eq!(replace.status, 403, "{}", replace.text);
    assert!(replace.text.contains("unpin"), "{}", replace.text);
    assert_eq!(admin.get(&existing).await.status, 200);

    let (replacer, _) = pinata_key(&admin, &pinata, &["pinByHash", "unpin"]).await;
    let replaced = replacer
        .send(
            Method::POST,
            &format!("/pins/{existing}"),
            Some(json!({"cid": unknown_cid(4)})),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);

    let (unpinner, _) = pinata_key(&admin, &pinata, &["unpin"]).await;
    let id = replaced.json()["requestid"].as_str().unwrap().to_owned();
    assert_eq!(unpinner.delete(&id).await.status, 200);
}

#[tokio::test]
async fn a_revoked_pinata_key_stops_working_at_once() {
    let emulator = start(false).await;
    let admin = Psa::new(&emulator, Service::Pinata);
    let pinata = Api::pinata(&emulator);
    let (psa, key) = pinata_key(&admin, &pinata, &["pinList", "pinByHash"]).await;
    psa.add_cid(&unknown_cid(5)).await;
    pinata
        .send_json(
            Method::PUT,
            "/users/revokeApiKey",
            json!({"apiKey": key}),
            200,
        )
        .await;
    let refused = psa.send(Method::GET, "/pins", None).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.reason(), "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn w3ipfs_takes_only_the_login_jwt() {
    let emulator = start(false).await;
    let psa = Psa::new(&emulator, Service::W3ipfs);
    assert_eq!(psa.send(Method::GET, "/pins", None).await.status, 200);
    for token in [
        None,
        Some("not.a.jwt"),
        Some(&*emulator.credentials().pinata.jwt),
    ] {
        let refused = psa.with_token(token).send(Method::GET, "/pins", None).await;
        assert_eq!(refused.status, 401, "{token:?}: {}", refused.text);
        assert_eq!(refused.reason(), "UNAUTHORIZED");
    }
    // A key pair is not how the PSA authenticates.
    let c = emulator.credentials();
    let pair = crate::common::http()
        .get(format!("{}/pins", psa.base))
        .header("pinning_api_key", &c.w3ipfs.api_key)
        .header("pinning_secret_key", &c.w3ipfs.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(pair.status(), 401);
    // The login JWT expires.
    emulator
        .advance_clock(Duration::from_secs(3651 * 24 * 3600))
        .unwrap();
    let expired = psa.send(Method::GET, "/pins", None).await;
    assert_eq!(expired.status, 401);
    assert!(expired.text.contains("expired"), "{}", expired.text);
}
