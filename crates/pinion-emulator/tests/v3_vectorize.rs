//! Vectorize on the uploads host: private files marked, a private group's vectorized
//! files ranked by name similarity, `org:write` required.

mod common;

use common::start;
use common::v3::{V3, v3_error};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn vectorized_files_of_a_group_are_ranked_by_their_names() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let group = v3.group("private", "docs").await;
    let mut ids = Vec::new();
    for name in [
        "march invoices",
        "invoices",
        "holiday photos",
        "march invoices copy",
    ] {
        let made = v3
            .upload(
                &format!("{name}.txt"),
                name.as_bytes().to_vec(),
                &[("network", "private"), ("name", name), ("group_id", &group)],
                200,
            )
            .await;
        ids.push(made["data"]["id"].as_str().unwrap().to_owned());
    }
    for id in &ids[..3] {
        let done = v3
            .uploads
            .call(Method::POST, &format!("/vectorize/files/{id}"), None, 200)
            .await;
        assert_eq!(done, json!({"success": true}));
    }
    let file = v3.api.get(&format!("/files/private/{}", ids[0]), 200).await;
    assert_eq!(file["data"]["vectorized"], true);
    let found = v3
        .uploads
        .call(
            Method::POST,
            &format!("/vectorize/groups/{group}/query"),
            Some(json!({"text": "March invoices"})),
            200,
        )
        .await;
    let matched: Vec<&Value> = found["data"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["file_id"])
        .collect();
    // The 4th file is not vectorized; the 1st matches best, the holiday photos least.
    assert_eq!(matched, [&json!(ids[0]), &json!(ids[1]), &json!(ids[2])]);
    assert_eq!(found["data"]["count"], 3);
    assert_eq!(found["data"]["matches"][0]["score"], 1.0);
    v3.uploads
        .call(
            Method::DELETE,
            &format!("/vectorize/files/{}", ids[0]),
            None,
            200,
        )
        .await;
    let file = v3.api.get(&format!("/files/private/{}", ids[0]), 200).await;
    assert_eq!(file["data"]["vectorized"], false);
}

#[tokio::test]
async fn only_private_files_and_groups_and_org_write() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let public = v3.upload_public("p.txt", b"public".to_vec()).await;
    let body = v3
        .uploads
        .call(
            Method::POST,
            &format!("/vectorize/files/{}", public["id"].as_str().unwrap()),
            None,
            404,
        )
        .await;
    assert_eq!(v3_error(&body).0, 404);
    let public_group = v3.group("public", "g").await;
    v3.uploads
        .call(
            Method::POST,
            &format!("/vectorize/groups/{public_group}/query"),
            Some(json!({"text": "x"})),
            404,
        )
        .await;
    v3.uploads
        .call(
            Method::POST,
            &format!("/vectorize/groups/{public_group}/query"),
            Some(json!({"query": "x"})),
            400,
        )
        .await;
    let files = v3
        .key(json!({"resources": ["org:files:write"]}), None)
        .await;
    let refused = files
        .uploads
        .call(Method::POST, "/vectorize/files/anything", None, 403)
        .await;
    assert!(v3_error(&refused).1.contains("org:write"), "{refused}");
}
