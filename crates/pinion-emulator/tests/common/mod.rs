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
