//! Private (Submarine) content stays private: pinning its CID by hash on Pinata or W3IPFS
//! finds nothing to retrieve (as for content never uploaded), and the gateway never
//! serves it without an access token. Once published, the same CID pins as usual.

mod common;

use common::pinata::PinataCalls;
use common::{Api, start};
use pinion_emulator::RunningEmulator;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

/// Uploads `bytes` as private Submarine content; returns (content id, CID).
async fn private_upload(emulator: &RunningEmulator, bytes: &[u8]) -> (String, String) {
    let form = Form::new()
        .part("files", Part::bytes(bytes.to_vec()).file_name("secret.txt"))
        .text("pinToIPFS", "false");
    let answer = Api::submarine(emulator)
        .post_form("/content", form, 200)
        .await;
    let item = &answer["items"][0];
    assert_eq!(item["pinToIPFS"], false);
    (
        item["id"].as_str().unwrap().to_owned(),
        item["cid"].as_str().unwrap().to_owned(),
    )
}

/// The gateway's status for `cid` without a token.
async fn public_status(emulator: &RunningEmulator, cid: &str) -> u16 {
    let gateway = &emulator.credentials().submarine.gateway_url;
    common::http()
        .get(format!("{gateway}/ipfs/{cid}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn pinata_job(pinata: &Api, cid: &str) -> Value {
    pinata
        .send_json(
            Method::POST,
            "/pinning/pinByHash",
            json!({"hashToPin": cid}),
            200,
        )
        .await
}

#[tokio::test]
async fn pinata_pin_by_hash_of_private_content_searches_as_for_unknown_content() {
    let emulator = start().await;
    let (_, cid) = private_upload(&emulator, b"private on Submarine").await;
    let pinata = Api::pinata(&emulator);
    pinata_job(&pinata, &cid).await;
    for _ in 0..3 {
        let jobs = pinata.get("/pinning/pinJobs", 200).await;
        assert_eq!(jobs["rows"][0]["status"], "searching", "{jobs}");
    }
    let pinned = pinata.get(&format!("/data/pinList?cid={cid}"), 200).await;
    assert_eq!(pinned["count"], 0);
    assert_ne!(public_status(&emulator, &cid).await, 200);
}

#[tokio::test]
async fn a_job_forced_to_pinned_does_not_publish_private_content() {
    let emulator = start().await;
    let (_, cid) = private_upload(&emulator, b"forced but private").await;
    let pinata = Api::pinata(&emulator);
    let job = pinata_job(&pinata, &cid).await;
    let control = format!(
        "{}/_emulator/pinata/jobs/{}",
        emulator.origin(),
        job["id"].as_str().unwrap()
    );
    let driven = common::http()
        .post(control)
        .body(r#"{"status": "pinned"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(driven.status().as_u16(), 200);
    let row = &pinata.get(&format!("/data/pinList?cid={cid}"), 200).await["rows"][0];
    assert_eq!(row["size"], 0, "nothing was retrieved: {row}");
    assert_ne!(public_status(&emulator, &cid).await, 200);
}

#[tokio::test]
async fn w3ipfs_pin_by_hash_of_private_content_stays_in_retrieval() {
    let emulator = start().await;
    let (_, cid) = private_upload(&emulator, b"private, asked of W3IPFS").await;
    let w3ipfs = Api::w3ipfs(&emulator);
    let pinned = w3ipfs
        .call(
            Method::POST,
            "/pinning/pinByHash/",
            Some(json!({"hash_to_pin": cid})),
            200,
        )
        .await;
    let id = pinned["data"]["id"].as_str().unwrap();
    for _ in 0..3 {
        w3ipfs.get("/pinning/pins/", 200).await;
        let pin = w3ipfs.get(&format!("/pinning/{id}"), 200).await;
        assert_eq!(pin["data"]["status"], "RETRIEVAL", "{pin}");
        assert_eq!(pin["data"]["pinned"], false, "{pin}");
    }
    assert_ne!(public_status(&emulator, &cid).await, 200);
}

#[tokio::test]
async fn published_submarine_content_pins_by_hash() {
    let emulator = start().await;
    let (id, cid) = private_upload(&emulator, b"made public later").await;
    Api::submarine(&emulator)
        .call(
            Method::PUT,
            &format!("/content/{id}"),
            Some(json!({"pinToIPFS": true})),
            200,
        )
        .await;
    let pinata = Api::pinata(&emulator);
    pinata_job(&pinata, &cid).await;
    pinata.get("/pinning/pinJobs", 200).await;
    pinata.get("/pinning/pinJobs", 200).await;
    let pinned = pinata
        .get(&format!("/data/pinList?cid={cid}&status=pinned"), 200)
        .await;
    assert_eq!(pinned["count"], 1);
    assert_eq!(public_status(&emulator, &cid).await, 200);
}

#[tokio::test]
async fn the_same_bytes_uploaded_publicly_are_public() {
    let emulator = start().await;
    let bytes = b"private here, public there";
    let (_, cid) = private_upload(&emulator, bytes).await;
    assert_ne!(public_status(&emulator, &cid).await, 200);
    let pinata = Api::pinata(&emulator);
    let form = Form::new().part("file", Part::bytes(bytes.to_vec()).file_name("secret.txt"));
    pinata.post_form("/pinning/pinFileToIPFS", form, 200).await;
    assert_eq!(public_status(&emulator, &cid).await, 200);
}
