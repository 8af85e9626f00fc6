//! The clients against a hostile server (issue 11): odd `Retry-After` values in both
//! forms, garbage bodies, slow bodies. No call may panic, leak a secret in its error,
//! outlive the configured limits, or leave the client blocked for later calls.
//! Redirects are in `hostile_server_redirects.rs`.

mod hostile_server {
    pub mod server;
}

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use hostile_server::server::{Reply, Server};
use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;
use pinion::{Error, RateLimit, RetryPolicy};

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.hostile-s3cr3t-payload.s3cr3t-signature";

/// What every client here is configured with: each timeout 2 s.
const LIMIT: Duration = Duration::from_secs(2);

/// Generous bound for one call (configured 2 s, a retry or two): never flaky, and far
/// below what the defects used to cost (a panic, an hour, forever).
const BOUND: Duration = Duration::from_secs(10);

/// A Pinata client of `server` with a real limiter (so that a pause would show) and
/// `retry`.
fn client(server: &Server, retry: RetryPolicy) -> pinion::pinata::Client {
    pinion::pinata::Client::builder()
        .base_url(server.url())
        .credentials(PinataCredentials::jwt(JWT))
        .connect_timeout(LIMIT)
        .request_timeout(LIMIT)
        .stall_timeout(LIMIT)
        .retry_policy(retry)
        .rate_limit(RateLimit::per_minute(6000))
        .build()
        .unwrap()
}

/// Quick retries, so that waiting is the server's doing only.
fn quick(retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(retries)
        .base_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(50))
}

/// Runs `call`, failing the test if it takes longer than [`BOUND`].
async fn within<T>(what: &str, call: impl Future<Output = T>) -> T {
    let start = Instant::now();
    match tokio::time::timeout(BOUND, call).await {
        Ok(value) => value,
        Err(_) => panic!("{what}: still running after {:?}", start.elapsed()),
    }
}

/// Fails when the error's `Display` or `Debug` shows the JWT or any part of it.
fn assert_no_secret(what: &str, error: &Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        for part in JWT.split('.').chain([JWT]) {
            assert!(
                !text.contains(part),
                "{what}: the error shows a secret: {text}"
            );
        }
    }
}

fn ok_greeting() -> Reply {
    Reply::json(
        200,
        r#"{"message":"Congratulations! You are communicating with the Pinata API!"}"#,
    )
}

/// A 429 with `Retry-After: value` first, then greetings.
async fn rate_limited_once(value: &'static str) -> Server {
    Server::start(move |_, index| {
        if index == 0 {
            Reply::status(429, &[("retry-after", value)], "slow down")
        } else {
            ok_greeting()
        }
    })
    .await
}

/// Issue 11: `Retry-After: 18446744073709551615` made `Instant + Duration` panic,
/// and 3600 (or a far-future date) ended the retries but left the bucket paused for
/// that long, so the next call on the client froze.
#[tokio::test]
async fn a_huge_retry_after_ends_the_retries_and_the_next_call_is_not_blocked() {
    for value in [
        "18446744073709551615",
        "99999999999999999999999999",
        "3600",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = rate_limited_once(value).await;
        let client = client(&server, RetryPolicy::default());
        let error = within(value, client.test_authentication())
            .await
            .unwrap_err();
        match &error {
            Error::RateLimited {
                retry_after: Some(after),
                ..
            } => assert!(*after >= Duration::from_secs(3600), "{value}: {after:?}"),
            other => panic!("{value}: {other:?}"),
        }
        assert!(error.to_string().contains("asked to wait"), "{error}");
        assert_no_secret(value, &error);
        assert_eq!(server.seen().len(), 1, "{value}: no retry should be sent");

        let start = Instant::now();
        let greeting = within(value, client.test_authentication()).await.unwrap();
        assert!(greeting.contains("Congratulations"), "{greeting}");
        assert!(start.elapsed() < LIMIT, "{value}: {:?}", start.elapsed());
    }
}

/// Negative, fractional, empty, garbage and past values are no instruction to wait:
/// the client backs off as usual and gives up after its retries.
#[tokio::test]
async fn an_unreadable_or_past_retry_after_falls_back_to_backoff() {
    for value in [
        "-5",
        "1.5",
        "",
        "soon",
        "5 seconds",
        "1e3",
        "Sun, 06 Nov 1994 08:49:37 GMT",
    ] {
        let server =
            Server::start(move |_, _| Reply::status(429, &[("retry-after", value)], "slow down"))
                .await;
        let client = client(&server, quick(2));
        let error = within(value, client.test_authentication())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::RateLimited { .. }),
            "{value:?}: {error:?}"
        );
        assert_no_secret(value, &error);
        assert_eq!(
            server.seen().len(),
            3,
            "{value:?}: first attempt and 2 retries"
        );
    }
}

/// An HTTP-date a few seconds ahead is waited out, and the call then succeeds.
#[tokio::test]
async fn a_near_http_date_is_waited_out() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
    let date: &'static str = Box::leak(date.into_boxed_str());
    let server = rate_limited_once(date).await;
    let client = client(&server, RetryPolicy::default());
    let start = Instant::now();
    let greeting = within(date, client.test_authentication()).await.unwrap();
    assert!(greeting.contains("Congratulations"));
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.seen().len(), 2);
}

