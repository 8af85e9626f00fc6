//! Reading a directory tree from disk into a [`DirectoryWalk`], through directory
//! handles.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use super::entry::{Identity, WalkedFile};
use super::fd::{self, Kind, Seen};
use super::{DirectoryWalk, SkipReason, SkippedLink};
use crate::{Error, HashDirectoryOptions, SymlinkPolicy};

/// At most this many directory handles below the root are open at once, however
/// deep the tree: the deepest ancestors of the directory being listed. A shallower
/// one is opened again from the root (checking each directory on the way) when the
/// walk comes back to it.
const OPEN_DIRECTORIES: usize = 32;

/// Walks the directory at `path` without reading any file, and returns what a
/// hash or an upload of it contains.
///
/// The walk never leaves `path` (its canonical form): it descends through
/// directory handles (each sub-directory opened from its parent's handle without
/// following a link, and listed from its own), so a directory swapped for a link
/// while the walk runs is refused, never followed. Symbolic links are handled as
/// [`HashDirectoryOptions::symlinks`] says, followed ones reached from the root's
/// handle one directory at a time; every file is later opened through
/// [`WalkedFile::open`], which refuses a file replaced since. Entries that are
/// neither files, directories nor links (sockets, FIFOs, devices), names that are
/// not UTF-8 and unreadable entries are errors.
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
    let root_fd = fd::open_directory(&root).map_err(|source| {
        if source.raw_os_error() == Some(libc::ENOTDIR) {
            Error::NotADirectory {
                path: path.to_owned(),
            }
        } else {
            Error::Io {
                path: path.to_owned(),
                source,
            }
        }
    })?;
    let identity = fd::seen(&root_fd).map_err(Error::io(path))?.identity;
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
        walk: DirectoryWalk {
            name,
            root: root.clone(),
            files: Vec::new(),
            directories: Vec::new(),
            skipped: Vec::new(),
            options: options.clone(),
        },
    };
    let top = Directory {
        path: root,
        relative: String::new(),
        identity,
        reach: Reach::Root,
    };
    let pending = walker.list(&root_fd, &root_fd, &top, &[])?;
    let mut frames = vec![Frame {
        directory: top,
        fd: None,
        pending,
    }];
    walker.descend(&root_fd, &mut frames)?;
    let mut walk = walker.walk;
    walk.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    walk.directories.sort();
    Ok(walk)
}

/// How a directory is reached again.
#[derive(Debug)]
enum Reach {
    /// It is the root.
    Root,
    /// It is the entry of that name in its parent.
    Entry(OsString),
    /// It is the target of a followed link: this canonical path below the root.
    Beneath(PathBuf),
}

/// A directory found by a listing.
#[derive(Debug)]
struct Directory {
    /// Its canonical path.
    path: PathBuf,
    /// Its path below the root.
    relative: String,
    /// What its parent's listing (or the link resolution) saw.
    identity: Identity,
    reach: Reach,
}

/// A directory on the way from the root to the one being listed.
struct Frame {
    directory: Directory,
    /// Its handle, while it is among the deepest [`OPEN_DIRECTORIES`] (never
    /// for the root, whose handle is kept apart).
    fd: Option<OwnedFd>,
    /// Its sub-directories still to walk.
    pending: Vec<Directory>,
}

struct Walker<'a> {
    options: &'a HashDirectoryOptions,
    /// The canonical root: nothing outside it is ever read.
    root: PathBuf,
    walk: DirectoryWalk,
}

