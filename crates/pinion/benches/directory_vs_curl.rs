//! Benchmark: a directory of 10,000 small files (an NFT collection's metadata) pinned
//! through the library (`pin_directory`, CIDs verified as by default) next to curl
//! sending the same multipart body (the same parts, file names and Pinata fields) to
//! the same emulator in the same run. Goal: wall ≤ 1.5× curl, and memory that stays
//! flat (peak RSS ≤ 32 MiB). Prints the figures; exits non-zero when a goal is missed.
//! Run with `cargo xtask bench`.
//!
//! The emulator runs in this process; each client runs in its own process (this
//! binary re-executed with `--client`, and curl) so its memory is measured alone.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use pinion::credentials::PinataCredentials;
use pinion::upload::UploadOptions;
use pinion_testkit::process::measure;
use pinion_testkit::report::{self, Row};

const FILES: usize = 10_000;
const TARGET_RATIO: f64 = 1.5;
const TARGET_RSS_MIB: f64 = 32.0;

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

/// Client mode: pin the directory with the library and print the CID.
async fn client(base_url: &str, dir: &str) {
    let jwt = std::env::var("BENCH_PINATA_JWT").expect("the JWT in the environment");
    let pinata = pinion::pinata::Client::builder()
        .base_url(base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .build()
        .unwrap();
    let pinned = pinata
        .pin_directory(dir, UploadOptions::default())
        .await
        .unwrap();
    assert!(pinned.verified, "the library checked the CID it computed");
    println!("{}", pinned.cid);
}

/// A curl config (`curl -K`) sending what the library sends: Pinata's two JSON fields,
/// then every file as a `file` part named `collection/<relative path>`, in path order.
fn curl_config(root: &Path, url: &str, jwt: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut config = String::new();
    writeln!(config, "url = \"{url}\"").unwrap();
    writeln!(config, "header = \"Authorization: Bearer {jwt}\"").unwrap();
    writeln!(config, r#"form-string = "pinataOptions={{}}""#).unwrap();
    writeln!(
        config,
        r#"form-string = "pinataMetadata={{\"name\":\"collection\"}}""#
    )
    .unwrap();
    for name in names {
        writeln!(
            config,
            "form = \"file=@{};filename=collection/{name}\"",
            root.join(&name).display()
        )
        .unwrap();
    }
    config
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--client") {
        client(&args[2], &args[3]).await;
        return;
    }
    if !args.iter().any(|a| a == "--bench") && args.len() > 1 {
        return; // `cargo test --benches` passes test flags: nothing to measure.
    }
    let emulator = pinion_emulator::Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("collection");
    write_collection(&root);

    let mut library = Command::new(std::env::current_exe().unwrap());
    library
        .args(["--client", &c.pinata.base_url, root.to_str().unwrap()])
        .env("BENCH_PINATA_JWT", &c.pinata.jwt);
    let lib = tokio::task::spawn_blocking(move || measure(library))
        .await
        .unwrap();

    let config = dir.path().join("curl.conf");
    let url = format!("{}/pinning/pinFileToIPFS", c.pinata.base_url);
    std::fs::write(&config, curl_config(&root, &url, &c.pinata.jwt)).unwrap();
    let mut curl = Command::new("curl");
    curl.args(["-sS", "--fail", "-K"]).arg(&config);
    let curl = tokio::task::spawn_blocking(move || measure(curl))
        .await
        .unwrap();
    let curl_cid = serde_json::from_str::<serde_json::Value>(&curl.stdout).unwrap()["IpfsHash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(lib.stdout.trim(), curl_cid, "both uploads pin the same CID");

    let ratio = lib.wall.as_secs_f64() / curl.wall.as_secs_f64();
    println!("directory of {FILES} small files to the emulator (pinFileToIPFS), same run");
    println!("  client          wall       peak RSS");
    println!(
        "  pinion library  {:6.2} s   {:6.1} MiB",
        lib.wall.as_secs_f64(),
        lib.peak_rss_mib
    );
    println!(
        "  curl -K         {:6.2} s   {:6.1} MiB",
        curl.wall.as_secs_f64(),
        curl.peak_rss_mib
    );
    println!("  wall ratio      {ratio:6.2}×   (target ≤ {TARGET_RATIO}×)");
    println!("  CID             {curl_cid}");
    let row = Row::judged(
        "2",
        "directory of 10,000 small files, library (`pin_directory`, CID verified) vs curl, same multipart body",
        format!(
            "{:.2} s, {:.1} MiB peak RSS ({ratio:.2}× curl)",
            lib.wall.as_secs_f64(),
            lib.peak_rss_mib
        ),
        format!(
            "curl {:.2} s, {:.1} MiB",
            curl.wall.as_secs_f64(),
            curl.peak_rss_mib
        ),
        "wall ≤ 1.5× curl, RSS ≤ 32 MiB",
        ratio <= TARGET_RATIO && lib.peak_rss_mib <= TARGET_RSS_MIB,
    );
    emulator.shutdown().await;
    report::record(&row);
    report::exit_on_missed(&[row]);
}
