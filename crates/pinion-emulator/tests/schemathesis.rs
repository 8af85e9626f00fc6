//! schemathesis (from PyPI) against the emulator, once per spec: no 5xx, and every
//! response conforms to the spec (status code, content type, schema).
//!
//! They need schemathesis, so they are ignored by default and reported as such, never
//! as passed: `cargo test -p pinion-emulator --test schemathesis -- --ignored` runs
//! them (and fails when the tool is missing). CI installs schemathesis and runs them.
//! `PINION_SCHEMATHESIS_MAX_EXAMPLES` (default 30) sets the depth.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Fails the test, saying how to install it, when schemathesis does not run.
fn require_schemathesis() {
    let found = Command::new("python3")
        .args(["-m", "schemathesis.cli", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "`python3 -m schemathesis.cli` does not run: pip install 'schemathesis>=4,<5'"
    );
}

async fn run(spec: &str, base_url: &str, headers: &[(&str, &str)], extra: &[&str]) {
    // schemathesis and hypothesis keep caches in the working directory: not in the repo.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let mut command = tokio::process::Command::new("python3");
    command
        .current_dir(scratch.path())
        .args(["-m", "schemathesis.cli", "run"])
        .arg(repo_root().join("spec").join(spec))
        .args(["--url", base_url])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--workers", "1"])
        .args(["--suppress-health-check", "all"])
        .args(["--warnings", "off"])
        .args([
            "--max-examples",
            &std::env::var("PINION_SCHEMATHESIS_MAX_EXAMPLES").unwrap_or_else(|_| "30".into()),
        ])
        .args(["--seed", "1"])
        .args(extra)
        .env("NO_COLOR", "1")
        .kill_on_drop(true);
    for (name, value) in headers {
        command.args(["-H", &format!("{name}: {value}")]);
    }
    let output = command.output().await.expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Never print the admin credentials schemathesis echoes in its reproduction commands.
    let redact = |text: &str| {
        headers.iter().fold(text.to_owned(), |text, (_, value)| {
            text.replace(value, "[redacted]")
        })
    };
    assert!(
        output.status.success(),
        "schemathesis found problems with spec/{spec}:\n{}\n{}",
        redact(&stdout),
        redact(&stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn pinata_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    let auth = format!("Bearer {}", c.pinata.jwt);
    // Key revocation would lock schemathesis out of the rest of the run.
    run(
        "pinata.yaml",
        &c.pinata.base_url,
        &[("Authorization", &auth)],
        &[
            "--exclude-operation-id",
            "revokeApiKey",
            "--exclude-operation-id",
            "revokeKeyV3",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn submarine_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    run(
        "pinata-submarine.yaml",
        &c.submarine.base_url,
        &[("x-api-key", &c.submarine.api_key)],
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn w3ipfs_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    let auth = format!("Bearer {}", c.w3ipfs.jwt);
    run(
        "w3ipfs.yaml",
        &c.w3ipfs.base_url,
        &[("Authorization", &auth)],
        &[],
    )
    .await;
}

/// The operations of the v3 specs other modules serve (download links, gateways),
/// excluded until they are served; their modules drop them here.
const V3_NOT_YET_SERVED: [&str; 6] = [
    "createDownloadLink",
    "createDownloadLinkAlias",
    "signDownloadUrl",
    "listGateways",
    "createGatewayAccessToken",
    "deleteGatewayAccessToken",
];

fn excluded(operation_ids: &[&'static str]) -> Vec<&'static str> {
    operation_ids
        .iter()
        .chain(&V3_NOT_YET_SERVED)
        .flat_map(|id| ["--exclude-operation-id", id])
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn pinata_v3_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    let auth = format!("Bearer {}", c.pinata.jwt);
    // Key revocation would lock schemathesis out of the rest of the run.
    run(
        "pinata-v3.yaml",
        &c.pinata.v3_base_url,
        &[("Authorization", &auth)],
        &excluded(&["revokeApiKey", "revokeKey"]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn pinata_v3_uploads_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    let auth = format!("Bearer {}", c.pinata.jwt);
    // schemathesis cannot send an `application/offset+octet-stream` body, so it cannot
    // test a TUS PATCH; tests/v3_tus.rs and the tuspy test (tus_client.rs) do.
    run(
        "pinata-v3-uploads.yaml",
        &c.pinata.uploads_url,
        &[("Authorization", &auth)],
        &excluded(&["tusUploadChunk"]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn pinata_psa_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    let auth = format!("Bearer {}", c.pinata.jwt);
    run(
        "psa.yaml",
        &format!("{}/psa", c.pinata.base_url),
        &[("Authorization", &auth)],
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis: pip install 'schemathesis>=4,<5', then run with -- --ignored"]
async fn w3ipfs_psa_conforms_to_its_spec() {
    require_schemathesis();
    let emulator = common::start().await;
    let c = emulator.credentials().clone();
    let auth = format!("Bearer {}", c.w3ipfs.jwt);
    run(
        "psa.yaml",
        &format!("{}/psa", c.w3ipfs.base_url),
        &[("Authorization", &auth)],
        &[],
    )
    .await;
}
