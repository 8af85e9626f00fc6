//! Hashing a directory of the file system: [`hash_directory`].

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::file::hash_reader_with_buffer;
use crate::{CHUNK_SIZE, CidVersion, DirectoryBuilder, DirectorySummary, DirectoryTree, Error};

/// What to do with symbolic links met while walking a directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SymlinkPolicy {
    /// Hash what the link points to, as if it were there (the default).
    ///
    /// This predicts the CID of an upload that reads the files through the
    /// links, which is what uploading a directory to a pinning service does.
    /// A link to a directory is walked; a link that leads back into one of
    /// its own parent directories is an [`Error::SymlinkCycle`], and a
    /// dangling link an [`Error::Io`].
    #[default]
    Follow,
    /// Leave symbolic links out.
    Skip,
    /// Fail with [`Error::Symlink`].
    Reject,
}

/// Options of [`hash_directory`].
///
/// ```
/// use pinion_cid::{HashDirectoryOptions, SymlinkPolicy};
///
/// let options = HashDirectoryOptions::new()
///     .include_hidden(true)
///     .symlinks(SymlinkPolicy::Skip);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HashDirectoryOptions {
    /// Include entries whose name starts with `.` (like `ipfs add -r
    /// --hidden`). Default: `false`, as `ipfs add -r`.
    pub include_hidden: bool,
    /// What to do with symbolic links. Default: [`SymlinkPolicy::Follow`].
    pub symlinks: SymlinkPolicy,
}

impl HashDirectoryOptions {
    /// The defaults: hidden entries left out, symbolic links followed.
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
}

/// Hashes the directory at `path` as `ipfs add -r` would; returns the root.
///
/// Every regular file is hashed with [`hash_reader`](crate::hash_reader) and
/// the tree is built with [`DirectoryBuilder`]; empty directories are kept.
/// The root's own name does not matter (only what is inside), so this is the
/// CID of the directory `ipfs add -r <path>` reports last. Hidden entries and
/// symbolic links are handled as `options` say. Entries that are neither
/// files nor directories (sockets, FIFOs, devices) and names that are not
/// UTF-8 are errors. UnixFS metadata (mode, mtime) is not recorded, as by
/// default in `ipfs add`.
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
    Ok(walk_into_builder(path.as_ref(), version, options)?.finish())
}

/// Like [`hash_directory`], also returning every sub-directory's and file's
/// summary, keyed by path relative to `path` with `/` separators.
pub fn hash_directory_tree(
    path: impl AsRef<Path>,
    version: CidVersion,
    options: &HashDirectoryOptions,
) -> Result<DirectoryTree, Error> {
    Ok(walk_into_builder(path.as_ref(), version, options)?.finish_tree())
}

fn walk_into_builder(
    root: &Path,
    version: CidVersion,
    options: &HashDirectoryOptions,
) -> Result<DirectoryBuilder, Error> {
    let metadata = fs::metadata(root).map_err(Error::io(root))?;
    if !metadata.is_dir() {
        return Err(Error::NotADirectory {
            path: root.to_owned(),
        });
    }
    let mut walker = Walker {
        version,
        options,
        builder: DirectoryBuilder::new(version),
        buffer: vec![0u8; CHUNK_SIZE],
        ancestors: vec![fs::canonicalize(root).map_err(Error::io(root))?],
    };
    walker.walk(root, &mut String::new())?;
    Ok(walker.builder)
}

struct Walker<'a> {
    version: CidVersion,
    options: &'a HashDirectoryOptions,
    builder: DirectoryBuilder,
    /// One chunk buffer shared by all files.
    buffer: Vec<u8>,
    /// Canonical paths of the directories being walked, to detect cycles
    /// through followed symbolic links.
    ancestors: Vec<PathBuf>,
}

