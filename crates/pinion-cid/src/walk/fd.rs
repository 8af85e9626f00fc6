//! Directory handles: opening, listing and looking at entries relative to an open
//! directory, so that a path the walk has passed is never resolved again and a
//! component swapped for a link cannot redirect it.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path};

use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, Stat};

use super::entry::Identity;

/// What an entry is, as seen without following a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Directory,
    File,
    Symlink,
    /// A socket, FIFO or device.
    Other,
}

/// An entry as it was seen: what it is, which object, and its length.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seen {
    pub(super) kind: Kind,
    pub(super) identity: Identity,
    pub(super) len: u64,
}

impl Seen {
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    fn of(stat: &Stat) -> Self {
        let kind = match FileType::from_raw_mode(stat.st_mode as _) {
            FileType::Directory => Kind::Directory,
            FileType::RegularFile => Kind::File,
            FileType::Symlink => Kind::Symlink,
            _ => Kind::Other,
        };
        Self {
            kind,
            identity: Identity::from_raw(stat.st_dev as u64, stat.st_ino as u64),
            len: u64::try_from(stat.st_size).unwrap_or(0),
        }
    }
}

const DIRECTORY: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Opens the directory at `path` (canonical: a link there is refused).
pub(super) fn open_directory(path: &Path) -> io::Result<OwnedFd> {
    Ok(rustix::fs::open(path, DIRECTORY, Mode::empty())?)
}

/// Opens the directory `name` of the open directory `dir`, never through a link.
pub(super) fn open_directory_at(dir: impl AsFd, name: &OsStr) -> io::Result<OwnedFd> {
    Ok(rustix::fs::openat(dir, name, DIRECTORY, Mode::empty())?)
}

/// What the open file or directory `fd` is.
pub(super) fn seen(fd: impl AsFd) -> io::Result<Seen> {
    Ok(Seen::of(&rustix::fs::fstat(fd)?))
}

/// What `name` in the open directory `dir` is, not following a link.
pub(super) fn seen_at(dir: impl AsFd, name: &OsStr) -> io::Result<Seen> {
    Ok(Seen::of(&rustix::fs::statat(
        dir,
        name,
        AtFlags::SYMLINK_NOFOLLOW,
    )?))
}

/// The names in the open directory `dir` (not `.` and `..`), read from the handle.
pub(super) fn names(dir: impl AsFd) -> io::Result<Vec<OsString>> {
    let mut names = Vec::new();
    for entry in Dir::read_from(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            names.push(OsStr::from_bytes(name).to_owned());
        }
    }
    Ok(names)
}

/// What `relative` (plain components, no link among them) below the open
/// directory `root` is, reached one directory handle after the other without
/// following any link, so it can only be inside `root`.
pub(super) fn seen_beneath(root: &OwnedFd, relative: &Path) -> io::Result<Seen> {
    let names = plain_components(relative)?;
    let Some((last, parents)) = names.split_last() else {
        return seen(root);
    };
    match descend(root, parents)? {
        Some(dir) => seen_at(&dir, last),
        None => seen_at(root, last),
    }
}

/// Opens the directory `relative` below the open directory `root` as
/// [`seen_beneath`] reaches it.
pub(super) fn open_beneath(root: &OwnedFd, relative: &Path) -> io::Result<OwnedFd> {
    let names = plain_components(relative)?;
    match descend(root, &names)? {
        Some(dir) => Ok(dir),
        None => Ok(rustix::fs::openat(root, ".", DIRECTORY, Mode::empty())?),
    }
}

/// The directory `names` below `root`, or `None` for `root` itself.
fn descend(root: &OwnedFd, names: &[&OsStr]) -> io::Result<Option<OwnedFd>> {
    let mut current: Option<OwnedFd> = None;
    for name in names {
        let next = match &current {
            Some(dir) => open_directory_at(dir, name)?,
            None => open_directory_at(root, name)?,
        };
        current = Some(next);
    }
    Ok(current)
}

fn plain_components(relative: &Path) -> io::Result<Vec<&OsStr>> {
    relative
        .components()
        .map(|component| match component {
            Component::Normal(name) => Ok(name),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a plain relative path",
            )),
        })
        .collect()
}

/// Whether opening without following links failed because a link (or a
/// non-directory) now stands where a directory was seen.
pub(super) fn is_swapped(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(code) if code == libc::ELOOP || code == libc::ENOTDIR
    )
}
