//! Pinata's pin-by-CID jobs: `pinByHash`, `pinJobs`, the control route that drives them,
//! their ageing with the emulator's clock and the queue limit.

mod common;

use std::time::Duration;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use common::{http, start, text};
use pinion_cid::{CidVersion, hash_bytes};
use reqwest::Method;
use serde_json::{Value, json};

/// A CID the emulator has no bytes of.
const UNKNOWN: &str = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

async fn pin_by_hash(admin: &Pinata, body: Value, status: u16) -> Value {
    admin
        .send_json(Method::POST, "/pinning/pinByHash", body, status)
        .await
}

/// Forces job `id` into `status` through the control route; returns the answer.
async fn drive(origin: &str, id: &str, status: &str, expected: u16) -> String {
    let response = http()
        .post(format!("{origin}/_emulator/pinata/jobs/{id}"))
        .body(json!({ "status": status }).to_string())
        .send()
        .await
        .unwrap();
    text(response, expected).await
}

/// A distinct, valid CID per `n`, of bytes the emulator does not have.
fn unknown_cid(n: usize) -> String {
    hash_bytes(format!("never uploaded {n}").as_bytes(), CidVersion::V1)
        .cid
        .to_string()
}

#[tokio::test]
async fn known_content_is_retrieved_then_pinned() {
    let emulator = start().await;
    let admin = admin(&emulator);
    // Content the emulator has (uploaded, then unpinned).
    let uploaded = admin
        .upload(vec![("k.txt", b"known".to_vec())], None, None, 200)
        .await;
    let known = uploaded["IpfsHash"].as_str().unwrap();
    admin
        .call_text(
            Method::DELETE,
            &format!("/pinning/unpin/{known}"),
            None,
            200,
        )
        .await;
    let job = pin_by_hash(
        &admin,
        json!({"hashToPin": known, "pinataMetadata": {"name": "again"}}),
        200,
    )
    .await;
    assert_eq!(job["status"], "prechecking");
    assert_eq!(job["ipfsHash"], known);
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(listed["rows"][0]["status"], "retrieving");
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(listed["count"], 0);
    let pinned = admin
        .get(&format!("/data/pinList?cid={known}&status=pinned"), 200)
        .await;
    assert_eq!(pinned["rows"][0]["metadata"]["name"], "again");
}

#[tokio::test]
async fn unknown_content_searches_until_driven() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let job = pin_by_hash(&admin, json!({"hashToPin": UNKNOWN}), 200).await;
    let id = job["id"].as_str().unwrap();
    admin.get("/pinning/pinJobs", 200).await;
    let searching = admin.get("/pinning/pinJobs?status=searching", 200).await;
    assert_eq!(searching["rows"][0]["id"], id);
    assert_eq!(
        drive(emulator.origin(), id, "expired", 200).await,
        "expired"
    );
    assert_eq!(
        admin.get("/pinning/pinJobs?status=expired", 200).await["count"],
        1
    );
    drive(emulator.origin(), id, "lost", 400).await;
    drive(emulator.origin(), id, "pinned", 200).await;
    assert_eq!(
        admin
            .get(&format!("/data/pinList?cid={UNKNOWN}"), 200)
            .await["count"],
        1
    );
}

#[tokio::test]
async fn unfound_content_expires_after_a_day_on_the_emulators_clock() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let job = pin_by_hash(&admin, json!({"hashToPin": UNKNOWN}), 200).await;
    admin.get("/pinning/pinJobs", 200).await;
    emulator
        .advance_clock(Duration::from_secs(23 * 3600))
        .unwrap();
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(
        listed["rows"][0]["status"], "searching",
        "not a day old yet"
    );
    emulator.advance_clock(Duration::from_secs(3600)).unwrap();
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(listed["rows"][0]["id"], job["id"]);
    assert_eq!(listed["rows"][0]["status"], "expired");
}

