//! The failures users meet, against the emulator through the library: a missing scope,
//! a revoked key, a used-up key, a 429 whose Retry-After is honoured, and what an error
//! shows (never a secret, in Display, Debug or the tracing log).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pinion::credentials::PinataCredentials;
use pinion::pinata::{PinListFilter, PinOptions};
use pinion::scopes::Capability;
use pinion::scopes::pinata::PinataPermissions;
use pinion::{Error, RateLimit, RetryPolicy};
use pinion_emulator::{AdminCredentials, Emulator, Faults};
use secrecy::ExposeSecret;
use serde_json::json;

fn client(c: &AdminCredentials, jwt: &str) -> pinion::pinata::Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap()
}

#[tokio::test]
async fn scope_revocation_and_max_uses_surface_as_typed_errors() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let admin = client(&c, &c.pinata.jwt);

    let permissions = PinataPermissions::for_capabilities(&[Capability::PinJson]).unwrap();
    let key = admin
        .generate_api_key("json only", permissions, Some(2))
        .await
        .unwrap();
    let scoped = client(&c, key.jwt().expose_secret());
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
    let revocable = client(&c, other.jwt().expose_secret());
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

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn secrets_stay_out_of_errors_debug_and_tracing_logs() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let admin = client(&c, &c.pinata.jwt);
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
    let forged = client(&c, &format!("{}x", c.pinata.jwt));
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
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
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
