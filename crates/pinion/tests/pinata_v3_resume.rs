//! Resumable TUS uploads (issue 17) through the library against the embedded
//! emulator: connections cut mid-body, a file changed mid-upload, an upload stopped
//! and resumed by a "new process" (a new client, the handle read back from JSON), and
//! a handle whose upload the service no longer knows.

mod resume_support;

use std::sync::{Arc, Mutex};

use pinion::Error;
use pinion::pinata_v3::{Network, ResumeHandle};
use pinion::upload::UploadOptions;
use pinion_emulator::{Emulator, Faults};
use resume_support::{MIB, files, url_token, v3_client, varied_file};

/// The JSON of the handles an upload announced.
type Kept = Arc<Mutex<Vec<String>>>;

/// Keeps the JSON of every handle an upload announces.
fn handle_keeper() -> (
    Kept,
    impl Fn(&ResumeHandle) -> std::io::Result<()> + Send + Sync + 'static,
) {
    let kept = Arc::new(Mutex::new(Vec::new()));
    let sink = kept.clone();
    (kept, move |handle: &ResumeHandle| {
        sink.lock().unwrap().push(handle.to_json());
        Ok(())
    })
}

// Two threads: on one, the emulator could read only while the client was not
// writing, so megabytes would wait in socket buffers and be lost at each cut, which
// measures the test's scheduling rather than the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_cut_mid_body_cost_little_and_the_cid_is_right() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = v3_client(emulator.credentials(), 10);
    let dir = tempfile::tempdir().unwrap();
    let len = 64 * MIB;
    let (path, cid) = varied_file(dir.path(), "cut.bin", len, 17);
    emulator
        .set_faults(Faults {
            cut_requests: 6,
            ..Faults::default()
        })
        .unwrap();
    let (handles, keep) = handle_keeper();
    let file = client
        .upload_file(
            Network::Public,
            &path,
            UploadOptions::default()
                .resumable(true)
                .tus_chunk_size(8 * MIB)
                .on_resume_handle(keep),
        )
        .await
        .unwrap();
    let received = emulator.tus_received();
    eprintln!("client sent {}, {received:?}", file.bytes_sent);
    assert!(received.cuts >= 5, "{received:?}");
    assert!(file.verified);
    assert_eq!(file.cid, cid);
    assert_eq!(file.resumed_from, 0);
    assert!(
        file.bytes_sent <= len + len / 4,
        "{} bytes sent for {len}",
        file.bytes_sent
    );
    // The client counts what it handed the connection; the emulator what it read. The
    // difference is what was in flight at each cut.
    assert!(
        file.bytes_sent >= received.bytes_received,
        "client {} < emulator {}",
        file.bytes_sent,
        received.bytes_received
    );
    assert!(
        file.bytes_sent - received.bytes_received <= 8 * MIB,
        "client {} vs emulator {}",
        file.bytes_sent,
        received.bytes_received
    );
    assert!(received.bytes_received >= len);
    assert_eq!(handles.lock().unwrap().len(), 1, "one upload created");
    assert_eq!(files(&client, Network::Public).await.len(), 1);
}

#[tokio::test]
async fn a_file_modified_mid_upload_is_refused_and_nothing_is_pinned() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = v3_client(emulator.credentials(), 4);
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = varied_file(dir.path(), "moving.bin", 4 * MIB, 3);
    let target = path.clone();
    let modified = Arc::new(Mutex::new(false));
    let once = modified.clone();
    let error = client
        .upload_file(
            Network::Public,
            &path,
            UploadOptions::default()
                .resumable(true)
                .tus_chunk_size(MIB)
                .on_progress(move |progress| {
                    let mut done = once.lock().unwrap();
                    if progress.sent >= MIB && !*done {
                        // Same length, other bytes: only the modification time tells.
                        use std::io::{Seek, Write};
                        let mut file = std::fs::OpenOptions::new()
                            .write(true)
                            .open(&target)
                            .unwrap();
                        let before = file.metadata().unwrap().modified().unwrap();
                        file.seek(std::io::SeekFrom::Start(3 * MIB)).unwrap();
                        file.write_all(b"changed").unwrap();
                        file.set_modified(before + std::time::Duration::from_secs(1))
                            .unwrap();
                        *done = true;
                    }
                }),
        )
        .await
        .unwrap_err();
    assert!(*modified.lock().unwrap());
    assert!(matches!(error, Error::FileChanged { .. }), "{error:?}");
    assert!(error.to_string().contains("modified"), "{error}");
    assert!(error.to_string().contains("--restart"), "{error}");
    assert!(files(&client, Network::Public).await.is_empty());
}

