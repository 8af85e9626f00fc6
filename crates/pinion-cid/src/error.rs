//! Errors of directory building and walking.

use std::io;
use std::path::PathBuf;

/// Why a directory could not be hashed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A relative path given to [`DirectoryBuilder`](crate::DirectoryBuilder) is unusable.
    #[error("invalid path {path:?}: {reason}")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The same file path was added twice.
    #[error("{path:?} was added twice")]
    DuplicatePath {
        /// The path, normalized.
        path: String,
    },
    /// A path is used both as a file and as a directory.
    #[error("{path:?} is both a file and a directory")]
    PathConflict {
        /// The path, normalized, up to the conflicting component.
        path: String,
    },
    /// Reading the file system failed.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory being read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The directory to hash is not a directory.
    #[error("{} is not a directory", path.display())]
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
    /// A file name is not valid UTF-8 (UnixFS names are strings).
    #[error("file name is not valid UTF-8: {}", path.display())]
    NonUtf8Name {
        /// The offending path.
        path: PathBuf,
    },
    /// A symbolic link was met while [`SymlinkPolicy::Reject`](crate::SymlinkPolicy::Reject) is in force.
    #[error("{} is a symbolic link", path.display())]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// Following a symbolic link leads back into one of its own parent directories.
    #[error("symbolic link cycle: {} points to one of its parent directories", path.display())]
    SymlinkCycle {
        /// The link.
        path: PathBuf,
    },
    /// A file or directory changed between the walk and the moment it was read
    /// (replaced, swapped for a symbolic link, grown or shrunk): nothing of it is
    /// used, so no wrong CID and no file from elsewhere comes out.
    #[error("{} changed while it was being read: {why}; read it again once it is no longer written to", path.display())]
    Changed {
        /// The file or directory.
        path: PathBuf,
        /// What changed.
        why: String,
    },
    /// An entry that is neither a regular file nor a directory (socket, FIFO, device).
    #[error("{} is not a regular file or directory", path.display())]
    UnsupportedFileType {
        /// The entry.
        path: PathBuf,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}
