//! An in-process emulator (library use, tests) removes its temporary directory when it
//! is shut down or dropped, even while clients still hold connections to it.

mod common;

use std::path::{Path, PathBuf};

use common::Api;
use pinion_emulator::{Emulator, RunningEmulator};
use pinion_testkit::process::emulator_temp_dirs;

/// An emulator using `tmp`, with an upload kept and a keep-alive connection open.
async fn used_emulator(tmp: &Path) -> (RunningEmulator, Api) {
    let emulator = Emulator::builder().temp_dir(tmp).start().await.unwrap();
    let pinata = Api::pinata(&emulator);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![1u8; 200_000]).file_name("a.bin"),
    );
    pinata.post_form("/pinning/pinFileToIPFS", form, 200).await;
    assert_eq!(emulator_temp_dirs(tmp).len(), 1);
    (emulator, pinata)
}

#[tokio::test]
async fn shutdown_removes_the_temporary_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let (emulator, _client) = used_emulator(tmp.path()).await;
    emulator.shutdown().await;
    assert_eq!(emulator_temp_dirs(tmp.path()), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn drop_removes_the_temporary_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let (emulator, _client) = used_emulator(tmp.path()).await;
    drop(emulator);
    assert_eq!(emulator_temp_dirs(tmp.path()), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn a_state_directory_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let emulator = Emulator::builder()
        .temp_dir(tmp.path())
        .state_dir(state.path())
        .start()
        .await
        .unwrap();
    assert_eq!(emulator_temp_dirs(tmp.path()), Vec::<PathBuf>::new());
    drop(emulator);
    assert!(state.path().join("state.redb").exists());
}
