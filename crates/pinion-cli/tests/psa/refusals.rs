//! What `--service psa` refuses, and the token never shown; its help texts.

use pinion_emulator::Emulator;

use crate::common::Env;
use crate::setup::{endpoints, fails_with};

#[test]
fn commands_the_standard_lacks_and_missing_settings_are_refused() {
    let env = Env::new();
    let psa = |args: &[&str]| {
        let mut all = vec!["--service", "psa", "--base-url", "http://127.0.0.1:9/psa"];
        all.extend_from_slice(args);
        let out = env
            .command()
            .env("PSA_TOKEN", "t0ken-unused")
            .args(&all)
            .output()
            .unwrap();
        fails_with(&out)
    };
    let path = env.file("x.txt", b"x");
    for args in [
        &["keys", "list"][..],
        &["pin", "file", &path],
        &["usage"],
        &["jobs"],
        &["pins", "list", "--min-size", "1"],
        &["pins", "list", "--status", "unpinned"],
        &["pins", "list", "--match", "fuzzy", "--name", "x"],
        &["pins", "list", "--limit", "1001"],
    ] {
        let (code, text) = psa(args);
        assert_eq!(code, 2, "{args:?}: {text}");
    }
    let (_, text) = psa(&["keys", "list"]);
    assert!(
        text.contains("not part of the IPFS Pinning Service API"),
        "{text}"
    );
    let no_token = [
        "--service",
        "psa",
        "--base-url",
        "http://127.0.0.1:9/psa",
        "pins",
        "list",
    ];
    let (code, text) = fails_with(&env.run(&no_token));
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("PSA_TOKEN"), "{text}");
    let (code, text) =
        fails_with(&env.run(&["--service", "pinata", "--token-stdin", "pins", "list"]));
    assert_eq!(code, 2, "{text}");
    let no_url = env
        .command()
        .env("PSA_TOKEN", "t0ken")
        .args(["--service", "psa", "pins", "list"])
        .output()
        .unwrap();
    let (code, text) = fails_with(&no_url);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--base-url"), "{text}");
    let (code, _) = fails_with(&env.run(&["--service", "pinata", "pins", "replace", "id", "cid"]));
    assert_eq!(code, 2);
    let (code, text) =
        fails_with(&env.run(&["auth", "login", "psa-token", "s3cret-token-argument"]));
    assert_eq!(code, 2, "{text}");
    assert!(!text.contains("s3cret-token-argument"), "{text}");
}

/// The token is not shown back: not by a refusal, not at -vvv, not in JSON output.
#[tokio::test(flavor = "multi_thread")]
async fn the_token_is_never_shown() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    tokio::task::spawn_blocking(move || {
        for endpoint in endpoints(&c) {
            let env = Env::new();
            let cid = endpoint.hold(&env, 9);
            let out = endpoint.run(&env, &["-vvv", "--json", "pin", "cid", &cid, "--wait"]);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "{text}");
            assert!(
                text.contains("pinion.request"),
                "-vvv logged nothing: {text}"
            );
            assert!(
                !text.contains(&endpoint.token),
                "{}: the token was shown",
                endpoint.name
            );

            let wrong = "eyJhbGciOiJIUzI1NiJ9.d3Jvbmctand0.c2lnbmF0dXJlLXdyb25n";
            let out = env
                .command()
                .env("PSA_TOKEN", wrong)
                .args([
                    "-vvv",
                    "--service",
                    "psa",
                    "--base-url",
                    &endpoint.base_url,
                    "pins",
                    "list",
                ])
                .output()
                .unwrap();
            let (code, text) = fails_with(&out);
            assert_eq!(code, 3, "{}: {text}", endpoint.name);
            assert!(
                !text.contains(wrong),
                "{}: the token was shown",
                endpoint.name
            );
        }
    })
    .await
    .unwrap();
}

/// `--help` of the PSA commands, compared with `tests/snapshots/`
/// (`SNAPSHOTS=overwrite cargo test -p pinion-cli --test psa help` rewrites them).
#[test]
fn help_texts_of_the_psa_commands_match_their_snapshots() {
    use snapbox::{assert_data_eq, file};
    let env = Env::new();
    assert_data_eq!(
        env.ok(&["pin", "cid", "--help"]),
        file!["../snapshots/pin-cid-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["pins", "list", "--help"]),
        file!["../snapshots/pins-list-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["pins", "replace", "--help"]),
        file!["../snapshots/pins-replace-help.txt"]
    );
}