#[tokio::test]
async fn finished_jobs_leave_the_queue_limit() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let mut ids = Vec::new();
    for n in 0..250 {
        let job = pin_by_hash(&admin, json!({"hashToPin": unknown_cid(n)}), 200).await;
        ids.push(job["id"].as_str().unwrap().to_owned());
    }
    let full = pin_by_hash(&admin, json!({"hashToPin": unknown_cid(250)}), 429).await;
    assert_eq!(reason(&full), "TOO_MANY_PIN_JOBS");
    // One job fails for good: its place in the queue is free again.
    drive(emulator.origin(), &ids[0], "invalid_object", 200).await;
    pin_by_hash(&admin, json!({"hashToPin": unknown_cid(250)}), 200).await;
    pin_by_hash(&admin, json!({"hashToPin": unknown_cid(251)}), 429).await;
    // A day later every searching job has expired: the queue is empty.
    emulator
        .advance_clock(Duration::from_secs(24 * 3600))
        .unwrap();
    let expired = admin.get("/pinning/pinJobs?status=expired", 200).await;
    assert_eq!(expired["count"], 250);
    pin_by_hash(&admin, json!({"hashToPin": unknown_cid(251)}), 200).await;
}

#[tokio::test]
async fn jobs_filter_sort_and_page() {
    let emulator = start().await;
    let admin = admin(&emulator);
    for cid in [
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
    ] {
        pin_by_hash(&admin, json!({"hashToPin": cid}), 200).await;
    }
    let desc = admin.get("/pinning/pinJobs?sort=DESC&limit=1", 200).await;
    assert_eq!(desc["rows"].as_array().unwrap().len(), 1);
    assert_eq!(desc["count"], 2);
    assert_eq!(
        desc["rows"][0]["ipfs_pin_hash"],
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
    );
    let by_cid = admin
        .get(
            "/pinning/pinJobs?ipfs_pin_hash=QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            200,
        )
        .await;
    assert_eq!(by_cid["count"], 1);
}

#[tokio::test]
async fn malformed_job_requests_are_refused() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let bad_cid = pin_by_hash(&admin, json!({"hashToPin": "Qmnope"}), 400).await;
    assert_eq!(reason(&bad_cid), "INVALID_CID");
    let nodes: Vec<String> = (0..6)
        .map(|i| format!("/ip4/10.0.0.{i}/tcp/4001"))
        .collect();
    let too_many = pin_by_hash(
        &admin,
        json!({"hashToPin": UNKNOWN, "pinataOptions": {"hostNodes": nodes}}),
        400,
    )
    .await;
    assert_eq!(reason(&too_many), "bad_host_node");
    for bad in ["sort=sideways", "status=lost"] {
        let refused = admin.get(&format!("/pinning/pinJobs?{bad}"), 400).await;
        assert_eq!(reason(&refused), "INVALID_QUERY", "{bad}");
    }
}

/// pinata-web3 sends `"hostNodes": ""` with every `upload.cid` given no peer addresses
/// (and `undefined` members dropped by `JSON.stringify`); Pinata takes it as none.
#[tokio::test]
async fn an_empty_host_nodes_string_means_none() {
    let emulator = start().await;
    let admin = admin(&emulator);
    let job = pin_by_hash(
        &admin,
        json!({"hashToPin": UNKNOWN, "pinataMetadata": {"name": UNKNOWN},
               "pinataOptions": {"hostNodes": ""}}),
        200,
    )
    .await;
    assert_eq!(job["status"], "prechecking");
    let listed = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(listed["rows"][0]["host_nodes"], json!([]));
    // Only the empty string: another string is not a list of multiaddrs.
    let refused = pin_by_hash(
        &admin,
        json!({"hashToPin": UNKNOWN, "pinataOptions": {"hostNodes": "/ip4/10.0.0.1/tcp/4001"}}),
        400,
    )
    .await;
    assert_eq!(reason(&refused), "INVALID_REQUEST");
}

#[tokio::test]
async fn unpinning_a_queued_cid_cancels_its_job() {
    let emulator = start().await;
    let admin = admin(&emulator);
    pin_by_hash(&admin, json!({"hashToPin": UNKNOWN}), 200).await;
    pin_by_hash(
        &admin,
        json!({"hashToPin": "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"}),
        200,
    )
    .await;
    admin
        .call_text(
            Method::DELETE,
            "/pinning/unpin/QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            None,
            200,
        )
        .await;
    let left = admin.get("/pinning/pinJobs", 200).await;
    assert_eq!(left["count"], 1);
    assert_eq!(left["rows"][0]["ipfs_pin_hash"], UNKNOWN);
}
