//! Pinata v3 calls, shared by the `v3_*` test files: the api host and the uploads host
//! of one emulator, and keys with `resources` scopes.

use pinion_emulator::RunningEmulator;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use super::{Api, Auth};

/// The two v3 hosts of an emulator, with one key.
#[derive(Clone)]
pub struct V3 {
    /// `…/pinata/v3`.
    pub api: Api,
    /// `…/pinata-uploads/v3`.
    pub uploads: Api,
}

impl V3 {
    /// Both hosts with the admin JWT.
    pub fn admin(emulator: &RunningEmulator) -> Self {
        let c = emulator.credentials();
        let api = Api {
            base: c.pinata.v3_base_url.clone(),
            ..Api::pinata(emulator)
        };
        let uploads = Api {
            base: c.pinata.uploads_url.clone(),
            ..api.clone()
        };
        V3 { api, uploads }
    }

    /// The same hosts with other credentials.
    pub fn with(&self, auth: Auth) -> Self {
        V3 {
            api: self.api.with(auth.clone()),
            uploads: self.uploads.with(auth),
        }
    }

    /// A new key (through the legacy route, with the admin JWT) with these permissions;
    /// returns the hosts with its JWT.
    pub async fn key(&self, permissions: Value, max_uses: Option<u64>) -> V3 {
        let legacy = Api {
            base: self.api.base.trim_end_matches("/v3").to_owned(),
            ..self.api.clone()
        };
        let mut body = json!({ "keyName": "v3 test key", "permissions": permissions });
        if let Some(max) = max_uses {
            body["maxUses"] = json!(max);
        }
        let created = legacy
            .call(Method::POST, "/users/generateApiKey", Some(body), 200)
            .await;
        self.with(Auth::Jwt(created["JWT"].as_str().unwrap().to_owned()))
    }

    /// Uploads `bytes` as `filename` with extra form `fields`; asserts `status`.
    pub async fn upload(
        &self,
        filename: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
        status: u16,
    ) -> Value {
        let mut form = Form::new().part("file", Part::bytes(bytes).file_name(filename.to_owned()));
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        self.uploads.post_form("/files", form, status).await
    }

    /// A new group `name` on `network` (`public` / `private`); returns its id.
    pub async fn group(&self, network: &str, name: &str) -> String {
        let made = self
            .api
            .call(
                Method::POST,
                &format!("/groups/{network}"),
                Some(json!({ "name": name })),
                200,
            )
            .await;
        made["data"]["id"].as_str().unwrap().to_owned()
    }

    /// Every page of the api list `path_and_query` (which has a query already), in
    /// order, following `next_page_token` until it is empty.
    pub async fn pages(&self, path_and_query: &str) -> Vec<Value> {
        let mut pages = Vec::new();
        let mut token = String::new();
        loop {
            let page = self
                .api
                .get(&format!("{path_and_query}&pageToken={token}"), 200)
                .await;
            token = page["data"]["next_page_token"].as_str().unwrap().to_owned();
            pages.push(page);
            if token.is_empty() {
                return pages;
            }
        }
    }

    /// A public upload of `bytes`; returns the upload record (`data`).
    pub async fn upload_public(&self, filename: &str, bytes: Vec<u8>) -> Value {
        self.upload(filename, bytes, &[("network", "public")], 200)
            .await["data"]
            .clone()
    }

    /// A public upload of `bytes`; returns its CID.
    pub async fn public_cid(&self, filename: &str, bytes: Vec<u8>) -> String {
        self.upload_public(filename, bytes).await["cid"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The `{"error":{"code","message"}}` of a v3 error body, asserting its shape.
pub fn v3_error(body: &Value) -> (u64, &str) {
    let error = &body["error"];
    (
        error["code"].as_u64().expect("a v3 error code"),
        error["message"].as_str().expect("a v3 error message"),
    )
}
