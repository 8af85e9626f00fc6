//! `pinion emulator --memory` stops gracefully on SIGTERM (as on Ctrl-C), leaving no
//! temporary directory behind.

#![cfg(unix)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pinion_testkit::process::emulator_temp_dirs;

#[test]
fn sigterm_stops_the_in_memory_emulator_and_removes_its_temporary_directory() {
    let home = tempfile::tempdir().unwrap();
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let creds = home.path().join("creds.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinion"))
        .args(["emulator", "--memory", "--credentials-out"])
        .arg(&creds)
        .env("TMPDIR", &tmp)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !creds.exists() {
        assert!(Instant::now() < deadline, "the emulator did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(emulator_temp_dirs(&tmp).len(), 1);

    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline + Duration::from_secs(30) {
            let _ = child.kill();
            panic!("still running after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert_eq!(emulator_temp_dirs(&tmp), Vec::<PathBuf>::new());
}
