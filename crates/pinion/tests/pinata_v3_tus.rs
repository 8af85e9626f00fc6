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
