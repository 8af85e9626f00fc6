//! The IPFS Pinning Service API compliance suite (npm
//! `@ipfs-shipyard/pinning-service-compliance`, pinned in `scenarios/psa-compliance/`) against
//! the emulator binary's two PSA endpoints: Pinata's `/psa` with the admin key's JWT, and
//! W3IPFS's `/api/psa` with the login JWT (the emulator started with `--psa-retrievable`).
//!
//! The suite always exits 0, so its verdicts are read from the markdown report it writes and
//! compared with the committed lists `scenarios/psa-compliance/expected-pinata.txt` and
//! `expected-w3ipfs.txt`: a missing or different verdict fails. Every check passes on W3IPFS;
//! on Pinata only the failures that its recorded deviations (`D1`… in `spec/psa.sources.md`)
//! explain, each `fail` line carrying a comment that names its deviation.
//!
//! The suite loads the standard from the network at run time. Offline, its `specLocation`
//! (in `dist/src/utils/constants.js`) is patched to read the path in `PINION_PSA_SPEC`, which
//! this harness sets to `../shared/reference/upstream/ipfs-pinning-service-v1.0.0.yaml` from
//! the repository root (the exact file the suite would fetch), and its report directory to
//! `PINION_PSA_REPORT_DIR`, a temporary directory per run.
//!
//! `#[ignore]`d: it needs Node.js and `npm ci --ignore-scripts` in `scenarios/psa-compliance`
//! (`.ci/run` does both, then runs `cargo test -p pinion-emulator --test psa_compliance --
//! --ignored`). The verdict parsing is tested without the suite.

#[path = "psa_compliance/verdicts.rs"]
mod verdicts;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Longest one run of the suite may take (it creates about 20 pins and pages through them).
const SUITE_TIMEOUT: Duration = Duration::from_secs(600);

/// The suite's file that names where the standard and the reports are.
const CONSTANTS: &str =
    "node_modules/@ipfs-shipyard/pinning-service-compliance/dist/src/utils/constants.js";

/// Each line of `CONSTANTS` the harness replaces, and its replacement. The standard is never
/// fetched: without `PINION_PSA_SPEC` the suite fails at once.
const PATCHES: &[(&str, &str)] = &[
    (
        "const specLocation = `https://raw.githubusercontent.com/ipfs/pinning-services-api-spec/${specVersion}/${specFile}`;",
        "const specLocation = process.env.PINION_PSA_SPEC ?? (() => { throw new Error('PINION_PSA_SPEC is not set (pinion: the standard is never fetched)'); })();",
    ),
    (
        "const docsDir = resolve(_dirname, '..', '..', 'docs');",
        "const docsDir = process.env.PINION_PSA_REPORT_DIR ?? resolve(_dirname, '..', '..', 'docs');",
    ),
];

/// Which emulated service a run checks.
#[derive(Clone, Copy, Debug)]
enum Service {
    Pinata,
    W3ipfs,
}

impl Service {
    fn expected_file(self) -> &'static str {
        match self {
            Self::Pinata => "expected-pinata.txt",
            Self::W3ipfs => "expected-w3ipfs.txt",
        }
    }

    /// The PSA endpoint and token from the emulator's credentials file.
    fn endpoint(self, credentials: &serde_json::Value) -> (String, String) {
        let key = match self {
            Self::Pinata => "pinata",
            Self::W3ipfs => "w3ipfs",
        };
        let access = &credentials[key];
        let base = access["base_url"].as_str().expect("a base URL");
        let token = access["jwt"].as_str().expect("a JWT");
        (format!("{base}/psa"), token.to_string())
    }

    fn emulator_flags(self) -> &'static [&'static str] {
        match self {
            Self::Pinata => &[],
            // The suite pins CIDs of content nobody holds and expects them found by name
            // (default status filter: pinned), as on a service that retrieves at once.
            Self::W3ipfs => &["--psa-retrievable"],
        }
    }
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

fn suite_dir() -> PathBuf {
    repository_root().join("scenarios/psa-compliance")
}

/// The standard the suite validates answers against, beside the repository.
fn standard() -> PathBuf {
    let path =
        repository_root().join("../shared/reference/upstream/ipfs-pinning-service-v1.0.0.yaml");
    path.canonicalize().unwrap_or_else(|error| {
        panic!(
            "the PSA standard is expected at {} (shared/ beside the repository): {error}",
            path.display()
        )
    })
}

/// Patches the installed suite once (idempotent across runs and processes).
fn patch_suite() {
    static PATCHED: Mutex<bool> = Mutex::new(false);
    let mut patched = PATCHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if *patched {
        return;
    }
    let path = suite_dir().join(CONSTANTS);
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error}; run `npm ci --ignore-scripts` in scenarios/psa-compliance first",
            path.display()
        )
    });
    for (original, replacement) in PATCHES {
        if text.contains(replacement) {
            continue;
        }
        assert!(
            text.contains(original),
            "{} no longer holds `{original}`: the suite changed, update the harness",
            path.display()
        );
        text = text.replace(original, replacement);
    }
    std::fs::write(&path, text).expect("the suite's constants.js is writable");
    *patched = true;
}

