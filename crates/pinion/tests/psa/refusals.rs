//! What is refused, and how: before any request (filters, CIDs, credentials), by
//! the service in either error shape, operations the standard does not have; and the
//! token never shown.

use pinion::credentials::{PinataCredentials, W3ipfsCredentials};
use pinion::psa::{ListFilter, PinRequest, PsaCredentials};
use pinion::scopes::Service;
use pinion::upload::UploadOptions;
use pinion::{AnyPinningClient, Error, FileUpload, KeyManagement, PinningService, RateLimit};
use pinion_emulator::Emulator;

use super::endpoints::both;

const CID: &str = "bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi";

/// A client of an endpoint nothing listens on: any request would fail to connect, so
/// an [`Error::InvalidInput`] proves nothing was sent.
fn unreachable() -> pinion::psa::Client {
    pinion::psa::Client::builder()
        .base_url("http://127.0.0.1:9/psa")
        .credentials(PsaCredentials::new("token-unreachable"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn what_the_standard_forbids_is_refused_before_any_request() {
    let psa = unreachable();
    let invalid = |error: Error| matches!(error, Error::InvalidInput { .. });
    assert!(invalid(
        psa.add(&PinRequest::new("not-a-cid")).await.unwrap_err()
    ));
    assert!(invalid(
        psa.add(&PinRequest::new(CID).origin("1.2.3.4"))
            .await
            .unwrap_err()
    ));
    let eleven = (0..11).fold(ListFilter::default(), |filter, _| filter.cid(CID));
    assert!(invalid(psa.list_page(&eleven).await.unwrap_err()));
    assert!(invalid(
        psa.list_page(&ListFilter::default().limit(1001))
            .await
            .unwrap_err()
    ));
    assert!(invalid(
        psa.list_page(&ListFilter::default().cid("Qm?"))
            .await
            .unwrap_err()
    ));
    assert!(invalid(psa.get(" ").await.unwrap_err()));
    assert!(invalid(
        psa.replace("id", &PinRequest::new("x")).await.unwrap_err()
    ));
    let missing = pinion::psa::Client::builder()
        .credentials(PsaCredentials::new("t0ken"))
        .build()
        .unwrap_err();
    assert!(missing.to_string().contains(".base_url("), "{missing}");
    let plain = pinion::psa::Client::builder()
        .base_url("http://psa.example/psa")
        .credentials(PsaCredentials::new("t0ken"))
        .build()
        .unwrap_err();
    assert!(plain.to_string().starts_with("invalid base URL"), "{plain}");
}

#[tokio::test]
async fn the_services_psa_needs_their_jwt() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials();
    let pair = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::key_pair(&c.pinata.api_key, "a-secret"))
        .build()
        .unwrap();
    let error = pair.psa().unwrap_err().to_string();
    assert!(error.contains("only the key's JWT"), "{error}");
    let pair = pinion::w3ipfs::Client::builder()
        .base_url(&c.w3ipfs.base_url)
        .credentials(W3ipfsCredentials::key_pair(
            &c.w3ipfs.api_key,
            &c.w3ipfs.secret_key,
        ))
        .build()
        .unwrap();
    let error = pair.psa().unwrap_err().to_string();
    assert!(error.contains("W3IPFS_JWT"), "{error}");
    let [pinata, w3ipfs] = both(&emulator);
    assert_eq!(pinata.psa.service(), Service::Pinata);
    assert_eq!(w3ipfs.psa.service(), Service::W3ipfs);
    assert_eq!(pinata.psa.base_url(), format!("{}/psa", c.pinata.base_url));
    assert_eq!(w3ipfs.psa.base_url(), format!("{}/psa", c.w3ipfs.base_url));
}

/// Both error shapes keep what the service said: Pinata's `{error: {reason,
/// details}}` and the standard's `Failure`.
#[tokio::test]
async fn errors_keep_the_reason_and_details_of_either_shape() {
    let emulator = Emulator::builder().start().await.unwrap();
    for endpoint in both(&emulator) {
        let who = endpoint.name;
        let error = endpoint.psa.get("no-such-request").await.unwrap_err();
        let Error::Api { status, reason, .. } = &error else {
            panic!("{who}: {error:?}");
        };
        assert_eq!(status.as_u16(), 404, "{who}");
        assert!(
            reason.as_deref().is_some_and(|r| r.contains("NOT_FOUND")),
            "{who}: {error}"
        );
    }
    let c = emulator.credentials();
    for base in [
        format!("{}/psa", c.pinata.base_url),
        format!("{}/psa", c.w3ipfs.base_url),
    ] {
        let secret = "eyJhbGciOiJIUzI1NiJ9.bm90LWEtdG9rZW4.c2lnbmF0dXJl";
        let psa = pinion::psa::Client::builder()
            .base_url(&base)
            .credentials(PsaCredentials::new(secret))
            .rate_limit(RateLimit::unlimited())
            .build()
            .unwrap();
        assert!(!format!("{psa:?}").contains(secret));
        let error = psa.test_authentication().await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Unauthorized {
                    service: Service::Psa,
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(!error.to_string().contains(secret), "{error}");
        assert!(!format!("{error:?}").contains(secret), "{error:?}");
    }
}

/// An endpoint offers no keys and no uploads: through `AnyPinningClient` those are a
/// typed error, nothing is sent; its core operations work with request ids as handles.
#[tokio::test]
async fn any_client_of_an_endpoint_offers_only_what_it_has() {
    let emulator = Emulator::builder().start().await.unwrap();
    let [pinata, _] = both(&emulator);
    let cid = pinata.hold(7).await;
    let client = AnyPinningClient::Psa(pinata.psa.clone());
    assert_eq!(client.service(), Service::Pinata);
    let unsupported = |error: Error| matches!(error, Error::Unsupported { .. });
    assert!(unsupported(client.list_keys().await.unwrap_err()));
    assert!(unsupported(client.create_key("k", &[]).await.unwrap_err()));
    assert!(unsupported(client.revoke_key("k").await.unwrap_err()));
    let file = std::env::temp_dir().join("pinion-psa-never-read.txt");
    let error = client
        .pin_file(file, UploadOptions::default())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("does not offer file uploads"),
        "{error}"
    );

    client.test_authentication().await.unwrap();
    client.pin_cid(&cid, Some("via the trait")).await.unwrap();
    let pins = client.list_pins().await.unwrap();
    let pin = pins.iter().find(|pin| pin.cid == cid).unwrap();
    assert_eq!(client.get_pin(&pin.handle).await.unwrap().cid, cid);
    client.unpin(&pin.handle).await.unwrap();
    assert!(client.get_pin(&pin.handle).await.is_err());
}

/// Every `tracing` event of PSA calls, the answered and the refused, without the
/// tokens (the endpoints' JWTs and a wrong one).
#[tokio::test]
async fn logs_never_show_the_token() {
    let logs = crate::logs::Captured::install();
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials();
    for endpoint in both(&emulator) {
        let cid = endpoint.hold(11).await;
        let added = endpoint.psa.add(&PinRequest::new(cid)).await.unwrap();
        endpoint.psa.get(&added.requestid).await.unwrap();
        endpoint
            .psa
            .list_page(&ListFilter::default())
            .await
            .unwrap();
        endpoint.psa.delete(&added.requestid).await.unwrap();
    }
    let wrong = "eyJhbGciOiJIUzI1NiJ9.d3Jvbmc.c2lnbmF0dXJlLXdyb25n";
    let refused = pinion::psa::Client::builder()
        .base_url(format!("{}/psa", c.w3ipfs.base_url))
        .credentials(PsaCredentials::new(wrong))
        .build()
        .unwrap();
    refused.test_authentication().await.unwrap_err();
    let text = logs.text();
    assert!(text.contains("pinion.request"), "nothing logged: {text}");
    for secret in [c.pinata.jwt.as_str(), c.w3ipfs.jwt.as_str(), wrong] {
        assert!(!text.contains(secret), "a token was logged");
    }
}

/// The endpoints' 429s go through the shared executor: retried after `Retry-After`
/// when it is short, a typed `RateLimited` with the wait asked for when it is not.
#[tokio::test]
async fn rate_limits_are_retried_or_reported_with_the_wait_asked_for() {
    let faults = pinion_emulator::Faults {
        error_rate_429: 0.5,
        ..pinion_emulator::Faults::default()
    };
    let emulator = Emulator::builder().faults(faults).start().await.unwrap();
    let c = emulator.credentials();
    let psa = pinion::psa::Client::builder()
        .base_url(format!("{}/psa", c.w3ipfs.base_url))
        .credentials(PsaCredentials::new(&c.w3ipfs.jwt))
        .retry_policy(pinion::RetryPolicy::default().max_retries(20))
        .build()
        .unwrap();
    for _ in 0..6 {
        psa.list_page(&ListFilter::default()).await.unwrap();
    }

    let emulator = Emulator::builder()
        .rate_limit_per_minute(2)
        .start()
        .await
        .unwrap();
    let c = emulator.credentials();
    let psa = pinion::psa::Client::builder()
        .base_url(format!("{}/psa", c.pinata.base_url))
        .credentials(PsaCredentials::new(&c.pinata.jwt))
        .retry_policy(
            pinion::RetryPolicy::default().max_retry_after(std::time::Duration::from_secs(1)),
        )
        .build()
        .unwrap();
    let mut limited = None;
    for _ in 0..5 {
        if let Err(error) = psa.list_page(&ListFilter::default()).await {
            limited = Some(error);
            break;
        }
    }
    let error = limited.expect("the emulator limits to 2 a minute");
    let Error::RateLimited {
        service,
        retry_after,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*service, Service::Psa);
    assert!(
        retry_after.is_some_and(|wait| wait.as_secs() > 1),
        "{error}"
    );
}
