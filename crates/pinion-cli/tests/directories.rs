//! `pinion cid DIR` and `pinion pin dir DIR` read a directory the same way: the same CID
//! for trees with empty directories and symbolic links, and never a file outside it.
#![cfg(unix)]

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

mod common;

use common::{Env, Served, last_line};

const OUTSIDE: &[u8] = b"outside the pinned directory: must never be uploaded";

/// `base/site` with nested and empty directories and every kind of link, and
/// `base/outside`.
fn site(base: &Path) -> PathBuf {
    let root = base.join("site");
    fs::create_dir_all(root.join("css/empty")).unwrap();
    fs::create_dir_all(root.join("img")).unwrap();
    fs::write(root.join("index.html"), b"<h1>hi</h1>").unwrap();
    fs::write(root.join("css/a.css"), b"a{}").unwrap();
    fs::write(base.join("outside"), OUTSIDE).unwrap();
    symlink(base.join("outside"), root.join("passwd")).unwrap();
    symlink("index.html", root.join("home.html")).unwrap();
    symlink("../css", root.join("img/styles")).unwrap();
    symlink("nowhere", root.join("dangling")).unwrap();
    root
}

#[test]
fn cid_is_the_cid_pin_dir_pins_with_the_same_flags() {
    let env = Env::new();
    let root = site(env.path());
    let root = root.to_str().unwrap();
    let flag_sets: [&[&str]; 5] = [
        &[],
        &["--follow-symlinks"],
        &["--wrap"],
        &["--follow-symlinks", "--wrap", "--cid-version", "1"],
        &["--hidden", "--cid-version", "1"],
    ];
    let mut seen = Vec::new();
    for flags in flag_sets {
        let mut cid_args = vec!["-q", "cid", root];
        cid_args.extend_from_slice(flags);
        let local = last_line(&env.ok(&cid_args)).to_owned();
        let mut pin_args = vec!["--local", "-q", "pin", "dir", root];
        pin_args.extend_from_slice(flags);
        let pinned = last_line(&env.ok(&pin_args)).to_owned();
        assert_eq!(local, pinned, "flags {flags:?}");
        seen.push(local);
    }
    // Following links and wrapping do change the tree.
    assert_ne!(seen[0], seen[1]);
    assert_ne!(seen[0], seen[2]);
}

#[test]
fn skipped_links_are_warned_about_and_listed() {
    let env = Env::new();
    let root = site(env.path());
    let out = env.run(&["--local", "pin", "dir", root.to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: left out 4 symbolic link(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("passwd"), "{stderr}");
    let json = env.json(&[
        "--local",
        "pin",
        "dir",
        root.to_str().unwrap(),
        "--follow-symlinks",
    ]);
    let mut listed: Vec<String> = json["skipped_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            Path::new(p.as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    listed.sort();
    assert_eq!(listed, ["dangling", "passwd"]);
}

/// The status of a plain HTTP GET of `url` (`http://host:port/path`).
fn get_status(url: &str) -> u16 {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_link_to_a_file_outside_is_never_uploaded_with_or_without_following() {
    let env = Env::new();
    let served = Served::start(&env);
    let base = served.admin["pinata"]["base_url"].as_str().unwrap();
    let jwt = served.admin["pinata"]["jwt"].as_str().unwrap();
    let gateway = served.admin["submarine"]["gateway_url"].as_str().unwrap();
    let root = site(env.path());
    for follow in [false, true] {
        let mut args = vec!["-q", "pin", "dir", root.to_str().unwrap()];
        if follow {
            args.push("--follow-symlinks");
        }
        let out = env
            .command()
            .env("PINATA_JWT", jwt)
            .env("PINATA_BASE_URL", base)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cid = last_line(&String::from_utf8_lossy(&out.stdout)).to_owned();
        assert_eq!(get_status(&format!("{gateway}/ipfs/{cid}/index.html")), 200);
        // The link to the outside file is not there, followed or not.
        assert_eq!(get_status(&format!("{gateway}/ipfs/{cid}/passwd")), 404);
        let home = get_status(&format!("{gateway}/ipfs/{cid}/home.html"));
        assert_eq!(home, if follow { 200 } else { 404 });
    }
}

#[test]
fn verification_is_on_by_default_and_no_verify_turns_it_off() {
    let env = Env::new();
    let file = env.file("a.txt", b"hello\n");
    let checked = env.json(&["--local", "pin", "file", &file]);
    assert_eq!(checked["verified"], true, "{checked}");
    let unchecked = env.json(&["--local", "pin", "file", &file, "--no-verify"]);
    assert_eq!(unchecked["verified"], false, "{unchecked}");
    assert_eq!(unchecked["cid"], checked["cid"]);
    // The last of --verify / --no-verify wins.
    let again = env.json(&["--local", "pin", "file", &file, "--no-verify", "--verify"]);
    assert_eq!(again["verified"], true, "{again}");
}

#[test]
fn an_empty_tree_has_no_cid_to_pin() {
    let env = Env::new();
    fs::create_dir_all(env.path().join("hollow/a/b")).unwrap();
    let hollow = env.path().join("hollow");
    let (code, text) = env.fails(&["cid", hollow.to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("no files"), "{text}");
    let (_, text) = env.fails(&["--local", "pin", "dir", hollow.to_str().unwrap()]);
    assert!(text.contains("no files"), "{text}");
}

/// `--help` of the commands that read directories: part of the interface, compared with
/// `tests/snapshots/` (`SNAPSHOTS=overwrite cargo test` rewrites them).
#[test]
fn help_of_pin_dir_and_cid_match_their_snapshots() {
    use snapbox::{assert_data_eq, file};
    let env = Env::new();
    assert_data_eq!(
        env.ok(&["pin", "dir", "--help"]),
        file!["snapshots/pin-dir-help.txt"]
    );
    assert_data_eq!(env.ok(&["cid", "--help"]), file!["snapshots/cid-help.txt"]);
}