/// A change seen only once the service has every byte (here, as the last chunk is
/// confirmed): the file the service made of it is deleted, not left pinned half-old.
#[tokio::test]
async fn a_file_changed_during_the_last_chunk_is_not_left_pinned() {
    let emulator = Emulator::builder().start().await.unwrap();
    let client = v3_client(emulator.credentials(), 4);
    let dir = tempfile::tempdir().unwrap();
    let len = 2 * MIB;
    let (path, _) = varied_file(dir.path(), "late.bin", len, 13);
    let target = path.clone();
    let error = client
        .upload_file(
            Network::Public,
            &path,
            UploadOptions::default()
                .resumable(true)
                .tus_chunk_size(MIB)
                .on_progress(move |progress| {
                    if progress.sent == len {
                        let file = std::fs::File::options().write(true).open(&target).unwrap();
                        let before = file.metadata().unwrap().modified().unwrap();
                        file.set_modified(before + std::time::Duration::from_secs(5))
                            .unwrap();
                    }
                }),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::FileChanged { .. }), "{error:?}");
    assert!(error.to_string().contains("was deleted"), "{error}");
    assert!(files(&client, Network::Public).await.is_empty());
}

/// Uploads `path` until the service confirmed `stop_at` bytes, then drops the upload
/// (as a killed process would): the handle's JSON.
async fn upload_until(
    client: &pinion::pinata_v3::Client,
    path: &std::path::Path,
    stop_at: u64,
) -> String {
    let (handles, keep) = handle_keeper();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let upload = client.upload_file(
        Network::Private,
        path,
        UploadOptions::default()
            .resumable(true)
            .tus_chunk_size(MIB)
            .keyvalue("run", "first")
            .on_resume_handle(keep)
            .on_progress(move |progress| {
                if progress.sent >= stop_at {
                    stop.send_replace(true);
                }
            }),
    );
    let mut stopped = stopped;
    tokio::select! {
        result = upload => panic!("the upload was to be stopped, it ended: {result:?}"),
        _ = stopped.wait_for(|stop| *stop) => {}
    }
    let handles = handles.lock().unwrap();
    assert_eq!(handles.len(), 1);
    handles[0].clone()
}

