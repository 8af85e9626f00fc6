//! A PSA client for the tests: one service's `/pins` with a bearer token, and helpers
//! to reach the service's own API and the control route.

use pinion_cid::{CidVersion, hash_bytes};
use pinion_emulator::{Emulator, RunningEmulator};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Api, http};

/// Which emulated PSA endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Pinata,
    W3ipfs,
}

pub const BOTH: [Service; 2] = [Service::Pinata, Service::W3ipfs];

impl Service {
    /// The status of a successful create or replace.
    pub fn created(self) -> u16 {
        match self {
            Service::Pinata => 200,
            Service::W3ipfs => 202,
        }
    }

    /// The status of a successful delete.
    pub fn deleted(self) -> u16 {
        self.created()
    }

    /// The control route's name of the service.
    pub fn name(self) -> &'static str {
        match self {
            Service::Pinata => "pinata",
            Service::W3ipfs => "w3ipfs",
        }
    }
}

/// One answer: status, headers and body text.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }

    /// The `error.reason` of an error body (both services use that shape on the PSA).
    pub fn reason(&self) -> String {
        self.json()["error"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A PSA client of one service.
#[derive(Clone)]
pub struct Psa {
    pub service: Service,
    pub base: String,
    pub token: Option<String>,
    pub origin: String,
    http: reqwest::Client,
}

impl Psa {
    /// The service's PSA endpoint with its admin token (Pinata's admin key JWT,
    /// W3IPFS's login JWT).
    pub fn new(emulator: &RunningEmulator, service: Service) -> Self {
        let c = emulator.credentials();
        let (base, token) = match service {
            Service::Pinata => (format!("{}/psa", c.pinata.base_url), c.pinata.jwt.clone()),
            Service::W3ipfs => (format!("{}/psa", c.w3ipfs.base_url), c.w3ipfs.jwt.clone()),
        };
        Psa {
            service,
            base,
            token: Some(token),
            origin: emulator.origin().to_owned(),
            http: http(),
        }
    }

    /// The same endpoint with another token (or none).
    pub fn with_token(&self, token: Option<&str>) -> Self {
        Psa {
            token: token.map(str::to_owned),
            ..self.clone()
        }
    }

    /// Sends a request to `path` below `/pins`' base.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        Answer {
            status,
            headers,
            text,
        }
    }

    /// `POST /pins` of `pin`, asserting success; the `PinStatus`.
    pub async fn add(&self, pin: Value) -> Value {
        let answer = self.send(Method::POST, "/pins", Some(pin)).await;
        assert_eq!(answer.status, self.service.created(), "{}", answer.text);
        answer.json()
    }

    /// `POST /pins` of `{"cid": cid}`; the request id.
    pub async fn add_cid(&self, cid: &str) -> String {
        self.add(json!({ "cid": cid })).await["requestid"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `GET /pins/{id}`: the status and body.
    pub async fn get(&self, id: &str) -> Answer {
        self.send(Method::GET, &format!("/pins/{id}"), None).await
    }

    /// The `status` of request `id` (asserting it exists).
    pub async fn status(&self, id: &str) -> String {
        let answer = self.get(id).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json()["status"].as_str().unwrap().to_owned()
    }

    /// `GET /pins?query`, asserting 200.
    pub async fn list(&self, query: &str) -> Value {
        let answer = self
            .send(Method::GET, &format!("/pins?{query}"), None)
            .await;
        assert_eq!(answer.status, 200, "{query}: {}", answer.text);
        answer.json()
    }

    /// The request ids of a list answer, in order.
    pub fn ids(list: &Value) -> Vec<String> {
        list["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pin| pin["requestid"].as_str().unwrap().to_owned())
            .collect()
    }

    /// `DELETE /pins/{id}`.
    pub async fn delete(&self, id: &str) -> Answer {
        self.send(Method::DELETE, &format!("/pins/{id}"), None)
            .await
    }

    /// Forces request `id` to `status` through the control route; the answer's status.
    pub async fn drive(&self, id: &str, status: &str) -> u16 {
        self.http
            .post(format!(
                "{}/_emulator/psa/{}/pins/{id}",
                self.origin,
                self.service.name()
            ))
            .body(json!({ "status": status }).to_string())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// A fresh emulator; `retrievable` turns on `--psa-retrievable`.
pub async fn start(retrievable: bool) -> RunningEmulator {
    Emulator::builder()
        .psa_retrievable(retrievable)
        .start()
        .await
        .expect("the emulator starts")
}

/// A distinct valid CID of bytes the emulator does not have.
pub fn unknown_cid(n: usize) -> String {
    hash_bytes(format!("never uploaded {n}").as_bytes(), CidVersion::V1)
        .cid
        .to_string()
}

/// Uploads `bytes` publicly to `service` through its own API, then unpins that upload,
/// so the emulator holds the content publicly without a pin of it; the CID.
pub async fn held_publicly(emulator: &RunningEmulator, service: Service, bytes: &[u8]) -> String {
    let form = || {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("held.txt"),
        )
    };
    match service {
        Service::Pinata => {
            let pinata = Api::pinata(emulator);
            let uploaded = pinata
                .post_form("/pinning/pinFileToIPFS", form(), 200)
                .await;
            let cid = uploaded["IpfsHash"].as_str().unwrap().to_owned();
            pinata
                .call_text(Method::DELETE, &format!("/pinning/unpin/{cid}"), None, 200)
                .await;
            cid
        }
        Service::W3ipfs => {
            let w3ipfs = Api::w3ipfs(emulator);
            let uploaded = w3ipfs.post_form("/pinning", form(), 201).await;
            let id = uploaded["data"]["id"].as_str().unwrap().to_owned();
            let cid = uploaded["data"]["cid"].as_str().unwrap().to_owned();
            w3ipfs
                .call(Method::DELETE, &format!("/pinning/unpin/{id}"), None, 200)
                .await;
            cid
        }
    }
}

/// Uploads `bytes` as private Submarine content; the CID.
pub async fn held_privately(emulator: &RunningEmulator, bytes: &[u8]) -> String {
    let form = reqwest::multipart::Form::new()
        .part(
            "files",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("secret.txt"),
        )
        .text("pinToIPFS", "false");
    let answer = Api::submarine(emulator)
        .post_form("/content", form, 200)
        .await;
    answer["items"][0]["cid"].as_str().unwrap().to_owned()
}

/// Whether the service's own pin list shows `cid` pinned.
pub async fn in_own_pin_list(emulator: &RunningEmulator, service: Service, cid: &str) -> bool {
    match service {
        Service::Pinata => {
            let list = Api::pinata(emulator)
                .get(&format!("/data/pinList?status=pinned&cid={cid}"), 200)
                .await;
            list["count"].as_u64().unwrap() > 0
        }
        Service::W3ipfs => {
            let list = Api::w3ipfs(emulator)
                .get("/pinning/pins?pinned=true&limit=1000", 200)
                .await;
            list["data"]["pins"]
                .as_array()
                .unwrap()
                .iter()
                .any(|pin| pin["cid"] == cid)
        }
    }
}
