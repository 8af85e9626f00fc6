//! The options of resumable uploads (issue 17) are checked before any request, never
//! ignored: chunk sizes out of bounds, `resumable` where an upload cannot resume
//! (legacy Pinata, W3IPFS, readers), and a resume handle the caller could not keep.

mod resume_support;

use pinion::Error;
use pinion::credentials::PinataCredentials;
use pinion::pinata_v3::{Network, ResumeHandle};
use pinion::upload::{UploadOptions, UploadSource};
use pinion::{RateLimit, RetryPolicy};
use pinion_emulator::Emulator;
use resume_support::{MIB, files, v3_client, varied_file};

/// A v3 client of a port nobody listens on: any request would fail as a transport
/// error, so an `InvalidInput` proves none was sent.
fn unreachable_client() -> pinion::pinata_v3::Client {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    pinion::pinata::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/pinata"))
        .credentials(PinataCredentials::jwt("a.b.c"))
        .rate_limit(RateLimit::unlimited())
        .retry_policy(RetryPolicy::none())
        .build_v3()
        .unwrap()
}

fn assert_refused(error: &Error, what: &str, says: &str) {
    match error {
        Error::InvalidInput { what: found, why } => {
            assert_eq!(found, what, "{error}");
            assert!(why.contains(says), "{error}");
        }
        other => panic!("expected invalid {what}, got {other:?}"),
    }
}

#[tokio::test]
async fn chunk_sizes_out_of_bounds_are_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = varied_file(dir.path(), "f.bin", 10, 1);
    let client = unreachable_client();
    for size in [0, MIB - 1, 50 * MIB + 1] {
        let error = client
            .upload_file(
                Network::Public,
                &path,
                UploadOptions::default().tus_chunk_size(size),
            )
            .await
            .unwrap_err();
        assert_refused(&error, "tus_chunk_size", "1 MiB to 50 MiB");
    }
}

#[tokio::test]
async fn uploads_that_cannot_resume_refuse_the_tus_options() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = varied_file(dir.path(), "f.bin", 10, 1);
    let legacy = pinion::pinata::Client::builder()
        .base_url("http://127.0.0.1:9/pinata")
        .credentials(PinataCredentials::jwt("a.b.c"))
        .build()
        .unwrap();
    let error = legacy
        .pin_file(&path, UploadOptions::default().resumable(true))
        .await
        .unwrap_err();
    assert_refused(&error, "resumable", "cannot be resumed");
    let error = legacy
        .pin_file(&path, UploadOptions::default().tus_chunk_size(MIB))
        .await
        .unwrap_err();
    assert_refused(&error, "tus_chunk_size", "cannot be resumed");

    let w3ipfs = pinion::w3ipfs::Client::builder()
        .base_url("http://127.0.0.1:9/w3ipfs")
        .credentials(pinion::credentials::W3ipfsCredentials::jwt("a.b.c"))
        .build()
        .unwrap();
    let error = w3ipfs
        .upload(
            UploadSource::File(path.clone()),
            UploadOptions::default().on_resume_handle(|_| Ok(())),
        )
        .await
        .unwrap_err();
    assert_refused(&error, "on_resume_handle", "cannot be resumed");

    // Over v3: a reader cannot be read again, a directory goes in one request.
    let client = unreachable_client();
    let error = client
        .upload(
            Network::Public,
            UploadSource::reader("r.bin", std::io::Cursor::new(vec![1u8; 10])),
            UploadOptions::default().resumable(true),
        )
        .await
        .unwrap_err();
    assert_refused(&error, "resumable", "reader");
    let error = client
        .upload(
            Network::Public,
            UploadSource::Directory(dir.path().to_owned()),
            UploadOptions::default().resumable(true),
        )
        .await
        .unwrap_err();
    assert_refused(&error, "resumable", "cannot be resumed");
}

#[tokio::test]
async fn a_handle_the_caller_could_not_keep_stops_the_upload_before_its_first_byte() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = v3_client(emulator.credentials(), 2);
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = varied_file(dir.path(), "f.bin", 2 * MIB, 1);
    let error = client
        .upload_file(
            Network::Public,
            &path,
            UploadOptions::default()
                .resumable(true)
                .on_resume_handle(|_: &ResumeHandle| Err(std::io::Error::other("disk full"))),
        )
        .await
        .unwrap_err();
    assert_refused(&error, "resume handle", "disk full");
    assert_eq!(emulator.tus_received().bytes_received, 0);
    assert!(files(&client, Network::Public).await.is_empty());
}

#[tokio::test]
async fn bytes_sent_counts_multipart_bodies_and_resumable_small_files_take_tus() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = v3_client(emulator.credentials(), 2);
    let dir = tempfile::tempdir().unwrap();
    let (path, cid) = varied_file(dir.path(), "small.bin", 1000, 2);
    let multipart = client
        .upload_file(Network::Public, &path, UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(multipart.cid, cid);
    // The file and the form fields around it.
    assert!(
        (1000..2000).contains(&multipart.bytes_sent),
        "{}",
        multipart.bytes_sent
    );
    assert_eq!(emulator.tus_received().bytes_received, 0);

    let kept = std::sync::Arc::new(std::sync::Mutex::new(0));
    let count = kept.clone();
    let tus = client
        .upload_file(
            Network::Private,
            &path,
            UploadOptions::default()
                .resumable(true)
                .on_resume_handle(move |handle| {
                    assert_eq!(handle.len(), 1000);
                    *count.lock().unwrap() += 1;
                    Ok(())
                }),
        )
        .await
        .unwrap();
    assert_eq!(tus.cid, cid);
    assert!(tus.verified);
    assert_eq!(tus.bytes_sent, 1000);
    assert_eq!(*kept.lock().unwrap(), 1);
    assert_eq!(emulator.tus_received().bytes_received, 1000);
}
