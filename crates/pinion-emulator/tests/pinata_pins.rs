//! Pinata's pins: `pinList` filters and paging, unpinning, totals, `hashMetadata` and
//! the (deprecated) pin policies.

mod common;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use common::start;
use reqwest::Method;
use serde_json::{Value, json};

async fn pin_named(admin: &Pinata, name: &str, bytes: Vec<u8>, keyvalues: Value) -> String {
    let answer = admin
        .upload(
            vec![(name, bytes)],
            Some(json!({"name": name, "keyvalues": keyvalues})),
            None,
            200,
        )
        .await;
    answer["IpfsHash"].as_str().unwrap().to_owned()
}

/// Three pins, oldest first: alpha.txt (1 B, doc, n=1), beta.txt (2 B, doc, n=5),
/// gamma.bin (1000 B, blob, n=9).
async fn three_pins(admin: &Pinata) -> [String; 3] {
    [
        pin_named(
            admin,
            "alpha.txt",
            b"a".to_vec(),
            json!({"kind": "doc", "n": 1}),
        )
        .await,
        pin_named(
            admin,
            "beta.txt",
            b"bb".to_vec(),
            json!({"kind": "doc", "n": 5}),
        )
        .await,
        pin_named(
            admin,
            "gamma.bin",
            vec![7; 1000],
            json!({"kind": "blob", "n": 9}),
        )
        .await,
    ]
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn count(admin: &Pinata, query: &str) -> Value {
    admin.get(&format!("/data/pinList?{query}"), 200).await["count"].clone()
}

#[tokio::test]
async fn pin_list_is_newest_first_and_pages() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let [a, _, c] = three_pins(&admin).await;
    let all = admin.get("/data/pinList", 200).await;
    assert_eq!(all["count"], 3);
    assert_eq!(all["rows"][0]["ipfs_pin_hash"], c);
    let page = admin
        .get("/data/pinList?pageLimit=2&pageOffset=2", 200)
        .await;
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    assert_eq!(page["rows"][0]["ipfs_pin_hash"], a);
    let no_count = admin.get("/data/pinList?includeCount=false", 200).await;
    assert!(no_count.get("count").is_none());
}

#[tokio::test]
async fn pin_list_filters_by_name_case_insensitively() {
    let emulator = start().await;
    let admin = admin(&emulator);
    three_pins(&admin).await;
    assert_eq!(count(&admin, "metadata[name]=ALPHA").await, 1);
}

#[tokio::test]
async fn pin_list_filters_by_keyvalues() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let [_, b, _] = three_pins(&admin).await;
    let kv = urlencode(r#"{"kind":{"value":"doc","op":"eq"},"n":{"value":2,"op":"gt"}}"#);
    let by_kv = admin
        .get(&format!("/data/pinList?metadata[keyvalues]={kv}"), 200)
        .await;
    assert_eq!(by_kv["count"], 1);
    assert_eq!(by_kv["rows"][0]["ipfs_pin_hash"], b);
    let between = urlencode(r#"{"value":1,"op":"between","secondValue":5}"#);
    assert_eq!(
        count(&admin, &format!("metadata[keyvalues][n]={between}")).await,
        2
    );
}

#[tokio::test]
async fn pin_list_filters_by_size_hash_and_dates() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let [_, _, c] = three_pins(&admin).await;
    assert_eq!(count(&admin, "pinSizeMin=100").await, 1);
    assert_eq!(
        count(&admin, &format!("hashContains={}", &c[2..10])).await,
        1
    );
    assert_eq!(
        count(&admin, "pinStart=2000-01-01T00:00:00Z&unknownParam=1").await,
        3
    );
    assert_eq!(count(&admin, "pinEnd=2000-01-01T00:00:00Z").await, 0);
}

#[tokio::test]
async fn unpinning_keeps_the_row_with_date_unpinned() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let [a, _, _] = three_pins(&admin).await;
    let answer = admin
        .call_text(Method::DELETE, &format!("/pinning/unpin/{a}"), None, 200)
        .await;
    assert_eq!(answer, "OK");
    assert_eq!(count(&admin, "status=pinned").await, 2);
    let unpinned = admin.get("/data/pinList?status=unpinned", 200).await;
    assert_eq!(unpinned["rows"][0]["ipfs_pin_hash"], a);
    assert!(unpinned["rows"][0]["date_unpinned"].is_string());
    assert_eq!(count(&admin, "unpinStart=2000-01-01").await, 1);
}

