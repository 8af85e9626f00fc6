//! Which file an upload reads, precisely enough to notice that it changed: its
//! canonical path, length, modification time (with nanoseconds) and, on unix, its
//! device and inode.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::Error;

/// A file as it was when its upload began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileIdentity {
    /// The canonical path (links resolved).
    pub(crate) path: PathBuf,
    /// Its length in bytes.
    pub(crate) len: u64,
    /// Its modification time: seconds since the Unix epoch (negative before it)…
    pub(crate) modified_secs: i64,
    /// …and nanoseconds within that second.
    pub(crate) modified_nanos: u32,
    /// Its device (unix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dev: Option<u64>,
    /// Its inode (unix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ino: Option<u64>,
}

/// `time` as seconds and nanoseconds since the epoch (floored: negative seconds with
/// positive nanoseconds before it).
fn split(time: SystemTime) -> (i64, u32) {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => (
            i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            after.subsec_nanos(),
        ),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            match before.subsec_nanos() {
                0 => (-secs, 0),
                nanos => (-secs - 1, 1_000_000_000 - nanos),
            }
        }
    }
}

impl FileIdentity {
    /// The file at `path` as it is now (`path` is made canonical).
    pub(crate) fn of(path: &Path) -> Result<Self, Error> {
        let canonical =
            std::fs::canonicalize(path).map_err(|e| Error::io(Some(path.to_owned()), e))?;
        let metadata =
            std::fs::metadata(&canonical).map_err(|e| Error::io(Some(canonical.clone()), e))?;
        if !metadata.is_file() {
            return Err(Error::invalid_input(
                "file",
                format!("{} is not a regular file", canonical.display()),
            ));
        }
        Ok(Self::from_metadata(canonical, &metadata))
    }

    fn from_metadata(path: PathBuf, metadata: &std::fs::Metadata) -> Self {
        let (modified_secs, modified_nanos) =
            split(metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH));
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (Some(metadata.dev()), Some(metadata.ino()))
        };
        #[cfg(not(unix))]
        let (dev, ino) = (None, None);
        Self {
            path,
            len: metadata.len(),
            modified_secs,
            modified_nanos,
            dev,
            ino,
        }
    }

    /// [`Error::FileChanged`] unless the file at this path is still this one: same
    /// object (device and inode), length and modification time.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let now = match std::fs::metadata(&self.path) {
            Ok(metadata) => Self::from_metadata(self.path.clone(), &metadata),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(self.changed("it no longer exists".to_owned()));
            }
            Err(error) => return Err(Error::io(Some(self.path.clone()), error)),
        };
        self.same_as(&now)
    }

    /// [`Error::FileChanged`] unless `now` is the same file as `self`.
    pub(crate) fn same_as(&self, now: &Self) -> Result<(), Error> {
        if (self.dev, self.ino) != (now.dev, now.ino) {
            return Err(self.changed("it was replaced by another file".to_owned()));
        }
        if self.len != now.len {
            return Err(self.changed(format!("it had {} bytes and has {} now", self.len, now.len)));
        }
        if (self.modified_secs, self.modified_nanos) != (now.modified_secs, now.modified_nanos) {
            return Err(self.changed(format!(
                "it was modified: its modification time was {} and is {} now",
                self.modified_text(),
                now.modified_text()
            )));
        }
        Ok(())
    }

    fn modified_text(&self) -> String {
        let at = if self.modified_secs >= 0 {
            SystemTime::UNIX_EPOCH
                + Duration::new(self.modified_secs.unsigned_abs(), self.modified_nanos)
        } else {
            SystemTime::UNIX_EPOCH - Duration::from_secs(self.modified_secs.unsigned_abs())
                + Duration::from_nanos(u64::from(self.modified_nanos))
        };
        chrono::DateTime::<chrono::Utc>::from(at)
            .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
    }

    fn changed(&self, why: String) -> Error {
        Error::FileChanged {
            path: self.path.clone(),
            why,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_before_the_epoch_split_into_floored_seconds() {
        let before = SystemTime::UNIX_EPOCH - Duration::new(1, 250_000_000);
        assert_eq!(split(before), (-2, 750_000_000));
        assert_eq!(
            split(SystemTime::UNIX_EPOCH - Duration::from_secs(3)),
            (-3, 0)
        );
        assert_eq!(split(SystemTime::UNIX_EPOCH + Duration::new(5, 7)), (5, 7));
    }

    #[test]
    fn a_file_is_itself_until_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        let identity = FileIdentity::of(&path).unwrap();
        identity.check().unwrap();
        assert_eq!(identity.len, 3);
        std::fs::write(&path, b"abcd").unwrap();
        let error = identity.check().unwrap_err();
        assert!(matches!(error, Error::FileChanged { .. }), "{error}");
        assert!(error.to_string().contains("3 bytes"), "{error}");
        // Same length, other modification time.
        let now = FileIdentity::of(&path).unwrap();
        let earlier = FileIdentity {
            modified_nanos: (now.modified_nanos + 1) % 1_000_000_000,
            ..now.clone()
        };
        let error = earlier.same_as(&now).unwrap_err();
        assert!(error.to_string().contains("modified"), "{error}");
        std::fs::remove_file(&path).unwrap();
        let error = now.check().unwrap_err();
        assert!(error.to_string().contains("no longer exists"), "{error}");
    }
}
