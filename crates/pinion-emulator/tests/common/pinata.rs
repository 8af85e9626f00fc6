//! Pinata's own calls, shared by the `pinata_*` test files.

use pinion_emulator::RunningEmulator;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use super::{Api, Auth};

/// A client of the Pinata API.
pub type Pinata = Api;

/// Pinata with the admin JWT.
pub fn admin(emulator: &RunningEmulator) -> Pinata {
    Api::pinata(emulator)
}

/// Pinata's calls on an [`Api`] (a trait, so that other services' test files keep
/// their own `upload`).
#[allow(async_fn_in_trait)]
pub trait PinataCalls {
    /// Sends `body` as JSON, asserting `status`.
    async fn send_json(&self, method: Method, path: &str, body: Value, status: u16) -> Value;

    /// `pinFileToIPFS` of `files` (path, bytes) with optional metadata and options.
    async fn upload(
        &self,
        files: Vec<(&str, Vec<u8>)>,
        metadata: Option<Value>,
        options: Option<Value>,
        status: u16,
    ) -> Value;

    /// A new key with these permissions; returns a client using its key pair.
    async fn key(&self, permissions: Value, max_uses: Option<u64>) -> (Pinata, Value);
}

impl PinataCalls for Api {
    async fn send_json(&self, method: Method, path: &str, body: Value, status: u16) -> Value {
        self.call(method, path, Some(body), status).await
    }

    async fn upload(
        &self,
        files: Vec<(&str, Vec<u8>)>,
        metadata: Option<Value>,
        options: Option<Value>,
        status: u16,
    ) -> Value {
        let mut form = Form::new();
        for (path, bytes) in files {
            form = form.part("file", Part::bytes(bytes).file_name(path.to_owned()));
        }
        if let Some(metadata) = metadata {
            form = form.text("pinataMetadata", metadata.to_string());
        }
        if let Some(options) = options {
            form = form.text("pinataOptions", options.to_string());
        }
        self.post_form("/pinning/pinFileToIPFS", form, status).await
    }

    async fn key(&self, permissions: Value, max_uses: Option<u64>) -> (Pinata, Value) {
        let mut body = json!({ "keyName": "test key", "permissions": permissions });
        if let Some(max) = max_uses {
            body["maxUses"] = json!(max);
        }
        let created = self
            .send_json(Method::POST, "/users/generateApiKey", body, 200)
            .await;
        let client = self.with(Auth::Pair(
            created["pinata_api_key"].as_str().unwrap().to_owned(),
            created["pinata_api_secret"].as_str().unwrap().to_owned(),
        ));
        (client, created)
    }
}

/// The `reason` of a Pinata error body.
pub fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or_default()
}
