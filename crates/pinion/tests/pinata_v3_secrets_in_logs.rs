//! Pinata v3's secrets that are URLs (signed upload URLs, download links and TUS
//! upload locations, whose token authorises the upload) never reach the tracing log or
//! an error's text, even when the request fails.
//!
//! In its own process, with a global subscriber (see `secrets_in_logs.rs` for why).

use pinion::pinata_v3::SignedUploadUrl;
use pinion::upload::{UploadOptions, UploadSource};

#[path = "common/logs.rs"]
mod logs;

use logs::Captured;

#[tokio::test]
async fn a_signed_url_that_fails_stays_out_of_logs_and_errors() {
    let captured = Captured::install();

    // Nothing listens on port 9: every attempt fails to connect and is logged.
    let url = SignedUploadUrl::new(
        "http://127.0.0.1:9/files/0191?X-Algorithm=PINATA2&X-Signature=5ec7e75ec7e75ec7e7",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "a").unwrap();
    let error = url
        .upload(UploadSource::File(path), UploadOptions::default())
        .await
        .unwrap_err();
    let logs = captured.text();
    assert!(logs.contains("failed"), "the failure is logged: {logs}");
    for shown in [
        logs,
        error.to_string(),
        format!("{error:?}"),
        format!("{url:?}"),
    ] {
        assert!(!shown.contains("5ec7e75ec7e7"), "{shown}");
    }

    // A TUS upload: its Location (`…/files/<file id>/<token>`) is logged as the spec's
    // template, never as the path itself.
    let emulator = pinion_emulator::Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(pinion::credentials::PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(pinion::RateLimit::unlimited())
        .build_v3()
        .unwrap();
    let big = dir.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(pinion::pinata_v3::MULTIPART_LIMIT + 1)
        .unwrap();
    captured.clear();
    client
        .upload_file(
            pinion::pinata_v3::Network::Public,
            &big,
            UploadOptions::default(),
        )
        .await
        .expect("the TUS upload completes");
    let logs = captured.text();
    assert!(logs.contains("/files/{file_id}/{upload_id}"), "{logs}");
    assert!(!logs.contains("/pinata-uploads/v3/files/"), "{logs}");
    emulator.shutdown().await;
}
