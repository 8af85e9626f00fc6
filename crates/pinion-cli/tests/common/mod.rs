//! Shared by the CLI's integration tests: runs the built `pinion` binary with its own
//! config and data directories, and a `pinion emulator` in the background.
// Each test crate uses a part of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub struct Env {
    dir: tempfile::TempDir,
}

/// Every variable that could change which credentials, URLs or transport the CLI uses:
/// cleared for every test run of the binary.
pub const CREDENTIAL_VARS: &[&str] = &[
    "PINATA_JWT",
    "PINATA_API_KEY",
    "PINATA_API_SECRET",
    "PINATA_SUBMARINE_KEY",
    "PINATA_BASE_URL",
    "PINATA_SUBMARINE_BASE_URL",
    "PINATA_GATEWAY_URL",
    "PINATA_UPLOADS_URL",
    "W3IPFS_API_KEY",
    "W3IPFS_SECRET_KEY",
    "W3IPFS_JWT",
    "W3IPFS_BASE_URL",
    "PSA_TOKEN",
    "PSA_BASE_URL",
    "PINION_SERVICE",
    "PINION_PROFILE",
    "PINION_LOG",
    "PINION_ALLOW_INSECURE_HTTP",
];

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config").join("pinion")
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pinion"));
        for var in CREDENTIAL_VARS {
            command.env_remove(var);
        }
        command
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "pinion {args:?} failed ({:?}):\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Runs and expects failure; returns (exit code, stdout + stderr).
    pub fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "pinion {args:?} should have failed");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    pub fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

pub fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default().trim()
}

/// A `pinion emulator --memory` in the background, stopped on drop.
pub struct Served {
    pub child: std::process::Child,
    pub admin: Value,
}

impl Served {
    pub fn start(env: &Env) -> Self {
        let creds = env.path().join("served.json");
        let child = env
            .command()
            .args([
                "emulator",
                "--memory",
                "--credentials-out",
                creds.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while !creds.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let admin = serde_json::from_str(&std::fs::read_to_string(&creds).unwrap()).unwrap();
        Self { child, admin }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
