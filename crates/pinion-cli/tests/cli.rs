//! Runs the built `pinion` binary against the embedded emulator (`--local`), each test
//! with its own config and data directories.

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

mod common;

use common::{Env, Served, last_line};

#[test]
fn auth_test_works_offline_with_local() {
    let env = Env::new();
    let out = env.ok(&["--local", "auth", "test"]);
    assert!(out.contains("credentials work"), "{out}");
    let json = env.json(&["--local", "auth", "test"]);
    assert_eq!(json["ok"], true);
    assert_eq!(json["service"], "pinata");
    let w3 = env.json(&["--local", "--service", "w3ipfs", "auth", "test"]);
    assert_eq!(w3["service"], "w3ipfs");
}

#[test]
fn pinned_file_is_listed_and_quiet_prints_the_local_cid() {
    let env = Env::new();
    let file = env.file("hello.txt", b"hello from the pinion CLI test\n");
    let quiet = env.ok(&["--local", "-q", "pin", "file", &file]);
    let cid = last_line(&quiet);
    assert!(cid.starts_with("Qm"), "{quiet}");
    assert_eq!(quiet.trim(), cid, "-q prints only the CID: {quiet}");
    let local = env.ok(&["cid", &file]);
    assert_eq!(last_line(&local), cid);
    let local_quiet = env.ok(&["-q", "cid", &file]);
    assert_eq!(local_quiet.trim(), cid);

    // A later process sees the pin: the state lives in the data dir.
    let listed = env.ok(&["--local", "pins", "list"]);
    assert!(listed.contains(cid), "{listed}");
    assert!(listed.contains("hello.txt"), "{listed}");
    let json = env.json(&["--local", "pins", "list"]);
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|pin| pin["ipfs_pin_hash"] == cid),
        "{json}"
    );
    let pin = env.json(&["--local", "pins", "get", cid]);
    assert_eq!(pin["cid"], cid);

    let uploaded = env.json(&["--local", "pin", "file", &file, "--name", "again"]);
    assert_eq!(uploaded["cid"], cid);
    assert_eq!(uploaded["verified"], true);

    env.ok(&["--local", "unpin", cid]);
    let after = env.ok(&["--local", "-q", "pins", "list"]);
    assert!(!after.contains(cid), "{after}");
}

#[test]
fn directories_pin_with_the_local_cid_on_both_services() {
    let env = Env::new();
    let dir = env.path().join("site");
    std::fs::create_dir_all(dir.join("css")).unwrap();
    std::fs::write(dir.join("index.html"), b"<h1>hi</h1>").unwrap();
    std::fs::write(dir.join("css/site.css"), b"h1{}").unwrap();
    let dir = dir.to_str().unwrap();
    let cid = env.ok(&["--local", "-q", "pin", "dir", dir]);
    assert_eq!(last_line(&cid), last_line(&env.ok(&["cid", dir])));
    let w3 = env.ok(&["--local", "--service", "w3ipfs", "-q", "pin", "dir", dir]);
    assert_eq!(
        last_line(&w3),
        last_line(&env.ok(&["cid", "--cid-version", "1", dir]))
    );
    let listed = env.ok(&["--local", "--service", "w3ipfs", "pins", "list"]);
    assert!(listed.contains(last_line(&w3)), "{listed}");
}

