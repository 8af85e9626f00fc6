//! Reading a directory tree from disk into a [`DirectoryWalk`].

use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use super::entry::{Identity, WalkedFile};
use super::{DirectoryWalk, SkipReason, SkippedLink};
use crate::{Error, HashDirectoryOptions, SymlinkPolicy};

/// Walks the directory at `path` without reading any file, and returns what a
/// hash or an upload of it contains.
///
/// The walk never leaves `path` (its canonical form): symbolic links are
/// handled as [`HashDirectoryOptions::symlinks`] says, and every file is later
/// opened through [`WalkedFile::open`], which refuses a file replaced since.
/// Entries that are neither files, directories nor links (sockets, FIFOs,
/// devices), names that are not UTF-8 and unreadable entries are errors.
///
/// ```
/// use pinion_cid::{walk_directory, HashDirectoryOptions};
///
/// let dir = tempfile::tempdir()?;
/// std::fs::create_dir(dir.path().join("sub"))?;
/// std::fs::write(dir.path().join("sub/a.txt"), b"a")?;
/// let walk = walk_directory(dir.path(), &HashDirectoryOptions::new())?;
/// assert_eq!(walk.files()[0].relative, "sub/a.txt");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn walk_directory(
    path: impl AsRef<Path>,
    options: &HashDirectoryOptions,
) -> Result<DirectoryWalk, Error> {
    let path = path.as_ref();
    let root = fs::canonicalize(path).map_err(Error::io(path))?;
    let metadata = fs::symlink_metadata(&root).map_err(Error::io(path))?;
    if !metadata.is_dir() {
        return Err(Error::NotADirectory {
            path: path.to_owned(),
        });
    }
    let name = match root.file_name() {
        None => None,
        Some(name) => Some(
            name.to_str()
                .ok_or_else(|| Error::NonUtf8Name {
                    path: path.to_owned(),
                })?
                .to_owned(),
        ),
    };
    let mut walker = Walker {
        options,
        root: root.clone(),
        subdirectories: Vec::new(),
        walk: DirectoryWalk {
            name,
            root: root.clone(),
            files: Vec::new(),
            directories: Vec::new(),
            skipped: Vec::new(),
            options: options.clone(),
        },
    };
    // Depth-first with a stack of its own: a deep tree cannot overflow the thread's.
    let mut pending = vec![Pending {
        dir: root,
        identity: Identity::of(&metadata),
        relative: String::new(),
        depth: 0,
    }];
    // The canonical paths of the directory being listed and of those above it, to
    // detect cycles through followed links: popped depth-first, a directory's
    // ancestors are the first `depth` entries.
    let mut ancestors: Vec<PathBuf> = Vec::new();
    while let Some(next) = pending.pop() {
        ancestors.truncate(next.depth);
        ancestors.push(next.dir);
        walker.directory(&ancestors, next.identity, &next.relative)?;
        for (dir, identity, relative) in walker.subdirectories.drain(..) {
            walker.walk.directories.push(relative.clone());
            pending.push(Pending {
                dir,
                identity,
                relative,
                depth: next.depth + 1,
            });
        }
    }
    let mut walk = walker.walk;
    walk.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    walk.directories.sort();
    Ok(walk)
}

/// A directory waiting to be listed.
struct Pending {
    /// Its canonical path.
    dir: PathBuf,
    /// What its parent's listing saw.
    identity: Identity,
    /// Its path below the root.
    relative: String,
    /// How many directories are above it.
    depth: usize,
}

struct Walker<'a> {
    options: &'a HashDirectoryOptions,
    /// The canonical root: nothing outside it is ever read.
    root: PathBuf,
    /// The sub-directories the last listing found: (canonical path, identity,
    /// relative path).
    subdirectories: Vec<(PathBuf, Identity, String)>,
    walk: DirectoryWalk,
}

