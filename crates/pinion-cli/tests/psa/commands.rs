//! Every `--service psa` command and filter on both endpoints, a replace, a failed pin,
//! paging over more than 1,000 pins, and `--local`.

use std::io::Write;
use std::process::Stdio;

use pinion_emulator::Emulator;
use serde_json::Value;

use crate::common::Env;
use crate::setup::{UNHELD, endpoints, hold_many};

const PEER: &str =
    "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

fn ids(listed: &Value) -> Vec<&str> {
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|pin| pin["requestid"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_and_filter_on_both_endpoints() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    tokio::task::spawn_blocking(move || {
        for endpoint in endpoints(&c) {
            let env = Env::new();
            let who = endpoint.name;
            let auth = endpoint.ok(&env, &["auth", "test"]);
            assert!(auth.contains("credentials work"), "{who}: {auth}");
            let (first_cid, second_cid, third_cid) = (
                endpoint.hold(&env, 1),
                endpoint.hold(&env, 2),
                endpoint.hold(&env, 3),
            );
            let first = endpoint.json(
                &env,
                &[
                    "pin",
                    "cid",
                    &first_cid,
                    "--name",
                    "Quarterly Report",
                    "--meta",
                    "app=site",
                    "--origin",
                    PEER,
                    "--wait",
                    "--wait-timeout",
                    "30s",
                ],
            );
            assert_eq!(first["status"], "pinned", "{who}: {first}");
            assert_eq!(first["pin"]["meta"]["app"], "site", "{who}");
            assert_eq!(first["pin"]["origins"][0], PEER, "{who}");
            let first_id = first["requestid"].as_str().unwrap().to_owned();
            // -q prints the request id last.
            let quiet = endpoint.ok(
                &env,
                &["-q", "pin", "cid", &second_cid, "--name", "notes", "--wait"],
            );
            let second_id = crate::common::last_line(&quiet).to_owned();
            let queued = endpoint.json(&env, &["pin", "cid", UNHELD]);
            assert_eq!(queued["status"], "queued", "{who}");
            let queued_id = queued["requestid"].as_str().unwrap().to_owned();

            let list = |args: &[&str]| {
                let mut all = vec!["pins", "list"];
                all.extend_from_slice(args);
                endpoint.json(&env, &all)
            };
            assert_eq!(ids(&list(&[])), [&*second_id, &*first_id], "{who}");
            assert_eq!(ids(&list(&["--status", "all"])).len(), 3, "{who}");
            assert_eq!(
                ids(&list(&["--status", "queued,pinning"])),
                [&*queued_id],
                "{who}"
            );
            assert_eq!(
                ids(&list(&[
                    "--cid", &first_cid, "--cid", UNHELD, "--status", "all"
                ]))
                .len(),
                2
            );
            assert_eq!(
                ids(&list(&["--name", "quarterly REPORT", "--match", "iexact"])),
                [&*first_id]
            );
            assert_eq!(
                ids(&list(&["--name", "Report", "--match", "partial"])),
                [&*first_id]
            );
            assert!(
                ids(&list(&["--name", "Report"])).is_empty(),
                "{who}: exact by default"
            );
            assert_eq!(ids(&list(&["--meta", "app=site"])), [&*first_id], "{who}");
            let created = first["created"].as_str().unwrap();
            assert_eq!(ids(&list(&["--after", created])), [&*second_id], "{who}");
            let second_created = list(&[])[0]["created"].as_str().unwrap().to_owned();
            assert_eq!(
                ids(&list(&["--before", &second_created])),
                [&*first_id],
                "{who}"
            );
            assert_eq!(ids(&list(&["--limit", "1"])), [&*second_id], "{who}");
            assert_eq!(ids(&list(&["--all", "--status", "all"])).len(), 3, "{who}");
            let table = endpoint.ok(&env, &["pins", "list"]);
            assert!(
                table.contains("REQUEST ID") && table.contains(&first_cid),
                "{who}: {table}"
            );

            let got = endpoint.json(&env, &["pins", "get", &first_id]);
            assert_eq!(got["pin"]["cid"], first_cid.as_str(), "{who}");
            let replaced = endpoint.json(
                &env,
                &[
                    "pins", "replace", &first_id, &third_cid, "--name", "v2", "--meta", "app=site",
                    "--wait",
                ],
            );
            assert_eq!(replaced["status"], "pinned", "{who}: {replaced}");
            assert_eq!(replaced["pin"]["cid"], third_cid.as_str(), "{who}");
            let replaced_id = replaced["requestid"].as_str().unwrap().to_owned();
            assert_ne!(replaced_id, first_id, "{who}");
            let (code, text) =
                crate::setup::fails_with(&endpoint.run(&env, &["pins", "get", &first_id]));
            assert_eq!(code, 4, "{who}: {text}");

            endpoint.ok(&env, &["unpin", &replaced_id]);
            let (code, _) =
                crate::setup::fails_with(&endpoint.run(&env, &["pins", "get", &replaced_id]));
            assert_eq!(code, 4, "{who}");
            assert_eq!(ids(&list(&[])), [&*second_id], "{who}");
        }
    })
    .await
    .unwrap();
}

/// The token from standard input or from the profile, never from an argument.
#[tokio::test(flavor = "multi_thread")]
async fn the_token_comes_from_stdin_or_the_profile() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    tokio::task::spawn_blocking(move || {
        let [pinata, w3ipfs] = endpoints(&c);
        let env = Env::new();
        let mut child = env
            .command()
            .args([
                "--service",
                "psa",
                "--base-url",
                &pinata.base_url,
                "--token-stdin",
                "auth",
                "test",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{}", pinata.token).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        let mut login = env
            .command()
            .args([
                "--profile",
                "aioz",
                "--service",
                "psa",
                "--base-url",
                &w3ipfs.base_url,
            ])
            .args(["auth", "login", "psa-token", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(login.stdin.take().unwrap(), "{}", w3ipfs.token).unwrap();
        assert!(login.wait_with_output().unwrap().status.success());
        // The profile remembers the service, the endpoint and the token.
        let listed = env.json(&["--profile", "aioz", "pins", "list"]);
        assert!(listed.as_array().unwrap().is_empty(), "{listed}");
        let stored = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
        assert!(
            !stored.contains(&w3ipfs.token),
            "the token went to config.toml"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_pin_fails_the_wait_and_a_queued_one_times_out() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    tokio::task::spawn_blocking(move || {
        for endpoint in endpoints(&c) {
            let env = Env::new();
            let who = endpoint.name;
            let (code, text) = crate::setup::fails_with(&endpoint.run(
                &env,
                &[
                    "pin",
                    "cid",
                    UNHELD,
                    "--name",
                    "late",
                    "--wait",
                    "--wait-timeout",
                    "300ms",
                ],
            ));
            assert_eq!(code, 1, "{who}: {text}");
            assert!(text.contains("had not pinned"), "{who}: {text}");

            // A waiting command, its request driven to failed meanwhile.
            let waiting = env
                .command()
                .env("PSA_TOKEN", &endpoint.token)
                .args(["--service", "psa", "--base-url", &endpoint.base_url])
                .args([
                    "pin",
                    "cid",
                    UNHELD,
                    "--name",
                    "doomed",
                    "--wait",
                    "--wait-timeout",
                    "60s",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let requestid = loop {
                let found = endpoint.json(
                    &env,
                    &["pins", "list", "--name", "doomed", "--status", "all"],
                );
                if let Some(pin) = found.as_array().unwrap().first() {
                    break pin["requestid"].as_str().unwrap().to_owned();
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            };
            endpoint.drive(&requestid, "failed");
            let out = waiting.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{who}: {text}");
            assert!(
                text.contains("failed to pin") && text.contains(&requestid),
                "{who}: {text}"
            );
            let failed = endpoint.json(&env, &["pins", "list", "--status", "failed"]);
            assert_eq!(ids(&failed), [&*requestid], "{who}");
            let got = endpoint.json(&env, &["pins", "get", &requestid]);
            assert_eq!(got["status"], "failed", "{who}");
        }
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn listings_page_over_more_than_a_thousand_pins() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    for endpoint in endpoints(&c) {
        let cids = hold_many(&emulator, endpoint.name, 1001).await;
        let psa = endpoint.library_psa(&c);
        let psa = &psa;
        futures::future::try_join_all(cids.iter().map(|cid| async move {
            let request = pinion::psa::PinRequest::new(cid).meta("batch", "cli");
            psa.add(&request).await
        }))
        .await
        .unwrap();
        let endpoint = endpoint.clone();
        tokio::task::spawn_blocking(move || {
            let env = Env::new();
            for extra in [&[][..], &["--limit", "400"][..]] {
                let mut args = vec![
                    "pins",
                    "list",
                    "--all",
                    "--status",
                    "all",
                    "--meta",
                    "batch=cli",
                ];
                args.extend_from_slice(extra);
                let listed = endpoint.json(&env, &args);
                let ids = ids(&listed);
                let unique: std::collections::HashSet<_> = ids.iter().collect();
                assert_eq!((ids.len(), unique.len()), (1001, 1001), "{}", endpoint.name);
            }
            let page = endpoint.json(
                &env,
                &["pins", "list", "--status", "all", "--meta", "batch=cli"],
            );
            assert_eq!(
                page.as_array().unwrap().len(),
                10,
                "{}: one page",
                endpoint.name
            );
        })
        .await
        .unwrap();
    }
}

/// `--local --service psa` speaks to the embedded emulator's Pinata `/psa`.
#[test]
fn local_uses_the_emulators_pinata_psa() {
    let env = Env::new();
    let path = env.file("local.txt", b"pinned locally, then through the PSA");
    let cid =
        crate::common::last_line(&env.ok(&["--local", "-q", "pin", "file", &path])).to_owned();
    let pinned = env.json(&[
        "--local",
        "--service",
        "psa",
        "pin",
        "cid",
        &cid,
        "--name",
        "local",
        "--wait",
    ]);
    assert_eq!(pinned["status"], "pinned", "{pinned}");
    let listed = env.json(&[
        "--local",
        "--service",
        "psa",
        "pins",
        "list",
        "--name",
        "local",
    ]);
    assert_eq!(ids(&listed), [pinned["requestid"].as_str().unwrap()]);
    env.ok(&[
        "--local",
        "--service",
        "psa",
        "unpin",
        pinned["requestid"].as_str().unwrap(),
    ]);
}