#[test]
fn keys_are_created_with_least_privilege_capabilities() {
    let env = Env::new();
    let key = env.json(&[
        "--local",
        "keys",
        "create",
        "ci-uploader",
        "--capability",
        "pin-file",
        "--capability",
        "unpin",
        "--max-uses",
        "5",
    ]);
    assert_eq!(key["name"], "ci-uploader");
    assert_eq!(
        key["capabilities"],
        serde_json::json!(["pin-file", "unpin"])
    );
    assert_eq!(key["max_uses"], 5);
    let api_key = key["api_key"].as_str().unwrap();
    let secret = key["api_secret"].as_str().unwrap();
    let jwt = key["jwt"].as_str().unwrap();
    assert!(!secret.is_empty() && jwt.starts_with("eyJ"), "{key}");

    let listed = env.json(&["--local", "keys", "list"]);
    let text = listed.to_string();
    assert!(text.contains(api_key), "{text}");
    assert!(
        !text.contains(secret) && !text.contains(jwt),
        "keys list shows secrets"
    );

    // -q prints the JWT last.
    let quiet = env.ok(&["--local", "-q", "keys", "create", "q", "-c", "list-pins"]);
    assert!(last_line(&quiet).starts_with("eyJ"), "{quiet}");

    env.ok(&["--local", "keys", "revoke", api_key]);

    // W3IPFS keys, from the same capability names.
    let w3 = env.json(&[
        "--local",
        "--service",
        "w3ipfs",
        "keys",
        "create",
        "w3-ci",
        "-c",
        "pin-file",
    ]);
    assert!(
        w3["secret_key"].as_str().is_some_and(|s| !s.is_empty()),
        "{w3}"
    );
}

