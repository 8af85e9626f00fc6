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

/// A client of `server` allowing `retries` resyncs in a row.
fn client_with(server: &Server, retries: u32) -> Client {
    pinion::pinata::Client::builder()
        .base_url(format!("{}/pinata", server.url()))
        .credentials(PinataCredentials::jwt("a.b.c"))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(retries)
                .base_delay(std::time::Duration::from_millis(1)),
        )
        .build_v3()
        .unwrap()
}

/// One resync allowed: without retries a failed chunk ends the upload before any HEAD.
fn client(server: &Server) -> Client {
    client_with(server, 1)
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

/// Issue 17: the resyncs in a row without progress are the retry policy's, not a
/// constant of the TUS code (which allowed 5 whatever the policy).
#[tokio::test]
async fn resyncs_without_progress_stop_at_the_retry_policy() {
    let server = Server::start(|request, _| match request.method.as_str() {
        "POST" => created("/pinata-uploads/v3/files/f/t"),
        "PATCH" => Reply::json(500, r#"{"error":{"code":500,"message":"boom"}}"#),
        _ => Reply::status(200, &[("upload-offset", "0")], ""),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let error = client_with(&server, 2)
        .upload_file(
            Network::Public,
            big_file(dir.path()),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(http::StatusCode::INTERNAL_SERVER_ERROR)
    );
    let seen = server.seen();
    let count = |method: &str| seen.iter().filter(|r| r.method == method).count();
    assert_eq!((count("PATCH"), count("HEAD")), (3, 2), "{seen:?}");
}

/// Issue 17: a `Retry-After` longer than the policy waits ends the upload at once.
#[tokio::test]
async fn a_retry_after_beyond_the_policy_stops_the_upload() {
    let server = Server::start(|request, _| match request.method.as_str() {
        "POST" => created("/pinata-uploads/v3/files/f/t"),
        "PATCH" => Reply::status(503, &[("retry-after", "3600")], ""),
        _ => Reply::status(200, &[("upload-offset", "0")], ""),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let error = client_with(&server, 3)
        .upload_file(
            Network::Public,
            big_file(dir.path()),
            UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert!(!server.seen().iter().any(|r| r.method == "HEAD"));
}

/// Issue 17: when the answer to the last chunk is lost, the `HEAD` that finds the
/// upload complete ends it (with its `Upload-CID`), instead of sending an empty chunk
/// the service refuses.
#[tokio::test]
async fn a_lost_answer_to_the_last_chunk_completes_through_head() {
    const MIB: u64 = 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.bin");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(2 * MIB)
        .unwrap();
    let cid = pinion::cid::hash_bytes(&vec![0u8; 2 * MIB as usize], pinion::cid::CidVersion::V1)
        .cid
        .to_string();
    let record = format!(
        r#"{{"data":{{"files":[{{"id":"f","name":"two.bin","cid":"{cid}","size":{},"number_of_files":1,"mime_type":"application/octet-stream","group_id":null,"keyvalues":{{}},"created_at":"2024-08-27T14:57:51.485934Z","network":"public"}}],"next_page_token":null}}}}"#,
        2 * MIB
    );
    let head_cid = cid.clone();
    let server = Server::start(move |request, _| match request.method.as_str() {
        "POST" => created("/pinata-uploads/v3/files/f/t"),
        "PATCH" if request.header("upload-offset") == Some("0") => {
            Reply::status(204, &[("upload-offset", &MIB.to_string())], "")
        }
        "PATCH" => Reply::json(500, r#"{"error":{"code":500,"message":"lost"}}"#),
        "HEAD" => Reply::status(
            200,
            &[
                ("upload-offset", &(2 * MIB).to_string()),
                ("upload-cid", &head_cid),
            ],
            "",
        ),
        _ => Reply::json(200, &record),
    })
    .await;
    let file = client(&server)
        .upload_file(
            Network::Public,
            &path,
            UploadOptions::default().resumable(true).tus_chunk_size(MIB),
        )
        .await
        .unwrap();
    assert_eq!(file.cid, cid);
    assert!(file.verified);
    assert_eq!(file.bytes_sent, 2 * MIB);
    let seen = server.seen();
    assert_eq!(seen.iter().filter(|r| r.method == "PATCH").count(), 2);
}
