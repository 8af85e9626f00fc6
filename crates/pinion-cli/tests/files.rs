//! `pinion files …` (Pinata v3) through the built binary, against `--local` or a
//! served emulator.

use std::io::{Read, Write};
use std::process::Command;

mod common;

use common::{Env, Served, last_line};

/// A plain HTTP/1.1 GET to the local emulator: (status, body).
fn get(url: &str) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("a local http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = answer[end + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = unchunk(&body);
    }
    (status, body)
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

/// The binary with the served emulator's Pinata JWT and base URL in the environment.
fn served_command(env: &Env, served: &Served) -> Command {
    let mut command = env.command();
    command
        .env(
            "PINATA_JWT",
            served.admin["pinata"]["jwt"].as_str().unwrap(),
        )
        .env(
            "PINATA_BASE_URL",
            served.admin["pinata"]["base_url"].as_str().unwrap(),
        );
    command
}

fn run_ok(mut command: Command, args: &[&str]) -> String {
    let out = command.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "pinion {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_public_file_is_uploaded_listed_updated_and_deleted() {
    let env = Env::new();
    let file = env.file("notes.txt", b"v3 files through the pinion CLI\n");

    let quiet = env.ok(&[
        "--local",
        "-q",
        "files",
        "upload",
        &file,
        "-k",
        "stage=draft",
    ]);
    let cid = last_line(&quiet).to_owned();
    assert_eq!(quiet.trim(), cid, "-q prints only the CID: {quiet}");
    let local = env.ok(&["-q", "cid", "--cid-version", "1", &file]);
    assert_eq!(local.trim(), cid, "the v3 default is CIDv1");

    let uploaded = env.json(&[
        "--local",
        "files",
        "upload",
        &file,
        "--name",
        "renamed.txt",
        "--cid-version",
        "0",
    ]);
    let mut keys: Vec<&str> = uploaded
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "bytes_sent",
            "cid",
            "duplicate",
            "id",
            "name",
            "network",
            "resumed_from",
            "size",
            "verified"
        ]
    );
    assert!(
        uploaded["cid"].as_str().unwrap().starts_with("Qm"),
        "{uploaded}"
    );
    assert_eq!(uploaded["network"], "public");
    assert_eq!(uploaded["name"], "renamed.txt");
    assert_eq!(uploaded["verified"], true);
    assert_eq!(uploaded["resumed_from"], 0);
    // The service's size: at least the content (a CIDv0 file counts its dag-pb node).
    assert!(uploaded["size"].as_u64().unwrap() >= 32, "{uploaded}");
    let id = uploaded["id"].as_str().unwrap().to_owned();

    let listed = env.json(&["--local", "files", "list", "--all"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let by_kv = env.json(&["--local", "files", "list", "-k", "stage=draft"]);
    assert_eq!(by_kv.as_array().unwrap().len(), 1, "{by_kv}");
    assert_eq!(by_kv[0]["cid"], cid.as_str());
    let by_name = env.ok(&["--local", "-q", "files", "list", "--name", "renamed"]);
    assert_eq!(by_name.trim(), id);
    assert!(
        env.json(&["--local", "files", "list", "--private"])
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was uploaded privately"
    );

    let updated = env.json(&[
        "--local",
        "files",
        "update",
        &id,
        "--name",
        "final.txt",
        "-k",
        "stage=final",
    ]);
    assert_eq!(updated["name"], "final.txt");
    assert_eq!(updated["keyvalues"]["stage"], "final");
    let got = env.json(&["--local", "files", "get", &id]);
    assert_eq!(got["name"], "final.txt");
    let removed = env.json(&["--local", "files", "update", &id, "--remove", "stage"]);
    assert!(removed["keyvalues"].get("stage").is_none(), "{removed}");

    // --local signs links on the embedded emulator's gateway.
    let link = env.json(&["--local", "files", "link", &cid, "--expires", "1h"]);
    let url = link["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.contains(&format!("/files/{cid}")), "{url}");

    env.ok(&["--local", "files", "delete", &id]);
    let (code, text) = env.fails(&["--local", "files", "get", &id]);
    assert_eq!(code, 4, "{text}");
}

#[test]
fn bad_arguments_are_usage_errors_before_any_request() {
    let env = Env::new();
    let file = env.file("a.txt", b"a");
    let (code, text) = env.fails(&["--local", "files", "upload", &file, "-k", "novalue"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("KEY=VALUE"), "{text}");
    let (code, text) = env.fails(&["--local", "files", "upload", env.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("directory"), "{text}");
    let (code, text) = env.fails(&["--local", "--service", "w3ipfs", "files", "list"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--service pinata"), "{text}");
    let (code, text) = env.fails(&["--local", "files", "update", "some-id"]);
    assert_eq!(code, 2, "an update that changes nothing is refused: {text}");
}

#[test]
fn a_private_file_is_reachable_only_through_an_unexpired_link() {
    let env = Env::new();
    let served = Served::start(&env);
    let gateway = served.admin["pinata"]["gateway_url"].as_str().unwrap();
    let contents = b"private through the v3 CLI\n";
    let file = env.file("secret.txt", contents);

    let mut upload = served_command(&env, &served);
    upload.env("PINATA_GATEWAY_URL", gateway);
    let cid = last_line(&run_ok(
        upload,
        &["-q", "files", "upload", "--private", &file],
    ))
    .to_owned();
    let (status, _) = get(&format!("{gateway}/files/{cid}"));
    assert!(status >= 400, "a private file without a link: {status}");

    let mut link = served_command(&env, &served);
    link.env("PINATA_GATEWAY_URL", gateway);
    let out = run_ok(link, &["-q", "files", "link", &cid, "--expires", "1h"]);
    let url = last_line(&out).to_owned();
    assert_eq!(out.trim(), url, "-q prints only the URL: {out}");
    assert!(url.starts_with(gateway), "{url}");
    let (status, body) = get(&url);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(body, contents);

    // --gateway wins over the environment; the JSON says when the link ends.
    let mut json = served_command(&env, &served);
    json.env("PINATA_GATEWAY_URL", "http://127.0.0.1:9/elsewhere");
    let text = run_ok(
        json,
        &[
            "--json",
            "files",
            "link",
            &cid,
            "--expires",
            "10m",
            "--gateway",
            gateway,
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        value["url"].as_str().unwrap().starts_with(gateway),
        "{value}"
    );
    assert_eq!(value["cid"], cid.as_str());
    assert!(value["expires_at"].is_string(), "{value}");

    let control = served.admin["pinata"]["base_url"]
        .as_str()
        .unwrap()
        .replace("/pinata", "/_emulator/clock/advance");
    let rest = control.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let body = r#"{"seconds": 7200}"#;
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (status, _) = get(&url);
    assert!(status >= 400, "an expired link: {status}");
}

#[test]
fn a_link_without_a_gateway_says_how_to_set_one() {
    let env = Env::new();
    let served = Served::start(&env);
    let out = served_command(&env, &served)
        .args(["files", "link", "bafkqaaa", "--expires", "1h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("--gateway"), "{text}");
    assert!(text.contains("PINATA_GATEWAY_URL"), "{text}");
    assert!(text.contains("gateway_url"), "{text}");
}

#[test]
fn help_of_files_commands_matches_the_snapshots() {
    // `SNAPSHOTS=overwrite cargo test -p pinion-cli --test files help` rewrites them.
    use snapbox::{assert_data_eq, file};
    let env = Env::new();
    assert_data_eq!(
        env.ok(&["files", "--help"]),
        file!["snapshots/files-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["files", "upload", "--help"]),
        file!["snapshots/files-upload-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["files", "list", "--help"]),
        file!["snapshots/files-list-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["files", "link", "--help"]),
        file!["snapshots/files-link-help.txt"]
    );
    assert_data_eq!(
        env.ok(&["files", "sign-upload", "--help"]),
        file!["snapshots/files-sign-upload-help.txt"]
    );
}

#[test]
fn a_cid_is_pinned_and_waited_for() {
    let env = Env::new();
    let file = env.file("again.txt", b"pinned again by CID\n");
    let uploaded = env.json(&["--local", "files", "upload", &file]);
    let cid = uploaded["cid"].as_str().unwrap().to_owned();
    env.ok(&[
        "--local",
        "files",
        "delete",
        uploaded["id"].as_str().unwrap(),
    ]);

    let pinned = env.json(&[
        "--local",
        "files",
        "pin",
        &cid,
        "--name",
        "by-cid",
        "--wait",
        "--poll-interval",
        "50ms",
    ]);
    assert_eq!(pinned["cid"], cid.as_str());
    assert_eq!(pinned["name"], "by-cid");
    let listed = env.ok(&["--local", "-q", "files", "list", "--cid", &cid]);
    assert_eq!(listed.trim(), pinned["id"].as_str().unwrap());

    // Without --wait: the queued job, its id last with -q.
    let queued = env.json(&["--local", "files", "pin", "bafkqaaa"]);
    assert_eq!(queued["cid"], "bafkqaaa");
    assert_eq!(queued["status"], "prechecking");
    let quiet = env.ok(&["--local", "-q", "files", "pin", "bafkqaaa"]);
    assert_eq!(last_line(&quiet), quiet.trim());
    let (code, text) = env.fails(&["--local", "files", "pin", "not-a-cid"]);
    assert_eq!(code, 2, "{text}");

    // A job that does not end within --wait-timeout: the wait stops, saying where it stands.
    let (code, text) = env.fails(&[
        "--local",
        "files",
        "pin",
        "bafkqaaa",
        "--wait",
        "--poll-interval",
        "50ms",
        "--wait-timeout",
        "1s",
    ]);
    assert_ne!(code, 0);
    assert!(text.contains("not pinned yet after 1s"), "{text}");
    assert!(text.contains("--wait-timeout"), "{text}");
}

/// A multipart POST of one file (field `file`) to a local URL: (status, body).
fn post_file(url: &str, name: &str, mime: &str, contents: &[u8]) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("a local http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let boundary = "pinion-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(contents);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).unwrap().parse().unwrap();
    (status, answer)
}

#[test]
fn a_presigned_url_takes_uploads_within_its_limits_and_without_credentials() {
    let env = Env::new();
    let served = Served::start(&env);
    let sign = |extra: &[&str]| {
        let mut args = vec!["-q", "files", "sign-upload", "--expires", "10m"];
        args.extend_from_slice(extra);
        let out = run_ok(served_command(&env, &served), &args);
        assert_eq!(last_line(&out), out.trim(), "-q prints only the URL: {out}");
        out.trim().to_owned()
    };

    let open = sign(&["--name", "signed.txt"]);
    let (status, answer) = post_file(&open, "x.txt", "text/plain", b"uploaded with no key\n");
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains("signed.txt"),
        "the name set when signing: {answer}"
    );

    let small = sign(&["--max-size", "10B"]);
    let (status, answer) = post_file(&small, "big.txt", "text/plain", b"more than ten bytes\n");
    assert!(status >= 400, "over --max-size: {answer}");

    let images = sign(&["--mime", "image/*"]);
    let (status, answer) = post_file(&images, "t.txt", "text/plain", b"text\n");
    assert!(status >= 400, "not an image: {answer}");

    let mut json = served_command(&env, &served);
    json.args([
        "--json",
        "files",
        "sign-upload",
        "--expires",
        "10m",
        "--max-size",
        "100MB",
        "--private",
    ]);
    let text = run_ok(json, &[]);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["max_size"], 100_000_000);
    assert_eq!(value["network"], "private");
    assert_eq!(value["expires_in_seconds"], 600);

    let (code, text) = env.fails(&[
        "--local",
        "files",
        "sign-upload",
        "--expires",
        "10m",
        "--max-size",
        "ten",
    ]);
    assert_eq!(code, 2, "{text}");
}