#[test]
fn unknown_capability_is_a_clear_usage_error() {
    let env = Env::new();
    let (code, text) = env.fails(&[
        "--local",
        "keys",
        "create",
        "x",
        "--capability",
        "pin-files",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("unknown capability `pin-files`"), "{text}");
    assert!(text.contains("pin-file, pin-json"), "{text}");
    let (code, text) = env.fails(&["--local", "keys", "create", "x"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--capability"), "{text}");
}

#[test]
fn content_upload_then_token_create_prints_token_and_links() {
    let env = Env::new();
    let file = env.file("private.txt", b"for your eyes only\n");
    let id = env.ok(&["--local", "-q", "content", "upload", &file]);
    let id = last_line(&id).to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let item = env.json(&["--local", "content", "get", &id]);
    assert_eq!(item["id"], id.as_str());

    let token = env.json(&["--local", "token", "create", &id, "--ttl", "1h"]);
    let secret = token["token"].as_str().unwrap();
    assert!(!secret.is_empty());
    assert_eq!(token["ttl_seconds"], 3600);
    let url = token["links"][0]["url"].as_str().unwrap();
    assert!(
        url.contains("/ipfs/") && url.contains("accessToken="),
        "{url}"
    );
    assert_eq!(token["links"][0]["content_id"], id.as_str());

    let quiet = env.ok(&["--local", "-q", "token", "create", &id, "--ttl", "90s"]);
    assert_eq!(quiet.trim().lines().count(), 1, "{quiet}");
    assert!(!last_line(&quiet).contains(' '));

    let human = env.ok(&["--local", "token", "create", &id]);
    assert!(human.contains("accessToken="), "{human}");

    let (code, text) = env.fails(&["--local", "token", "create", "not-a-uuid"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not a UUID"), "{text}");

    env.ok(&["--local", "content", "delete", &id]);
}

#[test]
fn a_secret_on_the_command_line_is_refused_without_echoing_it() {
    let env = Env::new();
    for args in [
        &["auth", "login", "pinata-jwt", "eyJtopsecretvalue"][..],
        &["auth", "login", "pinata-jwt", "--jwt", "eyJtopsecretvalue"][..],
        &[
            "auth",
            "login",
            "w3ipfs-key",
            "--api-key",
            "abc",
            "--secret-key",
            "eyJtopsecretvalue",
        ][..],
    ] {
        let (code, text) = env.fails(args);
        assert_eq!(code, 2, "{text}");
        assert!(text.contains("--stdin"), "{text}");
        assert!(text.contains("--from-file"), "{text}");
        assert!(!text.contains("topsecret"), "the secret was echoed: {text}");
    }
    assert!(!env.config_dir().join("credentials.toml").exists());
}

#[test]
fn login_from_stdin_stores_mode_0600_and_secrets_stay_out_of_errors() {
    use std::io::Write;
    let env = Env::new();
    let mut child = env
        .command()
        .args([
            "--base-url",
            "http://127.0.0.1:9",
            "auth",
            "login",
            "pinata-jwt",
            "--stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"eyJstoredsecretjwt\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("storedsecret"));
    let path = env.config_dir().join("credentials.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The stored JWT is used (the base URL was stored too: nothing listens there).
    for json in [false, true] {
        let mut args = vec!["--timeout", "2s", "auth", "test"];
        if json {
            args.insert(0, "--json");
        }
        let (code, text) = env.fails(&args);
        assert_eq!(code, 6, "a network error: {text}");
        assert!(!text.contains("storedsecret"), "{text}");
    }

    // The same from the environment.
    let out = env
        .command()
        .args(["--json", "--timeout", "2s", "pins", "list"])
        .env("PINATA_JWT", "eyJenvsecretjwt")
        .env("PINATA_BASE_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("envsecret"), "{text}");
    let error: Value = serde_json::from_str(String::from_utf8_lossy(&out.stderr).trim()).unwrap();
    assert_eq!(error["exit_code"], 6);

    env.ok(&["auth", "logout"]);
    let (code, text) = env.fails(&["auth", "test"]);
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("PINATA_JWT") && text.contains("--local"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_group_readable_credentials_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let path = env.config_dir().join("credentials.toml");
    std::fs::write(
        &path,
        "[profiles.default]\npinata_jwt = \"eyJreadablesecret\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, text) = env.fails(&["auth", "test"]);
    assert_ne!(code, 0);
    assert!(text.contains("chmod 600"), "{text}");
    assert!(text.contains("mode 644"), "{text}");
    assert!(!text.contains("readablesecret"), "{text}");
}

#[test]
fn json_output_of_ordinary_commands_holds_no_secret() {
    let env = Env::new();
    // Learn the admin secrets of the local emulator the way a user would.
    let creds = env.path().join("creds.json");
    let mut child = env
        .command()
        .args(["emulator", "--credentials-out", creds.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !creds.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let admin: Value = serde_json::from_str(&std::fs::read_to_string(&creds).unwrap()).unwrap();
    let secrets: Vec<String> = [
        &admin["pinata"]["jwt"],
        &admin["pinata"]["api_secret"],
        &admin["submarine"]["api_key"],
        &admin["w3ipfs"]["secret_key"],
        &admin["w3ipfs"]["jwt"],
    ]
    .iter()
    .map(|v| v.as_str().unwrap().to_owned())
    .collect();

    let file = env.file("f.txt", b"no secrets here\n");
    let mut outputs = Vec::new();
    for args in [
        &["auth", "test"][..],
        &["pin", "file", &file][..],
        &["pins", "list"][..],
        &["keys", "list"][..],
        &["usage"][..],
        &["--service", "w3ipfs", "auth", "test"][..],
        &["--service", "w3ipfs", "pins", "list"][..],
        &["content", "list"][..],
        &[
            "pins",
            "get",
            "QmNotPinnedxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ][..],
        &["-vvv", "pin", "file", &file][..],
        &["-vvv", "--service", "w3ipfs", "pins", "list"][..],
        &["-vvv", "content", "upload", &file][..],
    ] {
        let mut all = vec!["--local", "--json"];
        all.extend_from_slice(args);
        let out = env.run(&all);
        outputs.push(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    for text in &outputs {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret leaked: {text}");
        }
    }
}

#[test]
fn the_readme_quickstart_runs_as_written() {
    let env = Env::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run -q -p pinion-cli -- "))
        .expect("the README's first set-up command");
    let args: Vec<&str> = line
        .trim_start_matches("cargo run -q -p pinion-cli -- ")
        .split_whitespace()
        .collect();
    let out = env
        .command()
        .args(&args)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected = env.ok(&["cid", root.join("README.md").to_str().unwrap()]);
    assert_eq!(last_line(&stdout), last_line(&expected), "{stdout}");
}

#[test]
fn completions_man_pages_and_help() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("pinion"), "{bash}");
    let man = env.path().join("man");
    env.ok(&["man", "--out-dir", man.to_str().unwrap()]);
    assert!(man.join("pinion.1").exists());
    assert!(man.join("pinion-keys-create.1").exists());
    let help = env.ok(&["--help"]);
    for command in [
        "auth", "keys", "token", "pin", "pins", "cid", "content", "nft", "emulator",
    ] {
        assert!(help.contains(command), "{help}");
    }
    let version = env.ok(&["--version"]);
    assert!(version.starts_with("pinion "), "{version}");
}

#[test]
fn service_specific_commands_say_which_service() {
    let env = Env::new();
    let (code, text) = env.fails(&["--local", "--service", "w3ipfs", "jobs"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--service pinata"), "{text}");
    let (code, text) = env.fails(&["--local", "pins", "get", "not-a-cid"]);
    assert_eq!(code, 2, "{text}");
    let (code, text) = env.fails(&[
        "--local",
        "pins",
        "get",
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
    ]);
    assert_eq!(code, 4, "{text}");
    let (code, text) = env.fails(&[
        "--local",
        "content",
        "get",
        "00000000-0000-4000-8000-000000000000",
    ]);
    assert_eq!(code, 4, "{text}");
}

#[test]
fn pin_json_metadata_usage_and_nfts() {
    let env = Env::new();
    let json_file = env.file("doc.json", br#"{"hello":"world"}"#);
    let cid = env.ok(&["--local", "-q", "pin", "json", &json_file]);
    let cid = last_line(&cid).to_owned();
    // Named after its file, as `--help` says, until renamed.
    let named = env.json(&["--local", "pins", "list", "--name", "doc.json"]);
    assert!(named.to_string().contains(&cid), "{named}");
    env.ok(&[
        "--local", "metadata", "set", &cid, "--name", "doc", "-k", "env=test",
    ]);
    let listed = env.json(&["--local", "pins", "list", "--name", "doc"]);
    assert!(listed.to_string().contains(&cid), "{listed}");
    let usage = env.json(&["--local", "usage"]);
    assert!(usage["pin_count"].as_i64().unwrap() >= 1, "{usage}");
    // W3IPFS usage is the totals of its pin listing, not the user's profile.
    env.ok(&["--local", "--service", "w3ipfs", "pin", "file", &json_file]);
    let usage = env.json(&["--local", "--service", "w3ipfs", "usage"]);
    assert_eq!(usage["files"], 1, "{usage}");
    assert_eq!(usage["size"], 17, "{usage}");

    let asset = env.file("art.png", b"\x89PNG not really");
    let meta = env.file("meta.json", br#"{"name":"art","description":"test"}"#);
    let nft = env.json(&["--local", "nft", "create", &asset, "--metadata", &meta]);
    let id = nft["id"].as_str().unwrap().to_owned();
    let got = env.json(&["--local", "nft", "get", &id]);
    assert_eq!(got["id"], id.as_str());
    let list = env.ok(&["--local", "nft", "list"]);
    assert!(list.contains(&id), "{list}");
}

#[test]
fn pin_by_cid_jobs_content_updates_and_unpins() {
    let env = Env::new();
    // A CID the emulator does not have: the job waits in `searching`.
    let cid = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    env.ok(&["--local", "pin", "cid", cid, "--name", "remote"]);
    let jobs = env.json(&["--local", "jobs"]);
    assert!(jobs.to_string().contains(cid), "{jobs}");
    let (code, text) = env.fails(&["--local", "pin", "cid", "not-a-cid"]);
    assert_eq!(code, 2, "{text}");

    let file = env.file("note.txt", b"a private note");
    let id = last_line(&env.ok(&["--local", "-q", "content", "upload", &file])).to_owned();
    env.ok(&[
        "--local", "content", "update", &id, "--name", "renamed", "--public",
    ]);
    let item = env.json(&["--local", "content", "get", &id]);
    assert!(item.to_string().contains("renamed"), "{item}");
    assert!(item.to_string().contains("\"pinToIPFS\":true"), "{item}");

    let asset = env.file("a.png", b"\x89PNG again");
    let meta = env.file("m.json", br#"{"name":"a"}"#);
    let nft = env.json(&["--local", "nft", "create", &asset, "--metadata", &meta]);
    let nft_id = nft["id"].as_str().unwrap().to_owned();
    env.ok(&["--local", "nft", "unpin", &nft_id]);
    let got = env.json(&["--local", "nft", "get", &nft_id]);
    assert_eq!(got["pinned"], false, "{got}");

    let pinned = last_line(&env.ok(&["--local", "-q", "pin", "file", &file])).to_owned();
    let shown = env.json(&["--local", "pins", "get", &pinned]);
    assert!(shown.to_string().contains(&pinned), "{shown}");
    env.ok(&["--local", "unpin", &pinned]);
    let (code, text) = env.fails(&["--local", "unpin", &pinned]);
    assert_eq!(code, 4, "unpinning twice is not found: {text}");
}

#[test]
fn a_scoped_key_from_the_environment_may_only_do_what_it_was_created_for() {
    let env = Env::new();
    let served = Served::start(&env);
    let base = served.admin["pinata"]["base_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin_jwt = served.admin["pinata"]["jwt"].as_str().unwrap().to_owned();
    let as_admin = |args: &[&str]| {
        env.command()
            .env("PINATA_JWT", &admin_jwt)
            .env("PINATA_BASE_URL", &base)
            .args(args)
            .output()
            .unwrap()
    };
    let out = as_admin(&["--json", "keys", "create", "uploader", "-c", "pin-file"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key: Value = serde_json::from_slice(&out.stdout).unwrap();
    let jwt = key["jwt"].as_str().unwrap().to_owned();

    let file = env.file("up.txt", b"uploaded with a scoped key\n");
    let as_key = |args: &[&str]| {
        env.command()
            .env("PINATA_JWT", &jwt)
            .env("PINATA_BASE_URL", &base)
            .args(args)
            .output()
            .unwrap()
    };
    let pinned = as_key(&["-q", "pin", "file", &file]);
    assert!(
        pinned.status.success(),
        "{}",
        String::from_utf8_lossy(&pinned.stderr)
    );
    let listed = as_key(&["pins", "list"]);
    assert_eq!(listed.status.code(), Some(3), "an authorisation error");
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(
        stderr.contains("list-pins"),
        "names the missing capability: {stderr}"
    );
    assert!(!stderr.contains(&jwt), "{stderr}");

    // The environment wins over a stored profile.
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let path = env.config_dir().join("credentials.toml");
    std::fs::write(&path, "[profiles.default]\npinata_jwt = \"eyJnotvalid\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = as_admin(&["auth", "test"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // …and the profile is used without it.
    let out = env
        .command()
        .env("PINATA_BASE_URL", &base)
        .args(["auth", "test"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--help` texts are part of the interface: compared with `tests/snapshots/`
/// (`SNAPSHOTS=overwrite cargo test -p pinion-cli` rewrites them).
#[test]
fn help_texts_match_their_snapshots() {
    // snapbox compares with the files in tests/snapshots; `SNAPSHOTS=overwrite cargo test`
    // rewrites them after a deliberate change.
    use snapbox::{assert_data_eq, file};
    let env = Env::new();
    assert_data_eq!(env.ok(&["--help"]), file!["snapshots/help.txt"]);
    assert_data_eq!(
        env.ok(&["keys", "create", "--help"]),
        file!["snapshots/keys-create-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["token", "create", "--help"]),
        file!["snapshots/token-create-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["pin", "file", "--help"]),
        file!["snapshots/pin-file-help.txt"]
    );
}

#[test]
fn profiles_remember_their_service_and_base_url() {
    use std::io::Write;
    let env = Env::new();
    let mut child = env
        .command()
        .args([
            "--profile",
            "work",
            "--service",
            "w3ipfs",
            "--base-url",
            "http://127.0.0.1:9/w3ipfs/api",
            "auth",
            "login",
            "w3ipfs-key",
            "--api-key",
            "public-key",
            "--stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"w3secretkeyvalue\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
    assert!(
        config.contains("[profiles.work]") && config.contains("w3ipfs"),
        "{config}"
    );
    assert!(
        !config.contains("w3secret"),
        "secrets stay out of config.toml: {config}"
    );

    let (code, text) = env.fails(&["--profile", "work", "--timeout", "2s", "auth", "test"]);
    assert_eq!(code, 6, "{text}");
    assert!(text.contains("w3ipfs") || text.contains("W3IPFS"), "{text}");
    assert!(!text.contains("w3secret"), "{text}");

    let (code, text) = env.fails(&["--profile", "nope", "auth", "test"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("work"), "lists the known profiles: {text}");
}
