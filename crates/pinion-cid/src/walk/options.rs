//! How a directory is walked: [`HashDirectoryOptions`] and [`SymlinkPolicy`].

/// What to do with symbolic links met while walking a directory.
///
/// Whatever the policy, a walk never reads anything outside the directory it was
/// given: that directory's content is what gets hashed or published.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SymlinkPolicy {
    /// Leave symbolic links out (the default); the walk lists them in
    /// [`DirectoryWalk::skipped`](crate::DirectoryWalk::skipped) so callers can
    /// warn about them.
    #[default]
    Skip,
    /// Follow links whose target resolves inside the walked directory, as if the
    /// target were there. Links that resolve outside it, and dangling links, are
    /// left out and listed like skipped links; a link back into one of its own
    /// parent directories is an [`Error::SymlinkCycle`](crate::Error::SymlinkCycle).
    FollowInsideRoot,
    /// Fail with [`Error::Symlink`](crate::Error::Symlink) at the first link.
    Reject,
}

/// Options of [`walk_directory`](crate::walk_directory) and
/// [`hash_directory`](crate::hash_directory).
///
/// ```
/// use pinion_cid::{HashDirectoryOptions, SymlinkPolicy};
///
/// let options = HashDirectoryOptions::new()
///     .include_hidden(true)
///     .symlinks(SymlinkPolicy::FollowInsideRoot);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HashDirectoryOptions {
    /// Include entries whose name starts with `.` (like `ipfs add -r
    /// --hidden`). Default: `false`, as `ipfs add -r`.
    pub include_hidden: bool,
    /// What to do with symbolic links. Default: [`SymlinkPolicy::Skip`].
    pub symlinks: SymlinkPolicy,
    /// Keep directories that hold no file (at any depth) in the DAG, as
    /// `ipfs add -r` does. Default: `false`, because a multipart upload to a
    /// pinning service cannot carry an empty directory, so the CID a service
    /// returns for an uploaded directory never includes them.
    pub keep_empty_directories: bool,
    /// Wrap the directory in a new directory holding it under its own name, as
    /// uploads with `wrapWithDirectory` do. Default: `false`.
    pub wrap_with_directory: bool,
}

impl HashDirectoryOptions {
    /// The defaults: hidden entries, symbolic links and empty directories left
    /// out, no wrapping.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`include_hidden`](Self::include_hidden).
    pub fn include_hidden(mut self, include: bool) -> Self {
        self.include_hidden = include;
        self
    }

    /// Sets [`symlinks`](Self::symlinks).
    pub fn symlinks(mut self, policy: SymlinkPolicy) -> Self {
        self.symlinks = policy;
        self
    }

    /// Sets [`keep_empty_directories`](Self::keep_empty_directories).
    pub fn keep_empty_directories(mut self, keep: bool) -> Self {
        self.keep_empty_directories = keep;
        self
    }

    /// Sets [`wrap_with_directory`](Self::wrap_with_directory).
    pub fn wrap_with_directory(mut self, wrap: bool) -> Self {
        self.wrap_with_directory = wrap;
        self
    }
}
