//! Walking a directory of the file system, once for hashing and uploading alike:
//! [`walk_directory`], [`hash_directory`].
//!
//! One walk decides what a directory holds (which entries, links and empty
//! directories count), so the CID computed locally is always the CID an upload of
//! the same walk produces.

mod entry;
mod fd;
mod hash;
mod options;
mod walker;

use std::fmt;
use std::path::{Path, PathBuf};

pub use entry::WalkedFile;
pub use hash::{hash_directory, hash_directory_tree};
pub use options::{HashDirectoryOptions, SymlinkPolicy};
pub use walker::walk_directory;

/// What [`walk_directory`] found: the files to read, in order, and what was left out.
#[derive(Clone, Debug)]
pub struct DirectoryWalk {
    name: Option<String>,
    root: PathBuf,
    files: Vec<WalkedFile>,
    directories: Vec<String>,
    skipped: Vec<SkippedLink>,
    options: HashDirectoryOptions,
}

impl DirectoryWalk {
    /// The walked directory, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The walked directory's own name (none for `/`).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Every regular file, sorted by relative path.
    pub fn files(&self) -> &[WalkedFile] {
        &self.files
    }

    /// Every directory below the root (relative paths, sorted), including those
    /// that hold no file.
    pub fn directories(&self) -> &[String] {
        &self.directories
    }

    /// The symbolic links left out, with why: callers should warn about them.
    pub fn skipped(&self) -> &[SkippedLink] {
        &self.skipped
    }

    /// The options the walk was made with.
    pub fn options(&self) -> &HashDirectoryOptions {
        &self.options
    }
}

/// A symbolic link a walk left out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedLink {
    /// The link.
    pub path: PathBuf,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// Why a symbolic link was left out of a walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SkipReason {
    /// [`SymlinkPolicy::Skip`] is in force.
    Policy,
    /// It resolves outside the walked directory.
    OutsideRoot,
    /// It leads nowhere.
    Dangling,
}

impl fmt::Display for SkippedLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.reason {
            SkipReason::Policy => "symbolic links are left out unless followed",
            SkipReason::OutsideRoot => "it points outside the directory",
            SkipReason::Dangling => "it points nowhere",
        };
        write!(f, "{} ({why})", self.path.display())
    }
}
