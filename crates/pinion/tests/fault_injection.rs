//! Fault tests: with the emulator injecting 429s (with Retry-After), 500s, 503s and
//! connections cut mid-body, 1,000 mixed operations (pins, unpins, lists, key
//! creations) through the library finish with no pin lost or duplicated and no key
//! created twice; a stalled server trips the request timeout, and a stalled upload the
//! stall timeout. Bounded in time: short backoffs, about half a minute in all.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::TryStreamExt;
use pinion::credentials::PinataCredentials;
use pinion::pinata::{PinListFilter, PinOptions};
use pinion::scopes::pinata::PinataPermissions;
use pinion::upload::UploadOptions;
use pinion::{Error, RateLimit, RetryPolicy, TimeoutPhase};
use pinion_emulator::{Emulator, Faults};
use serde_json::{Map, json};

/// Pins, unpins, listings and key creations in all.
const OPERATIONS: usize = 1_000;

fn content(i: usize) -> Map<String, serde_json::Value> {
    json!({ "fault-test": i }).as_object().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_operations_survive_injected_faults_without_loss_or_duplicates() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let pinata = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        // The emulator enforces no plan: the client-side limiter would only add waiting.
        .rate_limit(RateLimit::unlimited())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(12)
                .base_delay(Duration::from_millis(2))
                .max_delay(Duration::from_millis(40)),
        )
        .build()
        .unwrap();
    emulator
        .set_faults(Faults {
            error_rate_429: 0.01,
            error_rate_500: 0.08,
            error_rate_503: 0.08,
            drop_connection_rate: 0.05,
            ..Faults::default()
        })
        .unwrap();

    let mut pinned: BTreeMap<usize, String> = BTreeMap::new();
    let mut unpinned: BTreeSet<usize> = BTreeSet::new();
    let mut keys_attempted = Vec::new();
    let mut keys_confirmed = BTreeSet::new();
    let mut operations = 0;
    let mut i = 0;
    while operations < OPERATIONS {
        operations += 1;
        let answer = pinata
            .pin_json(content(i), PinOptions::default())
            .await
            .unwrap_or_else(|e| panic!("pin {i} failed despite retries: {e}"));
        pinned.insert(i, answer.ipfs_hash);
        if i % 3 == 2 {
            operations += 1;
            let victim = i - 1;
            match pinata.unpin(&pinned[&victim]).await {
                Ok(()) => {}
                // The first attempt's answer was cut after the unpin happened; the retry
                // then finds nothing to unpin. The state is what was asked for.
                Err(error) if error.status() == Some(http::StatusCode::NOT_FOUND) => {}
                Err(error) => panic!("unpin {victim} failed despite retries: {error}"),
            }
            unpinned.insert(victim);
        }
        if i % 10 == 0 {
            operations += 1;
            pinata
                .pins_page(&PinListFilter::default(), 0)
                .await
                .unwrap_or_else(|e| panic!("list {i} failed despite retries: {e}"));
        }
        if i % 30 == 0 {
            operations += 1;
            let name = format!("fault key {i}");
            keys_attempted.push(name.clone());
            // Key creation is not safe to send twice: a failure surfaces instead of a
            // retry that could create a second key.
            if pinata
                .generate_api_key(&name, PinataPermissions::admin(), None)
                .await
                .is_ok()
            {
                keys_confirmed.insert(name);
            }
        }
        i += 1;
    }

    emulator.set_faults(Faults::default()).unwrap();
    let rows: Vec<_> = pinata
        .pins(PinListFilter {
            status: Some(pinion::api::pinata::types::PinListStatus::Pinned),
            ..PinListFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    let mut active: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        *active.entry(row.ipfs_pin_hash.clone()).or_default() += 1;
    }
    for (i, cid) in &pinned {
        let count = active.get(cid).copied().unwrap_or(0);
        if unpinned.contains(i) {
            assert_eq!(count, 0, "pin {i} ({cid}) was unpinned but is still active");
        } else {
            assert_eq!(count, 1, "pin {i} ({cid}) must be active exactly once");
        }
    }
    assert_eq!(rows.len(), pinned.len() - unpinned.len(), "no stray pins");

    let keys: Vec<_> = pinata.api_keys().try_collect().await.unwrap();
    for name in &keys_attempted {
        let made = keys.iter().filter(|key| key.name == *name).count();
        assert!(made <= 1, "{name} was created {made} times");
        if keys_confirmed.contains(name) {
            assert_eq!(made, 1, "{name} was confirmed but does not exist");
        }
    }
    emulator.shutdown().await;
}

/// A server that accepts connections and never reads or answers; abort the task to
/// close them.
async fn silent_server() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (addr, hold)
}

#[tokio::test]
async fn a_stalled_server_trips_the_timeout() {
    let (addr, hold) = silent_server().await;
    let pinata = pinion::pinata::Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials(PinataCredentials::jwt("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"))
        .request_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = pinata.test_authentication().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Request,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("timed out") || error.to_string().contains("timeout"),
        "{error}"
    );
    hold.abort();
}

#[tokio::test]
async fn a_stalled_upload_trips_the_stall_timeout() {
    // The upload fills the socket buffers and then makes no more progress.
    let (addr, hold) = silent_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.bin");
    // Larger than any loopback socket buffer pair, so the body cannot all be sent.
    std::fs::write(&file, vec![7u8; 32 << 20]).unwrap();
    let pinata = pinion::pinata::Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials(PinataCredentials::jwt("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"))
        .stall_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = pinata
        .pin_file(&file, UploadOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Stall,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("stall"), "{error}");
    // Tripped by the stall watchdog, not by some longer limit.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    hold.abort();
}
