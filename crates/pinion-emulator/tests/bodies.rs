//! Request bodies: credentials are checked before a body is read, and JSON routes read
//! at most their limit (a declared `Content-Length` over it is refused up front, a
//! chunked body is cut off) while multipart uploads stream without one. Raw HTTP, so
//! the tests control exactly which bytes are sent and when.

mod common;

use std::time::Duration;

use common::{creds, start};
use pinion_emulator::RunningEmulator;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The JSON routes' limit (Pinata's documented 10 MB for `pinJSONToIPFS`).
const LIMIT: usize = 10 * 1000 * 1000;

/// How long the emulator gets to answer a request whose body is never sent.
const PATIENCE: Duration = Duration::from_secs(10);

/// One JSON route per service, with the headers of valid admin credentials.
fn json_routes(emulator: &RunningEmulator) -> Vec<(&'static str, String, String)> {
    let c = creds(emulator);
    vec![
        (
            "pinata",
            "/pinata/pinning/pinJSONToIPFS".to_owned(),
            format!("Authorization: Bearer {}\r\n", c.pinata.jwt),
        ),
        (
            "submarine",
            "/submarine/api/v1/content/json".to_owned(),
            format!("x-api-key: {}\r\n", c.submarine.api_key),
        ),
        (
            "w3ipfs",
            "/w3ipfs/api/pinning/pinByHash".to_owned(),
            format!("Authorization: Bearer {}\r\n", c.w3ipfs.jwt),
        ),
    ]
}

/// Sends `head` (request line and headers, without the blank line) and then `body`
/// chunks (written by another task, ignoring write failures once the emulator has
/// answered); returns the status and the JSON answer.
async fn exchange(emulator: &RunningEmulator, head: &str, body: Vec<Vec<u8>>) -> (u16, Value) {
    let stream = TcpStream::connect(emulator.addr()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(format!("{head}Host: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let sender = tokio::spawn(async move {
        for chunk in body {
            if writer.write_all(&chunk).await.is_err() {
                return;
            }
        }
        // Keep the connection open: a request whose body never ends must still be
        // answered.
        tokio::time::sleep(PATIENCE * 2).await;
        drop(writer);
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buffer = [0u8; 8192];
        loop {
            let n = reader.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
            if complete(&answer) {
                break;
            }
        }
    })
    .await;
    sender.abort();
    assert!(
        read.is_ok(),
        "no answer within {PATIENCE:?}: the body was waited for"
    );
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole answer");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (
        status,
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}")),
    )
}

/// Whether `answer` holds the head and the whole `Content-Length` body.
fn complete(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .is_some_and(|length| body.len() >= length)
}

/// The error's reason (Pinata, Submarine) or message (W3IPFS).
fn refusal(body: &Value) -> String {
    body["error"]["reason"]
        .as_str()
        .or(body["message"].as_str())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn requests_without_credentials_are_refused_before_their_body_is_read() {
    let emulator = start().await;
    for (service, path, _) in json_routes(&emulator) {
        // The body is announced but never sent.
        let head = format!(
            "POST {path} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
        );
        let (status, body) = exchange(&emulator, &head, Vec::new()).await;
        let expected = match service {
            "pinata" => (400, "KEYS_MUST_BE_STRINGS"),
            "submarine" => (401, "INVALID_CREDENTIALS"),
            _ => (401, "You are not logged in"),
        };
        assert_eq!((status, refusal(&body).as_str()), expected, "{service}");
    }
}

#[tokio::test]
async fn requests_with_wrong_credentials_are_refused_before_their_body_is_read() {
    let emulator = start().await;
    let path = "/pinata/pinning/pinFileToIPFS";
    let head = format!(
        "POST {path} HTTP/1.1\r\nAuthorization: Bearer not.a.jwt\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000000\r\n"
    );
    let (status, body) = exchange(&emulator, &head, Vec::new()).await;
    assert_eq!(
        (status, refusal(&body).as_str()),
        (401, "INVALID_CREDENTIALS")
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body_is_sent() {
    let emulator = start().await;
    for (service, path, auth) in json_routes(&emulator) {
        let head = format!(
            "POST {path} HTTP/1.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n",
            LIMIT + 1
        );
        let (status, body) = exchange(&emulator, &head, Vec::new()).await;
        assert_eq!(status, 413, "{service}: {body}");
        let expected = if service == "w3ipfs" {
            body["status"] == "fail" && refusal(&body).contains("at most")
        } else {
            refusal(&body) == "PAYLOAD_TOO_LARGE"
        };
        assert!(expected, "{service}: {body}");
    }
}

/// `len` bytes of a JSON string value, as HTTP/1.1 chunks of 1 MB.
fn chunked_json(len: usize) -> Vec<Vec<u8>> {
    let mut document = b"{\"pinataContent\": \"".to_vec();
    document.resize(len - 2, b'a');
    document.extend_from_slice(b"\"}");
    let mut chunks: Vec<Vec<u8>> = document
        .chunks(1_000_000)
        .map(|piece| {
            let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
            chunk.extend_from_slice(piece);
            chunk.extend_from_slice(b"\r\n");
            chunk
        })
        .collect();
    chunks.push(b"0\r\n\r\n".to_vec());
    chunks
}

#[tokio::test]
async fn a_chunked_body_is_cut_off_at_the_limit() {
    let emulator = start().await;
    for (service, path, auth) in json_routes(&emulator) {
        let head = format!(
            "POST {path} HTTP/1.1\r\n{auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        );
        let (status, body) = exchange(&emulator, &head, chunked_json(LIMIT + 1_000_000)).await;
        assert_eq!(status, 413, "{service}: {body}");
    }
}

#[tokio::test]
async fn a_chunked_body_within_the_limit_is_read() {
    let emulator = start().await;
    let c = creds(&emulator);
    let head = format!(
        "POST /pinata/pinning/pinJSONToIPFS HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
        c.pinata.jwt
    );
    let (status, body) = exchange(&emulator, &head, chunked_json(3_000_000)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["IpfsHash"].is_string(), "{body}");
}

#[tokio::test]
async fn multipart_uploads_are_not_held_to_the_json_limit() {
    let emulator = start().await;
    let submarine = common::Api::submarine(&emulator);
    let big = common::pattern(LIMIT + 1_000_000, 3);
    let form = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(big).file_name("big.bin"),
    );
    let answer = submarine.post_form("/content", form, 200).await;
    assert_eq!(answer["items"][0]["size"], LIMIT + 1_000_000, "{answer}");
}
