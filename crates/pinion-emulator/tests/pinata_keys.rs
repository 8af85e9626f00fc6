//! Pinata API keys: creation rules, listing, revocation and `maxUses`.

mod common;

use common::pinata::{Pinata, PinataCalls, admin, reason};
use pinion_emulator::Emulator;
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};

/// Many requests at once on a key with `maxUses` N: exactly N get through, because the
/// check and the count are one step.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn max_uses_hold_under_concurrent_requests() {
    // A durable store makes every counted use slow, which widened the window between
    // the check and the count when they were two steps.
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let admin = admin(&emulator);
    const MAX: u64 = 10;
    const CONCURRENT: usize = 64;
    const ROUNDS: usize = 6;
    // Open the connections first, so that the counted requests arrive together.
    let health = format!("{}/_emulator/health", emulator.origin());
    let warm = (0..CONCURRENT).map(|_| admin.http.get(&health).send());
    for response in futures::future::join_all(warm).await {
        assert!(response.unwrap().status().is_success());
    }
    // Several rounds, each on a fresh key: one lost race is enough to fail.
    for _ in 0..ROUNDS {
        let limited = exhaust_concurrently(&admin, MAX, CONCURRENT).await;
        let refused = limited.get("/data/pinList", 403).await;
        assert_eq!(reason(&refused), "NO_PERMISSIONS");
    }
    let listed = admin.get("/v3/pinata/keys?limitedUse=true", 200).await;
    for key in listed["keys"].as_array().unwrap() {
        assert_eq!(key["uses"], MAX, "{key}");
    }
}

/// Creates a key with `maxUses` `max` and sends `concurrent` requests with it at once;
/// asserts that exactly `max` succeed.
async fn exhaust_concurrently(admin: &Pinata, max: u64, concurrent: usize) -> Pinata {
    let permissions = PinataPermissions::from_flags([PinataFlag::PinList]);
    let (limited, _) = admin
        .key(serde_json::to_value(permissions).unwrap(), Some(max))
        .await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(concurrent));
    let requests = (0..concurrent).map(|_| {
        let limited = limited.clone();
        let start = start.clone();
        tokio::spawn(async move {
            start.wait().await;
            let response = limited
                .request(reqwest::Method::GET, "/data/pinList")
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        })
    });
    let statuses: Vec<u16> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(|status| status.unwrap())
        .collect();
    let succeeded = statuses.iter().filter(|status| **status == 200).count();
    assert_eq!(succeeded as u64, max, "{statuses:?}");
    limited
}
