//! The state directory holds the JWT signing key and every key's secret: it and its
//! database are private to their owner, also when an older emulator left them open.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use pinion_emulator::Emulator;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn a_new_state_dir_and_its_database_are_private() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("state");
    let emulator = Emulator::builder().state_dir(&dir).start().await.unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("state.redb")), 0o600);
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_open_state_dir_and_database_are_made_private() {
    let dir = tempfile::tempdir().unwrap();
    let first = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let jwt = first.credentials().pinata.jwt.clone();
    first.shutdown().await;
    let database = dir.path().join("state.redb");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();

    let second = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    assert_eq!(mode(dir.path()), 0o700);
    assert_eq!(mode(&database), 0o600);
    // Tightening kept the state.
    assert_eq!(second.credentials().pinata.jwt, jwt);
    second.shutdown().await;
}

/// Concurrent pins on a multi-threaded runtime (the writer thread batches them while
/// the async workers keep serving); every answered pin is there after a restart, and
/// the pin list's order and count are the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pins_are_durable_when_answered() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let pinata = emulator.credentials().pinata.clone();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let pins = (0..40).map(|n| {
        let http = http.clone();
        let pinata = pinata.clone();
        tokio::spawn(async move {
            let answer = http
                .post(format!("{}/pinning/pinJSONToIPFS", pinata.base_url))
                .bearer_auth(&pinata.jwt)
                .json(&serde_json::json!({"pinataContent": {"n": n}}))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
        })
    });
    for pin in pins.collect::<Vec<_>>() {
        pin.await.unwrap();
    }
    let list = |base: String, jwt: String| {
        let http = http.clone();
        async move {
            http.get(format!("{base}/data/pinList?pageLimit=1000"))
                .bearer_auth(jwt)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let before = list(pinata.base_url.clone(), pinata.jwt.clone()).await;
    assert_eq!(before["count"], 40);
    emulator.shutdown().await;

    let emulator = Emulator::builder()
        .state_dir(dir.path())
        .start()
        .await
        .unwrap();
    let pinata = emulator.credentials().pinata.clone();
    let after = list(pinata.base_url, pinata.jwt).await;
    assert_eq!(after, before);
    emulator.shutdown().await;
}
