//! Checks pinion-cid against `fixtures/cids.json`, produced by the real
//! `ipfs-unixfs-importer` (see `fixtures/generate.mjs`).
//!
//! File contents are regenerated here with the same deterministic rule as
//! the generator (xorshift32 seeded by FNV-1a of a name); directories are
//! materialized in a temporary directory and hashed both through
//! [`DirectoryBuilder`] and through [`hash_directory`].

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use pinion_cid::{
    CidVersion, DirectoryBuilder, FileHasher, HashDirectoryOptions, hash_bytes, hash_directory,
    hash_directory_tree, hash_reader,
};
use pinion_testkit::fixture::xorshift_bytes;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fixtures {
    files: Vec<FileCase>,
    directories: Vec<DirCase>,
}

#[derive(Deserialize)]
struct Expected {
    cid: String,
    #[serde(rename = "pinSize")]
    pin_size: u64,
}

#[derive(Deserialize)]
struct FileCase {
    name: String,
    bytes: String,
    len: u64,
    v0: Expected,
    v1: Expected,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DirExpected {
    cid: String,
    pin_size: u64,
    root_type: String,
    #[serde(default)]
    subdirs: BTreeMap<String, Expected>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DirCase {
    name: String,
    layout: String,
    #[serde(default)]
    files: Vec<FileSpec>,
    #[serde(default)]
    empty_dirs: Vec<String>,
    #[serde(default)]
    wrap_with_directory: bool,
    file_count: usize,
    v0: DirExpected,
    v1: DirExpected,
}

#[derive(Deserialize, Clone)]
struct FileSpec {
    path: String,
    len: usize,
}

fn fixtures() -> Fixtures {
    let text = include_str!("../fixtures/cids.json");
    serde_json::from_str(text).expect("fixtures/cids.json parses")
}

fn file_bytes(case: &FileCase) -> Vec<u8> {
    let bytes = if let Some(text) = case.bytes.strip_prefix("utf8:") {
        text.as_bytes().to_vec()
    } else if let Some(seed) = case.bytes.strip_prefix("xorshift32:") {
        xorshift_bytes(seed, case.len as usize)
    } else {
        panic!("unknown byte rule {}", case.bytes)
    };
    assert_eq!(bytes.len() as u64, case.len, "{}", case.name);
    bytes
}

fn versions<'a, T>(v0: &'a T, v1: &'a T) -> [(CidVersion, &'a T); 2] {
    [(CidVersion::V0, v0), (CidVersion::V1, v1)]
}

#[test]
fn files_match_the_importer() {
    let fixtures = fixtures();
    assert!(fixtures.files.len() >= 10);
    for case in &fixtures.files {
        let data = file_bytes(case);
        for (version, expected) in versions(&case.v0, &case.v1) {
            let what = format!("{} {version}", case.name);
            let one_shot = hash_bytes(&data, version);
            assert_eq!(one_shot.cid.to_string(), expected.cid, "{what}: CID");
            assert_eq!(one_shot.pin_size, expected.pin_size, "{what}: pin size");
            assert_eq!(one_shot.byte_len, case.len, "{what}: byte length");

            // streamed in uneven pieces that straddle chunk boundaries
            let mut hasher = FileHasher::new(version);
            for piece in data.chunks(100_003) {
                hasher.update(piece);
            }
            assert_eq!(hasher.finish(), one_shot, "{what}: incremental");

            assert_eq!(
                hash_reader(&data[..], version).unwrap(),
                one_shot,
                "{what}: reader"
            );
        }
    }
}

/// The files of a directory case: (relative path, content).
fn dir_files(case: &DirCase) -> Vec<(String, Vec<u8>)> {
    let files: Vec<(String, Vec<u8>)> = match case.layout.as_str() {
        "explicit" => case
            .files
            .iter()
            .map(|f| {
                let seed = format!("{}/{}", case.name, f.path);
                (f.path.clone(), xorshift_bytes(&seed, f.len))
            })
            .collect(),
        // `${i}.json` with `{"name":"Pinion #${i}","edition":${i}}\n`
        "nft" => (0..10_000)
            .map(|i| {
                let text = format!("{{\"name\":\"Pinion #{i}\",\"edition\":{i}}}\n");
                (format!("{i}.json"), text.into_bytes())
            })
            .collect(),
        // `f00000`..`f06551` (length i % 4) and one 30-byte name (length 5)
        "threshold" => {
            let mut files: Vec<_> = (0..6552)
                .map(|i| {
                    let path = format!("f{i:05}");
                    let seed = format!("{}/{path}", case.name);
                    let data = xorshift_bytes(&seed, i % 4);
                    (path, data)
                })
                .collect();
            let path = "a-thirty-byte-long-file-name-x".to_owned();
            let seed = format!("{}/{path}", case.name);
            files.push((path, xorshift_bytes(&seed, 5)));
            files
        }
        other => panic!("unknown layout {other}"),
    };
    assert_eq!(files.len(), case.file_count, "{}", case.name);
    files
}

