//! Benchmark: the local CID of a 1 GiB file (CIDv0 and CIDv1, one streaming pass each)
//! next to `sha256sum` of the same file in the same run. Goal: at least 0.8× its
//! throughput. Prints the figures; exits non-zero when the goal is missed. Run with
//! `cargo xtask bench`.

use std::process::Command;
use std::time::Instant;

use pinion_cid::{CidVersion, hash_reader};
use pinion_testkit::report::{self, Row};

const SIZE: u64 = 1 << 30;
const GOAL: f64 = 0.8;

fn main() {
    if std::env::args().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    pinion_testkit::fixture::write_file(&path, "cid-bench", SIZE).unwrap();
    // Warm the page cache so both read from memory.
    let _ = std::fs::read(&path).map(|bytes| bytes.len());

    let started = Instant::now();
    let output = Command::new("sha256sum")
        .arg(&path)
        .output()
        .expect("sha256sum runs");
    let sha_secs = started.elapsed().as_secs_f64();
    assert!(output.status.success());

    let mib = (SIZE >> 20) as f64;
    println!("local CID of 1 GiB vs sha256sum, same run");
    println!(
        "  sha256sum        {:6.2} s  {:7.1} MiB/s",
        sha_secs,
        mib / sha_secs
    );
    let mut rows = Vec::new();
    for version in [CidVersion::V0, CidVersion::V1] {
        let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&path).unwrap());
        let started = Instant::now();
        let summary = hash_reader(file, version).unwrap();
        let secs = started.elapsed().as_secs_f64();
        let ratio = sha_secs / secs;
        println!(
            "  pinion {version}   {secs:6.2} s  {:7.1} MiB/s  {ratio:4.2}× sha256sum  {}",
            mib / secs,
            summary.cid
        );
        rows.push(Row::judged(
            "3",
            &format!("local {version} of a 1 GiB file (page-cached)"),
            format!("{:.0} MiB/s ({ratio:.1}× sha256sum)", mib / secs),
            format!("sha256sum {:.0} MiB/s", mib / sha_secs),
            "≥ 0.8× sha256sum's throughput",
            ratio >= GOAL,
        ));
    }
    for row in &rows {
        report::record(row);
    }
    report::exit_on_missed(&rows);
}
