//! Plain `http://` to a host other than this machine (issue 11): refused with advice,
//! allowed with `--allow-insecure-http` or `PINION_ALLOW_INSECURE_HTTP=1`; loopback
//! needs no opt-in.
//!
//! The "other host" is `0.0.0.0`, which is not loopback by its address but which
//! Linux connects to this machine: the opted-in calls reach a local emulator, and no
//! traffic leaves the machine.

use std::process::{Command, Output, Stdio};

use pinion_emulator::Emulator;

mod common;
use common::CREDENTIAL_VARS;

/// Runs `pinion auth test` against `base_url` with the emulator's admin JWT.
fn auth_test(base_url: &str, jwt: &str, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinion"));
    for var in CREDENTIAL_VARS {
        command.env_remove(var);
    }
    command
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("NO_COLOR", "1")
        .env("PINATA_JWT", jwt)
        .env("PINATA_BASE_URL", base_url)
        .envs(vars.iter().copied())
        .args(args)
        .args(["--timeout", "5s", "auth", "test"])
        .stdin(Stdio::null());
    command.output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "connects to 0.0.0.0, which only Linux routes to this machine"
)]
async fn plain_http_off_this_machine_needs_an_explicit_opt_in() {
    let emulator = Emulator::builder().start().await.unwrap();
    let credentials = emulator.credentials().clone();
    let jwt = credentials.pinata.jwt.clone();
    let loopback = credentials.pinata.base_url.clone();
    assert!(loopback.starts_with("http://127.0.0.1:"), "{loopback}");
    let elsewhere = loopback.replace("127.0.0.1", "0.0.0.0");

    let outputs = tokio::task::spawn_blocking(move || {
        [
            auth_test(&elsewhere, &jwt, &[], &[]),
            auth_test(
                &elsewhere,
                &jwt,
                &[],
                &[("PINION_ALLOW_INSECURE_HTTP", "0")],
            ),
            auth_test(&elsewhere, &jwt, &["--allow-insecure-http"], &[]),
            auth_test(
                &elsewhere,
                &jwt,
                &[],
                &[("PINION_ALLOW_INSECURE_HTTP", "1")],
            ),
            auth_test(&loopback, &jwt, &[], &[]),
            auth_test(
                &elsewhere,
                &jwt,
                &[],
                &[("PINION_ALLOW_INSECURE_HTTP", "maybe")],
            ),
        ]
    })
    .await
    .unwrap();
    let [
        refused,
        refused_by_zero,
        by_flag,
        by_env,
        loopback,
        unreadable,
    ] = outputs;
    let jwt = &credentials.pinata.jwt;

    for (what, output) in [("no opt-in", &refused), ("=0", &refused_by_zero)] {
        let said = text(output);
        assert_eq!(output.status.code(), Some(2), "{what}: {said}");
        assert!(said.contains("plain http"), "{what}: {said}");
        assert!(said.contains("--allow-insecure-http"), "{what}: {said}");
        assert!(
            said.contains("PINION_ALLOW_INSECURE_HTTP=1"),
            "{what}: {said}"
        );
        assert!(!said.contains(jwt.as_str()), "{what}: {said}");
    }
    for (what, output) in [
        ("--allow-insecure-http", &by_flag),
        ("PINION_ALLOW_INSECURE_HTTP=1", &by_env),
        ("loopback", &loopback),
    ] {
        assert!(output.status.success(), "{what}: {}", text(output));
    }
    assert_eq!(unreadable.status.code(), Some(2), "{}", text(&unreadable));
    // clap names the flag the variable stands for.
    let said = text(&unreadable);
    assert!(
        said.contains("'maybe'") && said.contains("--allow-insecure-http"),
        "{said}"
    );
    emulator.shutdown().await;
}
