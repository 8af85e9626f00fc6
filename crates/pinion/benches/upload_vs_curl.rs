//! Benchmark: a 1 GiB file uploaded through the library to the emulator, next to
//! `curl -F` doing the same upload in the same run. Prints wall time and the client's
//! peak RSS for both; exits non-zero when the library misses its targets (peak RSS
//! ≤ 32 MiB, wall ≤ 1.3× curl). Run with `cargo xtask bench`.
//!
//! The emulator runs in this process; each client runs in its own process (this
//! binary re-executed with `--client`, and curl) so its memory is measured alone.

use std::process::Command;

use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;
use pinion_testkit::process::measure;
use pinion_testkit::report::{self, Row};

const SIZE: u64 = 1 << 30;
const TARGET_RSS_MIB: f64 = 32.0;
const TARGET_RATIO: f64 = 1.3;

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
    pinion_testkit::fixture::write_file(&file, "upload-bench", SIZE).unwrap();

    let mut library = Command::new(std::env::current_exe().unwrap());
    library
        .args(["--client", &c.pinata.base_url, file.to_str().unwrap()])
        .env("BENCH_PINATA_JWT", &c.pinata.jwt);
    let lib = tokio::task::spawn_blocking(move || measure(library))
        .await
        .unwrap();

    let mut curl = Command::new("curl");
    curl.args(["-sS", "--fail", "-X", "POST"])
        .arg(format!("{}/pinning/pinFileToIPFS", c.pinata.base_url))
        .arg("-H")
        .arg(format!("Authorization: Bearer {}", c.pinata.jwt))
        .arg("-F")
        .arg(format!("file=@{}", file.display()));
    let curl = tokio::task::spawn_blocking(move || measure(curl))
        .await
        .unwrap();
    let curl_cid = serde_json::from_str::<serde_json::Value>(&curl.stdout).unwrap()["IpfsHash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(lib.stdout.trim(), curl_cid, "both uploads pin the same CID");

    let ratio = lib.wall.as_secs_f64() / curl.wall.as_secs_f64();
    let (lib_rss, curl_rss) = (lib.peak_rss_mib, curl.peak_rss_mib);
    println!("1 GiB upload to the emulator (Pinata pinFileToIPFS), same run");
    println!("  client          wall       peak RSS");
    println!(
        "  pinion library  {:6.2} s   {lib_rss:6.1} MiB",
        lib.wall.as_secs_f64()
    );
    println!(
        "  curl -F         {:6.2} s   {curl_rss:6.1} MiB",
        curl.wall.as_secs_f64()
    );
    println!(
        "  wall ratio      {ratio:6.2}×   (target ≤ {TARGET_RATIO}×; RSS target ≤ {TARGET_RSS_MIB} MiB)"
    );
    println!("  CID             {curl_cid}");
    let row = Row::judged(
        "1",
        "1 GiB file upload, library (`pin_file`) vs `curl -F file=@…`",
        format!(
            "{:.2} s, {lib_rss:.1} MiB peak RSS ({ratio:.2}× curl)",
            lib.wall.as_secs_f64()
        ),
        format!("curl {:.2} s, {curl_rss:.1} MiB", curl.wall.as_secs_f64()),
        "RSS ≤ 32 MiB, wall ≤ 1.3× curl",
        lib_rss <= TARGET_RSS_MIB && ratio <= TARGET_RATIO,
    );
    emulator.shutdown().await;
    report::record(&row);
    report::exit_on_missed(&[row]);
}
