//! Benchmark: a 1 GiB TUS upload (Pinata v3 uploads URL) to the emulator, in the same
//! run:
//!
//! - `1tus`: the library (`pinata_v3::Client::upload_file`, public, no CID check; TUS
//!   in 50 MiB `PATCH`es) vs curl driving TUS by hand: the creation `POST`
//!   (`Upload-Length`, `Upload-Metadata`), then one `PATCH` of the whole file streamed
//!   with `-T` (the two curl runs' walls added, their peak RSS the larger). Goals: the
//!   library's peak RSS ≤ 32 MiB, wall ≤ 1.3× curl. Both must end with the same CID.
//! - `1sdk`: the official `pinata` SDK (Node, `upload.public.file` of an `openAsBlob`
//!   file, TUS in 52,428,801-byte `PATCH`es) next to the library's run above: wall and
//!   peak RSS of both, reported. Skipped, saying so, when `node` is not installed.
//! - `1cut`: the library again (CID checked) while the emulator cuts the connections of
//!   5 `PATCH`es mid-body (`Faults::cut_requests`): the bytes sent ÷ the file size, as
//!   counted by the client (`UploadedFile::bytes_sent`) and by the emulator
//!   (`tus_received`). Goal: both ≤ 1.25.
//!
//! One fixture file serves every row. The emulator runs in this process; each client
//! runs in its own (this binary re-executed with `--client`, curl, node) so its memory
//! is measured alone. Exits non-zero when a goal is missed. Run with
//! `cargo xtask bench tus_upload`.

use std::path::Path;
use std::process::Command;

use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;
use pinion_emulator::{AdminCredentials, Faults, RunningEmulator};
use pinion_testkit::process::{Measured, measure};
use pinion_testkit::report::{self, Row};

const SIZE: u64 = 1 << 30;
const TARGET_RSS_MIB: f64 = 32.0;
const MAX_CURL_RATIO: f64 = 1.3;
/// Connections cut in row `1cut`.
const CUTS: u32 = 5;
/// The most bytes sent per byte of the file in row `1cut`.
const MAX_SENT_RATIO: f64 = 1.25;
/// The SDK's scenario directory (its `node_modules` holds `pinata`), from this package.
const SDK_DIR: &str = "../../scenarios/pinata-official";

/// Client mode: uploads `path` through the library to the uploads URL `uploads`
/// (`verify`: check the CID) and prints `{"cid", "bytes_sent"}`.
async fn client(uploads: &str, path: &str, verify: bool) {
    let jwt = std::env::var("BENCH_PINATA_JWT").expect("the JWT in the environment");
    let pinata = pinion::pinata_v3::Client::builder()
        .base_url(uploads.replace("/pinata-uploads/v3", "/pinata"))
        .uploads_url(uploads)
        .credentials(PinataCredentials::jwt(jwt))
        .build_v3()
        .unwrap();
    let uploaded = pinata
        .upload_file(
            pinion::pinata_v3::Network::Public,
            path,
            UploadOptions::default().verify(verify),
        )
        .await
        .unwrap();
    if verify {
        assert!(uploaded.verified, "the library checked the CID");
    }
    println!(
        "{}",
        serde_json::json!({"cid": uploaded.cid, "bytes_sent": uploaded.bytes_sent})
    );
}

/// Runs `command` in a blocking task, measured.
async fn run(command: Command) -> Measured {
    tokio::task::spawn_blocking(move || measure(command))
        .await
        .unwrap()
}

/// The library uploading `path` in a child process (`verify`: check the CID).
async fn library(c: &AdminCredentials, path: &Path, verify: bool) -> Measured {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--client", &c.pinata.uploads_url, path.to_str().unwrap()])
        .arg(if verify { "verify" } else { "no-verify" })
        .env("BENCH_PINATA_JWT", &c.pinata.jwt);
    run(command).await
}

/// curl driving TUS: the creation `POST`, then one streamed `PATCH` of the whole file.
/// Returns the two runs as one (walls added, the larger peak RSS) and the CID of the
/// final answer.
async fn curl_tus(c: &AdminCredentials, path: &Path) -> (Measured, String) {
    let auth = format!("Authorization: Bearer {}", c.pinata.jwt);
    let mut create = Command::new("curl");
    create
        .args([
            "-sS",
            "--fail",
            "-o",
            "/dev/null",
            "-w",
            "%header{location}",
        ])
        .args(["-X", "POST", "-H", &auth])
        .args(["-H", &format!("Upload-Length: {SIZE}")])
        // filename big.bin, filetype application/octet-stream, network public
        .args([
            "-H",
            "Upload-Metadata: filename YmlnLmJpbg==,\
             filetype YXBwbGljYXRpb24vb2N0ZXQtc3RyZWFt,network cHVibGlj",
        ])
        .arg(format!("{}/files", c.pinata.uploads_url));
    let created = run(create).await;
    let location = created.stdout.trim().to_owned();
    assert!(location.starts_with("http"), "a Location: {location:?}");

    let mut patch = Command::new("curl");
    patch
        .args([
            "-sS",
            "--fail",
            "-o",
            "/dev/null",
            "-w",
            "%header{upload-cid}",
        ])
        .arg("-T")
        .arg(path)
        .args(["-X", "PATCH", "-H", &auth])
        .args(["-H", "Content-Type: application/offset+octet-stream"])
        .args(["-H", "Upload-Offset: 0", "-H", "Expect:"])
        .arg(&location);
    let patched = run(patch).await;
    let cid = patched.stdout.trim().to_owned();
    let both = Measured {
        wall: created.wall + patched.wall,
        peak_rss_mib: created.peak_rss_mib.max(patched.peak_rss_mib),
        stdout: patched.stdout,
    };
    (both, cid)
}

