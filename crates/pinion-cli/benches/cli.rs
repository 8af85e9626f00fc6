//! Benchmark of the `pinion` command, each figure next to a baseline in the same run:
//!
//! - `pinion pin file` of 1 GiB vs `curl -F file=@…` to the same emulator: wall time
//!   and the client's peak RSS (goal: RSS ≤ 32 MiB, wall ≤ 1.3× curl);
//! - start-up, `pinion --version` vs `curl --version` (mean of 20 runs each);
//! - `pinion --local pins list` (starts the embedded emulator on its stored state, lists
//!   20 pins, stops), next to `pinion pins list` against a running emulator and curl
//!   making the same request (mean of 10 runs each).
//!
//! The emulator runs in its own process (`pinion emulator --memory`) so only the
//! clients' memory is measured. Prints the figures; exits non-zero when a goal is
//! missed. Run with `cargo xtask bench`.

use std::path::Path;
use std::process::Command;

use pinion_testkit::process::{EmulatorProcess, mean_wall, measure};
use pinion_testkit::report::{self, Row};

const SIZE: u64 = 1 << 30;
const TARGET_RSS_MIB: f64 = 32.0;
const TARGET_RATIO: f64 = 1.3;
const PINS: usize = 20;

/// `pinion` with the environment of `home` only: no credentials leak in from the
/// machine running the benchmark.
fn pinion(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinion"));
    for var in [
        "PINATA_JWT",
        "PINATA_API_KEY",
        "PINATA_API_SECRET",
        "PINATA_BASE_URL",
        "PINION_SERVICE",
        "PINION_PROFILE",
    ] {
        command.env_remove(var);
    }
    command
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    command
}

fn main() {
    if std::env::args().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let mut rows = Vec::new();

    // 1 GiB upload, CLI vs curl.
    let creds = home.join("creds.json");
    let mut command = pinion(home);
    command.args([
        "emulator",
        "--memory",
        "--credentials-out",
        creds.to_str().unwrap(),
    ]);
    let emulator = EmulatorProcess::start(command, &creds);
    let base_url = emulator.credential("pinata", "base_url");
    let jwt = emulator.credential("pinata", "jwt");
    let file = home.join("big.bin");
    pinion_testkit::fixture::write_file(&file, "cli-bench", SIZE).unwrap();
    let mut upload = pinion(home);
    upload
        .env("PINATA_JWT", &jwt)
        .env("PINATA_BASE_URL", &base_url)
        .args(["-q", "pin", "file", file.to_str().unwrap()]);
    let cli = measure(upload);
    let mut curl = Command::new("curl");
    curl.args(["-sS", "--fail", "-X", "POST"])
        .arg(format!("{base_url}/pinning/pinFileToIPFS"))
        .arg("-H")
        .arg(format!("Authorization: Bearer {jwt}"))
        .arg("-F")
        .arg(format!("file=@{}", file.display()));
    let curl = measure(curl);
    let cli_cid = cli.stdout.lines().last().unwrap_or_default().trim();
    assert_eq!(
        curl.json()["IpfsHash"],
        cli_cid,
        "both uploads pin the same CID"
    );
    std::fs::remove_file(&file).unwrap();
    println!("pinion CLI: 1 GiB file to the emulator (pinFileToIPFS), same run");
    report::print_clients(&[("pinion pin file", &cli), ("curl -F", &curl)]);
    rows.push(Row::client_versus_curl(
        "1",
        "1 GiB file upload, CLI (`pinion pin file`, CID verified) vs `curl -F file=@…`",
        &cli,
        &curl,
        TARGET_RATIO,
        TARGET_RSS_MIB,
    ));

    // Start-up.
    let startup = mean_wall(20, || {
        let mut command = pinion(home);
        command.arg("--version");
        command
    });
    let curl_startup = mean_wall(20, || {
        let mut command = Command::new("curl");
        command.arg("--version");
        command
    });
    println!(
        "  pinion --version       {:6.1} ms (curl --version {:.1} ms)",
        startup.as_secs_f64() * 1e3,
        curl_startup.as_secs_f64() * 1e3
    );
    rows.push(Row::reported(
        "5a",
        "CLI start-up: `pinion --version` (mean of 20)",
        format!("{:.1} ms", startup.as_secs_f64() * 1e3),
        format!(
            "`curl --version` {:.1} ms",
            curl_startup.as_secs_f64() * 1e3
        ),
    ));

    // `pinion --local pins list`, on a local state holding PINS pins.
    for i in 0..PINS {
        let doc = home.join(format!("doc-{i}.json"));
        std::fs::write(&doc, format!("{{\"bench\":{i}}}")).unwrap();
        let mut command = pinion(home);
        command.args(["--local", "-q", "pin", "json", doc.to_str().unwrap()]);
        measure(command);
    }
    let mut check = pinion(home);
    check.args(["--local", "--json", "pins", "list"]);
    let listed: serde_json::Value = serde_json::from_str(&measure(check).stdout).unwrap();
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(10),
        "one page of ten: {listed}"
    );
    let local = mean_wall(10, || {
        let mut command = pinion(home);
        command.args(["--local", "pins", "list"]);
        command
    });
    let remote = mean_wall(10, || {
        let mut command = pinion(home);
        command
            .env("PINATA_JWT", &jwt)
            .env("PINATA_BASE_URL", &base_url)
            .args(["pins", "list"]);
        command
    });
    let curl_list = mean_wall(10, || {
        let mut command = Command::new("curl");
        command
            .args(["-sS", "--fail"])
            .arg(format!(
                "{base_url}/data/pinList?status=pinned&pageLimit=10"
            ))
            .arg("-H")
            .arg(format!("Authorization: Bearer {jwt}"));
        command
    });
    drop(emulator);
    println!(
        "  pinion --local pins list  {:6.1} ms (against a running emulator {:.1} ms; curl {:.1} ms)",
        local.as_secs_f64() * 1e3,
        remote.as_secs_f64() * 1e3,
        curl_list.as_secs_f64() * 1e3
    );
    rows.push(Row::reported(
        "5b",
        "`pinion --local pins list` (embedded emulator started on stored state, mean of 10)",
        format!("{:.1} ms", local.as_secs_f64() * 1e3),
        format!(
            "`pinion pins list` to a running emulator {:.1} ms; curl of the same request {:.1} ms",
            remote.as_secs_f64() * 1e3,
            curl_list.as_secs_f64() * 1e3
        ),
    ));
    for row in &rows {
        report::record(row);
    }
    report::exit_on_missed(&rows);
}
