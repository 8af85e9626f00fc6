//! Fault tests: with the emulator injecting 429s (with Retry-After), 500s, 503s and
//! connections cut mid-answer, 1,000 mixed operations through the library on all three
//! services (Pinata: JSON pins, file uploads, unpins, listings, key creations; W3IPFS:
//! file uploads, unpins, listings; Submarine: file and JSON uploads, deletions,
//! listings) finish with no pin or item lost or duplicated and no key created twice; a
//! stalled server trips the request timeout, and a stalled upload the stall timeout.
//! Bounded in time: short backoffs, the three services at once, about 20 seconds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Datelike;
use futures::TryStreamExt;
use pinion::credentials::{PinataCredentials, SubmarineCredentials, W3ipfsCredentials};
use pinion::pinata::{PinListFilter, PinOptions};
use pinion::scopes::pinata::PinataPermissions;
use pinion::upload::{UploadOptions, UploadSource};
use pinion::{Error, RateLimit, RetryPolicy, TimeoutPhase};
use pinion_emulator::{AdminCredentials, Emulator, Faults};
use serde_json::{Map, json};

/// Operations on Pinata, W3IPFS and Submarine: 1,000 in all.
const PINATA_OPERATIONS: usize = 500;
const W3IPFS_OPERATIONS: usize = 250;
const SUBMARINE_OPERATIONS: usize = 250;

fn content(i: usize) -> Map<String, serde_json::Value> {
    json!({ "fault-test": i }).as_object().unwrap().clone()
}

/// Many retries with short backoffs; no client-side limiter (the emulator enforces no
/// plan: the limiter would only add waiting).
fn retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(12)
        .base_delay(Duration::from_millis(2))
        .max_delay(Duration::from_millis(40))
}