#[tokio::test]
async fn unpinning_twice_is_object_not_found() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let cid = pin_named(&admin, "once.txt", b"once".to_vec(), json!({})).await;
    let path = format!("/pinning/unpin/{cid}");
    admin.call_text(Method::DELETE, &path, None, 200).await;
    let again = admin.call(Method::DELETE, &path, None, 404).await;
    assert_eq!(reason(&again), "OBJECT_NOT_FOUND");
}

#[tokio::test]
async fn malformed_pin_list_queries_are_invalid_query() {
    let emulator = start().await;
    let admin = admin(&emulator);
    for bad in [
        "pageLimit=0",
        "pageLimit=1001",
        "status=gone",
        "pinStart=yesterday",
        "metadata[keyvalues]=%7B",
    ] {
        let refused = admin.get(&format!("/data/pinList?{bad}"), 400).await;
        assert_eq!(reason(&refused), "INVALID_QUERY", "{bad}");
    }
}

#[tokio::test]
async fn totals_count_pinned_data_with_replications() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let [a, _, _] = three_pins(&admin).await;
    admin
        .call_text(Method::DELETE, &format!("/pinning/unpin/{a}"), None, 200)
        .await;
    let totals = admin.get("/data/userPinnedDataTotal", 200).await;
    assert_eq!(totals["pin_count"], 2);
    let size = totals["pin_size_total"].as_i64().unwrap();
    assert_eq!(totals["pin_size_with_replications_total"], size * 2);
}

#[tokio::test]
async fn hash_metadata_merges_and_null_removes() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let cid = pin_named(
        &admin,
        "doc.txt",
        b"doc".to_vec(),
        json!({"a": "1", "b": "2"}),
    )
    .await;
    let ok = admin
        .call_text(
            Method::PUT,
            "/pinning/hashMetadata",
            Some(json!({"ipfsPinHash": cid, "name": "renamed", "keyvalues": {"b": null, "c": 3}})),
            200,
        )
        .await;
    assert_eq!(ok, "OK");
    let row = &admin.get(&format!("/data/pinList?cid={cid}"), 200).await["rows"][0];
    assert_eq!(row["metadata"]["name"], "renamed");
    assert_eq!(row["metadata"]["keyvalues"], json!({"a": "1", "c": 3}));
}

#[tokio::test]
async fn hash_metadata_of_an_unpinned_cid_is_object_not_found() {
    let emulator = start().await;
    let refused = admin(&emulator)
        .call(
            Method::PUT,
            "/pinning/hashMetadata",
            Some(json!({"ipfsPinHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "name": "x"})),
            404,
        )
        .await;
    assert_eq!(reason(&refused), "OBJECT_NOT_FOUND");
}

#[tokio::test]
async fn nested_keyvalues_are_invalid_metadata() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let cid = pin_named(&admin, "doc.txt", b"doc".to_vec(), json!({})).await;
    let nested = admin
        .call(
            Method::PUT,
            "/pinning/hashMetadata",
            Some(json!({"ipfsPinHash": cid, "keyvalues": {"d": {"nested": true}}})),
            400,
        )
        .await;
    assert_eq!(reason(&nested), "INVALID_METADATA");
}

#[tokio::test]
async fn a_pin_policy_is_applied_to_its_pin() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let cid = pin_named(&admin, "doc.txt", b"doc".to_vec(), json!({})).await;
    let policy = json!({"regions": [{"id": "FRA1", "desiredReplicationCount": 2}], "version": 1});
    admin
        .call_text(
            Method::PUT,
            "/pinning/hashPinPolicy",
            Some(json!({"ipfsPinHash": cid, "newPinPolicy": policy})),
            200,
        )
        .await;
    let row = &admin.get(&format!("/data/pinList?cid={cid}"), 200).await["rows"][0];
    assert_eq!(row["regions"][0]["desiredReplicationCount"], 2);
}

#[tokio::test]
async fn the_account_policy_takes_known_regions_only() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let bad = json!({"regions": [{"id": "MARS1", "desiredReplicationCount": 1}]});
    let refused = admin
        .call(
            Method::PUT,
            "/pinning/userPinPolicy",
            Some(json!({"newPinPolicy": bad})),
            400,
        )
        .await;
    assert_eq!(reason(&refused), "INVALID_PIN_POLICY");
    assert!(refused.to_string().contains("MARS1"));
    let good = json!({"regions": [{"id": "NYC1", "desiredReplicationCount": 1}]});
    admin
        .call_text(
            Method::PUT,
            "/pinning/userPinPolicy",
            Some(json!({"newPinPolicy": good})),
            200,
        )
        .await;
}