#[tokio::test]
async fn an_upload_stopped_midway_resumes_in_a_new_process() {
    let emulator = Emulator::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let len = 6 * MIB + 123;
    let (path, cid) = varied_file(dir.path(), "resumed.bin", len, 5);
    let json = upload_until(&v3_client(emulator.credentials(), 4), &path, 3 * MIB).await;
    let token = url_token(&json);

    // A new process: a new client, the handle read back.
    let client = v3_client(emulator.credentials(), 4);
    let handle = ResumeHandle::from_json(&json).unwrap();
    assert_eq!(handle.len(), len);
    assert_eq!(handle.path(), std::fs::canonicalize(&path).unwrap());
    assert!(!format!("{handle:?}").contains(&token), "{handle:?}");
    let file = client
        .resume_upload(&handle, UploadOptions::default())
        .await
        .unwrap();
    assert!(file.resumed_from >= 3 * MIB, "{}", file.resumed_from);
    assert_eq!(file.bytes_sent, len - file.resumed_from);
    assert!(file.verified);
    assert_eq!(file.cid, cid);
    assert_eq!(file.name.as_deref(), Some("resumed.bin"));
    assert_eq!(file.keyvalues["run"], "first");
    let all = files(&client, Network::Private).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].cid, cid);

    // Resuming a completed upload sends nothing and finds the same file.
    let again = client
        .resume_upload(&handle, UploadOptions::default())
        .await
        .unwrap();
    assert_eq!((again.resumed_from, again.bytes_sent), (len, 0));
    assert_eq!(again.id, file.id);
    assert!(again.verified);
    assert_eq!(files(&client, Network::Private).await.len(), 1);

    // Options cannot change what the upload was created with.
    let error = client
        .resume_upload(&handle, UploadOptions::default().name("other.bin"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
}

#[tokio::test]
async fn a_file_changed_between_runs_is_refused_before_anything_is_sent() {
    let emulator = Emulator::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = varied_file(dir.path(), "edited.bin", 4 * MIB, 9);
    let client = v3_client(emulator.credentials(), 4);
    let json = upload_until(&client, &path, MIB).await;
    let received = emulator.tus_received().bytes_received;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .set_len(4 * MIB + 1)
        .unwrap();
    let handle = ResumeHandle::from_json(&json).unwrap();
    let error = client
        .resume_upload(&handle, UploadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::FileChanged { .. }), "{error:?}");
    assert!(error.to_string().contains("bytes"), "{error}");
    assert_eq!(emulator.tus_received().bytes_received, received);
    assert!(files(&client, Network::Private).await.is_empty());
}

#[tokio::test]
async fn an_upload_the_service_forgot_is_looked_up_by_cid_before_it_is_sent_again() {
    let first = Emulator::builder().start().await.unwrap();
    let port = first.addr().port();
    let dir = tempfile::tempdir().unwrap();
    let len = 3 * MIB;
    let (path, cid) = varied_file(dir.path(), "forgotten.bin", len, 11);
    let json = upload_until(&v3_client(first.credentials(), 4), &path, MIB).await;
    let token = url_token(&json);
    let gone = first.credentials().clone();
    first.shutdown().await;

    // Nobody answers: the error does not show the upload's token.
    let handle = ResumeHandle::from_json(&json).unwrap();
    let down = v3_client(&gone, 1)
        .resume_upload(&handle, UploadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(down, Error::Transport { .. }), "{down:?}");
    assert!(!format!("{down:?}").contains(&token), "{down:?}");
    assert!(!down.to_string().contains(&token), "{down}");

    // A client of another host refuses the handle: its credentials would go there.
    let elsewhere = Emulator::builder().start().await.unwrap();
    let refused = v3_client(elsewhere.credentials(), 1)
        .resume_upload(&handle, UploadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused}");
    assert!(refused.to_string().contains("uploads host"), "{refused}");
    assert!(!format!("{refused:?}").contains(&token), "{refused:?}");

    // The emulator comes back on the same port without its state: the upload is
    // unknown (404), its CID too, so it is created anew and sent from the start.
    let second = Emulator::builder().port(port).start().await.unwrap();
    let client = v3_client(second.credentials(), 4);
    let (handles, keep) = handle_keeper();
    let file = client
        .resume_upload(&handle, UploadOptions::default().on_resume_handle(keep))
        .await
        .unwrap();
    assert_eq!((file.resumed_from, file.bytes_sent), (0, len));
    assert_eq!(file.cid, cid);
    assert!(file.verified);
    let renewed = handles.lock().unwrap().clone();
    assert_eq!(renewed.len(), 1, "the new upload's handle was announced");
    assert_ne!(url_token(&renewed[0]), token);

    // The old handle again: still unknown, but its CID is there now, so nothing is
    // sent and the same file comes back.
    let found = client
        .resume_upload(&handle, UploadOptions::default())
        .await
        .unwrap();
    assert_eq!((found.resumed_from, found.bytes_sent), (len, 0));
    assert_eq!(found.id, file.id);
    assert_eq!(files(&client, Network::Private).await.len(), 1);
}
