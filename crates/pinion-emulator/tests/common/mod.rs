//! Shared by the emulator's integration tests: a started emulator and an HTTP client.
#![allow(dead_code)]

use pinion_emulator::{AdminCredentials, Emulator, RunningEmulator};

/// A fresh emulator with in-memory state.
pub async fn start() -> RunningEmulator {
    Emulator::builder()
        .start()
        .await
        .expect("the emulator starts")
}

/// A plain HTTP client (no retries: tests see exactly what the emulator answers).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("reqwest client")
}

/// Shorthand for the admin credentials.
pub fn creds(emulator: &RunningEmulator) -> &AdminCredentials {
    emulator.credentials()
}

/// The response's JSON body, with the status asserted.
pub async fn json(response: reqwest::Response, status: u16) -> serde_json::Value {
    let got = response.status().as_u16();
    let body = response.text().await.expect("a body");
    assert_eq!(got, status, "unexpected status {got}, body: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// The response's text body, with the status asserted.
pub async fn text(response: reqwest::Response, status: u16) -> String {
    let got = response.status().as_u16();
    let body = response.text().await.expect("a body");
    assert_eq!(got, status, "unexpected status {got}, body: {body}");
    body
}

/// Deterministic test bytes: byte i is `(i * 31 + i / 256 + seed) % 251`.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 31 + i / 256 + seed as usize) % 251) as u8)
        .collect()
}

/// One case of `crates/pinion-cid/fixtures/cids.json` (CIDs made by ipfs-unixfs-importer).
pub struct Fixture {
    pub name: String,
    pub bytes: Vec<u8>,
    pub v0: (String, u64),
    pub v1: (String, u64),
}

/// The fixture file, parsed.
pub fn fixtures_json() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../pinion-cid/fixtures/cids.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("the CID fixtures")).expect("JSON")
}

/// The single-file fixtures up to `max_len` bytes, with their bytes rebuilt.
pub fn file_fixtures(max_len: u64) -> Vec<Fixture> {
    let all = fixtures_json();
    all["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case["len"].as_u64().unwrap() <= max_len)
        .map(|case| {
            let rule = case["bytes"].as_str().unwrap();
            let len = case["len"].as_u64().unwrap() as usize;
            let bytes = if let Some(text) = rule.strip_prefix("utf8:") {
                text.as_bytes().to_vec()
            } else {
                xorshift_bytes(rule.strip_prefix("xorshift32:").unwrap(), len)
            };
            let version = |v: &str| {
                (
                    case[v]["cid"].as_str().unwrap().to_owned(),
                    case[v]["pinSize"].as_u64().unwrap(),
                )
            };
            Fixture {
                name: case["name"].as_str().unwrap().to_owned(),
                bytes,
                v0: version("v0"),
                v1: version("v1"),
            }
        })
        .collect()
}

/// The fixture generator's byte rule (`xorshift32:<seed>`).
pub use pinion_testkit::fixture::xorshift_bytes;
