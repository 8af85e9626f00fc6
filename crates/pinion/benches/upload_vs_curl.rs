//! Benchmark: uploads through the library next to curl sending the same multipart body
//! to the same emulator in the same run; wall time and the client's peak RSS of both.
//!
//! - A 1 GiB file: `pin_file` (CID verification off: curl computes none) vs
//!   `curl -F file=@…`. Goals: RSS ≤ 32 MiB, wall ≤ 1.3× curl.
//! - A directory of 10,000 small files (an NFT collection's metadata): `pin_directory`
//!   (CID verified, as by default) vs curl given the same parts through a config file
//!   (`-K`): Pinata's two JSON fields, then every file as a `file` part named
//!   `collection/<name>`, in the same order. Goals: wall ≤ 1.5× curl, RSS ≤ 32 MiB.
//!
//! - A 90 MiB file over Pinata v3 (`pinata_v3::Client::upload_file`, public, one
//!   multipart request, no CID check) vs `curl -F file=@… -F network=public` to the same
//!   uploads URL. Goals: RSS ≤ 32 MiB, wall ≤ 1.3× curl.
//!
//! Before the directory and the v3 file are timed, curl sends it once untimed, so both timed clients
//! meet the same emulator state (content already kept) and a warm page cache.
//!
//! Both clients must pin the same CID. The emulator runs in this process; each client
//! runs in its own (this binary re-executed with `--client`, and curl) so its memory
//! is measured alone. Exits non-zero when a goal is missed. Run with
//! `cargo xtask bench`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;
use pinion_emulator::AdminCredentials;
use pinion_testkit::process::{Measured, measure};
use pinion_testkit::report::{self, Row};

const SIZE: u64 = 1 << 30;
const FILES: usize = 10_000;
const TARGET_RSS_MIB: f64 = 32.0;

/// The v3 file's size: under Pinata's 100,000,000-byte multipart limit, so one request.
const V3_SIZE: u64 = 90 << 20;

