//! The peer SDKs' scenarios (`scenarios/` at the repository root) against the emulator
//! binary: each scenario uses one SDK as its users do and exits non-zero on a failed step.
//!
//! `#[ignore]`d: they need Node.js with `npm ci` run in each Node scenario's directory, and
//! Python with `scenarios/pinatapy/requirements.txt` installed (`.ci/run` does both, then
//! runs `cargo test -p pinion-emulator --test peer_sdks -- --ignored`). Each scenario gets a
//! fresh emulator; its output streams to the terminal as it runs. Adding a scenario is one
//! line in [`SCENARIOS`] (see `scenarios/README.md`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How a scenario's SDK reaches the emulator.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reach {
    /// The SDK's own base-URL option, set by the scenario from the credentials file.
    BaseUrl,
    /// `HTTPS_PROXY` at the emulator's plain port: axios-based SDKs then send plain HTTP
    /// with absolute-form targets, routed by `Host`.
    HttpsProxy,
    /// The SDK's default `https://` host, tunnelled with `CONNECT` through the emulator's
    /// TLS front (`--tls`): `HTTPS_PROXY` plus the emulator's CA in `REQUESTS_CA_BUNDLE`,
    /// `NODE_EXTRA_CA_CERTS` and `SSL_CERT_FILE`.
    TlsFront,
}

/// The program that runs a scenario.
#[derive(Clone, Copy, Debug)]
enum Runtime {
    /// `node scenario.mjs`.
    Node,
    /// `python scenario.py` (the scenario's `.venv` when there is one).
    Python,
}

/// One scenario: a directory under `scenarios/` and how it runs.
#[derive(Clone, Copy, Debug)]
struct Scenario {
    dir: &'static str,
    runtime: Runtime,
    reach: Reach,
}

const fn node(dir: &'static str, reach: Reach) -> Scenario {
    Scenario {
        dir,
        runtime: Runtime::Node,
        reach,
    }
}

const fn python(dir: &'static str, reach: Reach) -> Scenario {
    Scenario {
        dir,
        runtime: Runtime::Python,
        reach,
    }
}

/// Every scenario, each run against its own emulator.
const SCENARIOS: &[Scenario] = &[
    // The official SDK (issue 14): Pinata v3 through its endpointUrl/uploadUrl options.
    node("pinata-official", Reach::BaseUrl),
    node("pinata-web3", Reach::BaseUrl),
    node("pinata-sdk", Reach::HttpsProxy),
    node("pinata-submarine", Reach::HttpsProxy),
    python("pinatapy", Reach::BaseUrl),
    python("pinatapy", Reach::TlsFront),
];

/// Longest a scenario may run before it is stopped and failed.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(300);

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

/// The `pinion` binary (`pinion cid`, the local CID computation the scenarios check
/// against): `PINION_CID_BIN`, or the one built beside the emulator binary.
fn pinion_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("PINION_CID_BIN") {
        return PathBuf::from(path);
    }
    let beside = Path::new(env!("CARGO_BIN_EXE_pinion-emulator")).with_file_name("pinion");
    assert!(
        beside.is_file(),
        "the `pinion` binary is needed for `pinion cid`: run `cargo build -p pinion-cli` first \
         (looked for {}), or set PINION_CID_BIN",
        beside.display()
    );
    beside
}

/// A running emulator binary, killed when dropped.
struct Emulator {
    child: Child,
    credentials: PathBuf,
    ca_pem: PathBuf,
    origin: String,
    _dir: tempfile::TempDir,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_emulator(tls: bool) -> Emulator {
    let dir = tempfile::tempdir().expect("a temp dir");
    let credentials = dir.path().join("credentials.json");
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinion-emulator"));
    command
        .arg("--credentials-out")
        .arg(&credentials)
        .arg("--quiet-credentials")
        .env("TMPDIR", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if tls {
        command.arg("--tls");
    }
    let mut child = command.spawn().expect("the emulator binary starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let written: serde_json::Value = loop {
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
    let base = written["pinata"]["base_url"]
        .as_str()
        .expect("a Pinata base URL");
    let origin = url::Url::parse(base)
        .expect("a URL")
        .origin()
        .ascii_serialization();
    Emulator {
        child,
        ca_pem: credentials.with_file_name("ca.pem"),
        credentials,
        origin,
        _dir: dir,
    }
}

/// The command that runs `scenario` (its directory must be installed).
fn scenario_command(root: &Path, scenario: &Scenario) -> Command {
    let dir = root.join("scenarios").join(scenario.dir);
    let mut command = match scenario.runtime {
        Runtime::Node => {
            assert!(
                dir.join("node_modules").is_dir(),
                "run `npm ci` in {} first",
                dir.display()
            );
            let mut command = Command::new("node");
            command.arg("scenario.mjs");
            command
        }
        Runtime::Python => {
            let venv = dir.join(".venv/bin/python");
            let python = if venv.is_file() {
                venv.into_os_string()
            } else {
                std::env::var_os("PINION_PEER_PYTHON").unwrap_or_else(|| "python3".into())
            };
            let mut command = Command::new(python);
            command.arg("scenario.py");
            command
        }
    };
    command.current_dir(dir);
    // The scenario sees only the proxy settings its reach asks for.
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        command.env_remove(name).env_remove(name.to_lowercase());
    }
    command
}

/// Runs one scenario against a fresh emulator; `Err` says how it failed.
fn run(root: &Path, pinion: &Path, scenario: &Scenario) -> Result<(), String> {
    let emulator = start_emulator(scenario.reach == Reach::TlsFront);
    let mut command = scenario_command(root, scenario);
    command
        .env("PINION_CREDENTIALS", &emulator.credentials)
        .env("PINION_CID_BIN", pinion)
        .env("PINION_REACH", format!("{:?}", scenario.reach));
    match scenario.reach {
        Reach::BaseUrl => {}
        Reach::HttpsProxy => {
            command.env("HTTPS_PROXY", &emulator.origin);
        }
        Reach::TlsFront => {
            command
                .env("HTTPS_PROXY", &emulator.origin)
                .env("REQUESTS_CA_BUNDLE", &emulator.ca_pem)
                .env("NODE_EXTRA_CA_CERTS", &emulator.ca_pem)
                .env("SSL_CERT_FILE", &emulator.ca_pem);
        }
    }
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .map_err(|error| format!("could not start: {error}"))?;
    let deadline = Instant::now() + SCENARIO_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().map_err(|error| error.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("exited with {status}"))
            };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {SCENARIO_TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "needs Node.js and Python with the scenarios installed (.ci/run installs them)"]
fn every_peer_sdk_scenario_passes() {
    let root = repository_root();
    let pinion = pinion_binary();
    let mut failed = Vec::new();
    for scenario in SCENARIOS {
        println!("\n=== scenario {} ({:?})", scenario.dir, scenario.reach);
        match run(&root, &pinion, scenario) {
            Ok(()) => println!(
                "=== scenario {} ({:?}) passed",
                scenario.dir, scenario.reach
            ),
            Err(why) => {
                println!(
                    "=== scenario {} ({:?}) FAILED: {why}",
                    scenario.dir, scenario.reach
                );
                failed.push(format!("{} ({:?}): {why}", scenario.dir, scenario.reach));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "failed scenarios:\n{}",
        failed.join("\n")
    );
}
