//! The `pinion-emulator` binary: start-up output, `--credentials-out`, `--state-dir`, and
//! a temp directory left as it was found however the process ends.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{http, json};
use pinion_emulator::AdminCredentials;
use pinion_testkit::process::emulator_temp_dirs;

struct Running(Child);

impl Running {
    /// Sends SIGTERM, as `kill` and service managers do, and waits for the exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running 30 s after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `tmp` as its temp directory (`TMPDIR`), so that whatever it
/// leaves there is the test's to see, not the machine's.
fn spawn(tmp: &Path, args: &[&str]) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"))
        .args(args)
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    Running(child)
}

fn wait_for(path: &std::path::Path) -> AdminCredentials {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return serde_json::from_str(&text).expect("the credentials file is complete JSON");
        }
        assert!(Instant::now() < deadline, "no credentials file after 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn prints_base_urls_and_writes_credentials_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("creds.json");
    let tmp = tempfile::tempdir().unwrap();
    let mut running = spawn(
        tmp.path(),
        &["--port", "0", "--credentials-out", out.to_str().unwrap()],
    );
    let credentials = wait_for(&out);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for (service, fields) in [
        (
            "pinata",
            &[
                "base_url",
                "v3_base_url",
                "uploads_url",
                "gateway_url",
                "jwt",
                "api_key",
                "api_secret",
            ][..],
        ),
        ("submarine", &["base_url", "api_key", "gateway_url"][..]),
        ("w3ipfs", &["base_url", "api_key", "secret_key", "jwt"][..]),
    ] {
        for field in fields {
            assert!(
                raw[service][field].is_string(),
                "{service}.{field} missing in {raw}"
            );
        }
    }
    assert!(credentials.pinata.base_url.ends_with("/pinata"));
    assert!(
        credentials
            .submarine
            .base_url
            .ends_with("/submarine/api/v1")
    );
    assert!(credentials.w3ipfs.base_url.ends_with("/w3ipfs/api"));

    let stdout = running.0.stdout.take().unwrap();
    let first_lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(7)
        .map(Result::unwrap)
        .collect();
    assert!(first_lines[0].starts_with("pinion emulator listening on http://127.0.0.1:"));
    for base in [
        &credentials.w3ipfs.base_url,
        &credentials.pinata.v3_base_url,
        &credentials.pinata.uploads_url,
    ] {
        assert!(first_lines.iter().any(|l| l.contains(base.as_str())));
    }

    let answer = http()
        .get(format!(
            "{}/data/testAuthentication",
            credentials.pinata.base_url
        ))
        .bearer_auth(&credentials.pinata.jwt)
        .send()
        .await
        .unwrap();
    json(answer, 200).await;
}

#[tokio::test]
async fn state_dir_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let out = dir.path().join("creds.json");
    let args = [
        "--state-dir",
        state.to_str().unwrap(),
        "--credentials-out",
        out.to_str().unwrap(),
    ];
    let first = spawn(dir.path(), &args);
    let before = wait_for(&out);
    drop(first); // SIGKILL
    std::fs::remove_file(&out).unwrap();
    let _second = spawn(dir.path(), &args);
    let after = wait_for(&out);
    assert_eq!(before.pinata.jwt, after.pinata.jwt);
    assert_eq!(before.w3ipfs.api_key, after.w3ipfs.api_key);
    let answer = http()
        .get(format!(
            "{}/apiKeys/testAuthentication",
            after.w3ipfs.base_url
        ))
        .header("pinning_api_key", &after.w3ipfs.api_key)
        .header("pinning_secret_key", &after.w3ipfs.secret_key)
        .send()
        .await
        .unwrap();
    json(answer, 200).await;
}

#[test]
fn bad_fault_rates_are_refused_with_a_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"))
        .args(["--fault-503", "1.5"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error_rate_503 must be between 0 and 1"),
        "{stderr}"
    );
}

#[test]
fn a_bad_cut_rate_is_refused_with_a_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"))
        .args(["--fault-cut-rate", "1.5"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cut_request_rate must be between 0 and 1"),
        "{stderr}"
    );
}

