//! Child processes for tests and benchmarks: wall time and peak RSS of one run, and an
//! emulator process with its admin credentials.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What one measured run of a child process took.
#[derive(Debug, Clone)]
pub struct Measured {
    /// From spawn to exit.
    pub wall: Duration,
    /// Peak resident set (`VmHWM`), MiB, polled every few milliseconds.
    pub peak_rss_mib: f64,
    /// Its standard output.
    pub stdout: String,
}

impl Measured {
    /// Its standard output as JSON; panics, showing it, when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// The peak resident set (`VmHWM`) of process `pid` in KiB, while it lives.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// Runs `command` to completion, polling its peak RSS. Panics, with its standard
/// error, when it fails: a benchmark must not report figures of a failed run.
pub fn measure(mut command: Command) -> Measured {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
    let mut peak_kib = 0;
    while child.try_wait().expect("wait on the child").is_none() {
        if let Some(kib) = peak_rss_kib(child.id()) {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = started.elapsed();
    let output = child.wait_with_output().expect("the child's output");
    assert!(
        output.status.success(),
        "{:?} failed ({}): {}",
        command.get_program(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Measured {
        wall,
        peak_rss_mib: peak_kib as f64 / 1024.0,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    }
}

/// The mean wall time of `runs` runs of the command `make` builds (output discarded).
pub fn mean_wall(runs: u32, mut make: impl FnMut() -> Command) -> Duration {
    let started = Instant::now();
    for _ in 0..runs {
        let mut command = make();
        let status = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        assert!(
            status.success(),
            "{:?} failed: {status}",
            command.get_program()
        );
    }
    started.elapsed() / runs
}

/// The temporary directories of emulators (`pinion-emulator-*`) in `parent`, sorted:
/// what tests look at to see that an emulator left nothing behind.
pub fn emulator_temp_dirs(parent: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(parent)
        .unwrap_or_else(|e| panic!("reading {}: {e}", parent.display()))
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("pinion-emulator-")
        })
        .map(|entry| entry.path())
        .collect();
    dirs.sort();
    dirs
}

/// An emulator running in its own process, killed when dropped.
#[derive(Debug)]
pub struct EmulatorProcess {
    child: Child,
    /// The admin credentials it wrote (`AdminCredentials` as JSON).
    pub credentials: serde_json::Value,
}

impl EmulatorProcess {
    /// Starts `command` (the `pinion-emulator` binary or `pinion emulator`, already
    /// given `--credentials-out credentials_file`) and waits for the credentials file.
    pub fn start(mut command: Command, credentials_file: &Path) -> Self {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        let deadline = Instant::now() + Duration::from_secs(60);
        let credentials = loop {
            if let Ok(text) = std::fs::read_to_string(credentials_file)
                && let Ok(value) = serde_json::from_str(&text)
            {
                break value;
            }
            if let Some(status) = child.try_wait().expect("wait on the emulator") {
                panic!("the emulator exited before it was ready: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "the emulator did not start in 60 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Self { child, credentials }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A string field of the credentials, such as `("pinata", "jwt")`.
    pub fn credential(&self, service: &str, field: &str) -> String {
        self.credentials[service][field]
            .as_str()
            .unwrap_or_else(|| panic!("no {service}.{field} in the emulator's credentials"))
            .to_owned()
    }
}

impl Drop for EmulatorProcess {
    /// Stops the emulator with SIGTERM, so it shuts down gracefully and removes its
    /// temporary directory; SIGKILL only when it has not stopped 10 s later.
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let terminated = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status()
                .is_ok_and(|status| status.success());
            let deadline = Instant::now() + Duration::from_secs(10);
            while terminated && Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