impl Walker<'_> {
    /// Walks every directory pending in `frames` (the root's first), depth-first
    /// with a stack of its own so a deep tree cannot overflow the thread's.
    ///
    /// At most [`OPEN_DIRECTORIES`] handles are open besides the root's: those of
    /// the deepest frames, `frames[open_from..]`.
    fn descend(&mut self, root_fd: &OwnedFd, frames: &mut Vec<Frame>) -> Result<(), Error> {
        let mut open_from = 1;
        while let Some(top) = frames.last_mut() {
            let Some(next) = top.pending.pop() else {
                frames.pop();
                open_from = open_from.min(frames.len()).max(1);
                continue;
            };
            let depth = frames.len() - 1;
            if depth > 0 && frames[depth].fd.is_none() {
                let reopened = reopen(root_fd, frames)?;
                frames[depth].fd = Some(reopened);
                open_from = depth;
            }
            let parent = frames[depth].fd.as_ref().unwrap_or(root_fd);
            let child = open(root_fd, parent, &next)?;
            let pending = self.list(root_fd, &child, &next, frames)?;
            if pending.is_empty() {
                continue;
            }
            frames.push(Frame {
                directory: next,
                fd: Some(child),
                pending,
            });
            if frames.len() - open_from > OPEN_DIRECTORIES {
                frames[open_from].fd = None;
                open_from += 1;
            }
        }
        Ok(())
    }

    /// Lists `dir` from its handle `dir_fd` (`ancestors` are the directories above
    /// it), recording its files, links and sub-directories; returns the
    /// sub-directories to walk.
    fn list(
        &mut self,
        root_fd: &OwnedFd,
        dir_fd: &OwnedFd,
        dir: &Directory,
        ancestors: &[Frame],
    ) -> Result<Vec<Directory>, Error> {
        let mut subdirectories = Vec::new();
        for file_name in fd::names(dir_fd).map_err(Error::io(&dir.path))? {
            let path = dir.path.join(&file_name);
            let Some(name) = file_name.to_str() else {
                return Err(Error::NonUtf8Name { path });
            };
            if !self.options.include_hidden && name.starts_with('.') {
                continue;
            }
            let relative = if dir.relative.is_empty() {
                name.to_owned()
            } else {
                format!("{}/{name}", dir.relative)
            };
            let seen = fd::seen_at(dir_fd, &file_name).map_err(Error::io(&path))?;
            let reach = Reach::Entry(file_name);
            let found = match seen.kind {
                Kind::Symlink => self.link(root_fd, path, relative, dir, ancestors)?,
                _ => Some((path, relative, seen, reach)),
            };
            let Some((path, relative, seen, reach)) = found else {
                continue;
            };
            match seen.kind {
                Kind::Directory => {
                    self.walk.directories.push(relative.clone());
                    subdirectories.push(Directory {
                        path,
                        relative,
                        identity: seen.identity,
                        reach,
                    });
                }
                Kind::File => {
                    self.walk
                        .files
                        .push(WalkedFile::new(relative, path, seen.len, seen.identity))
                }
                Kind::Symlink | Kind::Other => return Err(Error::UnsupportedFileType { path }),
            }
        }
        // Walked in name order (popped from the end): the same on every file system.
        subdirectories.sort_unstable_by(|a, b| b.relative.cmp(&a.relative));
        Ok(subdirectories)
    }

    /// The symbolic link at `path` in `dir`, as the policy says: what it stands
    /// for when it is followed (its target's canonical path, what that is, and
    /// how to reach it from the root), `None` when it is left out.
    fn link(
        &mut self,
        root_fd: &OwnedFd,
        path: PathBuf,
        relative: String,
        dir: &Directory,
        ancestors: &[Frame],
    ) -> Result<Option<(PathBuf, String, Seen, Reach)>, Error> {
        let mut skip = |path, reason| {
            self.walk.skipped.push(SkippedLink { path, reason });
            Ok(None)
        };
        match self.options.symlinks {
            SymlinkPolicy::Skip => skip(path, SkipReason::Policy),
            SymlinkPolicy::Reject => Err(Error::Symlink { path }),
            SymlinkPolicy::FollowInsideRoot => {
                let target = match fs::canonicalize(&path) {
                    Ok(target) => target,
                    Err(error) if is_dangling(&error) => return skip(path, SkipReason::Dangling),
                    Err(source) => return Err(Error::Io { path, source }),
                };
                let Ok(beneath) = target.strip_prefix(&self.root) else {
                    return skip(path, SkipReason::OutsideRoot);
                };
                let beneath = beneath.to_owned();
                // Reached from the root's handle without following any link: if the
                // canonical target is (or passes through) a link now, one was
                // swapped in, and nothing outside the root is looked at.
                let seen = fd::seen_beneath(root_fd, &beneath).map_err(|source| {
                    if fd::is_swapped(&source) {
                        changed(&path, "its target changed while it was read")
                    } else {
                        Error::Io {
                            path: path.clone(),
                            source,
                        }
                    }
                })?;
                if seen.kind == Kind::Symlink {
                    return Err(changed(&path, "its target changed while it was read"));
                }
                let above = || {
                    ancestors
                        .iter()
                        .map(|frame| &frame.directory)
                        .chain(std::iter::once(dir))
                };
                if seen.kind == Kind::Directory && above().any(|d| d.identity == seen.identity) {
                    return Err(Error::SymlinkCycle { path });
                }
                Ok(Some((target, relative, seen, Reach::Beneath(beneath))))
            }
        }
    }
}

/// Opens `dir` (a sub-directory of the directory whose handle is `parent`, or a
/// link target below the root) without following a link, and checks it is the
/// directory that was seen.
fn open(root_fd: &OwnedFd, parent: &OwnedFd, dir: &Directory) -> Result<OwnedFd, Error> {
    let opened = match &dir.reach {
        Reach::Root => fd::open_beneath(root_fd, Path::new("")),
        Reach::Entry(name) => fd::open_directory_at(parent, name),
        Reach::Beneath(beneath) => fd::open_beneath(root_fd, beneath),
    };
    let replaced = || changed(&dir.path, "it was replaced while it was read");
    let handle = opened.map_err(|source| {
        if fd::is_swapped(&source) {
            replaced()
        } else {
            Error::Io {
                path: dir.path.clone(),
                source,
            }
        }
    })?;
    let now = fd::seen(&handle).map_err(Error::io(&dir.path))?;
    if now.kind != Kind::Directory || now.identity != dir.identity {
        return Err(replaced());
    }
    Ok(handle)
}

/// Opens the last of `frames` again, from the deepest one above it that has a
/// handle (or the root, or the link target it was reached as), checking every
/// directory on the way.
fn reopen(root_fd: &OwnedFd, frames: &[Frame]) -> Result<OwnedFd, Error> {
    let last = frames.len() - 1;
    let mut start = last;
    while start > 0
        && frames[start].fd.is_none()
        && !matches!(frames[start].directory.reach, Reach::Beneath(_))
    {
        start -= 1;
    }
    let mut handle = match &frames[start].fd {
        Some(fd) => fd
            .try_clone()
            .map_err(Error::io(&frames[start].directory.path))?,
        None if start == 0 => root_fd
            .try_clone()
            .map_err(Error::io(&frames[0].directory.path))?,
        None => open(root_fd, root_fd, &frames[start].directory)?,
    };
    for frame in &frames[start + 1..] {
        handle = open(root_fd, &handle, &frame.directory)?;
    }
    Ok(handle)
}

fn changed(path: &Path, why: &str) -> Error {
    Error::Changed {
        path: path.to_owned(),
        why: why.to_owned(),
    }
}

/// Whether canonicalizing a link failed because it leads nowhere (a chain of
/// links that never ends is dangling too).
fn is_dangling(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    ) || error.raw_os_error() == Some(libc::ELOOP)
}
