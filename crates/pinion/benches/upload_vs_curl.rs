//! Benchmark: a 1 GiB file uploaded through the library to the emulator, next to
//! `curl -F` doing the same upload in the same run. Prints wall time and the client's
//! peak RSS for both; exits non-zero when the library misses its targets (peak RSS
//! ≤ 32 MiB, wall ≤ 1.3× curl). Run with `cargo xtask bench`.
//!
//! The emulator runs in this process; each client runs in its own process (this
//! binary re-executed with `--client`, and curl) so its memory is measured alone.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;

const SIZE_MIB: u64 = 1024;
const TARGET_RSS_MIB: f64 = 32.0;
const TARGET_RATIO: f64 = 1.3;

fn write_file(path: &Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut block = vec![0u8; 1 << 20];
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..SIZE_MIB {
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

/// Runs `command`, polling its peak RSS; returns (wall, peak MiB, stdout).
fn measure(mut command: Command) -> (Duration, f64, String) {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kib) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = started.elapsed();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        command.get_program(),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        wall,
        peak_kib as f64 / 1024.0,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// Client mode: upload `file` with the library and print the CID.
async fn client(base_url: &str, file: &str) {
    let jwt = std::env::var("BENCH_PINATA_JWT").expect("the JWT in the environment");
    let pinata = pinion::pinata::Client::builder()
        .base_url(base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .build()
        .unwrap();
    // verify(false): curl computes no CID either; the comparison is of the transfer.
    let pinned = pinata
        .pin_file(file, UploadOptions::default().verify(false))
        .await
        .unwrap();
    println!("{}", pinned.cid);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--client") {
        client(&args[2], &args[3]).await;
        return;
    }
    if !args.iter().any(|a| a == "--bench") && args.len() > 1 {
        // `cargo test --benches` runs bench targets with test flags: nothing to do.
        return;
    }
    let emulator = pinion_emulator::Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.bin");
    write_file(&file);

    let mut library = Command::new(std::env::current_exe().unwrap());
    library
        .args(["--client", &c.pinata.base_url, file.to_str().unwrap()])
        .env("BENCH_PINATA_JWT", &c.pinata.jwt);
    let (lib_wall, lib_rss, lib_out) = tokio::task::spawn_blocking(move || measure(library))
        .await
        .unwrap();

    let mut curl = Command::new("curl");
    curl.args(["-sS", "--fail", "-X", "POST"])
        .arg(format!("{}/pinning/pinFileToIPFS", c.pinata.base_url))
        .arg("-H")
        .arg(format!("Authorization: Bearer {}", c.pinata.jwt))
        .arg("-F")
        .arg(format!("file=@{}", file.display()));
    let (curl_wall, curl_rss, curl_out) = tokio::task::spawn_blocking(move || measure(curl))
        .await
        .unwrap();
    let curl_cid = serde_json::from_str::<serde_json::Value>(&curl_out).unwrap()["IpfsHash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(lib_out.trim(), curl_cid, "both uploads pin the same CID");

    let ratio = lib_wall.as_secs_f64() / curl_wall.as_secs_f64();
    println!("1 GiB upload to the emulator (Pinata pinFileToIPFS), same run");
    println!("  client          wall       peak RSS");
    println!(
        "  pinion library  {:6.2} s   {lib_rss:6.1} MiB",
        lib_wall.as_secs_f64()
    );
    println!(
        "  curl -F         {:6.2} s   {curl_rss:6.1} MiB",
        curl_wall.as_secs_f64()
    );
    println!(
        "  wall ratio      {ratio:6.2}×   (target ≤ {TARGET_RATIO}×; RSS target ≤ {TARGET_RSS_MIB} MiB)"
    );
    println!("  CID             {curl_cid}");
    let mut failed = false;
    if lib_rss > TARGET_RSS_MIB {
        eprintln!("FAILED: library peak RSS {lib_rss:.1} MiB > {TARGET_RSS_MIB} MiB");
        failed = true;
    }
    if ratio > TARGET_RATIO {
        eprintln!("FAILED: library wall time {ratio:.2}× curl's > {TARGET_RATIO}×");
        failed = true;
    }
    emulator.shutdown().await;
    if failed {
        std::process::exit(1);
    }
}
