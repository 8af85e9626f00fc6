//! Benchmark: the local CID of a 1 GiB file (CIDv0 and CIDv1, one streaming pass each)
//! next to `sha256sum` of the same file in the same run. Goal: at least 0.8× its
//! throughput. Prints the figures; exits non-zero when the goal is missed. Run with
//! `cargo xtask bench`.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use pinion_cid::{CidVersion, hash_reader};

const MIB: usize = 1024;
const GOAL: f64 = 0.8;

fn main() {
    if std::env::args().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
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
    // Warm the page cache so both read from memory.
    let _ = std::fs::read(&path).map(|bytes| bytes.len());

    let started = Instant::now();
    let output = Command::new("sha256sum")
        .arg(&path)
        .output()
        .expect("sha256sum runs");
    let sha_secs = started.elapsed().as_secs_f64();
    assert!(output.status.success());

    let mut results = Vec::new();
    for version in [CidVersion::V0, CidVersion::V1] {
        let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&path).unwrap());
        let started = Instant::now();
        let summary = hash_reader(file, version).unwrap();
        results.push((version, started.elapsed().as_secs_f64(), summary.cid));
    }

    let mib = MIB as f64;
    println!("local CID of 1 GiB vs sha256sum, same run");
    println!(
        "  sha256sum        {:6.2} s  {:7.1} MiB/s",
        sha_secs,
        mib / sha_secs
    );
    let mut failed = false;
    for (version, secs, cid) in &results {
        let ratio = sha_secs / secs;
        println!(
            "  pinion {version}   {secs:6.2} s  {:7.1} MiB/s  {ratio:4.2}× sha256sum  {cid}",
            mib / secs
        );
        if ratio < GOAL {
            failed = true;
        }
    }
    println!("  goal             ≥ {GOAL}× sha256sum's throughput");
    if failed {
        eprintln!("FAILED: local CID computation is slower than {GOAL}× sha256sum");
        std::process::exit(1);
    }
}
