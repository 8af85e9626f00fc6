//! `/v3/files/{network}/swap/{cid}`: add (either body spelling), history newest first
//! with removals as null, delete; only the account's CIDs.

mod common;

use common::start;
use common::v3::{V3, v3_error};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn swaps_are_added_listed_and_removed() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let original = v3.upload_public("v1.txt", b"version 1".to_vec()).await;
    let second = v3.upload_public("v2.txt", b"version 2".to_vec()).await;
    let third = v3.upload_public("v3.txt", b"version 3".to_vec()).await;
    let cid = |file: &Value| file["cid"].as_str().unwrap().to_owned();
    let path = format!("/files/public/swap/{}", cid(&original));
    let added = v3
        .api
        .call(
            Method::PUT,
            &path,
            Some(json!({"swap_cid": cid(&second)})),
            200,
        )
        .await;
    assert_eq!(added["data"]["mapped_cid"], cid(&second));
    assert!(added["data"]["created_at"].is_string());
    // Pinata's current spec spells it swapCid.
    v3.api
        .call(
            Method::PUT,
            &path,
            Some(json!({"swapCid": cid(&third)})),
            200,
        )
        .await;
    assert_eq!(
        v3.api.call(Method::DELETE, &path, None, 200).await,
        json!({"data": null})
    );
    let history = v3
        .api
        .get(&format!("{path}?domain=example.mypinata.cloud"), 200)
        .await;
    let mapped: Vec<&Value> = history["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|swap| &swap["mapped_cid"])
        .collect();
    assert_eq!(
        mapped,
        [&Value::Null, &json!(cid(&third)), &json!(cid(&second))]
    );
    // Nothing left to remove.
    v3.api.call(Method::DELETE, &path, None, 404).await;
}

#[tokio::test]
async fn only_the_accounts_cids_swap() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let public = v3.upload_public("p.txt", b"public".to_vec()).await;
    let cid = public["cid"].as_str().unwrap();
    // On the other network it is not the account's.
    let refused = v3
        .api
        .call(
            Method::PUT,
            &format!("/files/private/swap/{cid}"),
            Some(json!({"swap_cid": cid})),
            404,
        )
        .await;
    assert_eq!(v3_error(&refused).0, 404);
    let unknown = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    v3.api
        .call(
            Method::PUT,
            &format!("/files/public/swap/{unknown}"),
            Some(json!({"swap_cid": cid})),
            404,
        )
        .await;
    v3.api
        .get(&format!("/files/public/swap/{unknown}?domain=x"), 404)
        .await;
    let path = format!("/files/public/swap/{cid}");
    for body in [json!({}), json!({"swap_cid": "not a cid"})] {
        v3.api.call(Method::PUT, &path, Some(body), 400).await;
    }
    v3.api.get(&path, 400).await;
    // Reading needs files:read, swapping files:write.
    let reader = v3.key(json!({"resources": ["org:files:read"]}), None).await;
    reader
        .api
        .call(Method::PUT, &path, Some(json!({"swap_cid": cid})), 403)
        .await;
}