impl Walker<'_> {
    fn walk(&mut self, dir: &Path, relative: &mut String) -> Result<(), Error> {
        for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
            let entry = entry.map_err(Error::io(dir))?;
            let path = entry.path();
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str() else {
                return Err(Error::NonUtf8Name { path });
            };
            if !self.options.include_hidden && name.starts_with('.') {
                continue;
            }
            let mut file_type = entry.file_type().map_err(Error::io(&path))?;
            let is_link = file_type.is_symlink();
            if is_link {
                match self.options.symlinks {
                    SymlinkPolicy::Skip => continue,
                    SymlinkPolicy::Reject => return Err(Error::Symlink { path }),
                    SymlinkPolicy::Follow => {
                        file_type = fs::metadata(&path).map_err(Error::io(&path))?.file_type();
                    }
                }
            }

            let parent_len = relative.len();
            if !relative.is_empty() {
                relative.push('/');
            }
            relative.push_str(name);
            if file_type.is_dir() {
                let canonical = if is_link {
                    let canonical = fs::canonicalize(&path).map_err(Error::io(&path))?;
                    if self.ancestors.contains(&canonical) {
                        return Err(Error::SymlinkCycle { path });
                    }
                    canonical
                } else {
                    // Not through a link: its canonical path is its parent's plus its name.
                    self.ancestors
                        .last()
                        .map_or_else(|| path.clone(), |p| p.join(name))
                };
                self.builder.add_directory(relative)?;
                self.ancestors.push(canonical);
                self.walk(&path, relative)?;
                self.ancestors.pop();
            } else if file_type.is_file() {
                let file = File::open(&path).map_err(Error::io(&path))?;
                let summary = hash_reader_with_buffer(file, self.version, &mut self.buffer)
                    .map_err(Error::io(&path))?;
                self.builder.add_file(relative, summary)?;
            } else {
                return Err(Error::UnsupportedFileType { path });
            }
            relative.truncate(parent_len);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash_bytes;

    #[test]
    fn hidden_entries_and_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        fs::create_dir_all(root.join("sub/.git")).unwrap();
        fs::write(root.join("a.txt"), b"aaa").unwrap();
        fs::write(root.join(".env"), b"secret").unwrap();
        fs::write(root.join("sub/.git/HEAD"), b"ref").unwrap();
        fs::write(root.join("sub/b.txt"), b"bbb").unwrap();
        fs::create_dir(root.join("empty")).unwrap();

        let v = CidVersion::V1;
        let visible = {
            let mut b = DirectoryBuilder::new(v);
            b.add_file("a.txt", hash_bytes(b"aaa", v)).unwrap();
            b.add_file("sub/b.txt", hash_bytes(b"bbb", v)).unwrap();
            b.add_directory("empty").unwrap();
            b.finish()
        };
        let all = {
            let mut b = DirectoryBuilder::new(v);
            b.add_file("a.txt", hash_bytes(b"aaa", v)).unwrap();
            b.add_file(".env", hash_bytes(b"secret", v)).unwrap();
            b.add_file("sub/.git/HEAD", hash_bytes(b"ref", v)).unwrap();
            b.add_file("sub/b.txt", hash_bytes(b"bbb", v)).unwrap();
            b.add_directory("empty").unwrap();
            b.finish()
        };
        let default = HashDirectoryOptions::new();
        assert_eq!(hash_directory(&root, v, &default).unwrap(), visible);
        let hidden = HashDirectoryOptions::new().include_hidden(true);
        assert_eq!(hash_directory(&root, v, &hidden).unwrap(), all);

        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            // a link to a file outside the tree hashes as that file
            fs::write(tmp.path().join("outside"), b"ccc").unwrap();
            symlink(tmp.path().join("outside"), root.join("link")).unwrap();
            let tree = hash_directory_tree(&root, v, &default).unwrap();
            assert_eq!(tree.files["link"], hash_bytes(b"ccc", v));
            let skip = HashDirectoryOptions::new().symlinks(SymlinkPolicy::Skip);
            assert_eq!(hash_directory(&root, v, &skip).unwrap(), visible);
            let reject = HashDirectoryOptions::new().symlinks(SymlinkPolicy::Reject);
            assert!(matches!(
                hash_directory(&root, v, &reject),
                Err(Error::Symlink { .. })
            ));
            // a link to a parent is a cycle
            symlink(&root, root.join("sub/loop")).unwrap();
            assert!(matches!(
                hash_directory(&root, v, &default),
                Err(Error::SymlinkCycle { .. })
            ));
            fs::remove_file(root.join("sub/loop")).unwrap();
            // a dangling link is an I/O error naming the link
            symlink(tmp.path().join("missing"), root.join("dangling")).unwrap();
            let err = hash_directory(&root, v, &default).unwrap_err();
            assert!(err.to_string().contains("dangling"), "{err}");
        }

        assert!(matches!(
            hash_directory(root.join("a.txt"), v, &default),
            Err(Error::NotADirectory { .. })
        ));
        assert!(matches!(
            hash_directory(root.join("nope"), v, &default),
            Err(Error::Io { .. })
        ));
    }
}
