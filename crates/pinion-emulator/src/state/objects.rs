//! Content-addressed objects: what a CID stands for (a file or a directory of files
//! kept in the blob store), shared by every service and the gateway.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Data, Table};
use crate::store::Record;

/// One file of an object, by blob name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileEntry {
    pub(crate) blob: String,
    pub(crate) size: u64,
    pub(crate) cid: String,
}

/// What a CID stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum ObjectKind {
    /// A single file.
    File { blob: String },
    /// A directory: its files by path relative to it, and its sub-directories.
    Directory {
        files: BTreeMap<String, FileEntry>,
        directories: Vec<String>,
    },
}

/// A CID the emulator can serve, with what IPFS reports for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredObject {
    pub(crate) cid: String,
    pub(crate) pin_size: u64,
    pub(crate) byte_len: u64,
    pub(crate) kind: ObjectKind,
    /// How many public pins (Pinata or W3IPFS pins, public Submarine content) hold this
    /// CID as their root. The gateway serves a published object without a token only
    /// while > 0.
    #[serde(default)]
    pub(crate) public_pins: u32,
    /// Whether the bytes were ever published on the IPFS network (uploaded as a public
    /// pin, or Submarine content made public). Only published content can be found by
    /// pin-by-CID or served without a token: bytes held only as private Submarine content
    /// are, for everyone else, as unknown as bytes never uploaded. `None` in rows stored
    /// before the emulator tracked it: taken as published while a public pin holds them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) published: Option<bool>,
}

impl Record for StoredObject {
    const TABLE: &'static str = "objects";
    fn key(&self) -> String {
        self.cid.clone()
    }
}

impl StoredObject {
    /// Number of files in the object (1 for a file).
    pub(crate) fn file_count(&self) -> u64 {
        match &self.kind {
            ObjectKind::File { .. } => 1,
            ObjectKind::Directory { files, .. } => files.len() as u64,
        }
    }

    /// Whether the bytes were ever published (see [`published`](Self::published)).
    pub(crate) fn is_published(&self) -> bool {
        self.published.unwrap_or(self.public_pins > 0)
    }

    /// Whether the object is a directory.
    pub(crate) fn is_directory(&self) -> bool {
        matches!(self.kind, ObjectKind::Directory { .. })
    }
}

impl Table for StoredObject {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.objects
    }
}
