//! Lookups that find nothing say "not found", W3IPFS usage comes from its pin listing's
//! totals, and a W3IPFS upload whose answer is lost is pinned once, not once per attempt.

use std::time::Duration;

use chrono::Datelike;
use futures::TryStreamExt;
use pinion::credentials::W3ipfsCredentials;
use pinion::upload::{UploadOptions, UploadSource};
use pinion::{Error, PinningService, RateLimit, RetryPolicy};
use pinion_emulator::{AdminCredentials, Emulator, Faults};

mod common;

fn w3ipfs(c: &AdminCredentials, retry: RetryPolicy) -> pinion::w3ipfs::Client {
    pinion::w3ipfs::Client::builder()
        .base_url(&c.w3ipfs.base_url)
        .credentials(W3ipfsCredentials::jwt(&c.w3ipfs.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_pinata_pin_that_is_not_there_is_not_found_not_invalid_input() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let pinata = common::pinata_client(&c, &c.pinata.jwt);
    let cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    let error = PinningService::get_pin(&pinata, cid).await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert!(error.to_string().contains(cid), "{error}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn w3ipfs_usage_is_the_totals_of_the_pinned_pins() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = w3ipfs(&c, RetryPolicy::default());
    let dir = tempfile::tempdir().unwrap();
    let mut ids = Vec::new();
    for (name, text) in [("a.txt", "first file"), ("b.txt", "the second file")] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let uploaded = client
            .upload(UploadSource::File(path), UploadOptions::default())
            .await
            .unwrap();
        ids.push(uploaded.id.unwrap().parse().unwrap());
    }
    let usage = client.usage().await.unwrap();
    assert_eq!(usage.files, 2);
    assert_eq!(
        usage.size,
        ("first file".len() + "the second file".len()) as i64
    );
    client.unpin(ids[0]).await.unwrap();
    let usage = client.usage().await.unwrap();
    assert_eq!(
        (usage.files, usage.size),
        (1, "the second file".len() as i64)
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_w3ipfs_upload_whose_answer_is_cut_is_pinned_once() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = w3ipfs(
        &c,
        RetryPolicy::default()
            .max_retries(12)
            .base_delay(Duration::from_millis(2))
            .max_delay(Duration::from_millis(20)),
    );
    let dir = tempfile::tempdir().unwrap();
    // Half the answers are cut after the service acted on the request.
    emulator
        .set_faults(Faults {
            drop_connection_rate: 0.5,
            ..Faults::default()
        })
        .unwrap();
    let mut cids = Vec::new();
    for i in 0..12 {
        let path = dir.path().join(format!("{i}.txt"));
        std::fs::write(&path, format!("cut answer {i}")).unwrap();
        let uploaded = client
            .upload(UploadSource::File(path), UploadOptions::default())
            .await
            .unwrap_or_else(|e| panic!("upload {i}: {e}"));
        cids.push(uploaded.cid);
    }
    emulator.set_faults(Faults::default()).unwrap();
    let filter = pinion::w3ipfs::ListFilter {
        pinned: Some(pinion::w3ipfs::types::PinnedFilter::All),
        ..Default::default()
    };
    let pins: Vec<_> = client.pins(filter).try_collect().await.unwrap();
    for cid in &cids {
        let count = pins.iter().filter(|pin| pin.cid == *cid).count();
        assert_eq!(count, 1, "{cid} is pinned {count} times");
    }
    assert_eq!(pins.len(), cids.len());
    assert!(pins.iter().all(|pin| pin.date_unpinned.year() <= 1));
    emulator.shutdown().await;
}
