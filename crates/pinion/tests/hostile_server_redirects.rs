//! Redirects against a hostile server (issue 11): an API call never takes its
//! credentials to another origin, whatever the redirect status and credential kind;
//! same-origin redirects are followed, a bounded number of times.

#[path = "hostile_server/server.rs"]
mod server;

use std::future::Future;
use std::time::Duration;

use pinion::credentials::{PinataCredentials, SubmarineCredentials, W3ipfsCredentials};
use pinion::upload::UploadOptions;
use pinion::{Error, RetryPolicy};
use server::{Reply, Seen, Server};

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.redirect-s3cr3t-payload.s3cr3t-signature";
const KEY: &str = "k3y-public-part";
const SECRET: &str = "s3cr3t-api-secret-value";

/// Every header a credential travels in.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "pinata_api_key",
    "pinata_secret_api_key",
    "x-api-key",
    "pinning_api_key",
    "pinning_secret_key",
];

const BOUND: Duration = Duration::from_secs(10);

async fn within<T>(what: &str, call: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, call)
        .await
        .unwrap_or_else(|_| panic!("{what}: still running after {BOUND:?}"))
}

/// The credential kinds, each calling one read-only operation of its service.
#[derive(Debug, Clone, Copy)]
enum Kind {
    PinataJwt,
    PinataKeyPair,
    Submarine,
    W3ipfsKeyPair,
    W3ipfsJwt,
}

const KINDS: [Kind; 5] = [
    Kind::PinataJwt,
    Kind::PinataKeyPair,
    Kind::Submarine,
    Kind::W3ipfsKeyPair,
    Kind::W3ipfsJwt,
];

impl Kind {
    /// The secrets this kind sends.
    fn secrets(self) -> &'static [&'static str] {
        match self {
            Kind::PinataJwt | Kind::W3ipfsJwt => &[JWT],
            Kind::PinataKeyPair | Kind::W3ipfsKeyPair => &[SECRET],
            Kind::Submarine => &[KEY],
        }
    }

    /// One call of this kind's client to `base`, with `http` when given.
    async fn call(self, base: &str, http: Option<reqwest::Client>) -> Result<(), Error> {
        macro_rules! build {
            ($builder:expr) => {{
                let mut builder = $builder
                    .base_url(base)
                    .request_timeout(Duration::from_secs(2))
                    .retry_policy(RetryPolicy::none());
                if let Some(http) = http {
                    builder = builder.http_client(http);
                }
                builder.build().unwrap()
            }};
        }
        match self {
            Kind::PinataJwt | Kind::PinataKeyPair => {
                let credentials = match self {
                    Kind::PinataJwt => PinataCredentials::jwt(JWT),
                    _ => PinataCredentials::key_pair(KEY, SECRET),
                };
                let client = build!(pinion::pinata::Client::builder().credentials(credentials));
                client.test_authentication().await.map(drop)
            }
            Kind::Submarine => {
                let client = build!(
                    pinion::submarine::Client::builder()
                        .credentials(SubmarineCredentials::new(KEY))
                );
                client.content_page(&Default::default(), 0).await.map(drop)
            }
            Kind::W3ipfsKeyPair | Kind::W3ipfsJwt => {
                let credentials = match self {
                    Kind::W3ipfsJwt => W3ipfsCredentials::jwt(JWT),
                    _ => W3ipfsCredentials::key_pair(KEY, SECRET),
                };
                let client = build!(pinion::w3ipfs::Client::builder().credentials(credentials));
                client.test_authentication().await.map(drop)
            }
        }
    }
}

/// A server answering every request with `status` and `Location: location`.
async fn redirecting(status: u16, location: String) -> Server {
    Server::start(move |_, _| Reply::status(status, &[("location", location.as_str())], "")).await
}

/// The other origin: records what reaches it and answers like a happy service.
async fn elsewhere() -> Server {
    Server::start(|_, _| Reply::json(200, r#"{"message":"stolen","items":[],"count":0}"#)).await
}

fn credential_headers(seen: &[Seen]) -> Vec<(String, String)> {
    seen.iter()
        .flat_map(|request| request.headers.iter())
        .filter(|(name, _)| CREDENTIAL_HEADERS.contains(&name.as_str()))
        .cloned()
        .collect()
}

fn assert_no_secret(what: &str, error: &Error, secrets: &[&str]) {
    for text in [error.to_string(), format!("{error:?}")] {
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{what}: the error shows a secret: {text}"
            );
        }
    }
}

/// Issue 11: the API secret reached another origin after a 307. No redirect status
/// takes any credential kind anywhere else; the call fails naming both origins.
#[tokio::test]
async fn no_credential_follows_a_redirect_to_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        for kind in KINDS {
            let what = format!("{status} {kind:?}");
            let other = elsewhere().await;
            let service = redirecting(status, format!("{}/steal?from=pinion", other.url())).await;
            let error = within(&what, kind.call(&service.url(), None))
                .await
                .unwrap_err();
            assert!(other.seen().is_empty(), "{what}: {:?}", other.seen());
            match &error {
                Error::CrossOriginRedirect { from, to, .. } => {
                    assert_eq!(from, &service.url(), "{what}");
                    assert_eq!(to, &other.url(), "{what}");
                }
                other => panic!("{what}: {other:?}"),
            }
            let text = error.to_string();
            assert!(
                text.contains(&service.url()) && text.contains(&other.url()),
                "{text}"
            );
            assert!(!text.contains("steal"), "{what}: no path or query: {text}");
            assert_no_secret(&what, &error, kind.secrets());
        }
    }
}

