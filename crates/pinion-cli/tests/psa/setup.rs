//! An emulator in this process, its two PSA endpoints, and content held there.

use std::io::{Read, Write};
use std::process::Output;

use pinion::RateLimit;
use pinion::credentials::{PinataCredentials, W3ipfsCredentials};
use pinion_emulator::{AdminCredentials, RunningEmulator};

use crate::common::Env;

/// A CID nobody holds: a pin of it stays queued until the control route drives it.
pub const UNHELD: &str = "bafkreie7ohywtosou76tasm7j63yigtzxe7d5zqus4zu3j6oltvgtibeom";

/// One emulated endpoint as the CLI reaches it.
#[derive(Clone)]
pub struct Endpoint {
    pub name: &'static str,
    pub base_url: String,
    pub token: String,
    /// The `--service` that stores content there.
    pub own_service: &'static str,
    own_base_url: String,
    own_env: Vec<(&'static str, String)>,
    control: String,
}

pub fn endpoints(c: &AdminCredentials) -> [Endpoint; 2] {
    let origin = c.pinata.base_url.trim_end_matches("/pinata").to_owned();
    [
        Endpoint {
            name: "pinata",
            base_url: format!("{}/psa", c.pinata.base_url),
            token: c.pinata.jwt.clone(),
            own_service: "pinata",
            own_base_url: c.pinata.base_url.clone(),
            own_env: vec![("PINATA_JWT", c.pinata.jwt.clone())],
            control: format!("{origin}/_emulator/psa/pinata/pins"),
        },
        Endpoint {
            name: "w3ipfs",
            base_url: format!("{}/psa", c.w3ipfs.base_url),
            token: c.w3ipfs.jwt.clone(),
            own_service: "w3ipfs",
            own_base_url: c.w3ipfs.base_url.clone(),
            own_env: vec![("W3IPFS_JWT", c.w3ipfs.jwt.clone())],
            control: format!("{origin}/_emulator/psa/w3ipfs/pins"),
        },
    ]
}

impl Endpoint {
    /// Runs `pinion --service psa --base-url … ARGS` with the token in `PSA_TOKEN`.
    pub fn run(&self, env: &Env, args: &[&str]) -> Output {
        env.command()
            .env("PSA_TOKEN", &self.token)
            .args(["--service", "psa", "--base-url", &self.base_url])
            .args(args)
            .output()
            .unwrap()
    }

    /// [`run`](Self::run), expecting success; stdout.
    pub fn ok(&self, env: &Env, args: &[&str]) -> String {
        let out = self.run(env, args);
        assert!(
            out.status.success(),
            "{}: pinion {args:?} failed ({:?}):\n{}\n{}",
            self.name,
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// [`ok`](Self::ok) with `--json`, parsed.
    pub fn json(&self, env: &Env, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(env, &all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Stores a small file publicly through the service's own API (`pinion pin
    /// file`) and returns its CID.
    pub fn hold(&self, env: &Env, n: usize) -> String {
        let path = env.file(
            &format!("{}-{n}.txt", self.name),
            format!("held on {} #{n}", self.name).as_bytes(),
        );
        let mut command = env.command();
        for (name, value) in &self.own_env {
            command.env(name, value);
        }
        let out = command
            .args([
                "--service",
                self.own_service,
                "--base-url",
                &self.own_base_url,
            ])
            .args(["-q", "pin", "file", &path])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        crate::common::last_line(&String::from_utf8(out.stdout).unwrap()).to_owned()
    }

    /// Forces a request's status through the emulator's control route.
    pub fn drive(&self, requestid: &str, status: &str) {
        post(
            &format!("{}/{requestid}", self.control),
            &format!("{{\"status\":\"{status}\"}}"),
        );
    }

    /// The library client the service offers, to fill the endpoint quickly.
    pub fn library_psa(&self, c: &AdminCredentials) -> pinion::psa::Client {
        match self.name {
            "pinata" => pinion::pinata::Client::builder()
                .base_url(&c.pinata.base_url)
                .credentials(PinataCredentials::jwt(&c.pinata.jwt))
                .rate_limit(RateLimit::unlimited())
                .build()
                .unwrap()
                .psa()
                .unwrap(),
            _ => w3ipfs(c).psa().unwrap(),
        }
    }
}

fn w3ipfs(c: &AdminCredentials) -> pinion::w3ipfs::Client {
    pinion::w3ipfs::Client::builder()
        .base_url(&c.w3ipfs.base_url)
        .credentials(W3ipfsCredentials::jwt(&c.w3ipfs.jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap()
}

/// Stores `n` JSON documents through the service's own API (library calls: far faster
/// than a process each) and returns their CIDs.
pub async fn hold_many(emulator: &RunningEmulator, service: &str, n: usize) -> Vec<String> {
    use futures::StreamExt;
    let c = emulator.credentials();
    let pinata = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap();
    let w3ipfs = w3ipfs(c);
    let (pinata, w3ipfs) = (&pinata, &w3ipfs);
    futures::stream::iter(0..n)
        .map(|i| async move {
            let text = format!("{{\"cli-paging\":{i},\"service\":\"{service}\"}}");
            if service == "pinata" {
                let content = serde_json::from_str(&text).unwrap();
                pinata
                    .pin_json(content, pinion::pinata::PinOptions::default())
                    .await
                    .unwrap()
                    .ipfs_hash
            } else {
                let source = pinion::upload::UploadSource::reader(
                    format!("doc-{i}.json"),
                    std::io::Cursor::new(text),
                );
                w3ipfs
                    .upload(source, pinion::upload::UploadOptions::default())
                    .await
                    .unwrap()
                    .cid
            }
        })
        .buffer_unordered(8)
        .collect()
        .await
}

/// A plain HTTP/1.1 POST of JSON to a loopback URL (the emulator's control route).
fn post(url: &str, body: &str) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
}

/// A run that must have failed: its exit code and stdout + stderr.
pub fn fails_with(out: &Output) -> (i32, String) {
    assert!(!out.status.success(), "should have failed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}
