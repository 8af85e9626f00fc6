//! Hashing a walked directory: [`hash_directory`], [`DirectoryWalk::assemble`].

use std::path::Path;

use super::DirectoryWalk;
use crate::file::hash_reader_with_buffer;
use crate::{
    CHUNK_SIZE, CidVersion, DirectoryBuilder, DirectorySummary, DirectoryTree, Error, FileSummary,
    HashDirectoryOptions, walk_directory,
};

/// Hashes the directory at `path`; returns the root.
///
/// The tree is the one [`walk_directory`] finds (so hidden entries, symbolic
/// links, empty directories and wrapping are handled as `options` say); every
/// file is opened with [`WalkedFile::open`](crate::WalkedFile::open) and hashed
/// with [`hash_reader`](crate::hash_reader), and the tree is built with
/// [`DirectoryBuilder`]. The root's own name does not matter unless wrapped.
/// With default options this is the CID a pinning service returns for an upload
/// of the directory; with [`keep_empty_directories`](HashDirectoryOptions::keep_empty_directories)
/// it is the CID of `ipfs add -r <path>`. UnixFS metadata (mode, mtime) is not
/// recorded, as by default in `ipfs add`.
///
/// ```
/// use pinion_cid::{hash_directory, CidVersion, HashDirectoryOptions};
///
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("hello.txt"), b"hello world\n")?;
/// let root = hash_directory(dir.path(), CidVersion::V0, &HashDirectoryOptions::new())?;
/// assert_eq!(root.byte_len, 12);
/// assert_eq!(root.pin_size, 75);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hash_directory(
    path: impl AsRef<Path>,
    version: CidVersion,
    options: &HashDirectoryOptions,
) -> Result<DirectorySummary, Error> {
    Ok(builder_of(path.as_ref(), version, options)?.finish())
}

/// Like [`hash_directory`], also returning every sub-directory's and file's
/// summary, keyed by path relative to the root with `/` separators.
pub fn hash_directory_tree(
    path: impl AsRef<Path>,
    version: CidVersion,
    options: &HashDirectoryOptions,
) -> Result<DirectoryTree, Error> {
    Ok(builder_of(path.as_ref(), version, options)?.finish_tree())
}

fn builder_of(
    path: &Path,
    version: CidVersion,
    options: &HashDirectoryOptions,
) -> Result<DirectoryBuilder, Error> {
    walk_directory(path, options)?.hash_files(version)
}

impl DirectoryWalk {
    /// Reads and hashes every file of the walk (each opened with
    /// [`WalkedFile::open`](crate::WalkedFile::open)) and returns the root: what
    /// [`hash_directory`] does once it has walked.
    pub fn hash(&self, version: CidVersion) -> Result<DirectorySummary, Error> {
        Ok(self.hash_files(version)?.finish())
    }

    fn hash_files(&self, version: CidVersion) -> Result<DirectoryBuilder, Error> {
        let mut buffer = vec![0u8; CHUNK_SIZE];
        let mut summaries = Vec::with_capacity(self.files().len());
        for file in self.files() {
            let reader = file.open()?;
            let summary = hash_reader_with_buffer(reader, version, &mut buffer)
                .map_err(Error::io(&file.path))?;
            file.check_len(summary.byte_len)?;
            summaries.push(summary);
        }
        self.builder(version, &summaries)
    }

    /// The path of `relative` in the DAG: itself, or under the directory's own
    /// name when [`wrap_with_directory`](HashDirectoryOptions::wrap_with_directory)
    /// is set (how an upload names its parts).
    pub fn dag_path(&self, relative: &str) -> Result<String, Error> {
        if !self.options.wrap_with_directory {
            return Ok(relative.to_owned());
        }
        Ok(format!("{}/{relative}", self.wrap_name()?))
    }

    fn wrap_name(&self) -> Result<&str, Error> {
        self.name().ok_or_else(|| Error::InvalidPath {
            path: self.root.display().to_string(),
            reason: "a directory without a name cannot be wrapped",
        })
    }

    /// The root of the DAG of this walk, given each file's summary in the order
    /// of [`files`](Self::files) (computed by whoever read them, for example
    /// while uploading them).
    pub fn assemble(
        &self,
        version: CidVersion,
        summaries: &[FileSummary],
    ) -> Result<DirectorySummary, Error> {
        Ok(self.builder(version, summaries)?.finish())
    }

    fn builder(
        &self,
        version: CidVersion,
        summaries: &[FileSummary],
    ) -> Result<DirectoryBuilder, Error> {
        if summaries.len() != self.files().len() {
            return Err(Error::InvalidPath {
                path: self.root.display().to_string(),
                reason: "one summary per walked file is needed",
            });
        }
        let mut builder = DirectoryBuilder::new(version);
        for (file, summary) in self.files().iter().zip(summaries) {
            builder.add_file(&self.dag_path(&file.relative)?, *summary)?;
        }
        if self.options.keep_empty_directories {
            if self.options.wrap_with_directory {
                builder.add_directory(self.wrap_name()?)?;
            }
            for directory in self.directories() {
                builder.add_directory(&self.dag_path(directory)?)?;
            }
        }
        Ok(builder)
    }
}
