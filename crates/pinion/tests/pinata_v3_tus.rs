//! Pinata v3 uploads above the multipart limit (100,000,000 bytes) go over TUS,
//! complete with the local CID checked, and survive failures by resyncing with `HEAD`,
//! through the library against the embedded emulator.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, MULTIPART_LIMIT, Network};
use pinion::upload::UploadOptions;
use pinion::{RateLimit, RetryPolicy};
use pinion_emulator::{AdminCredentials, Emulator, Faults};

fn v3_client(c: &AdminCredentials) -> Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build_v3()
        .unwrap()
}

/// A file one byte over the multipart limit, of varied bytes, and its CIDv1.
fn big_file(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let path = dir.join("big.bin");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut hasher = pinion::cid::FileHasher::new(pinion::cid::CidVersion::V1);
    let mut block = vec![0u8; 1 << 20];
    let mut left = MULTIPART_LIMIT + 1;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    while left > 0 {
        for byte in block.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *byte = seed as u8;
        }
        let n = usize::try_from(left.min(block.len() as u64)).unwrap();
        file.write_all(&block[..n]).unwrap();
        hasher.update(&block[..n]);
        left -= n as u64;
    }
    file.flush().unwrap();
    (path, hasher.finish().cid.to_string())
}

#[tokio::test]
async fn large_files_go_over_tus_and_survive_failures() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c);
    let dir = tempfile::tempdir().unwrap();
    let (path, cid) = big_file(dir.path());

    let sent = Arc::new(AtomicU64::new(0));
    let seen = sent.clone();
    let file = client
        .upload_file(
            Network::Private,
            &path,
            UploadOptions::default()
                .keyvalue("size", "big")
                .on_progress(move |p| {
                    seen.fetch_max(p.sent, Ordering::Relaxed);
                }),
        )
        .await
        .unwrap();
    assert!(file.verified);
    assert_eq!(file.cid, cid);
    assert_eq!(file.network, Network::Private);
    assert_eq!(file.name.as_deref(), Some("big.bin"));
    assert_eq!(file.keyvalues["size"], "big");
    assert_eq!(sent.load(Ordering::Relaxed), MULTIPART_LIMIT + 1);
    assert_eq!(
        client.file(Network::Private, &file.id).await.unwrap().cid,
        cid
    );

    // With requests failing now and then, chunks are resent from where HEAD says.
    // (Random; `a_chunk_cut_midway_resumes_from_the_offset_head_reports` is the
    // deterministic case.)
    emulator
        .set_faults(Faults {
            error_rate_503: 0.2,
            drop_connection_rate: 0.1,
            ..Faults::default()
        })
        .unwrap();
    let again = client
        .upload_file(Network::Public, &path, UploadOptions::default())
        .await
        .unwrap();
    assert!(again.verified);
    assert_eq!(again.cid, cid);
}

/// A proxy to `target` that cuts, once, the connection carrying the byte number
/// `cut_at` of all the bytes clients send (mid-chunk for a TUS upload).
async fn cutting_proxy(target: std::net::SocketAddr, cut_at: u64) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sent = Arc::new(AtomicU64::new(0));
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let sent = sent.clone();
            tokio::spawn(async move {
                let server = tokio::net::TcpStream::connect(target).await.unwrap();
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let upstream = async {
                    let mut buffer = vec![0u8; 64 * 1024];
                    loop {
                        let n = match client_read.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let before = sent.fetch_add(n as u64, Ordering::SeqCst);
                        if before < cut_at && before + n as u64 >= cut_at {
                            return; // drop both halves: the connection is cut
                        }
                        if server_write.write_all(&buffer[..n]).await.is_err() {
                            break;
                        }
                    }
                    let _ = server_write.shutdown().await;
                };
                let downstream = async {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                };
                tokio::select! {
                    () = upstream => {}
                    () = downstream => {}
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_chunk_cut_midway_resumes_from_the_offset_head_reports() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let proxy = cutting_proxy(emulator.addr(), 30 * 1024 * 1024).await;
    let client = pinion::pinata::Client::builder()
        .base_url(format!("http://{proxy}/pinata"))
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build_v3()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, cid) = big_file(dir.path());
    let attempts = Arc::new(AtomicU64::new(0));
    let seen = attempts.clone();
    let file = client
        .upload_file(
            Network::Public,
            &path,
            UploadOptions::default().on_progress(move |p| {
                seen.fetch_max(u64::from(p.attempt), Ordering::Relaxed);
            }),
        )
        .await
        .unwrap();
    assert_eq!(attempts.load(Ordering::Relaxed), 1, "one resync");
    // Each byte hashed once although some were sent twice: the CID still matches.
    assert!(file.verified);
    assert_eq!(file.cid, cid);
}

#[tokio::test]
async fn readers_of_declared_length_go_over_tus_too() {
    use pinion::upload::UploadSource;
    use tokio::io::AsyncReadExt;
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = v3_client(&c);
    let len = MULTIPART_LIMIT + 1;
    let mut hasher = pinion::cid::FileHasher::new(pinion::cid::CidVersion::V1);
    let block = vec![7u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = usize::try_from(left.min(block.len() as u64)).unwrap();
        hasher.update(&block[..n]);
        left -= n as u64;
    }
    let cid = hasher.finish().cid.to_string();
    let source = UploadSource::Reader {
        name: "stream.bin".to_owned(),
        reader: Box::new(tokio::io::repeat(7).take(len)),
        len: Some(len),
    };
    let file = client
        .upload(Network::Private, source, UploadOptions::default())
        .await
        .unwrap();
    assert!(file.verified);
    assert_eq!(file.cid, cid);

    // A reader that gives less than it declared fails with that reason.
    let short = UploadSource::Reader {
        name: "short.bin".to_owned(),
        reader: Box::new(tokio::io::repeat(7).take(len - 10)),
        len: Some(len),
    };
    let error = client
        .upload(Network::Private, short, UploadOptions::default())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("short of"), "{error}");
}