/// Whether `node` can be started.
fn node_found() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The official SDK uploading `path` (see `pinata_sdk_tus.mjs`).
async fn official_sdk(c: &AdminCredentials, path: &Path) -> Measured {
    let dir = std::path::absolute(SDK_DIR).unwrap();
    assert!(
        dir.join("node_modules/pinata").is_dir(),
        "the official SDK is not installed: run `npm ci` in {}",
        dir.display()
    );
    let mut command = Command::new("node");
    command
        .current_dir(&dir)
        .args([
            "--input-type=module",
            "-e",
            include_str!("pinata_sdk_tus.mjs"),
        ])
        .env("BENCH_PINATA_JWT", &c.pinata.jwt)
        .env("BENCH_V3_URL", &c.pinata.v3_base_url)
        .env("BENCH_UPLOADS_URL", &c.pinata.uploads_url)
        .env("BENCH_FILE", path);
    run(command).await
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// Row `1cut`: the library with [`CUTS`] connections cut mid-body; `uncut` is the
/// library's run without cuts, `cid` the file's CID.
async fn with_cuts(emulator: &RunningEmulator, path: &Path, uncut: &Measured, cid: &str) -> Row {
    emulator
        .set_faults(Faults {
            cut_requests: CUTS,
            ..Faults::default()
        })
        .unwrap();
    emulator.reset_tus_received();
    let lib = library(emulator.credentials(), path, true).await;
    let received = emulator.tus_received();
    emulator.set_faults(Faults::default()).unwrap();
    let answer = lib.json();
    assert_eq!(answer["cid"], cid, "the cut upload ends with the same CID");
    assert_eq!(received.cuts, u64::from(CUTS), "every cut was done");
    let sent = answer["bytes_sent"].as_u64().expect("bytes_sent");
    let client_ratio = sent as f64 / SIZE as f64;
    let emulator_ratio = received.bytes_received as f64 / SIZE as f64;
    println!(
        "  with {CUTS} cuts: {:.2} s, {:.1} MiB peak RSS; sent {:.1} MiB (client), received \
         {:.1} MiB (emulator) for {:.0} MiB",
        lib.wall.as_secs_f64(),
        lib.peak_rss_mib,
        mib(sent),
        mib(received.bytes_received),
        mib(SIZE)
    );
    Row::judged(
        "1cut",
        "1 GiB TUS upload, library (`upload_file`, CID checked) with 5 connections cut mid-`PATCH` by the emulator: bytes sent ÷ file size",
        format!(
            "{client_ratio:.3}× counted by the client, {emulator_ratio:.3}× by the emulator; \
             {:.2} s, {:.1} MiB peak RSS",
            lib.wall.as_secs_f64(),
            lib.peak_rss_mib
        ),
        format!(
            "no cuts, same run: {:.2} s, {:.1} MiB",
            uncut.wall.as_secs_f64(),
            uncut.peak_rss_mib
        ),
        &format!("≤ {MAX_SENT_RATIO}× by both counts"),
        client_ratio <= MAX_SENT_RATIO && emulator_ratio <= MAX_SENT_RATIO,
    )
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--client") {
        client(&args[2], &args[3], args[4] == "verify").await;
        return;
    }
    if args.iter().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let emulator = pinion_emulator::Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.bin");
    pinion_testkit::fixture::write_file(&file, "tus-bench", SIZE).unwrap();
    let mut rows = Vec::new();

    println!("1 GiB TUS upload to the emulator (v3 uploads URL): library vs curl, same run");
    let lib = library(&c, &file, false).await;
    let (curl, curl_cid) = curl_tus(&c, &file).await;
    let cid = lib.json()["cid"].as_str().unwrap().to_owned();
    assert_eq!(curl_cid, cid, "both uploads end with the same CID");
    report::print_clients(&[("pinion library", &lib), ("curl (TUS)", &curl)]);
    println!("  CID              {cid}");
    rows.push(Row::client_versus_curl(
        "1tus",
        "1 GiB TUS upload, library (`pinata_v3` `upload_file`, public, no CID check, 50 MiB `PATCH`es) vs curl (creation `POST`, then one `PATCH -T` of the whole file)",
        &lib,
        &curl,
        MAX_CURL_RATIO,
        TARGET_RSS_MIB,
    ));

    println!("the same 1 GiB through the official `pinata` SDK (Node), same run");
    if node_found() {
        let sdk = official_sdk(&c, &file).await;
        assert_eq!(
            sdk.json()["cid"],
            cid,
            "the SDK's upload ends with the same CID"
        );
        report::print_clients(&[("pinion library", &lib), ("pinata SDK", &sdk)]);
        rows.push(Row::reported(
            "1sdk",
            "1 GiB TUS upload, library (as row 1tus) next to the official `pinata` SDK (Node, `upload.public.file` of an `openAsBlob` file)",
            format!(
                "{:.2} s, {:.1} MiB peak RSS ({:.2}× the SDK's wall)",
                lib.wall.as_secs_f64(),
                lib.peak_rss_mib,
                lib.wall.as_secs_f64() / sdk.wall.as_secs_f64()
            ),
            format!(
                "SDK {:.2} s, {:.1} MiB",
                sdk.wall.as_secs_f64(),
                sdk.peak_rss_mib
            ),
        ));
    } else {
        println!(
            "  node not found: row 1sdk skipped (install Node.js 20 and run `npm ci` in scenarios/pinata-official)"
        );
    }

    println!("1 GiB TUS upload with {CUTS} connections cut mid-PATCH by the emulator");
    rows.push(with_cuts(&emulator, &file, &lib, &cid).await);

    std::fs::remove_file(&file).unwrap();
    emulator.shutdown().await;
    for row in &rows {
        report::record(row);
    }
    report::exit_on_missed(&rows);
}
