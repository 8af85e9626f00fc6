//! A TUS server that answers nonsense (no progress, more bytes than were sent, a
//! location on another origin) stops the upload with an error: never a loop, a panic,
//! or the JWT sent elsewhere.

#[path = "hostile_server/server.rs"]
mod server;

use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Client, MULTIPART_LIMIT, Network};
use pinion::upload::UploadOptions;
use pinion::{Error, RateLimit, RetryPolicy};
use server::{Reply, Server};

fn client(server: &Server) -> Client {
    pinion::pinata::Client::builder()
        .base_url(format!("{}/pinata", server.url()))
        .credentials(PinataCredentials::jwt("a.b.c"))
        .rate_limit(RateLimit::unlimited())
        // One resync allowed: without retries a failed chunk ends the upload before
        // any HEAD.
        .retry_policy(
            RetryPolicy::default()
                .max_retries(1)
                .base_delay(std::time::Duration::from_millis(1)),
        )
        .build_v3()
        .unwrap()
}

/// A file one byte over the multipart limit (sparse: zeros).
fn big_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("big.bin");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(MULTIPART_LIMIT + 1)
        .unwrap();
    path
}

async fn upload_to(
    script: impl Fn(&server::Seen, usize) -> Reply + Send + Sync + 'static,
) -> (Error, Vec<server::Seen>) {
    let server = Server::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let error = client(&server)
        .upload_file(
            Network::Public,
            big_file(dir.path()),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    (error, server.seen())
}

fn created(location: &str) -> Reply {
    Reply::status(
        201,
        &[("location", location), ("tus-resumable", "1.0.0")],
        "",
    )
}

#[tokio::test]
async fn an_answer_that_does_not_move_the_upload_on_stops_it() {
    let (error, seen) = upload_to(|request, _| match request.method.as_str() {
        "POST" => created("/pinata-uploads/v3/files/f/t"),
        _ => Reply::status(204, &[("upload-offset", "0")], ""),
    })
    .await;
    assert!(matches!(error, Error::Decode { .. }), "{error}");
    assert!(
        error.to_string().contains("answered with offset 0"),
        "{error}"
    );
    assert_eq!(seen.iter().filter(|r| r.method == "PATCH").count(), 1);
    assert_eq!(seen[1].header("upload-offset"), Some("0"));
    assert_eq!(
        seen[1].header("content-type"),
        Some("application/offset+octet-stream")
    );
}

#[tokio::test]
async fn a_resync_claiming_more_than_was_sent_stops_it() {
    let (error, seen) = upload_to(|request, _| match request.method.as_str() {
        "POST" => created("/pinata-uploads/v3/files/f/t"),
        "PATCH" => Reply::json(500, r#"{"error":{"code":500,"message":"boom"}}"#),
        _ => Reply::status(200, &[("upload-offset", "999999999999")], ""),
    })
    .await;
    assert!(matches!(error, Error::Decode { .. }), "{error}");
    assert!(error.to_string().contains("999999999999"), "{error}");
    assert!(seen.iter().any(|r| r.method == "HEAD"));
}

#[tokio::test]
async fn a_location_on_another_origin_gets_nothing() {
    let (error, seen) = upload_to(|_, _| created("http://127.0.0.1:9/elsewhere")).await;
    assert!(
        matches!(error, Error::CrossOriginRedirect { .. }),
        "{error}"
    );
    assert_eq!(seen.len(), 1, "only the creation: {seen:?}");
}
