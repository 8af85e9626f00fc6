//! The walk descends through directory handles: a directory swapped for a link while
//! walks run never lets a file from outside in, and a deep tree never needs more than
//! a few handles at once.
#![cfg(target_os = "linux")]

use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use pinion_cid::{HashDirectoryOptions, SymlinkPolicy, walk_directory};

const OUTSIDE_NAME: &str = "OUTSIDE-SECRET-7f3a.txt";

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

/// Atomically exchanges the entries `a` and `b` (a directory and a link).
fn exchange(a: &CString, b: &CString) {
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD needs no descriptor.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    assert_eq!(done, 0, "{}", std::io::Error::last_os_error());
}

fn race(options: &HashDirectoryOptions) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    for i in 0..20 {
        fs::write(root.join(format!("sub/inside-{i}.txt")), b"inside").unwrap();
    }
    fs::write(outside.join(OUTSIDE_NAME), b"OUTSIDE").unwrap();
    // The swapper's spare: a link to the outside directory, exchanged with `sub`.
    symlink(&outside, root.join("sub.swap")).unwrap();
    let (sub, swap) = (c_path(&root.join("sub")), c_path(&root.join("sub.swap")));

    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                exchange(&sub, &swap);
                exchange(&sub, &swap);
                swaps += 2;
            }
            swaps
        })
    };
    let deadline = Instant::now() + Duration::from_secs(2);
    let (mut walks, mut complete) = (0u64, 0u64);
    let mut leaked: Option<String> = None;
    while Instant::now() < deadline && leaked.is_none() {
        walks += 1;
        // An error (the directory changed, vanished for an instant) is fine; a walk
        // that lists a file from outside is not.
        let Ok(walk) = walk_directory(&root, options) else {
            continue;
        };
        complete += 1;
        leaked = walk
            .files()
            .iter()
            .find(|file| file.relative.contains(OUTSIDE_NAME))
            .map(|file| format!("{file:?}"));
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(swaps > 100, "the swapper barely ran: {swaps} swaps");
    assert!(complete > 0, "no walk completed out of {walks}");
    assert_eq!(
        leaked, None,
        "a walk yielded a file from outside the root ({walks} walks, {complete} complete, {swaps} swaps)"
    );
}

#[test]
fn a_directory_swapped_for_a_link_while_walks_run_never_lets_outside_files_in() {
    race(&HashDirectoryOptions::new());
    race(&HashDirectoryOptions::new().symlinks(SymlinkPolicy::FollowInsideRoot));
}

/// `root/d/d/…/d` (`depth` levels) where every level also holds `e/file`, walked
/// after the deeper `d`: coming back to a level needs its handle again.
fn deep_with_siblings(root: &Path, depth: usize) -> PathBuf {
    let mut dir = root.to_owned();
    for _ in 0..depth {
        fs::create_dir_all(dir.join("e")).unwrap();
        fs::write(dir.join("e/file"), b"f").unwrap();
        dir.push("d");
    }
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("leaf"), b"leaf").unwrap();
    dir
}

#[test]
fn coming_back_up_a_deep_tree_finds_every_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let depth = 100;
    deep_with_siblings(&root, depth);
    // A followed link to a deep directory is reached from the root too.
    symlink("d/d/d", root.join("alias")).unwrap();
    let follow = HashDirectoryOptions::new().symlinks(SymlinkPolicy::FollowInsideRoot);
    let walk = walk_directory(&root, &follow).unwrap();
    let files = walk.files();
    let below_alias = files
        .iter()
        .filter(|f| f.relative.starts_with("alias/"))
        .count();
    assert_eq!(below_alias, depth - 3 + 1);
    assert_eq!(files.len(), depth + 1 + below_alias);
    for level in 0..depth {
        let expected = "d/".repeat(level) + "e/file";
        assert!(
            files.iter().any(|f| f.relative == expected),
            "{expected} is missing"
        );
    }
}

#[test]
fn a_deep_tree_is_walked_with_few_open_files() {
    // Run in a child process whose open-file limit is far below the tree's depth.
    if std::env::var_os("PINION_WALK_FD_CHILD").is_none() {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_deep_tree_is_walked_with_few_open_files",
                "--test-threads=1",
            ])
            .env("PINION_WALK_FD_CHILD", "1")
            .status()
            .unwrap();
        assert!(status.success());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let depth = 600;
    deep_with_siblings(&root, depth);
    let limit = libc::rlimit {
        rlim_cur: 128,
        rlim_max: 128,
    };
    // SAFETY: a valid rlimit for this (child) process only.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    let walk = walk_directory(&root, &HashDirectoryOptions::new()).unwrap();
    assert_eq!(walk.files().len(), depth + 1);
}
