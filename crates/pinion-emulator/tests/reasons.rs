//! One reason per condition on each API surface: the same condition gets the same
//! reason (Pinata, Submarine) or message (W3IPFS) on every route, as the tables in
//! `src/*/reasons.rs` and `spec/*.sources.md` say.

mod common;

use common::{Api, Auth, json, start};
use reqwest::Method;
use serde_json::Value;

fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or_default()
}

const UNKNOWN_UUID: &str = "00000000-0000-4000-8000-000000000000";
const UNKNOWN_CID: &str = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";

#[tokio::test]
async fn pinata_and_submarine_say_object_not_found_for_every_missing_object() {
    let emulator = start().await;
    let pinata = Api::pinata(&emulator);
    let submarine = Api::submarine(&emulator);
    let missing = [
        pinata
            .call(
                Method::DELETE,
                &format!("/pinning/unpin/{UNKNOWN_CID}"),
                None,
                404,
            )
            .await,
        pinata.get(&format!("/groups/{UNKNOWN_UUID}"), 404).await,
        pinata
            .call(Method::PUT, "/v3/pinata/keys/nope", None, 404)
            .await,
        submarine
            .get(&format!("/content/{UNKNOWN_UUID}"), 404)
            .await,
        submarine
            .get(&format!("/content/{UNKNOWN_UUID}/list"), 404)
            .await,
        submarine
            .call(
                Method::DELETE,
                &format!("/content/{UNKNOWN_UUID}"),
                None,
                404,
            )
            .await,
    ];
    for body in &missing {
        assert_eq!(reason(body), "OBJECT_NOT_FOUND", "{body}");
    }
}

#[tokio::test]
async fn unknown_routes_are_a_condition_of_their_own() {
    let emulator = start().await;
    let c = emulator.credentials();
    for base in [&c.pinata.base_url, &c.submarine.base_url] {
        let answer = common::http()
            .get(format!("{base}/nope"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            reason(&json(answer, 404).await),
            "ROUTE_NOT_FOUND",
            "{base}"
        );
    }
}

#[tokio::test]
async fn invalid_credentials_read_the_same_on_every_pinata_and_submarine_route() {
    let emulator = start().await;
    let pinata = Api::pinata(&emulator).with(Auth::Jwt("not.a.jwt".into()));
    for path in ["/data/testAuthentication", "/data/pinList", "/groups"] {
        assert_eq!(
            reason(&pinata.get(path, 401).await),
            "INVALID_CREDENTIALS",
            "{path}"
        );
    }
    let submarine = Api::submarine(&emulator);
    for auth in [Auth::None, Auth::ApiKey("0".repeat(32))] {
        assert_eq!(
            reason(&submarine.with(auth).get("/content", 401).await),
            "INVALID_CREDENTIALS"
        );
    }
}

#[tokio::test]
async fn w3ipfs_says_record_not_found_for_every_missing_record() {
    let emulator = start().await;
    let w3ipfs = Api::w3ipfs(&emulator);
    for (method, path) in [
        (Method::GET, format!("/pinning/{UNKNOWN_UUID}")),
        (Method::DELETE, format!("/pinning/unpin/{UNKNOWN_UUID}")),
        (Method::GET, format!("/nft/{UNKNOWN_UUID}")),
        (Method::DELETE, format!("/nft/unpin/{UNKNOWN_UUID}")),
        (Method::DELETE, format!("/apiKeys/{UNKNOWN_UUID}")),
    ] {
        let body = w3ipfs.call(method, &path, None, 404).await;
        assert_eq!(body["message"], "record not found", "{path}: {body}");
        assert_eq!(body["status"], "fail");
    }
}

#[tokio::test]
async fn w3ipfs_says_not_logged_in_for_missing_credentials_everywhere() {
    let emulator = start().await;
    let anonymous = Api::w3ipfs(&emulator).with(Auth::None);
    for path in ["/pinning/pins/", "/apiKeys/list", "/users/me", "/nft/nfts/"] {
        let body = anonymous.get(path, 401).await;
        assert_eq!(body["message"], "You are not logged in", "{path}");
    }
}
