//! An independent TUS client, PyPI's `tuspy` (`tests/tus/resume.py`), against the
//! emulator binary: an upload stopped after a few chunks is resumed by a new client
//! that learns the offset from the server (`HEAD`), and the final `Upload-CID` is the
//! CID `pinion cid --cid-version 1` computes (both are `pinion-cid`'s); the same with
//! the emulator restarted (SIGTERM, same `--state-dir`) in between.
//!
//! They need tuspy, so they are ignored by default and reported as such, never as
//! passed: `pip install -r crates/pinion-emulator/tests/tus/requirements.txt`, then
//! `cargo test -p pinion-emulator --test tus_client -- --ignored`. CI does both.

use std::path::{Path, PathBuf};
use std::process::Command;

use pinion_cid::CidVersion;
use pinion_testkit::process::EmulatorProcess;
use serde_json::Value;

const CHUNK: u64 = 256 * 1024;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tus/resume.py")
}

/// Fails the test, saying how to install it, when tuspy is missing.
fn require_tuspy() {
    let found = Command::new("python3")
        .args(["-c", "import tusclient"])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "python3 cannot import tusclient: pip install -r crates/pinion-emulator/tests/tus/requirements.txt"
    );
}

/// One run of `resume.py`, its JSON line.
fn resume_py(args: &[&str], jwt: &str) -> Value {
    let output = Command::new("python3")
        .arg(script())
        .args(args)
        .env("PINION_TEST_JWT", jwt)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "resume.py {:?} failed:\n{}",
        args[0],
        String::from_utf8_lossy(&output.stderr).replace(jwt, "[redacted]")
    );
    serde_json::from_slice(&output.stdout).expect("resume.py prints one JSON object")
}

struct Emulator {
    state: PathBuf,
    credentials: PathBuf,
    tmp: PathBuf,
}

impl Emulator {
    fn start(&self) -> EmulatorProcess {
        let _ = std::fs::remove_file(&self.credentials);
        let mut command = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"));
        command
            .arg("--state-dir")
            .arg(&self.state)
            .arg("--credentials-out")
            .arg(&self.credentials)
            .arg("--quiet-credentials")
            .env("TMPDIR", &self.tmp);
        EmulatorProcess::start(command, &self.credentials)
    }
}

fn uploads_base(process: &EmulatorProcess) -> String {
    process.credential("pinata", "uploads_url")
}

fn expected_cid(file: &Path) -> String {
    let reader = std::fs::File::open(file).unwrap();
    pinion_cid::hash_reader(reader, CidVersion::V1)
        .unwrap()
        .cid
        .to_string()
}

/// Starts an upload of a 5.25-chunk file, stops it after 2 chunks, optionally
/// restarts the emulator, then resumes it with a new client.
fn cut_and_resume(restart: bool) {
    require_tuspy();
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator {
        state: dir.path().join("state"),
        credentials: dir.path().join("credentials.json"),
        tmp: dir.path().to_owned(),
    };
    let file = dir.path().join("upload.bin");
    pinion_testkit::fixture::write_file(&file, "tus-client", CHUNK * 5 + CHUNK / 4).unwrap();
    let file_arg = file.to_str().unwrap();
    let chunk = CHUNK.to_string();

    let mut process = emulator.start();
    let jwt = process.credential("pinata", "jwt");
    let base = uploads_base(&process);
    let started = resume_py(&["start", &base, "-", file_arg, &chunk, "2"], &jwt);
    assert_eq!(started["offset"], CHUNK * 2);
    let mut location = started["location"].as_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{base}/files/")),
        "{location}"
    );

    let mut resume_base = base.clone();
    if restart {
        drop(process); // SIGTERM
        process = emulator.start();
        resume_base = uploads_base(&process);
        // A new port; the upload is the same path on it.
        location = location.replace(&base, &resume_base);
    }
    let finished = resume_py(
        &["finish", &resume_base, "-", file_arg, &chunk, &location],
        &jwt,
    );
    assert_eq!(finished["resumed_from"], CHUNK * 2, "the server's offset");
    assert_eq!(finished["cid"], expected_cid(&file));
    drop(process);
}

#[test]
#[ignore = "needs tuspy: pip install -r crates/pinion-emulator/tests/tus/requirements.txt, then run with -- --ignored"]
fn tuspy_resumes_a_cut_upload_from_the_servers_offset() {
    cut_and_resume(false);
}

#[test]
#[ignore = "needs tuspy: pip install -r crates/pinion-emulator/tests/tus/requirements.txt, then run with -- --ignored"]
fn tuspy_resumes_a_cut_upload_after_an_emulator_restart() {
    cut_and_resume(true);
}