/// A running emulator binary, killed when dropped.
struct Emulator {
    child: Child,
    credentials: serde_json::Value,
    _dir: tempfile::TempDir,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_emulator(flags: &[&str]) -> Emulator {
    let dir = tempfile::tempdir().expect("a temp dir");
    let credentials = dir.path().join("credentials.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"))
        .arg("--credentials-out")
        .arg(&credentials)
        .arg("--quiet-credentials")
        .args(flags)
        .env("TMPDIR", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the emulator binary starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let credentials = loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the emulator exited before writing its credentials: {status}");
        }
        let parsed = std::fs::read(&credentials)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        if let Some(parsed) = parsed {
            break parsed;
        }
        assert!(Instant::now() < deadline, "no credentials file after 30 s");
        std::thread::sleep(Duration::from_millis(50));
    };
    Emulator {
        child,
        credentials,
        _dir: dir,
    }
}

/// Runs the suite against one service's endpoint; returns its report (markdown).
fn run_suite(service: Service) -> String {
    patch_suite();
    let emulator = start_emulator(service.emulator_flags());
    let (endpoint, token) = service.endpoint(&emulator.credentials);
    let reports = tempfile::tempdir().expect("a temp dir");
    let log_path = reports.path().join("suite.log");
    let log = std::fs::File::create(&log_path).expect("a log file");
    let mut command = Command::new("node");
    command
        .arg("node_modules/@ipfs-shipyard/pinning-service-compliance/dist/src/index.js")
        .arg("--serviceAndToken")
        .arg(&endpoint)
        .arg(&token)
        .current_dir(suite_dir())
        .env("PINION_PSA_SPEC", standard())
        .env("PINION_PSA_REPORT_DIR", reports.path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("a log handle"))
        .stderr(log);
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        command.env_remove(name).env_remove(name.to_lowercase());
    }
    let mut child = command.spawn().expect("node runs the suite");
    let deadline = Instant::now() + SUITE_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the suite's status") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{service:?}: the suite still ran after {SUITE_TIMEOUT:?}; its log:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let host = url::Url::parse(&endpoint)
        .expect("an endpoint URL")
        .host_str()
        .expect("a host")
        .to_string();
    let report_path = reports.path().join(format!("{host}.md"));
    std::fs::read_to_string(&report_path).unwrap_or_else(|error| {
        panic!(
            "{service:?}: no report at {} ({error}); the suite exited with {status}, its log:\n{}",
            report_path.display(),
            std::fs::read_to_string(&log_path).unwrap_or_default()
        )
    })
}

/// The expected verdicts of `service`, with every `fail` line checked to name a recorded
/// deviation of `spec/psa.sources.md`.
fn expected(service: Service) -> verdicts::Expected {
    let path = suite_dir().join(service.expected_file());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let expected = verdicts::parse_expected(&text)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let sources = std::fs::read_to_string(repository_root().join("spec/psa.sources.md"))
        .expect("spec/psa.sources.md");
    for (line, comments) in &expected.failures {
        let tags: Vec<String> = comments
            .iter()
            .flat_map(|comment| verdicts::deviation_tags(comment))
            .collect();
        assert!(
            !tags.is_empty(),
            "{}: `{line}` needs a comment above it naming the deviation that explains it (D1…)",
            path.display()
        );
        for tag in tags {
            assert!(
                sources.contains(&format!("| {tag} |")),
                "{}: `{line}` names {tag}, which spec/psa.sources.md does not record",
                path.display()
            );
        }
    }
    expected
}

fn check(service: Service) {
    let expected = expected(service);
    let report = run_suite(service);
    let actual = verdicts::from_report(&report).unwrap_or_else(|error| {
        panic!("{service:?}: {error}; the report:\n{report}");
    });
    let differences = verdicts::differences(&expected.verdicts, &actual);
    assert!(
        differences.is_empty(),
        "{service:?}: the suite's verdicts differ from scenarios/psa-compliance/{}:\n{}\n\n\
         every verdict of this run:\n{}\n\nthe report:\n{report}",
        service.expected_file(),
        differences.join("\n"),
        actual.iter().cloned().collect::<Vec<_>>().join("\n"),
    );
    println!(
        "{service:?}: {} verdicts as expected ({} expected failures)",
        actual.len(),
        expected.failures.len()
    );
}

#[test]
#[ignore = "needs Node.js and `npm ci --ignore-scripts` in scenarios/psa-compliance (.ci/run does both)"]
fn pinata_psa_gives_the_expected_verdicts() {
    check(Service::Pinata);
}

#[test]
#[ignore = "needs Node.js and `npm ci --ignore-scripts` in scenarios/psa-compliance (.ci/run does both)"]
fn w3ipfs_psa_passes_every_check() {
    let expected = expected(Service::W3ipfs);
    assert!(
        expected.failures.is_empty(),
        "W3IPFS follows the standard: expected-w3ipfs.txt may list no failure, found {:?}",
        expected.failures
    );
    check(Service::W3ipfs);
}