#[tokio::test]
async fn cut_flags_set_the_faults() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("creds.json");
    let _running = spawn(
        tmp.path(),
        &[
            "--credentials-out",
            out.to_str().unwrap(),
            "--fault-cut-rate",
            "0.25",
            "--fault-cut-requests",
            "3",
        ],
    );
    let credentials = wait_for(&out);
    let origin = credentials.pinata.base_url.trim_end_matches("/pinata");
    let faults = http()
        .get(format!("{origin}/_emulator/faults"))
        .send()
        .await
        .unwrap();
    let faults = json(faults, 200).await;
    assert_eq!(faults["cut_request_rate"], 0.25);
    assert_eq!(faults["cut_requests"], 3);
}

#[tokio::test]
async fn sigterm_stops_gracefully_and_leaves_no_temporary_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("creds.json");
    let running = spawn(tmp.path(), &["--credentials-out", out.to_str().unwrap()]);
    let credentials = wait_for(&out);
    let upload = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![7u8; 100_000]).file_name("kept.bin"),
    );
    let answer = http()
        .post(format!(
            "{}/pinning/pinFileToIPFS",
            credentials.pinata.base_url
        ))
        .bearer_auth(&credentials.pinata.jwt)
        .multipart(upload)
        .send()
        .await
        .unwrap();
    json(answer, 200).await;
    assert_eq!(
        emulator_temp_dirs(tmp.path()).len(),
        1,
        "one directory while it runs"
    );

    let status = running.terminate();
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
    assert_eq!(emulator_temp_dirs(tmp.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_start_after_kill_9_removes_the_killed_emulators_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("creds.json");
    let args = ["--credentials-out", out.to_str().unwrap()];
    let killed = spawn(tmp.path(), &args);
    wait_for(&out);
    let left = emulator_temp_dirs(tmp.path());
    assert_eq!(left.len(), 1);
    drop(killed); // SIGKILL: no chance to clean up
    assert_eq!(emulator_temp_dirs(tmp.path()), left, "kill -9 leaves it");

    std::fs::remove_file(&out).unwrap();
    let second = spawn(tmp.path(), &args);
    wait_for(&out);
    let now = emulator_temp_dirs(tmp.path());
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, left, "the killed emulator's directory is gone");

    // A third emulator running beside the second leaves the second's directory alone.
    let other_out = tmp.path().join("other.json");
    let third = spawn(
        tmp.path(),
        &["--credentials-out", other_out.to_str().unwrap()],
    );
    wait_for(&other_out);
    assert_eq!(emulator_temp_dirs(tmp.path()).len(), 2);
    assert!(third.terminate().success());
    assert!(second.terminate().success());
    assert_eq!(emulator_temp_dirs(tmp.path()), Vec::<PathBuf>::new());
}

#[test]
fn benchmarks_stopping_their_emulator_leave_no_temporary_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("creds.json");
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"));
    command
        .args(["--credentials-out", out.to_str().unwrap()])
        .env("TMPDIR", tmp.path());
    let emulator = pinion_testkit::process::EmulatorProcess::start(command, &out);
    assert_eq!(emulator_temp_dirs(tmp.path()).len(), 1);
    drop(emulator);
    assert_eq!(emulator_temp_dirs(tmp.path()), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn psa_retrievable_turns_on_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = dir.path().join("creds.json");
    let _running = spawn(
        tmp.path(),
        &[
            "--psa-retrievable",
            "--credentials-out",
            out.to_str().unwrap(),
        ],
    );
    let credentials = wait_for(&out);
    let base = format!("{}/psa/pins", credentials.w3ipfs.base_url);
    let cid = pinion_cid::hash_bytes(b"on no machine", pinion_cid::CidVersion::V1)
        .cid
        .to_string();
    let created = json(
        http()
            .post(&base)
            .bearer_auth(&credentials.w3ipfs.jwt)
            .json(&serde_json::json!({ "cid": cid }))
            .send()
            .await
            .unwrap(),
        202,
    )
    .await;
    let id = created["requestid"].as_str().unwrap();
    // Unknown content counts as retrieved at its next step (queued without the flag).
    let got = json(
        http()
            .get(format!("{base}/{id}"))
            .bearer_auth(&credentials.w3ipfs.jwt)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(got["status"], "pinned", "{got}");
}
