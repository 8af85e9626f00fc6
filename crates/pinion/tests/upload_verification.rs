//! Verification of the CID a service returns for an upload: on by default, off on
//! request, and a mismatch says what was pinned (the content is on the service).

use pinion::cid::{CidVersion, hash_bytes};
use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;
use pinion::{Error, RateLimit};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A Pinata stand-in that accepts any upload and answers that it pinned `cid`.
async fn pinata_answering(cid: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let cid = cid.clone();
            tokio::spawn(async move {
                let mut received = Vec::new();
                let mut buffer = [0u8; 8192];
                // Read the headers, then as many body bytes as Content-Length says.
                let body_len = loop {
                    let n = socket.read(&mut buffer).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    received.extend_from_slice(&buffer[..n]);
                    if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&received[..end]).to_lowercase();
                        let len: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        break end + 4 + len;
                    }
                };
                while received.len() < body_len {
                    let n = socket.read(&mut buffer).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    received.extend_from_slice(&buffer[..n]);
                }
                let body = format!(
                    r#"{{"IpfsHash":"{cid}","PinSize":1234,"Timestamp":"2024-01-01T00:00:00Z"}}"#
                );
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

fn client(base_url: &str) -> pinion::pinata::Client {
    pinion::pinata::Client::builder()
        .base_url(base_url)
        .credentials(PinataCredentials::jwt("header.payload.signature"))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_mismatch_is_an_error_that_says_what_was_pinned() {
    let other = hash_bytes(b"something else", CidVersion::V1)
        .cid
        .to_string();
    let client = client(&pinata_answering(other.clone()).await);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.txt");
    std::fs::write(&path, b"content").unwrap();
    let local = hash_bytes(b"content", CidVersion::V1).cid.to_string();

    let options = UploadOptions::default().cid_version(CidVersion::V1);
    let error = client.pin_file(&path, options.clone()).await.unwrap_err();
    match &error {
        Error::UploadMismatch {
            expected, pinned, ..
        } => {
            assert_eq!(expected, &local);
            assert_eq!(pinned.cid, other);
            assert_eq!(pinned.size, Some(1234));
            assert!(!pinned.verified);
        }
        other => panic!("expected UploadMismatch, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.contains(&other) && text.contains(&local) && text.contains("pinned"),
        "{text}"
    );

    // Verification off: the answer is taken as is, and says it was not checked.
    let unchecked = client.pin_file(&path, options.verify(false)).await.unwrap();
    assert_eq!(unchecked.cid, other);
    assert!(!unchecked.verified);
}

#[tokio::test]
async fn verification_is_on_by_default() {
    let local = hash_bytes(b"content", CidVersion::V0).cid.to_string();
    let client = client(&pinata_answering(local.clone()).await);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.txt");
    std::fs::write(&path, b"content").unwrap();
    let uploaded = client
        .pin_file(&path, UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(uploaded.cid, local);
    assert!(uploaded.verified);
}
