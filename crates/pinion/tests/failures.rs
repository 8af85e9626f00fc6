//! The failures users meet, against the emulator through the library: a missing scope,
//! a revoked key, a used-up key, a 429 whose Retry-After is honoured. What errors and
//! logs show (never a secret) is in `secrets_in_logs.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pinion::credentials::PinataCredentials;
use pinion::pinata::{PinListFilter, PinOptions};
use pinion::scopes::Capability;
use pinion::scopes::pinata::PinataPermissions;
use pinion::{Error, RateLimit, RetryPolicy};
use pinion_emulator::{Emulator, Faults};
use secrecy::ExposeSecret;
use serde_json::json;

mod common;

use common::pinata_client;

#[tokio::test]
async fn scope_revocation_and_max_uses_surface_as_typed_errors() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let admin = pinata_client(&c, &c.pinata.jwt);

    let permissions = PinataPermissions::for_capabilities(&[Capability::PinJson]).unwrap();
    let key = admin
        .generate_api_key("json only", permissions, Some(2))
        .await
        .unwrap();
    let scoped = pinata_client(&c, key.jwt().expose_secret());
    let content = json!({"a": 1}).as_object().unwrap().clone();
    scoped
        .pin_json(content.clone(), PinOptions::default())
        .await
        .unwrap();
    match scoped.pins_page(&PinListFilter::default(), 0).await {
        Err(Error::Forbidden { needed, .. }) => assert_eq!(needed, Some(Capability::ListPins)),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    // A refused call is not a use: one use is left, then the key is used up.
    scoped
        .pin_json(content.clone(), PinOptions::default())
        .await
        .unwrap();
    let used_up = scoped
        .pin_json(content.clone(), PinOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(used_up, Error::Forbidden { .. }), "{used_up:?}");
    assert!(used_up.to_string().contains("maxUses"), "{used_up}");

    let other = admin
        .generate_api_key("to revoke", PinataPermissions::admin(), None)
        .await
        .unwrap();
    let revocable = pinata_client(&c, other.jwt().expose_secret());
    revocable.test_authentication().await.unwrap();
    admin.revoke_api_key(other.api_key()).await.unwrap();
    let refused = revocable.test_authentication().await.unwrap_err();
    assert!(matches!(refused, Error::Unauthorized { .. }), "{refused:?}");
}

#[tokio::test]
async fn a_429_retry_after_is_honoured_then_the_call_succeeds() {
    let emulator = Emulator::builder()
        .rate_limit_per_minute(2)
        .start()
        .await
        .unwrap();
    let c = emulator.credentials().clone();
    let patient = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(2)
                .max_retry_after(Duration::from_secs(70)),
        )
        .build()
        .unwrap();
    let impatient = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    patient.test_authentication().await.unwrap();
    patient.test_authentication().await.unwrap();
    // The minute's budget is spent: without retries the 429 surfaces with its wait.
    match impatient.test_authentication().await {
        Err(Error::RateLimited { retry_after, .. }) => {
            let wait = retry_after.expect("Retry-After is sent");
            assert!(
                wait >= Duration::from_secs(1) && wait <= Duration::from_secs(60),
                "{wait:?}"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // With retries the client waits as told (the injected 429s say Retry-After: 1),
    // then succeeds once the service answers again.
    let flaky = Emulator::builder()
        .faults(Faults {
            error_rate_429: 1.0,
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    let f = flaky.credentials().clone();
    let patient = pinion::pinata::Client::builder()
        .base_url(&f.pinata.base_url)
        .credentials(PinataCredentials::jwt(&f.pinata.jwt))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(RetryPolicy::default().max_retries(3))
        .build()
        .unwrap();
    let flaky = Arc::new(flaky);
    let healer = {
        let flaky = flaky.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            flaky.set_faults(Faults::default()).unwrap();
        })
    };
    let started = Instant::now();
    patient.test_authentication().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "it waited Retry-After: {:?}",
        started.elapsed()
    );
    healer.await.unwrap();
}