/// A small file of its own content for upload `i` of `service`.
fn file(dir: &Path, service: &str, i: usize) -> PathBuf {
    let path = dir.join(format!("{service}-{i}.txt"));
    std::fs::write(&path, format!("{service} fault-test file {i}\n")).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_operations_on_every_service_survive_injected_faults_without_loss_or_duplicates() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    emulator
        .set_faults(Faults {
            error_rate_429: 0.01,
            error_rate_500: 0.08,
            error_rate_503: 0.08,
            drop_connection_rate: 0.05,
            ..Faults::default()
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (pinata, w3ipfs, submarine) = tokio::join!(
        pinata_operations(&c, dir.path()),
        w3ipfs_operations(&c, dir.path()),
        submarine_operations(&c, dir.path()),
    );
    emulator.set_faults(Faults::default()).unwrap();
    pinata.check().await;
    w3ipfs.check().await;
    submarine.check().await;
    emulator.shutdown().await;
}

/// What the Pinata operations did, to check against the service's state.
struct PinataRun {
    client: pinion::pinata::Client,
    pinned: BTreeMap<usize, String>,
    unpinned: BTreeSet<usize>,
    keys_attempted: Vec<String>,
    keys_confirmed: BTreeSet<String>,
}

async fn pinata_operations(c: &AdminCredentials, dir: &Path) -> PinataRun {
    let pinata = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(retries())
        .build()
        .unwrap();
    let mut run = PinataRun {
        client: pinata.clone(),
        pinned: BTreeMap::new(),
        unpinned: BTreeSet::new(),
        keys_attempted: Vec::new(),
        keys_confirmed: BTreeSet::new(),
    };
    let mut operations = 0;
    let mut i = 0;
    while operations < PINATA_OPERATIONS {
        operations += 1;
        let cid = if i % 4 == 3 {
            pinata
                .pin_file(file(dir, "pinata", i), UploadOptions::default())
                .await
                .unwrap_or_else(|e| panic!("upload {i} failed despite retries: {e}"))
                .cid
        } else {
            pinata
                .pin_json(content(i), PinOptions::default())
                .await
                .unwrap_or_else(|e| panic!("pin {i} failed despite retries: {e}"))
                .ipfs_hash
        };
        run.pinned.insert(i, cid);
        if i % 3 == 2 {
            operations += 1;
            let victim = i - 1;
            // A retry that finds the pin gone (the first attempt's answer was cut after
            // the unpin happened) is a success too.
            pinata
                .unpin(&run.pinned[&victim])
                .await
                .unwrap_or_else(|e| panic!("unpin {victim} failed despite retries: {e}"));
            run.unpinned.insert(victim);
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
            run.keys_attempted.push(name.clone());
            // Key creation is not safe to send twice: a failure surfaces instead of a
            // retry that could create a second key.
            if pinata
                .generate_api_key(&name, PinataPermissions::admin(), None)
                .await
                .is_ok()
            {
                run.keys_confirmed.insert(name);
            }
        }
        i += 1;
    }
    run
}

impl PinataRun {
    async fn check(&self) {
        let rows: Vec<_> = self
            .client
            .pins(PinListFilter {
                status: Some(pinion::api::pinata::types::PinListStatus::Pinned),
                page_size: Some(1000),
                ..PinListFilter::default()
            })
            .try_collect()
            .await
            .unwrap();
        let mut active: BTreeMap<String, usize> = BTreeMap::new();
        for row in &rows {
            *active.entry(row.ipfs_pin_hash.clone()).or_default() += 1;
        }
        for (i, cid) in &self.pinned {
            let count = active.get(cid).copied().unwrap_or(0);
            if self.unpinned.contains(i) {
                assert_eq!(count, 0, "pin {i} ({cid}) was unpinned but is still active");
            } else {
                assert_eq!(count, 1, "pin {i} ({cid}) must be active exactly once");
            }
        }
        assert_eq!(
            rows.len(),
            self.pinned.len() - self.unpinned.len(),
            "no stray pins"
        );

        let keys: Vec<_> = self.client.api_keys().try_collect().await.unwrap();
        for name in &self.keys_attempted {
            let made = keys.iter().filter(|key| key.name == *name).count();
            assert!(made <= 1, "{name} was created {made} times");
            if self.keys_confirmed.contains(name) {
                assert_eq!(made, 1, "{name} was confirmed but does not exist");
            }
        }
    }
}

/// What the W3IPFS operations did: every upload's CID and pin id.
struct W3ipfsRun {
    client: pinion::w3ipfs::Client,
    uploaded: BTreeMap<usize, (String, uuid::Uuid)>,
    unpinned: BTreeSet<usize>,
}

async fn w3ipfs_operations(c: &AdminCredentials, dir: &Path) -> W3ipfsRun {
    let w3ipfs = pinion::w3ipfs::Client::builder()
        .base_url(&c.w3ipfs.base_url)
        .credentials(W3ipfsCredentials::jwt(&c.w3ipfs.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(retries())
        .build()
        .unwrap();
    let mut run = W3ipfsRun {
        client: w3ipfs.clone(),
        uploaded: BTreeMap::new(),
        unpinned: BTreeSet::new(),
    };
    let mut operations = 0;
    let mut i = 0;
    while operations < W3IPFS_OPERATIONS {
        operations += 1;
        // W3IPFS makes a new pin for every upload: a blind resend would pin twice.
        let uploaded = w3ipfs
            .upload(
                UploadSource::File(file(dir, "w3ipfs", i)),
                UploadOptions::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("W3IPFS upload {i} failed despite retries: {e}"));
        let id = uploaded.id.as_deref().unwrap().parse().unwrap();
        run.uploaded.insert(i, (uploaded.cid, id));
        if i % 3 == 2 {
            operations += 1;
            let victim = i - 1;
            w3ipfs
                .unpin(run.uploaded[&victim].1)
                .await
                .unwrap_or_else(|e| panic!("W3IPFS unpin {victim} failed despite retries: {e}"));
            run.unpinned.insert(victim);
        }
        if i % 10 == 0 {
            operations += 1;
            w3ipfs
                .pins_page(&Default::default(), 0)
                .await
                .unwrap_or_else(|e| panic!("W3IPFS list {i} failed despite retries: {e}"));
        }
        i += 1;
    }
    run
}

impl W3ipfsRun {
    async fn check(&self) {
        let filter = pinion::w3ipfs::ListFilter {
            pinned: Some(pinion::w3ipfs::types::PinnedFilter::All),
            page_size: Some(100),
            ..Default::default()
        };
        let pins: Vec<_> = self.client.pins(filter).try_collect().await.unwrap();
        // Live pins: never unpinned (W3IPFS sends Go's zero time, year 1, until then).
        let mut live: BTreeMap<String, usize> = BTreeMap::new();
        for pin in pins.iter().filter(|pin| pin.date_unpinned.year() <= 1) {
            *live.entry(pin.cid.clone()).or_default() += 1;
        }
        for (i, (cid, _)) in &self.uploaded {
            let count = live.get(cid).copied().unwrap_or(0);
            if self.unpinned.contains(i) {
                assert_eq!(count, 0, "W3IPFS pin {i} ({cid}) was unpinned but is live");
            } else {
                assert_eq!(
                    count, 1,
                    "W3IPFS upload {i} ({cid}) must be pinned exactly once"
                );
            }
        }
        assert_eq!(
            pins.len(),
            self.uploaded.len(),
            "one pin per upload, none made by a resend"
        );
    }
}

/// What the Submarine operations did: every item's CID and id.
struct SubmarineRun {
    client: pinion::submarine::Client,
    stored: BTreeMap<usize, (String, uuid::Uuid)>,
    deleted: BTreeSet<usize>,
}

async fn submarine_operations(c: &AdminCredentials, dir: &Path) -> SubmarineRun {
    let submarine = pinion::submarine::Client::builder()
        .base_url(&c.submarine.base_url)
        .credentials(SubmarineCredentials::new(&c.submarine.api_key))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(retries())
        .build()
        .unwrap();
    let mut run = SubmarineRun {
        client: submarine.clone(),
        stored: BTreeMap::new(),
        deleted: BTreeSet::new(),
    };
    let mut operations = 0;
    let mut i = 0;
    while operations < SUBMARINE_OPERATIONS {
        operations += 1;
        let (cid, id) = if i % 2 == 0 {
            let uploaded = submarine
                .upload(
                    UploadSource::File(file(dir, "submarine", i)),
                    UploadOptions::default(),
                    false,
                )
                .await
                .unwrap_or_else(|e| panic!("Submarine upload {i} failed despite retries: {e}"));
            (uploaded.cid, uploaded.id.unwrap().parse().unwrap())
        } else {
            let item = submarine
                .upload_json(content(i), None, Map::new(), false)
                .await
                .unwrap_or_else(|e| panic!("Submarine JSON {i} failed despite retries: {e}"));
            (item.cid, item.id)
        };
        run.stored.insert(i, (cid, id));
        if i % 3 == 2 {
            operations += 1;
            let victim = i - 1;
            submarine
                .delete_content(run.stored[&victim].1)
                .await
                .unwrap_or_else(|e| {
                    panic!("Submarine delete {victim} failed despite retries: {e}")
                });
            run.deleted.insert(victim);
        }
        if i % 10 == 0 {
            operations += 1;
            submarine
                .content_page(&Default::default(), 0)
                .await
                .unwrap_or_else(|e| panic!("Submarine list {i} failed despite retries: {e}"));
        }
        i += 1;
    }
    run
}

impl SubmarineRun {
    async fn check(&self) {
        let filter = pinion::submarine::ContentFilter {
            page_size: Some(1000),
            ..Default::default()
        };
        let items: Vec<_> = self.client.content(filter).try_collect().await.unwrap();
        let mut held: BTreeMap<String, usize> = BTreeMap::new();
        for item in &items {
            *held.entry(item.cid.clone()).or_default() += 1;
        }
        for (i, (cid, _)) in &self.stored {
            let count = held.get(cid).copied().unwrap_or(0);
            if self.deleted.contains(i) {
                assert_eq!(
                    count, 0,
                    "Submarine item {i} ({cid}) was deleted but is held"
                );
            } else {
                assert_eq!(
                    count, 1,
                    "Submarine item {i} ({cid}) must be held exactly once"
                );
            }
        }
        assert_eq!(
            items.len(),
            self.stored.len() - self.deleted.len(),
            "no stray items"
        );
    }
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
