//! Uploads: one file, a whole directory, or any `AsyncRead`, streamed as
//! `multipart/form-data` with constant memory, with progress reports and the local CID
//! computed on the way.
//!
//! A directory is read with the one walk of [`crate::cid::walk_directory`], so the CID
//! `hash_directory` computes is the CID the upload produces: symbolic links are left out
//! (listed in [`Uploaded::skipped_links`]) unless
//! [`UploadOptions::follow_symlinks`], which follows only links that stay inside the
//! directory; empty directories are left out (a multipart upload cannot carry them,
//! unlike `ipfs add -r`). Nothing outside the directory is ever read: each file is
//! opened without following links and checked to be the one the walk saw.
//!
//! The CID the service returns is checked against the local one unless
//! [`UploadOptions::verify`] turns it off; on a difference the content is pinned
//! anyway, and [`Error::UploadMismatch`](crate::Error::UploadMismatch) says where.

mod body;
mod multipart;
mod options;
mod prepare;
mod read_ahead;
mod send;
mod verify;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::AsyncRead;

use crate::cid::SkippedLink;

pub(crate) use multipart::Multipart;
pub use options::{MIN_TUS_CHUNK, UploadOptions};
pub(crate) use prepare::prepare;
pub(crate) use send::{send, versions_to_hash};
pub(crate) use verify::{check, finish};

/// How far an upload got.
///
/// For an upload in one request (multipart), the bytes of its body handed to the
/// connection in this attempt. For a TUS upload (Pinata v3 above
/// [`MULTIPART_LIMIT`](crate::pinata_v3::MULTIPART_LIMIT), or
/// [`resumable`](UploadOptions::resumable)), the bytes the service **confirmed**
/// (the `Upload-Offset` of its answers, reported after each chunk and each resync),
/// never bytes merely written to the socket: after a cut connection it can go back to
/// what the service kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bytes sent so far in this attempt (multipart), or confirmed by the service
    /// (TUS).
    pub sent: u64,
    /// The body's length, when known (unknown for readers of unknown length).
    pub total: Option<u64>,
    /// The attempt (0 for the first send; a multipart retry starts again from 0
    /// bytes, a TUS resync from the service's offset).
    pub attempt: u32,
}

/// Where progress reports go.
#[derive(Clone)]
enum ProgressSink {
    Callback(Arc<dyn Fn(Progress) + Send + Sync>),
    Channel(tokio::sync::watch::Sender<Progress>),
}

impl ProgressSink {
    fn report(&self, progress: Progress) {
        match self {
            Self::Callback(callback) => callback(progress),
            Self::Channel(sender) => {
                sender.send_replace(progress);
            }
        }
    }
}

/// What to upload.
pub enum UploadSource {
    /// One file from disk.
    File(PathBuf),
    /// A directory from disk, recursively.
    Directory(PathBuf),
    /// Any reader, uploaded as one file named `name`. It can be read only once, so an
    /// upload from a reader is never retried after its body started.
    Reader {
        /// The file name the service sees.
        name: String,
        /// The bytes.
        reader: Box<dyn AsyncRead + Send + Unpin>,
        /// Its length, when known (sent as `Content-Length`).
        len: Option<u64>,
    },
}

impl UploadSource {
    /// A reader uploaded as a file named `name`.
    pub fn reader(
        name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        Self::Reader {
            name: name.into(),
            reader: Box::new(reader),
            len: None,
        }
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Directory(path) => f.debug_tuple("Directory").field(path).finish(),
            Self::Reader { name, len, .. } => f
                .debug_struct("Reader")
                .field("name", name)
                .field("len", len)
                .finish_non_exhaustive(),
        }
    }
}

/// What an upload produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The root CID.
    pub cid: String,
    /// The pinned size in bytes, when the service says.
    pub size: Option<u64>,
    /// The service's id of the new pin or content (W3IPFS pin id, Submarine content
    /// id); Pinata pins are named by CID.
    pub id: Option<String>,
    /// Whether the service already had this content.
    pub duplicate: Option<bool>,
    /// Whether the returned CID was checked against the local one.
    pub verified: bool,
    /// Whether nothing was uploaded because the CID was already pinned.
    pub skipped: bool,
    /// Symbolic links of a directory that were left out (not followed, or leading
    /// outside the directory or nowhere), with why.
    pub skipped_links: Vec<SkippedLink>,
}

impl Uploaded {
    /// What the service answered for a new upload (not verified yet).
    pub(crate) fn pinned(
        cid: String,
        size: Option<u64>,
        id: Option<String>,
        duplicate: Option<bool>,
    ) -> Self {
        Self {
            cid,
            size,
            id,
            duplicate,
            verified: false,
            skipped: false,
            skipped_links: Vec::new(),
        }
    }

    /// Nothing uploaded: the service already pins `cid` (`skip_if_pinned`).
    pub(crate) fn already_pinned(cid: String, size: Option<u64>, id: Option<String>) -> Self {
        Self {
            duplicate: Some(true),
            skipped: true,
            ..Self::pinned(cid, size, id, None)
        }
    }
}