/// Client mode: pin `path` (a file, or with `dir` a directory, or with `v3` a file over
/// Pinata v3 to the uploads URL `base_url`) and print the CID.
async fn client(kind: &str, base_url: &str, path: &str) {
    let jwt = std::env::var("BENCH_PINATA_JWT").expect("the JWT in the environment");
    if kind == "v3" {
        let pinata = pinion::pinata_v3::Client::builder()
            .base_url(base_url.replace("/pinata-uploads/v3", "/pinata"))
            .uploads_url(base_url)
            .credentials(PinataCredentials::jwt(jwt))
            .build_v3()
            .unwrap();
        let uploaded = pinata
            .upload_file(
                pinion::pinata_v3::Network::Public,
                path,
                UploadOptions::default().verify(false),
            )
            .await
            .unwrap();
        println!("{}", uploaded.cid);
        return;
    }
    let pinata = pinion::pinata::Client::builder()
        .base_url(base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .build()
        .unwrap();
    let pinned = if kind == "dir" {
        let pinned = pinata
            .pin_directory(path, UploadOptions::default())
            .await
            .unwrap();
        assert!(pinned.verified, "the library checked the CID it computed");
        pinned
    } else {
        pinata
            .pin_file(path, UploadOptions::default().verify(false))
            .await
            .unwrap()
    };
    println!("{}", pinned.cid);
}

/// `collection/<i>.json`: ERC-721 metadata of a few hundred bytes each.
fn write_collection(root: &Path) {
    std::fs::create_dir_all(root).unwrap();
    for i in 0..FILES {
        let background = ["Red", "Green", "Blue", "Gold"][i % 4];
        let body = serde_json::json!({
            "name": format!("Pinion Test #{i}"),
            "description": "A generated member of a 10,000-piece collection, for benchmarks.",
            "image": format!("ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/{i}.png"),
            "attributes": [
                {"trait_type": "Background", "value": background},
                {"trait_type": "Rank", "value": i % 97},
                {"trait_type": "Edition", "value": i},
            ],
        });
        std::fs::write(root.join(format!("{i}.json")), body.to_string()).unwrap();
    }
}

/// A curl config (`curl -K`) with the parts the library sends for `root`.
fn directory_form(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut config = String::new();
    config.push_str("form-string = \"pinataOptions={}\"\n");
    config.push_str("form-string = \"pinataMetadata={\\\"name\\\":\\\"collection\\\"}\"\n");
    for name in names {
        let path = root.join(&name);
        let _ = writeln!(
            config,
            "form = \"file=@{};filename=collection/{name}\"",
            path.display()
        );
    }
    config
}

/// Runs the library client and curl (given `form`, curl config lines) on `path`;
/// checks they pinned the same CID and returns both measurements.
///
/// With `warm_up`, curl first sends the same body once, untimed, so that both timed
/// clients find the content already kept (the emulator's dedupe path) and the files
/// in the page cache: without it, whichever ran first paid for creating every blob.
async fn compare(
    c: &AdminCredentials,
    kind: &'static str,
    path: &Path,
    form: String,
    scratch: &Path,
    warm_up: bool,
) -> (Measured, Measured) {
    let config = scratch.join(format!("curl-{kind}.conf"));
    std::fs::write(
        &config,
        format!(
            "url = \"{}/pinning/pinFileToIPFS\"\nheader = \"Authorization: Bearer {}\"\n{form}",
            c.pinata.base_url, c.pinata.jwt
        ),
    )
    .unwrap();
    let curl = move || {
        let mut curl = Command::new("curl");
        curl.args(["-sS", "--fail", "-K"]).arg(&config);
        curl
    };
    if warm_up {
        let command = curl();
        tokio::task::spawn_blocking(move || measure(command))
            .await
            .unwrap();
    }

    let mut library = Command::new(std::env::current_exe().unwrap());
    library
        .args(["--client", kind, &c.pinata.base_url, path.to_str().unwrap()])
        .env("BENCH_PINATA_JWT", &c.pinata.jwt);
    let lib = tokio::task::spawn_blocking(move || measure(library))
        .await
        .unwrap();

    let command = curl();
    let curl = tokio::task::spawn_blocking(move || measure(command))
        .await
        .unwrap();
    let cid = lib.stdout.trim();
    assert_eq!(
        curl.json()["IpfsHash"],
        cid,
        "both uploads pin the same CID"
    );
    report::print_clients(&[("pinion library", &lib), ("curl", &curl)]);
    println!("  CID              {cid}");
    (lib, curl)
}

/// The v3 file through the library and through curl (after one untimed curl upload,
/// so both timed clients meet the content already kept); both must answer one CID.
async fn compare_v3(c: &AdminCredentials, path: &Path) -> (Measured, Measured) {
    let uploads = c.pinata.uploads_url.clone();
    let curl = || {
        let mut curl = Command::new("curl");
        curl.args(["-sS", "--fail", "-H"])
            .arg(format!("Authorization: Bearer {}", c.pinata.jwt))
            .arg("-F")
            .arg(format!("file=@{}", path.display()))
            .args(["-F", "network=public"])
            .arg(format!("{uploads}/files"));
        curl
    };
    let command = curl();
    tokio::task::spawn_blocking(move || measure(command))
        .await
        .unwrap();
    let mut library = Command::new(std::env::current_exe().unwrap());
    library
        .args(["--client", "v3", &uploads, path.to_str().unwrap()])
        .env("BENCH_PINATA_JWT", &c.pinata.jwt);
    let lib = tokio::task::spawn_blocking(move || measure(library))
        .await
        .unwrap();
    let command = curl();
    let curl = tokio::task::spawn_blocking(move || measure(command))
        .await
        .unwrap();
    let cid = lib.stdout.trim();
    assert_eq!(
        curl.json()["data"]["cid"],
        cid,
        "both uploads pin the same CID"
    );
    report::print_clients(&[("pinion library", &lib), ("curl", &curl)]);
    println!("  CID              {cid}");
    (lib, curl)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--client") {
        client(&args[2], &args[3], &args[4]).await;
        return;
    }
    if args.iter().skip(1).any(|a| a != "--bench") {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let emulator = pinion_emulator::Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();

    println!("1 GiB file to the emulator (pinFileToIPFS), same run");
    let file = dir.path().join("big.bin");
    pinion_testkit::fixture::write_file(&file, "upload-bench", SIZE).unwrap();
    let form = format!("form = \"file=@{}\"\n", file.display());
    let (lib, curl) = compare(&c, "file", &file, form, dir.path(), false).await;
    rows.push(Row::client_versus_curl(
        "1",
        "1 GiB file upload, library (`pin_file`, no CID check) vs `curl -F file=@…`",
        &lib,
        &curl,
        1.3,
        TARGET_RSS_MIB,
    ));
    std::fs::remove_file(&file).unwrap();

    println!("directory of {FILES} small files to the emulator (pinFileToIPFS), same run");
    let root = dir.path().join("collection");
    write_collection(&root);
    let (lib, curl) = compare(&c, "dir", &root, directory_form(&root), dir.path(), true).await;
    rows.push(Row::client_versus_curl(
        "2",
        "directory of 10,000 small files, library (`pin_directory`, CID verified) vs curl with the same multipart body",
        &lib,
        &curl,
        1.5,
        TARGET_RSS_MIB,
    ));

    println!(
        "{} MiB file to the emulator over Pinata v3 (uploads host, multipart), same run",
        V3_SIZE >> 20
    );
    let file = dir.path().join("v3.bin");
    pinion_testkit::fixture::write_file(&file, "upload-bench-v3", V3_SIZE).unwrap();
    let (lib, curl) = compare_v3(&c, &file).await;
    rows.push(Row::client_versus_curl(
        "1v3",
        "90 MiB file upload over Pinata v3, library (`pinata_v3` `upload_file`, public, no CID check) vs `curl -F file=@… -F network=public`",
        &lib,
        &curl,
        1.3,
        TARGET_RSS_MIB,
    ));
    std::fs::remove_file(&file).unwrap();

    emulator.shutdown().await;
    for row in &rows {
        report::record(row);
    }
    report::exit_on_missed(&rows);
}