/// Success answers whose bodies cannot be read fail with an error, not a panic.
#[tokio::test]
async fn garbage_success_bodies_fail_cleanly() {
    let huge = vec![b'x'; 16 * 1024 * 1024];
    let mut truncated = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n".to_vec();
    truncated
        .extend_from_slice(b"content-length: 1000\r\nconnection: close\r\n\r\n{\"message\":\"Con");
    let cases: Vec<(&str, Reply)> = vec![
        (
            "html",
            Reply::status(200, &[], "<html><body>maintenance</body></html>"),
        ),
        (
            "echoed secret",
            Reply::status(200, &[], format!("not json {JWT}")),
        ),
        (
            "invalid UTF-8",
            Reply::status(
                200,
                &[("content-type", "application/json")],
                b"{\"message\":\"\xff\xfe\xfd\"}",
            ),
        ),
        ("huge", Reply::status(200, &[], &huge)),
        ("truncated", Reply::Raw(truncated)),
        ("empty", Reply::status(200, &[], "")),
        (
            "wrong shape",
            Reply::json(200, r#"{"message":["a",{"b":null}]}"#),
        ),
    ];
    for (what, reply) in cases {
        let reply = std::sync::Mutex::new(Some(reply));
        let server = Server::start(move |_, _| {
            reply
                .lock()
                .unwrap()
                .take()
                .unwrap_or_else(|| Reply::status(500, &[], "only once"))
        })
        .await;
        let client = client(&server, RetryPolicy::none());
        let error = within(what, client.test_authentication())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Decode { .. } | Error::Transport { .. } | Error::Timeout { .. }
            ),
            "{what}: {error:?}"
        );
        assert_no_secret(what, &error);
    }
}

/// A success answer that never ends is not read into memory without bound: the
/// generated operations and the uploads stop at a limit far above any real answer.
#[tokio::test]
async fn an_endless_answer_is_not_read_without_bound() {
    let endless = || {
        Reply::Endless(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{\"message\":\""
                .to_vec(),
        )
    };
    let server = Server::start(move |_, _| endless()).await;
    let client = client(&server, RetryPolicy::none());
    let error = within("generated", client.test_authentication())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { why, .. } if why.contains("larger than 64 MiB")),
        "{error:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, b"endless\n").unwrap();
    let error = within("upload", client.pin_file(&file, UploadOptions::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { why, .. } if why.contains("larger than 64 MiB")),
        "{error:?}"
    );
}

/// Error answers with garbage bodies keep what they can, never a secret.
#[tokio::test]
async fn garbage_error_bodies_are_kept_without_secrets() {
    let huge = format!("{JWT} {}", "y".repeat(4 * 1024 * 1024));
    for (what, status, body) in [
        (
            "echoed JWT",
            400,
            format!(r#"{{"error":"bad token {JWT}"}}"#).into_bytes(),
        ),
        ("invalid UTF-8", 400, b"\xff\xfe bad \xc3".to_vec()),
        ("huge", 502, huge.into_bytes()),
        ("html", 500, b"<h1>down</h1>".to_vec()),
    ] {
        let server = Server::start(move |_, _| Reply::status(status, &[], &body)).await;
        let client = client(&server, RetryPolicy::none());
        let error = within(what, client.test_authentication())
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{what}");
        assert_no_secret(what, &error);
        assert!(
            error.to_string().len() < 8 * 1024,
            "{what}: {} bytes",
            error.to_string().len()
        );
    }
}

/// A server that sends the head and then a byte now and then, or nothing at all:
/// the request timeout trips, retries included, well within the bound.
#[tokio::test]
async fn slow_answers_trip_the_request_timeout() {
    let trickle = |status: u16| {
        Reply::Trickle {
        head: format!(
            "HTTP/1.1 {status} Slow\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{{"
        )
        .into_bytes(),
        every: Duration::from_millis(200),
    }
    };
    let timed_out =
        |error: &Error| matches!(error, Error::Timeout { after, .. } if *after == LIMIT);
    for (what, status) in [("trickling success", Some(200)), ("silence", None)] {
        let server = Server::start(move |_, _| match status {
            Some(status) => trickle(status),
            None => Reply::Silence,
        })
        .await;
        let client = client(&server, quick(1));
        let error = within(what, client.test_authentication())
            .await
            .unwrap_err();
        assert!(timed_out(&error), "{what}: {error:?}");
        assert_no_secret(what, &error);
    }
    // An error answer whose body trickles: its status is known, its body is not.
    let server = Server::start(move |_, _| trickle(503)).await;
    let client = client(&server, quick(1));
    let error = within("trickling error", client.test_authentication())
        .await
        .unwrap_err();
    assert!(
        timed_out(&error) || error.status().map(|s| s.as_u16()) == Some(503),
        "{error:?}"
    );
    assert!(error.is_transient());
}

/// The answer to an upload has no total timeout of its own: a server that answered
/// its head and then trickled the body held the caller forever.
#[tokio::test]
async fn a_trickling_upload_answer_trips_the_request_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hello.txt");
    std::fs::write(&file, b"hello, hostile world\n").unwrap();
    let server = Server::start(|_, _| Reply::Trickle {
        head:
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"
                .to_vec(),
        every: Duration::from_millis(200),
    })
    .await;
    let client = client(&server, RetryPolicy::none());
    let error = within("upload", client.pin_file(&file, UploadOptions::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { after, .. } if after == LIMIT),
        "{error:?}"
    );
    assert_no_secret("upload", &error);
    assert_eq!(server.seen().len(), 1);
}
