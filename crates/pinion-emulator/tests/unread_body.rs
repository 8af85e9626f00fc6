//! A client still sending a body the emulator refused on its headers gets the refusal,
//! not a broken pipe: Node's `fetch` streams a `FormData` after the headers, and the
//! official SDK saw `fetch failed` (EPIPE) instead of the 403 of an upload with a
//! read-only key. Raw sockets, so the test sees exactly what such a client sees.

mod common;

use std::time::Duration;

use common::start;
use common::v3::V3;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `head` (request line and headers), then `body_len` bytes in pieces with pauses,
/// as a client uploading after the headers does; returns the whole answer as text.
async fn send_slowly(addr: std::net::SocketAddr, head: String, body_len: usize) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    // Give the emulator time to answer on the headers alone.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let piece = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < body_len {
        let n = piece.len().min(body_len - sent);
        stream
            .write_all(&piece[..n])
            .await
            .unwrap_or_else(|error| panic!("writing the body after {sent} bytes: {error}"));
        sent += n;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

fn upload_head(path: &str, jwt: &str, body_len: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {jwt}\r\n\
         content-type: multipart/form-data; boundary=b\r\ncontent-length: {body_len}\r\n\
         connection: close\r\n\r\n"
    )
}

#[tokio::test]
async fn a_v3_upload_refused_for_its_scope_is_answered_after_its_body() {
    let emulator = start().await;
    let v3 = V3::admin(&emulator);
    let reader = v3
        .key(json!({ "resources": ["org:files:read"] }), None)
        .await;
    let common::Auth::Jwt(jwt) = &reader.api.auth else {
        unreachable!("a JWT key")
    };
    let len = 2 * 1024 * 1024;
    let answer = send_slowly(
        emulator.addr(),
        upload_head("/pinata-uploads/v3/files", jwt, len),
        len,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains(r#""code":403"#), "{answer}");
}

#[tokio::test]
async fn a_legacy_upload_with_bad_credentials_is_answered_after_its_body() {
    let emulator = start().await;
    let len = 512 * 1024;
    let answer = send_slowly(
        emulator.addr(),
        upload_head("/pinata/pinning/pinFileToIPFS", "not.a.jwt", len),
        len,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}
