//! Pinata groups: create, rename, search, hold pins, delete.

mod common;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use common::start;
use reqwest::Method;
use serde_json::json;

async fn group(admin: &Pinata, name: &str) -> String {
    let group = admin
        .send_json(Method::POST, "/groups", json!({ "name": name }), 200)
        .await;
    group["id"].as_str().unwrap().to_owned()
}

async fn pin(admin: &Pinata, bytes: &[u8]) -> String {
    let answer = admin
        .upload(vec![("g.txt", bytes.to_vec())], None, None, 200)
        .await;
    answer["IpfsHash"].as_str().unwrap().to_owned()
}

async fn members(admin: &Pinata, id: &str) -> serde_json::Value {
    admin.get(&format!("/data/pinList?groupId={id}"), 200).await["count"].clone()
}

#[tokio::test]
async fn groups_are_created_renamed_and_found_by_name() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let id = group(&admin, "Photos").await;
    assert_eq!(
        admin.get(&format!("/groups/{id}"), 200).await["name"],
        "Photos"
    );
    let renamed = admin
        .send_json(
            Method::PUT,
            &format!("/groups/{id}"),
            json!({"name": "Pictures"}),
            200,
        )
        .await;
    assert_eq!(renamed["name"], "Pictures");
    let found = admin.get("/groups?nameContains=pict", 200).await;
    assert_eq!(found.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn pins_are_added_to_and_removed_from_a_group() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let id = group(&admin, "Photos").await;
    let cid = pin(&admin, b"grouped").await;
    let path = format!("/groups/{id}/cids");
    let added = admin
        .call_text(Method::PUT, &path, Some(json!({"cids": [cid]})), 200)
        .await;
    assert_eq!(added, "OK");
    assert_eq!(members(&admin, &id).await, 1);
    admin
        .call_text(Method::DELETE, &path, Some(json!({"cids": [cid]})), 200)
        .await;
    assert_eq!(members(&admin, &id).await, 0);
}

#[tokio::test]
async fn adding_an_unpinned_cid_is_object_not_found() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let id = group(&admin, "Photos").await;
    let refused = admin
        .call(
            Method::PUT,
            &format!("/groups/{id}/cids"),
            Some(json!({"cids": ["QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"]})),
            404,
        )
        .await;
    assert_eq!(reason(&refused), "OBJECT_NOT_FOUND");
}

#[tokio::test]
async fn uploads_go_straight_into_a_group() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let id = group(&admin, "Photos").await;
    admin
        .upload(
            vec![("in.txt", b"in group".to_vec())],
            None,
            Some(json!({"groupId": id})),
            200,
        )
        .await;
    assert_eq!(members(&admin, &id).await, 1);
}

#[tokio::test]
async fn uploading_into_an_unknown_group_is_invalid_group() {
    let emulator = start().await;
    let refused = admin(&emulator)
        .upload(
            vec![("x.txt", b"x".to_vec())],
            None,
            Some(json!({"groupId": "00000000-0000-4000-8000-000000000000"})),
            400,
        )
        .await;
    assert_eq!(reason(&refused), "INVALID_GROUP");
}

#[tokio::test]
async fn a_deleted_group_is_gone() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let id = group(&admin, "Photos").await;
    let deleted = admin
        .call_text(Method::DELETE, &format!("/groups/{id}"), None, 200)
        .await;
    assert_eq!(deleted, "OK");
    let missing = admin.get(&format!("/groups/{id}"), 404).await;
    assert_eq!(reason(&missing), "OBJECT_NOT_FOUND");
}

#[tokio::test]
async fn malformed_group_requests_are_refused() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let unnamed = admin
        .send_json(Method::POST, "/groups", json!({"name": ""}), 400)
        .await;
    assert_eq!(reason(&unnamed), "INVALID_REQUEST");
    let bad_limit = admin.get("/groups?limit=0", 400).await;
    assert_eq!(reason(&bad_limit), "INVALID_QUERY");
}
