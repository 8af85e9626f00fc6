//! The directory walk shared by hashing and uploading: what it includes, what it
//! leaves out, and how it refuses to read outside the directory or a changed file.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use pinion_cid::{
    CidVersion, DirectoryBuilder, DirectorySummary, Error, HashDirectoryOptions, SkipReason,
    SymlinkPolicy, hash_bytes, hash_directory, walk_directory,
};

const V: CidVersion = CidVersion::V1;

/// `tmp/root` with `a.txt`, `sub/b.txt`, `.env`, `empty/`, and `tmp/outside`.
fn tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::create_dir_all(root.join("empty/deeper")).unwrap();
    fs::write(root.join("a.txt"), b"aaa").unwrap();
    fs::write(root.join("sub/b.txt"), b"bbb").unwrap();
    fs::write(root.join(".env"), b"secret").unwrap();
    fs::write(tmp.path().join("outside"), b"OUTSIDE").unwrap();
    (tmp, root)
}

fn built(files: &[(&str, &[u8])], dirs: &[&str]) -> DirectorySummary {
    let mut builder = DirectoryBuilder::new(V);
    for (path, bytes) in files {
        builder.add_file(path, hash_bytes(bytes, V)).unwrap();
    }
    for dir in dirs {
        builder.add_directory(dir).unwrap();
    }
    builder.finish()
}

fn hash(root: &Path, options: &HashDirectoryOptions) -> Result<DirectorySummary, Error> {
    hash_directory(root, V, options)
}

#[test]
fn empty_directories_and_hidden_entries_are_left_out_unless_asked() {
    let (_tmp, root) = tree();
    let plain = built(&[("a.txt", b"aaa"), ("sub/b.txt", b"bbb")], &[]);
    assert_eq!(hash(&root, &HashDirectoryOptions::new()).unwrap(), plain);
    let ipfs_add = built(
        &[("a.txt", b"aaa"), ("sub/b.txt", b"bbb")],
        &["empty/deeper"],
    );
    let keep = HashDirectoryOptions::new().keep_empty_directories(true);
    assert_eq!(hash(&root, &keep).unwrap(), ipfs_add);
    assert_ne!(plain, ipfs_add);
    let hidden = HashDirectoryOptions::new().include_hidden(true);
    let all = built(
        &[
            ("a.txt", b"aaa"),
            ("sub/b.txt", b"bbb"),
            (".env", b"secret"),
        ],
        &[],
    );
    assert_eq!(hash(&root, &hidden).unwrap(), all);
}

#[test]
fn wrapping_puts_the_directory_under_its_own_name() {
    let (_tmp, root) = tree();
    let wrapped = built(&[("root/a.txt", b"aaa"), ("root/sub/b.txt", b"bbb")], &[]);
    let options = HashDirectoryOptions::new().wrap_with_directory(true);
    assert_eq!(hash(&root, &options).unwrap(), wrapped);
    let walk = walk_directory(&root, &options).unwrap();
    assert_eq!(walk.dag_path("a.txt").unwrap(), "root/a.txt");
}

#[test]
fn symbolic_links_are_skipped_by_default_and_listed() {
    let (tmp, root) = tree();
    symlink(tmp.path().join("outside"), root.join("leak")).unwrap();
    symlink(root.join("a.txt"), root.join("inside")).unwrap();
    let walk = walk_directory(&root, &HashDirectoryOptions::new()).unwrap();
    let files: Vec<&str> = walk.files().iter().map(|f| f.relative.as_str()).collect();
    assert_eq!(files, ["a.txt", "sub/b.txt"]);
    let mut skipped: Vec<_> = walk
        .skipped()
        .iter()
        .map(|s| (s.path.file_name().unwrap().to_owned(), s.reason))
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            ("inside".into(), SkipReason::Policy),
            ("leak".into(), SkipReason::Policy)
        ]
    );
    assert!(walk.skipped()[0].to_string().contains("unless followed"));
    let reject = HashDirectoryOptions::new().symlinks(SymlinkPolicy::Reject);
    assert!(matches!(hash(&root, &reject), Err(Error::Symlink { .. })));
}

#[test]
fn followed_links_stay_inside_the_root() {
    let (tmp, root) = tree();
    let follow = HashDirectoryOptions::new().symlinks(SymlinkPolicy::FollowInsideRoot);
    symlink(tmp.path().join("outside"), root.join("leak")).unwrap();
    symlink(tmp.path(), root.join("parent")).unwrap();
    symlink("sub/b.txt", root.join("inside")).unwrap();
    symlink("sub", root.join("sub-again")).unwrap();
    symlink(tmp.path().join("missing"), root.join("dangling")).unwrap();
    // A link through a link inside the root that ends outside is still outside.
    symlink("leak", root.join("leak2")).unwrap();

    let walk = walk_directory(&root, &follow).unwrap();
    let files: Vec<&str> = walk.files().iter().map(|f| f.relative.as_str()).collect();
    assert_eq!(files, ["a.txt", "inside", "sub-again/b.txt", "sub/b.txt"]);
    for file in walk.files() {
        assert!(file.path.starts_with(walk.root()), "{file:?}");
    }
    let mut skipped: Vec<_> = walk
        .skipped()
        .iter()
        .map(|s| (s.path.file_name().unwrap().to_str().unwrap(), s.reason))
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            ("dangling", SkipReason::Dangling),
            ("leak", SkipReason::OutsideRoot),
            ("leak2", SkipReason::OutsideRoot),
            ("parent", SkipReason::OutsideRoot),
        ]
    );
    let expected = built(
        &[
            ("a.txt", b"aaa"),
            ("inside", b"bbb"),
            ("sub-again/b.txt", b"bbb"),
            ("sub/b.txt", b"bbb"),
        ],
        &[],
    );
    assert_eq!(hash(&root, &follow).unwrap(), expected);
}

