//! What users and their logs see of a failure: never a secret (a JWT, an API secret, a
//! Submarine key, an access token), in an error's Display or Debug, a client's or key's
//! Debug, or the tracing log at TRACE level.
//!
//! The only test in its own process, with a global subscriber: a thread-local one
//! (`set_default`) misses events when other tests register the same callsites at the
//! same time (tracing caches each callsite's interest), which made this test flaky.

use pinion::credentials::PinataCredentials;
use pinion::scopes::pinata::PinataPermissions;
use pinion_emulator::Emulator;
use secrecy::ExposeSecret;

mod common;

use common::pinata_client;

#[path = "common/logs.rs"]
mod logs;

use logs::Captured;

#[tokio::test]
async fn secrets_stay_out_of_errors_debug_and_tracing_logs() {
    let captured = Captured::install();

    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let admin = pinata_client(&c, &c.pinata.jwt);
    let key = admin
        .generate_api_key("logged", PinataPermissions::admin(), None)
        .await
        .unwrap();
    let submarine = pinion::submarine::Client::builder()
        .base_url(&c.submarine.base_url)
        .credentials(pinion::credentials::SubmarineCredentials::new(
            &c.submarine.api_key,
        ))
        .gateway_url(&c.submarine.gateway_url)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.txt");
    std::fs::write(&file, "secret content").unwrap();
    let uploaded = submarine
        .upload(
            pinion::upload::UploadSource::File(file),
            Default::default(),
            false,
        )
        .await
        .unwrap();
    let request =
        pinion::token::ContentTokenRequest::from_strings(60, [uploaded.id.clone().unwrap()])
            .unwrap();
    let token = submarine.create_access_token(&request).await.unwrap();

    // An error from a forged credential, and one from a wrong key pair.
    let forged = pinata_client(&c, &format!("{}x", c.pinata.jwt));
    let error = forged.test_authentication().await.unwrap_err();
    let pair = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::key_pair(
            &c.pinata.api_key,
            key.api_secret().expose_secret().to_owned() + "0",
        ))
        .build()
        .unwrap();
    let pair_error = pair.test_authentication().await.unwrap_err();

    let shown = format!(
        "{error} {error:?} {pair_error} {pair_error:?} {key:?} {token:?} {admin:?} {submarine:?} {forged:?}"
    );
    let logs = captured.text();
    assert!(
        logs.contains("testAuthentication") || logs.contains("test_authentication"),
        "requests are logged: {logs}"
    );
    for secret in [
        c.pinata.jwt.as_str(),
        c.pinata.api_secret.as_str(),
        c.submarine.api_key.as_str(),
        key.jwt().expose_secret(),
        key.api_secret().expose_secret(),
        token.secret().expose_secret(),
    ] {
        assert!(
            !shown.contains(secret),
            "a secret leaked into errors or Debug: {shown}"
        );
        assert!(
            !logs.contains(secret),
            "a secret leaked into the tracing log"
        );
    }
}
