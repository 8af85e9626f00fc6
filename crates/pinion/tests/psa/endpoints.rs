//! The two emulated endpoints, content held there, and the emulator's control route.

use std::time::Duration;

use pinion::RateLimit;
use pinion::credentials::W3ipfsCredentials;
use pinion::psa::Wait;
use pinion::upload::{UploadOptions, UploadSource};
use pinion_emulator::{AdminCredentials, RunningEmulator};

/// One emulated PSA endpoint, with the service client that holds content there.
pub struct Endpoint {
    pub name: &'static str,
    pub psa: pinion::psa::Client,
    service: Service,
    control: String,
}

enum Service {
    Pinata(pinion::pinata::Client),
    W3ipfs(pinion::w3ipfs::Client),
}

/// Both endpoints of `emulator`, their PSA clients made by the services' own clients.
pub fn both(emulator: &RunningEmulator) -> [Endpoint; 2] {
    let c = emulator.credentials();
    let pinata = crate::common::pinata_client(c, &c.pinata.jwt);
    let w3ipfs = w3ipfs_client(c);
    let control = format!("{}/_emulator/psa", emulator.origin());
    [
        Endpoint {
            name: "pinata",
            psa: pinata.psa().unwrap(),
            service: Service::Pinata(pinata),
            control: format!("{control}/pinata/pins"),
        },
        Endpoint {
            name: "w3ipfs",
            psa: w3ipfs.psa().unwrap(),
            service: Service::W3ipfs(w3ipfs),
            control: format!("{control}/w3ipfs/pins"),
        },
    ]
}

/// A W3IPFS client with the login JWT (what its PSA takes).
pub fn w3ipfs_client(c: &AdminCredentials) -> pinion::w3ipfs::Client {
    pinion::w3ipfs::Client::builder()
        .base_url(&c.w3ipfs.base_url)
        .credentials(W3ipfsCredentials::jwt(&c.w3ipfs.jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap()
}

/// Short pauses, so that tests wait for the emulator, not for a real network.
pub fn quick(timeout: Duration) -> Wait {
    Wait::default()
        .timeout(timeout)
        .pauses(Duration::from_millis(5), Duration::from_millis(50))
}

impl Endpoint {
    /// Stores a small JSON document publicly through the service's own API (so a PSA
    /// pin of it can be retrieved) and returns its CID.
    pub async fn hold(&self, n: usize) -> String {
        let text = format!("{{\"psa-document\":{n},\"service\":\"{}\"}}", self.name);
        match &self.service {
            Service::Pinata(client) => {
                let content = serde_json::from_str(&text).unwrap();
                client
                    .pin_json(content, pinion::pinata::PinOptions::default())
                    .await
                    .unwrap()
                    .ipfs_hash
            }
            Service::W3ipfs(client) => {
                let source =
                    UploadSource::reader(format!("doc-{n}.json"), std::io::Cursor::new(text));
                client
                    .upload(source, UploadOptions::default())
                    .await
                    .unwrap()
                    .cid
            }
        }
    }

    /// Forces a request's status through the emulator's control route.
    pub async fn drive(&self, requestid: &str, status: &str) {
        let answer = reqwest::Client::new()
            .post(format!("{}/{requestid}", self.control))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "status": status }).to_string())
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
    }
}
