//! One process per pending upload: a second `pinion files upload` of the same upload
//! (same journal entry) while the first runs is refused rather than racing it (two
//! fresh runs would create two uploads, two resumed ones would fight over offsets).
//!
//! The lock is an advisory `flock` on `<entry>.lock` beside the journal entry,
//! released by the kernel when the holder exits, `kill -9` included. The holder removes
//! the file when done; a process that opened it just before is left holding a removed
//! file, so locking checks that the locked file is still the one at the path, and
//! tries again when it is not.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// Held while this process uploads; [`release`](Self::release) when done.
#[derive(Debug)]
pub struct UploadLock {
    file: File,
    path: PathBuf,
}

impl UploadLock {
    /// Takes the lock of the journal entry at `entry`: `None` when another process
    /// holds it.
    pub fn take(entry: &Path) -> io::Result<Option<Self>> {
        let dir = entry.parent().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "a journal entry has a directory",
            )
        })?;
        super::journal::create_private_dir(dir)?;
        let path = entry.with_extension("lock");
        loop {
            let file = open_private(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(error)) => return Err(error),
            }
            if still_at(&file, &path)? {
                return Ok(Some(Self { file, path }));
            }
        }
    }

    /// Removes the lock file (while still holding it), then releases the lock.
    pub fn release(self) -> io::Result<()> {
        let removed = match fs::remove_file(&self.path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        };
        drop(self.file);
        removed
    }
}

/// Opens (or creates, mode 0600) the lock file.
fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Whether `file` is still the file at `path` (not removed by its previous holder).
fn still_at(file: &File, path: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let held = file.metadata()?;
        match fs::metadata(path) {
            Ok(now) => Ok((held.dev(), held.ino()) == (now.dev(), now.ino())),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_released_locks_can_be_taken_again() {
        let dir = tempfile::tempdir().unwrap();
        let entry = dir.path().join("uploads").join("abc.json");
        let first = UploadLock::take(&entry).unwrap().expect("free");
        assert!(UploadLock::take(&entry).unwrap().is_none(), "held");
        first.release().unwrap();
        assert!(!entry.with_extension("lock").exists());
        let again = UploadLock::take(&entry).unwrap().expect("released");
        drop(again);
        assert!(UploadLock::take(&entry).unwrap().is_some(), "freed on drop");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_on_a_removed_file_is_not_a_lock() {
        let dir = tempfile::tempdir().unwrap();
        let entry = dir.path().join("abc.json");
        let path = entry.with_extension("lock");
        // A file opened by a process that then lost the race: removed and replaced.
        let stale = open_private(&path).unwrap();
        fs::remove_file(&path).unwrap();
        let current = UploadLock::take(&entry).unwrap().expect("free");
        assert!(!still_at(&stale, &path).unwrap());
        assert!(still_at(&current.file, &path).unwrap());
    }
}
