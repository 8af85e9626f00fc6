//! `/v3/files/{network}/signature/{cid}`: add (the account's CIDs only, once), get any
//! CID's, delete.

mod common;

use common::start;
use common::v3::{V3, v3_error};
use reqwest::Method;
use serde_json::json;

const SIGNATURE: &str = "0x1b5e0a5e3c1a8c9f2d4b6e8a0c2e4f6a8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a1c3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f51b";
const ADDRESS: &str = "0x2e4f6a8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a1c";

#[tokio::test]
async fn a_signature_is_added_read_and_removed() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let file = v3
        .upload_public("signed.txt", b"signed content".to_vec())
        .await;
    let path = format!("/files/public/signature/{}", file["cid"].as_str().unwrap());
    let body = json!({"signature": SIGNATURE, "address": ADDRESS});
    let added = v3
        .api
        .call(Method::POST, &path, Some(body.clone()), 200)
        .await;
    assert_eq!(
        added["data"],
        json!({"cid": file["cid"], "signature": SIGNATURE})
    );
    let conflict = v3.api.call(Method::POST, &path, Some(body), 409).await;
    assert_eq!(v3_error(&conflict).0, 409);
    assert_eq!(v3.api.get(&path, 200).await, added);
    assert_eq!(
        v3.api.call(Method::DELETE, &path, None, 200).await,
        json!({"data": null})
    );
    v3.api.get(&path, 404).await;
    v3.api.call(Method::DELETE, &path, None, 404).await;
}

#[tokio::test]
async fn only_the_accounts_cids_are_signed() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let private = v3
        .upload("p.txt", b"private".to_vec(), &[("network", "private")], 200)
        .await["data"]
        .clone();
    let cid = private["cid"].as_str().unwrap();
    let body = json!({"signature": SIGNATURE, "address": ADDRESS});
    v3.api
        .call(
            Method::POST,
            &format!("/files/public/signature/{cid}"),
            Some(body.clone()),
            404,
        )
        .await;
    v3.api
        .call(
            Method::POST,
            &format!("/files/private/signature/{cid}"),
            Some(body),
            200,
        )
        .await;
    v3.api
        .call(
            Method::POST,
            &format!("/files/private/signature/{cid}"),
            Some(json!({"signature": SIGNATURE})),
            400,
        )
        .await;
}
