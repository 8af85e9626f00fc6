//! Shared by the fuzz targets: requests to the in-process emulator, fixtures it is
//! seeded with, and the checks every answer must pass.

use std::sync::LazyLock;

use http::Request;
use pinion_emulator::fuzzing::{Answer, Harness};
use serde_json::Value;

/// Who a request is authenticated as.
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    /// The Pinata admin JWT (`Authorization: Bearer`).
    Pinata,
    /// The Pinata admin key pair (`pinata_api_key`, `pinata_secret_api_key`).
    PinataKeyPair,
    /// The Submarine admin key (`x-api-key`).
    Submarine,
    /// The W3IPFS session JWT (`Authorization: Bearer`).
    W3ipfs,
    /// The W3IPFS `Default` key pair (`pinning_api_key`, `pinning_secret_key`).
    W3ipfsKeyPair,
    /// Nothing.
    None,
}

/// The process-wide emulator.
pub fn emulator() -> &'static Harness {
    Harness::get()
}

/// A request builder with `auth`'s headers.
pub fn request(method: &str, path_and_query: &str, auth: Auth) -> http::request::Builder {
    let c = emulator().credentials();
    let builder = Request::builder().method(method).uri(path_and_query);
    match auth {
        Auth::Pinata => builder.header("authorization", format!("Bearer {}", c.pinata.jwt)),
        Auth::PinataKeyPair => builder
            .header("pinata_api_key", &c.pinata.api_key)
            .header("pinata_secret_api_key", &c.pinata.api_secret),
        Auth::Submarine => builder.header("x-api-key", &c.submarine.api_key),
        Auth::W3ipfs => builder.header("authorization", format!("Bearer {}", c.w3ipfs.jwt)),
        Auth::W3ipfsKeyPair => builder
            .header("pinning_api_key", &c.w3ipfs.api_key)
            .header("pinning_secret_key", &c.w3ipfs.secret_key),
        Auth::None => builder,
    }
}

/// Which error shape a service documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Pinata and Submarine: `{"error":{"reason","details"}}`.
    Pinata,
    /// W3IPFS: `{"status":"fail","message"}`.
    W3ipfs,
    /// The gateway: non-empty plain text.
    Plain,
}

/// Panics when the emulator answered with a 5xx (a bug in input handling), or with a
/// 4xx that does not have the service's documented error shape.
pub fn check_answer(what: &str, answer: &Answer, shape: Shape) {
    let body = String::from_utf8_lossy(&answer.body);
    assert!(
        !answer.status.is_server_error(),
        "{what}: the emulator answered {} to a fuzzed request: {body}",
        answer.status
    );
    if !answer.status.is_client_error() {
        return;
    }
    let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let documented = match shape {
        Shape::Pinata => json
            .as_ref()
            .is_some_and(|v| v["error"]["reason"].is_string() && v["error"]["details"].is_string()),
        Shape::W3ipfs => json
            .as_ref()
            .is_some_and(|v| v["status"] == "fail" && v["message"].is_string()),
        Shape::Plain => !body.trim().is_empty(),
    };
    assert!(
        documented,
        "{what}: {} without the documented {shape:?} error shape: {body}",
        answer.status
    );
}

/// Content the emulator holds before any fuzzed input, so list filters have rows to
/// match and the gateway has private content to guard.
#[derive(Debug)]
pub struct Fixture {
    /// A Submarine (private) folder's content id.
    pub submarine_id: String,
    /// Its CID.
    pub submarine_cid: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let send = |builder: http::request::Builder, body: Vec<u8>| {
        let answer = emulator().send(builder.body(body).expect("a fixture request"));
        assert!(
            answer.status.is_success(),
            "fixture upload: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        serde_json::from_slice::<Value>(&answer.body).expect("a JSON answer")
    };
    let pinata = multipart(&[
        Part::file("file", "cat.txt", b"meow"),
        Part::text(
            "pinataMetadata",
            r#"{"name":"cat","keyvalues":{"animal":"cat","age":3,"born":"2024-01-31T00:00:00Z"}}"#,
        ),
    ]);
    send(
        request("POST", "/pinata/pinning/pinFileToIPFS", Auth::Pinata)
            .header("content-type", multipart_type(BOUNDARY)),
        pinata,
    );
    let w3ipfs = multipart(&[
        Part::file("file", "dog.txt", b"woof"),
        Part::text(
            "metadata",
            r#"{"name":"dog","keyvalues":{"animal":"dog","age":"5"}}"#,
        ),
    ]);
    send(
        request("POST", "/w3ipfs/api/pinning", Auth::W3ipfs)
            .header("content-type", multipart_type(BOUNDARY)),
        w3ipfs,
    );
    let submarine = multipart(&[
        Part::file("files", "site/index.html", b"<p>hi</p>"),
        Part::file("files", "site/a/b.txt", b"bee"),
        Part::text("name", "site"),
        Part::text("metadata", r#"{"keyvalues":{"env":"test","n":1}}"#),
    ]);
    let answer = send(
        request("POST", "/submarine/api/v1/content", Auth::Submarine)
            .header("content-type", multipart_type(BOUNDARY)),
        submarine,
    );
    let item = &answer["items"][0];
    Fixture {
        submarine_id: item["id"].as_str().expect("an id").to_owned(),
        submarine_cid: item["cid"].as_str().expect("a cid").to_owned(),
    }
});

/// The fixtures, uploaded on first use.
pub fn fixture() -> &'static Fixture {
    &FIXTURE
}

/// The boundary of well-formed bodies.
pub const BOUNDARY: &str = "pinionfuzzboundary";

/// `multipart/form-data; boundary=<boundary>`.
pub fn multipart_type(boundary: &str) -> String {
    format!("multipart/form-data; boundary={boundary}")
}

/// One part of a multipart body.
#[derive(Debug)]
pub struct Part<'a> {
    name: &'a str,
    file_name: Option<&'a str>,
    content: &'a [u8],
}

impl<'a> Part<'a> {
    /// A file part.
    pub fn file(name: &'a str, file_name: &'a str, content: &'a [u8]) -> Self {
        Part {
            name,
            file_name: Some(file_name),
            content,
        }
    }
    /// A text field.
    pub fn text(name: &'a str, content: &'a str) -> Self {
        Part {
            name,
            file_name: None,
            content: content.as_bytes(),
        }
    }
}

/// A well-formed `multipart/form-data` body with [`BOUNDARY`].
pub fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part.file_name {
            Some(file_name) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
        }
        body.extend_from_slice(part.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// `bytes` as a URI query: bytes a URI may hold as they are (so `%`, `&`, `=`, `+`
/// and malformed escapes reach the parser), everything else percent-encoded.
pub fn query_escape(bytes: &[u8]) -> String {
    let mut query = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%[]".contains(&byte) {
            query.push(byte as char);
        } else {
            query.push_str(&format!("%{byte:02X}"));
        }
    }
    query
}