fn materialize(root: &Path, files: &[(String, Vec<u8>)], empty_dirs: &[String]) {
    fs::create_dir_all(root).unwrap();
    for (path, data) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, data).unwrap();
    }
    for dir in empty_dirs {
        fs::create_dir_all(root.join(dir)).unwrap();
    }
}

fn check_directory_case(name: &str) {
    let fixtures = fixtures();
    let case = fixtures
        .directories
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"));
    let files = dir_files(case);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join(&case.name);
    materialize(&root, &files, &case.empty_dirs);
    let options = HashDirectoryOptions::new()
        .include_hidden(true)
        .keep_empty_directories(true);

    for (version, expected) in versions(&case.v0, &case.v1) {
        let what = format!("{} {version}", case.name);

        // from in-memory summaries, added in reverse order
        let mut builder = DirectoryBuilder::new(version);
        let mut total = 0;
        for (path, data) in files.iter().rev() {
            total += data.len() as u64;
            builder.add_file(path, hash_bytes(data, version)).unwrap();
        }
        for dir in &case.empty_dirs {
            builder.add_directory(dir).unwrap();
        }
        let tree = builder.finish_tree();
        assert_eq!(tree.root.cid.to_string(), expected.cid, "{what}: CID");
        assert_eq!(tree.root.pin_size, expected.pin_size, "{what}: pin size");
        assert_eq!(tree.root.byte_len, total, "{what}: byte length");
        let sharded = expected.root_type == "hamt-sharded-directory";
        assert_eq!(tree.root.sharded, sharded, "{what}: root type");
        assert_eq!(tree.file_count(), files.len(), "{what}: files");
        assert_eq!(tree.files().count(), files.len(), "{what}: files listed");
        for (path, sub) in &expected.subdirs {
            let got = tree
                .directory(path)
                .unwrap_or_else(|| panic!("{what}: no sub-directory {path}"));
            assert_eq!(got.cid.to_string(), sub.cid, "{what}: {path} CID");
            assert_eq!(got.pin_size, sub.pin_size, "{what}: {path} pin size");
        }

        // by walking the materialized directory
        let walked = hash_directory(&root, version, &options).unwrap();
        assert_eq!(walked, tree.root, "{what}: walker");
        if !expected.subdirs.is_empty() {
            let walked_tree = hash_directory_tree(&root, version, &options).unwrap();
            assert_eq!(walked_tree, tree, "{what}: walked tree");
        }
    }
}

#[test]
fn nested_directories_match_the_importer() {
    check_directory_case("nested");
}

#[test]
fn nft_collection_is_sharded_like_the_importer() {
    check_directory_case("nft-collection-10000");
}

#[test]
fn shard_threshold_edge_matches_the_importer() {
    check_directory_case("shard-threshold-edge");
}

#[test]
fn wrapped_file_matches_the_importer() {
    let fixtures = fixtures();
    let case = fixtures
        .directories
        .iter()
        .find(|d| d.name == "wrapped-file")
        .unwrap();
    assert!(case.wrap_with_directory);
    check_directory_case("wrapped-file");
}

#[test]
fn every_fixture_case_is_checked() {
    let fixtures = fixtures();
    let names: Vec<&str> = fixtures
        .directories
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "nested",
            "nft-collection-10000",
            "shard-threshold-edge",
            "wrapped-file"
        ]
    );
    // the well-known CIDs are among the fixtures
    let hello = fixtures
        .files
        .iter()
        .find(|f| f.name == "hello-world")
        .unwrap();
    assert_eq!(
        hello.v0.cid,
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
    );
    let empty = fixtures.files.iter().find(|f| f.name == "empty").unwrap();
    assert_eq!(
        empty.v0.cid,
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
    );
    assert_eq!(
        empty.v1.cid,
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
    );
}
