//! Local content addressing, identical to IPFS.
//!
//! `pinion-cid` computes the CID (and the pin size) that IPFS assigns to the
//! same bytes, without running an IPFS node. It reproduces what kubo's
//! `ipfs add` and the JavaScript `ipfs-unixfs-importer` produce with their
//! default settings:
//!
//! * **files** are split by a fixed-size chunker into [`CHUNK_SIZE`] (256 KiB)
//!   pieces and assembled into a balanced DAG of UnixFS `File` nodes with at
//!   most [`MAX_LINKS_PER_NODE`] (174) links each;
//!   * [`CidVersion::V0`] (`ipfs add`): leaves are dag-pb nodes holding the
//!     chunk as UnixFS `File` data, CIDs are base58btc `Qm…`;
//!   * [`CidVersion::V1`] (`ipfs add --cid-version 1`, which implies
//!     `--raw-leaves`): leaves are raw blocks (codec `raw`), internal nodes are
//!     dag-pb, CIDs are base32 `b…`;
//!   * a file that fits in one chunk is that single leaf;
//! * **directories** are UnixFS `Directory` nodes with links sorted by name,
//!   switching to a HAMT-sharded directory (fanout 256, murmur3-x64-64 of the
//!   names) once the importer's size estimate of the directory exceeds
//!   [`SHARD_SPLIT_THRESHOLD_BYTES`] (256 KiB), see [`DirectoryBuilder`];
//! * **directories on disk** are read by one walk, [`walk_directory`], which
//!   [`hash_directory`] and the `pinion` library's uploads share, so the local CID
//!   is the CID an upload produces: it never reads outside the directory (symbolic
//!   links are left out, or followed only inside it, see [`SymlinkPolicy`]), and
//!   leaves out empty directories, which a multipart upload cannot carry (unlike
//!   `ipfs add -r`; [`HashDirectoryOptions::keep_empty_directories`] keeps them);
//! * the **pin size** is IPFS's cumulative DAG size (`CumulativeSize` /
//!   `Tsize`): every node's serialized bytes plus, for raw leaves, their data
//!   length.
//!
//! It also parses and validates CID strings ([`Cid::parse`]) so that callers
//! can refuse malformed CIDs before sending any request.
//!
//! # Examples
//!
//! ```
//! use pinion_cid::{hash_bytes, CidVersion, FileHasher};
//!
//! // `printf 'hello world\n' | ipfs add`
//! let v0 = hash_bytes(b"hello world\n", CidVersion::V0);
//! assert_eq!(v0.cid.to_string(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
//! assert_eq!(v0.pin_size, 20);
//! assert_eq!(v0.byte_len, 12);
//!
//! // the same bytes, streamed in pieces, with `--cid-version 1`
//! let mut hasher = FileHasher::new(CidVersion::V1);
//! hasher.update(b"hello ");
//! hasher.update(b"world\n");
//! let v1 = hasher.finish();
//! assert_eq!(v1.cid.to_string(), "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
//! ```
//!
//! # Cargo features
//!
//! * `tokio`: [`hash_async_reader`] for [`tokio::io::AsyncRead`] sources.
//! * `serde`: `Serialize`/`Deserialize` for [`Cid`], as its canonical string.

#![deny(missing_docs)]

mod cid;
mod dag;
mod dir;
mod error;
mod file;
mod hamt;
mod pb;
mod tree;
mod walk;

pub use crate::cid::{Cid, ParseCidError, ParseCidErrorKind};
pub use crate::dir::{DirectoryBuilder, DirectorySummary};
pub use crate::error::Error;
#[cfg(feature = "tokio")]
pub use crate::file::hash_async_reader;
pub use crate::file::{FileHasher, FileSummary, hash_bytes, hash_reader};
pub use crate::tree::{DirectoryTree, TreeEntries, TreeEntry};
pub use crate::walk::{
    DirectoryWalk, HashDirectoryOptions, SkipReason, SkippedLink, SymlinkPolicy, WalkedFile,
    hash_directory, hash_directory_tree, walk_directory,
};

/// The underlying [`cid`](https://docs.rs/cid) crate, re-exported for
/// interoperability with [`Cid::as_inner`] and `From<Cid> for cid::Cid`.
pub use ::cid as cid_crate;

/// Size of the pieces a file is cut into (kubo's default `size-262144` chunker).
pub const CHUNK_SIZE: usize = 262_144;

/// Maximum number of links of one node of a file's balanced DAG (kubo's default).
pub const MAX_LINKS_PER_NODE: usize = 174;

/// A directory whose estimated size exceeds this many bytes is HAMT-sharded.
///
/// The estimate is the one of `ipfs-unixfs-importer`'s default `links-bytes`
/// strategy: the sum, over the directory's entries, of the name's UTF-8 length
/// plus the binary CID's length. See [`DirectoryBuilder`] for the exact rule.
pub const SHARD_SPLIT_THRESHOLD_BYTES: u64 = 262_144;

/// Number of slots of one HAMT shard node (8 bits of the name hash per level).
pub const HAMT_FANOUT: usize = 256;

/// The CID version to produce, which also selects the DAG's leaf format.
///
/// These are the two layouts of `ipfs add`: without flags ([`V0`](Self::V0))
/// and with `--cid-version 1` ([`V1`](Self::V1)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CidVersion {
    /// CIDv0 (`Qm…`, base58btc): dag-pb leaves holding UnixFS `File` data.
    V0,
    /// CIDv1 (`bafy…`/`bafk…`, base32): raw leaves and dag-pb internal nodes.
    V1,
}

impl std::fmt::Display for CidVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CidVersion::V0 => "CIDv0",
            CidVersion::V1 => "CIDv1",
        })
    }
}
