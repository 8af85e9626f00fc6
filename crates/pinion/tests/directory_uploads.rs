//! Directory uploads against the emulator: the CID computed locally by the one walk is
//! the CID the upload pins, for any tree (empty directories, nested directories,
//! symbolic links inside and outside the directory), and nothing outside the directory
//! is ever uploaded.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use pinion::cid::{CidVersion, hash_directory};
use pinion::upload::UploadOptions;
use pinion_emulator::{AdminCredentials, Emulator};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

mod common;

use common::pinata_client;

/// The content of the file outside every pinned directory.
const OUTSIDE: &[u8] = b"outside the pinned directory: must never be uploaded";

/// One entry of a generated tree, at a path of 1 to 3 components.
#[derive(Clone, Debug)]
enum Entry {
    File(Vec<String>, Vec<u8>),
    EmptyDir(Vec<String>),
    /// A link to the entry at this index (modulo the number of entries), relative.
    LinkInside(Vec<String>, usize),
    /// A link to the file outside the directory.
    LinkOutside(Vec<String>),
    /// A link to the directory's parent.
    LinkToParent(Vec<String>),
    Dangling(Vec<String>),
}

fn path() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::sample::select(vec!["a", "b", "c", ".h"]), 1..=3)
        .prop_map(|parts| parts.into_iter().map(str::to_owned).collect())
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        4 => (path(), prop::collection::vec(any::<u8>(), 0..64)).prop_map(|(p, b)| Entry::File(p, b)),
        1 => path().prop_map(Entry::EmptyDir),
        2 => (path(), any::<usize>()).prop_map(|(p, i)| Entry::LinkInside(p, i)),
        1 => path().prop_map(Entry::LinkOutside),
        1 => path().prop_map(Entry::LinkToParent),
        1 => path().prop_map(Entry::Dangling),
    ]
}

fn entry_path(entry: &Entry) -> &[String] {
    match entry {
        Entry::File(p, _)
        | Entry::EmptyDir(p)
        | Entry::LinkInside(p, _)
        | Entry::LinkOutside(p)
        | Entry::LinkToParent(p)
        | Entry::Dangling(p) => p,
    }
}

/// Creates the entries that fit (a path already used, or under a file or a link, is
/// left out: the tree stays whatever the generator meant, just smaller). Returns the
/// paths below `root` at which the outside file would appear if a link were followed
/// out of the directory.
fn materialize(base: &Path, root: &Path, entries: &[Entry]) -> Vec<String> {
    fs::create_dir_all(root).unwrap();
    fs::write(base.join("outside"), OUTSIDE).unwrap();
    for entry in entries {
        let parts = entry_path(entry);
        let path = parts.iter().fold(root.to_owned(), |p, part| p.join(part));
        if fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        if !make_parents(root, &parts[..parts.len() - 1]) {
            continue;
        }
        let depth = parts.len() - 1;
        let up = "../".repeat(depth);
        let _ = match entry {
            Entry::File(_, bytes) => fs::write(&path, bytes),
            Entry::EmptyDir(_) => fs::create_dir(&path),
            Entry::LinkInside(_, index) => {
                let target = entry_path(&entries[index % entries.len()]).join("/");
                symlink(format!("{up}{target}"), &path)
            }
            Entry::LinkOutside(_) => symlink(base.join("outside"), &path),
            Entry::LinkToParent(_) => symlink(format!("{up}.."), &path),
            Entry::Dangling(_) => symlink(format!("{up}missing"), &path),
        };
    }
    let mut leaks = Vec::new();
    for entry in entries {
        let relative = entry_path(entry).join("/");
        let Ok(target) = fs::canonicalize(root.join(&relative)) else {
            continue;
        };
        if target.starts_with(root) {
            continue;
        }
        if target.is_dir() {
            leaks.push(format!("{relative}/outside"));
        } else {
            leaks.push(relative);
        }
    }
    leaks
}

/// Creates the directories `parts` below `root`, unless one of them is already a file
/// or a link (never creating anything through a link).
fn make_parents(root: &Path, parts: &[String]) -> bool {
    let mut dir = root.to_owned();
    for part in parts {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return false,
            Err(_) => {
                if fs::create_dir(&dir).is_err() {
                    return false;
                }
            }
        }
    }
    true
}

