//! Shared by the emulator's integration tests: a started emulator and an HTTP client.
#![allow(dead_code)]

pub mod gateway;
pub mod pinata;
pub mod v3;

use pinion_emulator::{AdminCredentials, Emulator, RunningEmulator};
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

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

/// How a test request authenticates.
#[derive(Clone)]
pub enum Auth {
    None,
    /// `Authorization: Bearer`.
    Jwt(String),
    /// A key pair in the service's two headers.
    Pair(String, String),
    /// Submarine's `x-api-key`.
    ApiKey(String),
}

/// One service of the emulator over plain HTTP, authenticated one way or another.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub auth: Auth,
    pub http: reqwest::Client,
    /// The dedicated gateway (Submarine).
    pub gateway: String,
    /// The header names of a key pair.
    pair_headers: [&'static str; 2],
}

impl Api {
    /// Pinata with the admin JWT.
    pub fn pinata(emulator: &RunningEmulator) -> Self {
        let c = emulator.credentials();
        Api {
            base: c.pinata.base_url.clone(),
            auth: Auth::Jwt(c.pinata.jwt.clone()),
            http: http(),
            gateway: c.submarine.gateway_url.clone(),
            pair_headers: ["pinata_api_key", "pinata_secret_api_key"],
        }
    }

    /// W3IPFS with the admin session JWT.
    pub fn w3ipfs(emulator: &RunningEmulator) -> Self {
        let c = emulator.credentials();
        Api {
            base: c.w3ipfs.base_url.clone(),
            auth: Auth::Jwt(c.w3ipfs.jwt.clone()),
            http: http(),
            gateway: c.submarine.gateway_url.clone(),
            pair_headers: ["pinning_api_key", "pinning_secret_key"],
        }
    }

    /// Submarine with the admin API key.
    pub fn submarine(emulator: &RunningEmulator) -> Self {
        let c = emulator.credentials();
        Api {
            base: c.submarine.base_url.clone(),
            auth: Auth::ApiKey(c.submarine.api_key.clone()),
            http: http(),
            gateway: c.submarine.gateway_url.clone(),
            pair_headers: ["", ""],
        }
    }

    /// The same service with other credentials.
    pub fn with(&self, auth: Auth) -> Self {
        Api {
            auth,
            ..self.clone()
        }
    }

    /// A request to `path` below the base URL, authenticated.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match &self.auth {
            Auth::None => request,
            Auth::Jwt(jwt) => request.bearer_auth(jwt),
            Auth::Pair(key, secret) => request
                .header(self.pair_headers[0], key)
                .header(self.pair_headers[1], secret),
            Auth::ApiKey(key) => request.header("x-api-key", key),
        }
    }

    /// Sends an authenticated request with `body` (if any) as JSON.
    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    /// Sends `body` (if any) as JSON; asserts `status`; returns the JSON answer.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        json(self.send(method, path, body).await, status).await
    }

    /// [`call`](Self::call) returning the answer as text.
    pub async fn call_text(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> String {
        text(self.send(method, path, body).await, status).await
    }

    /// `GET path`, asserting `status`.
    pub async fn get(&self, path: &str, status: u16) -> Value {
        self.call(Method::GET, path, None, status).await
    }

    /// Posts a multipart `form`, asserting `status`.
    pub async fn post_form(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
        status: u16,
    ) -> Value {
        json(
            self.request(Method::POST, path)
                .multipart(form)
                .send()
                .await
                .unwrap(),
            status,
        )
        .await
    }
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