impl Walker<'_> {
    /// Lists the last of `ancestors` (canonical, whose identity was `identity`
    /// when its parent listed it), recording its entries under `relative` and its
    /// sub-directories in `self.subdirectories`.
    fn directory(
        &mut self,
        ancestors: &[PathBuf],
        identity: Identity,
        relative: &str,
    ) -> Result<(), Error> {
        let Some(dir) = ancestors.last() else {
            return Ok(());
        };
        let entries = fs::read_dir(dir).map_err(Error::io(dir))?;
        for entry in entries {
            let entry = entry.map_err(Error::io(dir))?;
            let file_name = entry.file_name();
            let path = dir.join(&file_name);
            let Some(name) = file_name.to_str() else {
                return Err(Error::NonUtf8Name { path });
            };
            if !self.options.include_hidden && name.starts_with('.') {
                continue;
            }
            let child = if relative.is_empty() {
                name.to_owned()
            } else {
                format!("{relative}/{name}")
            };
            // Not following links: the entry itself.
            let metadata = entry.metadata().map_err(Error::io(&path))?;
            if metadata.file_type().is_symlink() {
                self.link(path, child, ancestors)?;
            } else {
                self.entry(path, child, &metadata)?;
            }
        }
        // The directory listed must still be the one its parent saw (not a link
        // swapped in while it was read).
        let now = fs::symlink_metadata(dir).map_err(Error::io(dir))?;
        if !now.is_dir() || Identity::of(&now) != identity {
            return Err(Error::Changed {
                path: dir.to_owned(),
                why: "it was replaced while it was read".to_owned(),
            });
        }
        Ok(())
    }

    /// A file or directory (not a link) at canonical `path`.
    fn entry(&mut self, path: PathBuf, relative: String, metadata: &Metadata) -> Result<(), Error> {
        if metadata.is_dir() {
            self.subdirectories
                .push((path, Identity::of(metadata), relative));
        } else if metadata.is_file() {
            self.walk
                .files
                .push(WalkedFile::new(relative, path, metadata));
        } else {
            return Err(Error::UnsupportedFileType { path });
        }
        Ok(())
    }

    /// A symbolic link at `path` in the last of `ancestors`, as the policy says.
    fn link(
        &mut self,
        path: PathBuf,
        relative: String,
        ancestors: &[PathBuf],
    ) -> Result<(), Error> {
        let skip = |walk: &mut DirectoryWalk, path, reason| {
            walk.skipped.push(SkippedLink { path, reason });
            Ok(())
        };
        match self.options.symlinks {
            SymlinkPolicy::Skip => skip(&mut self.walk, path, SkipReason::Policy),
            SymlinkPolicy::Reject => Err(Error::Symlink { path }),
            SymlinkPolicy::FollowInsideRoot => {
                let target = match fs::canonicalize(&path) {
                    Ok(target) => target,
                    Err(error) if is_dangling(&error) => {
                        return skip(&mut self.walk, path, SkipReason::Dangling);
                    }
                    Err(error) => {
                        return Err(Error::Io {
                            path,
                            source: error,
                        });
                    }
                };
                if !target.starts_with(&self.root) {
                    return skip(&mut self.walk, path, SkipReason::OutsideRoot);
                }
                // The target is canonical: if it is a link now, it was swapped in.
                let metadata = fs::symlink_metadata(&target).map_err(Error::io(&path))?;
                if metadata.file_type().is_symlink() {
                    return Err(Error::Changed {
                        path,
                        why: "its target changed while it was read".to_owned(),
                    });
                }
                if metadata.is_dir() && ancestors.contains(&target) {
                    return Err(Error::SymlinkCycle { path });
                }
                self.entry(target, relative, &metadata)
            }
        }
    }
}

/// Whether canonicalizing a link failed because it leads nowhere.
fn is_dangling(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::NotFound)
        || error.raw_os_error() == loop_errno()
        || matches!(error.kind(), io::ErrorKind::NotADirectory)
}

/// `ELOOP`: a chain of links that never ends is dangling too.
fn loop_errno() -> Option<i32> {
    #[cfg(unix)]
    {
        Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        None
    }
}