#[test]
fn a_link_loop_is_a_clear_error() {
    let (_tmp, root) = tree();
    let follow = HashDirectoryOptions::new().symlinks(SymlinkPolicy::FollowInsideRoot);
    symlink(&root, root.join("sub/loop")).unwrap();
    let error = hash(&root, &follow).unwrap_err();
    assert!(matches!(error, Error::SymlinkCycle { .. }), "{error}");
    assert!(error.to_string().contains("loop"), "{error}");
    fs::remove_file(root.join("sub/loop")).unwrap();
    // Links that point to each other lead nowhere.
    symlink("b", root.join("a")).unwrap();
    symlink("a", root.join("b")).unwrap();
    let walk = walk_directory(&root, &follow).unwrap();
    assert!(
        walk.skipped()
            .iter()
            .all(|s| s.reason == SkipReason::Dangling)
    );
    assert_eq!(walk.skipped().len(), 2);
}

#[test]
fn a_file_replaced_after_the_walk_is_refused_not_read() {
    let (tmp, root) = tree();
    let walk = walk_directory(&root, &HashDirectoryOptions::new()).unwrap();
    let a = walk.files().iter().find(|f| f.relative == "a.txt").unwrap();
    assert!(a.open().is_ok());
    // Kept alive, so a new file cannot get its inode number.
    fs::hard_link(root.join("a.txt"), tmp.path().join("a.keep")).unwrap();

    // Swapped for a link to a file outside: never opened.
    fs::remove_file(root.join("a.txt")).unwrap();
    symlink(tmp.path().join("outside"), root.join("a.txt")).unwrap();
    let error = a.open().unwrap_err();
    assert!(matches!(error, Error::Changed { .. }), "{error}");
    assert!(error.to_string().contains("symbolic link"), "{error}");

    // Swapped for another file (same name, new inode).
    fs::remove_file(root.join("a.txt")).unwrap();
    fs::write(root.join("a.txt"), b"aaa").unwrap();
    assert!(matches!(a.open(), Err(Error::Changed { .. })));

    // Grown in place.
    let b = walk
        .files()
        .iter()
        .find(|f| f.relative == "sub/b.txt")
        .unwrap();
    fs::write(root.join("sub/b.txt"), b"bbbb").unwrap();
    let error = b.open().unwrap_err();
    assert!(error.to_string().contains("3 bytes"), "{error}");

    // Vanished.
    fs::remove_file(root.join("sub/b.txt")).unwrap();
    assert!(matches!(b.open(), Err(Error::Io { .. })));
}

#[test]
fn followed_link_targets_are_checked_when_opened() {
    let (tmp, root) = tree();
    symlink("a.txt", root.join("alias")).unwrap();
    let follow = HashDirectoryOptions::new().symlinks(SymlinkPolicy::FollowInsideRoot);
    let walk = walk_directory(&root, &follow).unwrap();
    let alias = walk.files().iter().find(|f| f.relative == "alias").unwrap();
    assert_eq!(alias.path, walk.root().join("a.txt"));
    // The target becomes a link to outside: refused.
    fs::remove_file(root.join("a.txt")).unwrap();
    symlink(tmp.path().join("outside"), root.join("a.txt")).unwrap();
    assert!(matches!(alias.open(), Err(Error::Changed { .. })));
}

#[test]
fn odd_entries_are_errors_never_panics() {
    let (_tmp, root) = tree();
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    let error = hash(&root, &HashDirectoryOptions::new()).unwrap_err();
    assert!(
        matches!(error, Error::UnsupportedFileType { .. }),
        "{error}"
    );
    fs::remove_file(root.join("pipe")).unwrap();

    assert!(matches!(
        hash(&root.join("a.txt"), &HashDirectoryOptions::new()),
        Err(Error::NotADirectory { .. })
    ));
    assert!(matches!(
        hash(&root.join("nope"), &HashDirectoryOptions::new()),
        Err(Error::Io { .. })
    ));

    // An unreadable directory names itself (root reads everything: nothing to test).
    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("sub"), fs::Permissions::from_mode(0o000)).unwrap();
        let error = hash(&root, &HashDirectoryOptions::new()).unwrap_err();
        fs::set_permissions(root.join("sub"), fs::Permissions::from_mode(0o755)).unwrap();
        assert!(error.to_string().contains("sub"), "{error}");
    }
}

#[test]
fn a_deep_tree_does_not_exhaust_a_small_stack() {
    let (_tmp, root) = tree();
    let mut deep = root.join("deep");
    for _ in 0..1500 {
        deep.push("d");
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("leaf"), b"leaf").unwrap();
    let walked = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || hash(&root, &HashDirectoryOptions::new()))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(walked.is_ok(), "{walked:?}");
}

#[test]
fn a_very_deep_path_builds_and_drops_on_a_small_stack() {
    // Paths from an upload are anyone's: 100,000 levels must not abort the process.
    let path = "d/".repeat(100_000) + "leaf";
    let built = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut builder = DirectoryBuilder::new(V);
            builder.add_file(&path, hash_bytes(b"leaf", V)).unwrap();
            builder.finish()
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(built.byte_len, 4);
}
