//! The temporary directories of in-memory emulators: `pinion-emulator-*` in the temp
//! directory, one per emulator, each holding a `.lock` file locked (`flock`) for as long
//! as its emulator lives. A stopped emulator removes its directory; one that could not
//! (`kill -9`, a crash) leaves it with a lock nobody holds, and the next emulator to
//! start in the same temp directory removes it. Directories without a lock file are
//! never touched: nothing says their owner is gone.

use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// The name every temporary directory starts with.
pub(crate) const PREFIX: &str = "pinion-emulator-";

/// The lock file inside each directory.
const LOCK_FILE: &str = ".lock";

/// A temporary directory owned by this emulator, removed by [`remove`](Self::remove)
/// or on drop.
#[derive(Debug)]
pub(crate) struct TempDir {
    path: PathBuf,
    /// Holds the lock while the directory is in use.
    _lock: File,
}

impl TempDir {
    /// Removes the directories of emulators that no longer run from `parent`, then
    /// creates and locks a new one there.
    pub(crate) fn create_in(parent: &Path) -> io::Result<Self> {
        sweep(parent);
        // Made under a name the sweep ignores and renamed once locked, so no other
        // emulator ever sees it unlocked.
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{PREFIX}"))
            .tempdir_in(parent)?;
        let lock = File::create(staging.path().join(LOCK_FILE))?;
        lock.lock()?;
        let name = staging
            .path()
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_prefix('.'))
            .map(str::to_owned)
            .ok_or_else(|| io::Error::other("unexpected temporary directory name"))?;
        let path = parent.join(name);
        std::fs::rename(staging.path(), &path)?;
        // Renamed away: nothing left for `staging` to remove.
        let _ = staging.keep();
        Ok(TempDir { path, _lock: lock })
    }

    /// Where the directory is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the directory and everything in it (idempotent).
    pub(crate) fn remove(&self) {
        match std::fs::remove_dir_all(&self.path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => tracing::warn!(
                path = %self.path.display(),
                %error,
                "could not remove the emulator's temporary directory"
            ),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Removes every `pinion-emulator-*` directory in `parent` whose lock can be taken.
fn sweep(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_ours = name.to_str().is_some_and(|name| name.starts_with(PREFIX));
        if !is_ours || !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        let dir = entry.path();
        if owner_is_gone(&dir) {
            tracing::info!(path = %dir.display(), "removing a stopped emulator's temporary directory");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// Whether `dir` has a lock file that nobody holds.
fn owner_is_gone(dir: &Path) -> bool {
    let Ok(lock) = File::open(dir.join(LOCK_FILE)) else {
        return false;
    };
    match lock.try_lock() {
        Ok(()) => true,
        Err(TryLockError::WouldBlock) => false,
        Err(TryLockError::Error(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(parent: &Path) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(parent)
            .unwrap()
            .flatten()
            .filter(|entry| entry.file_name().to_string_lossy().starts_with(PREFIX))
            .map(|entry| entry.path())
            .collect();
        dirs.sort();
        dirs
    }

    #[test]
    fn a_directory_is_removed_on_drop() {
        let parent = tempfile::tempdir().unwrap();
        let dir = TempDir::create_in(parent.path()).unwrap();
        assert_eq!(ours(parent.path()), vec![dir.path().to_owned()]);
        assert!(dir.path().join(LOCK_FILE).exists());
        drop(dir);
        assert!(ours(parent.path()).is_empty());
    }

    #[test]
    fn start_up_removes_only_directories_whose_owner_is_gone() {
        let parent = tempfile::tempdir().unwrap();
        let live = TempDir::create_in(parent.path()).unwrap();
        // An emulator that was killed: its lock file is there, its lock is not held.
        let dead = parent.path().join(format!("{PREFIX}dead"));
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join(LOCK_FILE), b"").unwrap();
        std::fs::write(dead.join("blob"), b"bytes").unwrap();
        // Not made by this code: left alone.
        let unknown = parent.path().join(format!("{PREFIX}unknown"));
        std::fs::create_dir(&unknown).unwrap();

        let new = TempDir::create_in(parent.path()).unwrap();
        let mut expected = vec![live.path().to_owned(), new.path().to_owned(), unknown];
        expected.sort();
        assert_eq!(ours(parent.path()), expected);
    }
}
