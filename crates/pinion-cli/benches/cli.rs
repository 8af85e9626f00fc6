//! Benchmark: `pinion pin file` of a 1 GiB file keeps the CLI's peak RSS ≤ 32 MiB, and
//! `pinion --version` starts in a few milliseconds. Prints the figures; exits non-zero
//! when the memory target is missed. Run with `cargo xtask bench`.
//!
//! The upload goes to a separate `pinion emulator --memory` so only the CLI's own
//! memory is measured (`VmHWM` of its process, polled from `/proc`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MIB: u64 = 1024;
const TARGET_RSS_MIB: f64 = 32.0;

fn pinion() -> Command {
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
    command.stdin(Stdio::null());
    command
}

fn write_file(path: &Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut block = vec![0u8; 1 << 20];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..MIB {
        for word in block.chunks_exact_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            word.copy_from_slice(&x.to_le_bytes());
        }
        file.write_all(&block).unwrap();
    }
    file.flush().unwrap();
}

fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let env = |command: &mut Command| {
        command
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.path().join("data"));
    };

    // Start-up.
    let runs = 20;
    let started = Instant::now();
    for _ in 0..runs {
        let mut command = pinion();
        env(&mut command);
        let status = command
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let startup_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);

    // The emulator, in its own process.
    let creds = dir.path().join("creds.json");
    let mut command = pinion();
    env(&mut command);
    let mut emulator = command
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
    let deadline = Instant::now() + Duration::from_secs(30);
    while !creds.exists() {
        assert!(Instant::now() < deadline, "the emulator did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let admin: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&creds).unwrap()).unwrap();

    let file = dir.path().join("big.bin");
    write_file(&file);
    let mut command = pinion();
    env(&mut command);
    let started = Instant::now();
    let mut child = command
        .env("PINATA_JWT", admin["pinata"]["jwt"].as_str().unwrap())
        .env(
            "PINATA_BASE_URL",
            admin["pinata"]["base_url"].as_str().unwrap(),
        )
        .args(["-q", "pin", "file", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Some(kib) = peak_kib(child.id()) {
            peak = peak.max(kib);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    let output = child.wait_with_output().unwrap();
    let _ = emulator.kill();
    let _ = emulator.wait();
    assert!(
        output.status.success(),
        "pin file failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cid = String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();

    let peak_mib = peak as f64 / 1024.0;
    println!("pinion CLI");
    println!("  pinion --version       {startup_ms:8.1} ms (mean of {runs})");
    println!(
        "  pin file 1 GiB         {:8.1} s, {:.1} MiB/s",
        elapsed.as_secs_f64(),
        1024.0 / elapsed.as_secs_f64()
    );
    println!("  peak RSS of the CLI    {peak_mib:8.1} MiB   (target ≤ {TARGET_RSS_MIB} MiB)");
    println!("  CID                    {cid}");
    if peak_mib > TARGET_RSS_MIB {
        eprintln!(
            "FAILED: the CLI's peak RSS was {peak_mib:.1} MiB, target ≤ {TARGET_RSS_MIB} MiB"
        );
        std::process::exit(1);
    }
}