/// The gateway's answer status for `cid` (and a path below it).
async fn gateway_status(c: &AdminCredentials, cid_and_path: &str) -> u16 {
    let url = format!("{}/ipfs/{cid_and_path}", c.submarine.gateway_url);
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[test]
fn the_local_cid_is_the_cid_the_upload_pins_for_any_tree() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::builder().start()).unwrap();
    let c = emulator.credentials().clone();
    let client = pinata_client(&c, &c.pinata.jwt);
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (prop::collection::vec(entry(), 1..10), any::<bool>());
    runner
        .run(&strategy, |(entries, hidden)| {
            let scratch = tempfile::tempdir().unwrap();
            let base = fs::canonicalize(scratch.path()).unwrap();
            let root = base.join("tree");
            let leaks = materialize(&base, &root, &entries);
            for follow in [false, true] {
                for wrap in [false, true] {
                    for version in [CidVersion::V0, CidVersion::V1] {
                        let options = UploadOptions::default()
                            .cid_version(version)
                            .include_hidden(hidden)
                            .follow_symlinks(follow)
                            .wrap_with_directory(wrap);
                        let local = hash_directory(&root, version, &options.walk_options());
                        let uploaded =
                            runtime.block_on(client.pin_directory(&root, options.clone()));
                        match (local, uploaded) {
                            (Ok(local), Ok(uploaded)) => {
                                prop_assert_eq!(&uploaded.cid, &local.cid.to_string());
                                prop_assert!(uploaded.verified);
                                // What the links leading out would show is not there.
                                let top = if wrap { "/tree" } else { "" };
                                for leak in &leaks {
                                    let path = format!("{}{top}/{leak}", uploaded.cid);
                                    let status = runtime.block_on(gateway_status(&c, &path));
                                    prop_assert_eq!(status, 404, "{}", path);
                                }
                            }
                            // A tree without files: nothing to upload.
                            (Ok(_), Err(error)) => prop_assert!(
                                error.to_string().contains("has no files"),
                                "{}",
                                error
                            ),
                            // A link loop: both refuse.
                            (Err(local), Err(upload)) => prop_assert!(
                                local.to_string().contains("cycle")
                                    && upload.to_string().contains("cycle"),
                                "{} / {}",
                                local,
                                upload
                            ),
                            (Err(local), Ok(_)) => {
                                prop_assert!(false, "hashing failed, upload worked: {}", local)
                            }
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_link_to_a_file_outside_is_never_uploaded() {
    let emulator = Emulator::builder().start().await.unwrap();
    let c = emulator.credentials().clone();
    let client = pinata_client(&c, &c.pinata.jwt);
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("site");
    fs::create_dir_all(root.join("css")).unwrap();
    fs::write(root.join("index.html"), b"<h1>hi</h1>").unwrap();
    fs::write(root.join("css/a.css"), b"a{}").unwrap();
    fs::write(base.path().join("outside"), OUTSIDE).unwrap();
    symlink(base.path().join("outside"), root.join("passwd")).unwrap();
    symlink(base.path(), root.join("up")).unwrap();
    symlink("index.html", root.join("home.html")).unwrap();

    for follow in [false, true] {
        let options = UploadOptions::default()
            .cid_version(CidVersion::V1)
            .follow_symlinks(follow);
        let uploaded = client.pin_directory(&root, options).await.unwrap();
        assert!(uploaded.verified);
        let mut skipped: Vec<String> = uploaded
            .skipped_links
            .iter()
            .map(|s| s.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        skipped.sort();
        let expected: &[&str] = if follow {
            &["passwd", "up"]
        } else {
            &["home.html", "passwd", "up"]
        };
        assert_eq!(skipped, expected, "follow: {follow}");
        let cid = &uploaded.cid;
        assert_eq!(gateway_status(&c, &format!("{cid}/index.html")).await, 200);
        assert_eq!(gateway_status(&c, &format!("{cid}/passwd")).await, 404);
        assert_eq!(gateway_status(&c, &format!("{cid}/up/outside")).await, 404);
        let followed = gateway_status(&c, &format!("{cid}/home.html")).await;
        assert_eq!(followed, if follow { 200 } else { 404 });
    }
}