/// A refused redirect is not retried: it would only be refused again.
#[tokio::test]
async fn a_refused_redirect_is_not_retried() {
    let other = elsewhere().await;
    let service = redirecting(307, format!("{}/data/testAuthentication", other.url())).await;
    let client = pinion::pinata::Client::builder()
        .base_url(service.url())
        .credentials(PinataCredentials::jwt(JWT))
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(10)))
        .build()
        .unwrap();
    let error = within("retried", client.test_authentication())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::CrossOriginRedirect { .. }),
        "{error:?}"
    );
    assert!(!error.is_transient());
    assert_eq!(service.seen().len(), 1);
    assert!(other.seen().is_empty());
}

/// Writes (JSON bodies, which reqwest can resend) and streamed uploads are refused
/// the same way.
#[tokio::test]
async fn writes_and_uploads_do_not_follow_either() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, b"redirected?\n").unwrap();
    for status in [302, 307, 308] {
        let other = elsewhere().await;
        let service = redirecting(status, format!("{}/pinning", other.url())).await;
        let client = pinion::pinata::Client::builder()
            .base_url(service.url())
            .credentials(PinataCredentials::key_pair(KEY, SECRET))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let json = within(
            "pin_json",
            client.pin_json(Default::default(), Default::default()),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(json, Error::CrossOriginRedirect { .. }),
            "{status}: {json:?}"
        );
        let upload = within("pin_file", client.pin_file(&file, UploadOptions::default()))
            .await
            .unwrap_err();
        // A streamed body cannot be sent twice: reqwest hands the 30x back (307/308)
        // or the policy refuses the hop (302); either way nothing leaves.
        assert!(
            matches!(
                upload,
                Error::CrossOriginRedirect { .. } | Error::Api { .. }
            ),
            "{status}: {upload:?}"
        );
        assert_no_secret("upload", &upload, &[SECRET]);
        assert!(other.seen().is_empty(), "{status}: {:?}", other.seen());
    }
}

/// A redirect to another path of the same origin is followed, credentials included.
#[tokio::test]
async fn same_origin_redirects_are_followed() {
    for status in [301, 302, 307, 308] {
        let service = Server::start(move |request, _| {
            if request.path.contains("moved=1") {
                Reply::json(200, r#"{"message":"Congratulations"}"#)
            } else {
                let location = format!("{}?moved=1", request.path);
                Reply::status(status, &[("location", location.as_str())], "")
            }
        })
        .await;
        within("same origin", Kind::PinataJwt.call(&service.url(), None))
            .await
            .unwrap();
        let seen = service.seen();
        assert_eq!(seen.len(), 2, "{status}");
        assert_eq!(
            seen[1].header("authorization"),
            Some(format!("Bearer {JWT}").as_str())
        );
    }
}

/// A same-origin redirect loop ends after a few hops with an error.
#[tokio::test]
async fn redirect_loops_end() {
    let service = Server::start(|request, _| {
        let location = request.path.clone();
        Reply::status(307, &[("location", location.as_str())], "")
    })
    .await;
    let error = within("loop", Kind::PinataJwt.call(&service.url(), None))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_no_secret("loop", &error, &[JWT]);
    assert_eq!(service.seen().len(), pinion::MAX_REDIRECTS + 1);
}

/// An HTTP client given by the user keeps its own redirect policy: with
/// `pinion::redirect_policy()` nothing leaves; with reqwest's default the custom
/// headers do leave (reqwest strips only `Authorization`), and pinion still fails the
/// call instead of taking the other origin's answer as the service's.
#[tokio::test]
async fn user_clients_are_protected_by_the_policy_and_checked_anyway() {
    let kind = Kind::PinataKeyPair;
    let other = elsewhere().await;
    let service = redirecting(307, format!("{}/data/testAuthentication", other.url())).await;
    let guarded = reqwest::Client::builder()
        .redirect(pinion::redirect_policy())
        .build()
        .unwrap();
    let error = within("guarded", kind.call(&service.url(), Some(guarded)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::CrossOriginRedirect { .. }),
        "{error:?}"
    );
    assert!(other.seen().is_empty());

    let naive = reqwest::Client::new();
    let error = within("naive", kind.call(&service.url(), Some(naive)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::CrossOriginRedirect { .. }),
        "{error:?}"
    );
    assert_no_secret("naive", &error, &[SECRET]);
    // What the policy prevents: reqwest's default forwards custom credential headers.
    let leaked = credential_headers(&other.seen());
    assert!(
        leaked
            .iter()
            .any(|(name, _)| name == "pinata_secret_api_key"),
        "{leaked:?}"
    );
}
