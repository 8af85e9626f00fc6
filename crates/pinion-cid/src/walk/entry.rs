//! A file found by a walk, and opening it safely: [`WalkedFile`].

use std::fs::{self, File, Metadata, OpenOptions};
use std::path::{Path, PathBuf};

use crate::Error;

/// Which file system object a path named when it was looked at: compared when the
/// file is opened, so a file replaced in between (by another file or by a link to
/// somewhere else) is noticed instead of read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ino: u64,
}

impl Identity {
    /// The object with inode `ino` on device `dev`.
    #[cfg(unix)]
    pub(crate) fn from_raw(dev: u64, ino: u64) -> Self {
        Self { dev, ino }
    }

    pub(crate) fn of(metadata: &Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Self {
                dev: metadata.dev(),
                ino: metadata.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            Self {}
        }
    }
}

/// A regular file found by [`walk_directory`](crate::walk_directory) (or named
/// directly, see [`WalkedFile::named`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkedFile {
    /// Its path below the walked directory, with `/` separators.
    pub relative: String,
    /// What is opened to read it: the entry itself, or for a followed symbolic
    /// link the canonical target that was checked to be inside the directory.
    pub path: PathBuf,
    /// Its length when the walk saw it.
    pub len: u64,
    identity: Identity,
}

impl WalkedFile {
    pub(crate) fn new(relative: String, path: PathBuf, len: u64, identity: Identity) -> Self {
        Self {
            relative,
            path,
            len,
            identity,
        }
    }

    /// The file at `path`, which the caller named itself (a link there is
    /// followed, since the caller chose it), with `relative` set to its name.
    ///
    /// Opening it later checks it is still the same file, as for walked files.
    pub fn named(path: &Path) -> Result<Self, Error> {
        let canonical = fs::canonicalize(path).map_err(Error::io(path))?;
        let metadata = fs::symlink_metadata(&canonical).map_err(Error::io(path))?;
        if !metadata.is_file() {
            return Err(Error::UnsupportedFileType {
                path: path.to_owned(),
            });
        }
        let name = canonical
            .file_name()
            .unwrap_or_default()
            .to_str()
            .ok_or_else(|| Error::NonUtf8Name {
                path: path.to_owned(),
            })?
            .to_owned();
        Ok(Self::new(
            name,
            canonical,
            metadata.len(),
            Identity::of(&metadata),
        ))
    }

    /// Opens the file for reading without following a symbolic link, and checks
    /// that it is the very file the walk saw, with the same length.
    ///
    /// The path is resolved again, but what it opens is only read if it is the
    /// object (device and inode) the walk found through directory handles inside
    /// the walked directory: a file replaced since the walk (by another file, by a
    /// link, or behind a directory on the way swapped for a link to elsewhere) is
    /// [`Error::Changed`], never read. One `open` and one `fstat`, however deep.
    pub fn open(&self) -> Result<File, Error> {
        let mut options = OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        let file = options.open(&self.path).map_err(|source| {
            #[cfg(unix)]
            if source.raw_os_error() == Some(libc::ELOOP) {
                return self.changed("it was replaced by a symbolic link");
            }
            Error::Io {
                path: self.path.clone(),
                source,
            }
        })?;
        let metadata = file.metadata().map_err(Error::io(&self.path))?;
        if !metadata.is_file() || Identity::of(&metadata) != self.identity {
            return Err(self.changed("it was replaced by another file"));
        }
        self.check_len(metadata.len())?;
        Ok(file)
    }

    /// [`Error::Changed`] unless `len` bytes is the length the walk saw.
    pub fn check_len(&self, len: u64) -> Result<(), Error> {
        if len == self.len {
            Ok(())
        } else {
            Err(self.changed(&format!(
                "it had {} bytes when the directory was read and {len} now",
                self.len
            )))
        }
    }

    fn changed(&self, why: &str) -> Error {
        Error::Changed {
            path: self.path.clone(),
            why: why.to_owned(),
        }
    }
}
