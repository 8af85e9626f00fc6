//! Shared by the resumable-upload tests: clients of the emulator, files of varied
//! bytes with their CIDs, and the files an emulator holds.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::TryStreamExt;
use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, FileFilter, Network};
use pinion::{RateLimit, RetryPolicy};
use pinion_emulator::AdminCredentials;

pub const MIB: u64 = 1024 * 1024;

/// A v3 client of the emulator `c`, retrying `retries` times with short waits.
pub fn v3_client(c: &AdminCredentials, retries: u32) -> Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(retries)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build_v3()
        .unwrap()
}

/// Writes `len` varied bytes (seeded by `seed`) to `dir/name`: its path and CIDv1.
pub fn varied_file(dir: &Path, name: &str, len: u64, seed: u64) -> (PathBuf, String) {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut hasher = pinion::cid::FileHasher::new(pinion::cid::CidVersion::V1);
    let mut block = vec![0u8; 1 << 20];
    let mut left = len;
    let mut state = seed | 1;
    while left > 0 {
        for byte in block.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        let n = usize::try_from(left.min(block.len() as u64)).unwrap();
        file.write_all(&block[..n]).unwrap();
        hasher.update(&block[..n]);
        left -= n as u64;
    }
    file.flush().unwrap();
    (path, hasher.finish().cid.to_string())
}

/// Every file on `network`.
pub async fn files(client: &Client, network: Network) -> Vec<pinion::pinata_v3::types::File> {
    client
        .files(network, FileFilter::default())
        .try_collect()
        .await
        .unwrap()
}

/// The capability token of a handle's upload URL: the URL's last path segment.
pub fn url_token(handle_json: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(handle_json).unwrap();
    let url = json["upload_url"].as_str().unwrap();
    let token = url.trim_end_matches('/').rsplit('/').next().unwrap();
    assert!(token.len() >= 16, "a token, not {token:?}");
    token.to_owned()
}
