//! The balanced file DAG of `ipfs add` (kubo's `balanced` layout, identical
//! to `ipfs-unixfs-importer`'s `balanced({ maxChildrenPerNode: 174 })`).
//!
//! Leaves are grouped, in order, into nodes of at most 174 links; those nodes
//! are grouped again, level by level, until a single node remains. A level is
//! reduced as soon as it holds 174 links, so only one pending link list per
//! level is kept in memory.

use sha2::{Digest, Sha256};

use crate::pb;
use crate::{Cid, CidVersion, MAX_LINKS_PER_NODE};

/// Multicodec of raw blocks.
pub(crate) const CODEC_RAW: u8 = 0x55;
/// Multicodec of dag-pb blocks.
pub(crate) const CODEC_DAG_PB: u8 = 0x70;
/// Multihash code of sha2-256.
pub(crate) const SHA2_256: u8 = 0x12;

/// A binary sha2-256 CID (v0: 34 bytes, v1 with a one-byte codec: 36 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawCid {
    bytes: [u8; 36],
    len: u8,
}

impl RawCid {
    /// The CID of a dag-pb block with the given digest.
    pub(crate) fn dag_pb(version: CidVersion, digest: &[u8; 32]) -> Self {
        match version {
            CidVersion::V0 => Self::v0(digest),
            CidVersion::V1 => Self::v1(CODEC_DAG_PB, digest),
        }
    }

    pub(crate) fn v0(digest: &[u8; 32]) -> Self {
        let mut bytes = [0u8; 36];
        bytes[0] = SHA2_256;
        bytes[1] = 32;
        bytes[2..34].copy_from_slice(digest);
        RawCid { bytes, len: 34 }
    }

    pub(crate) fn v1(codec: u8, digest: &[u8; 32]) -> Self {
        debug_assert!(codec < 0x80, "single-byte varint codec");
        let mut bytes = [0u8; 36];
        bytes[0] = 1;
        bytes[1] = codec;
        bytes[2] = SHA2_256;
        bytes[3] = 32;
        bytes[4..36].copy_from_slice(digest);
        RawCid { bytes, len: 36 }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    pub(crate) fn to_cid(self) -> Cid {
        Cid::from_trusted_bytes(self.as_bytes())
    }
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// One pending link of the file DAG.
#[derive(Clone, Copy, Debug)]
struct DagLink {
    cid: RawCid,
    /// Cumulative size of the child (its `Tsize`).
    tsize: u64,
    /// Number of file bytes below the child (its entry in `blocksizes`).
    file_bytes: u64,
}

/// Streaming builder of one file's balanced DAG.
#[derive(Debug)]
pub(crate) struct BalancedDag {
    version: CidVersion,
    /// `levels[0]` holds leaves, `levels[n]` nodes whose children are in `levels[n - 1]`.
    levels: Vec<Vec<DagLink>>,
    /// Scratch buffers for encoding internal nodes.
    node: Vec<u8>,
    unixfs: Vec<u8>,
}

impl BalancedDag {
    pub(crate) fn new(version: CidVersion) -> Self {
        BalancedDag {
            version,
            levels: Vec::new(),
            node: Vec::new(),
            unixfs: Vec::new(),
        }
    }

    /// True until the first leaf has been pushed.
    pub(crate) fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Hashes one chunk as a leaf and appends it to the DAG.
    pub(crate) fn push_leaf(&mut self, chunk: &[u8]) {
        let link = match self.version {
            CidVersion::V0 => {
                let frame = pb::LeafFrame::new(chunk.len());
                let mut hasher = Sha256::new();
                hasher.update(frame.prefix());
                hasher.update(chunk);
                hasher.update(frame.suffix());
                DagLink {
                    cid: RawCid::v0(&hasher.finalize().into()),
                    tsize: frame.node_len(chunk.len()),
                    file_bytes: chunk.len() as u64,
                }
            }
            CidVersion::V1 => DagLink {
                cid: RawCid::v1(CODEC_RAW, &sha256(chunk)),
                tsize: chunk.len() as u64,
                file_bytes: chunk.len() as u64,
            },
        };
        self.push(0, link);
    }

    fn push(&mut self, level: usize, link: DagLink) {
        if self.levels.len() == level {
            self.levels.push(Vec::with_capacity(MAX_LINKS_PER_NODE));
        }
        self.levels[level].push(link);
        if self.levels[level].len() == MAX_LINKS_PER_NODE {
            let parent = self.reduce(level);
            self.push(level + 1, parent);
        }
    }

    /// Turns the pending links of `level` into one internal node.
    fn reduce(&mut self, level: usize) -> DagLink {
        let links = &mut self.levels[level];
        self.unixfs.clear();
        pb::unixfs_file_node(&mut self.unixfs, links.iter().map(|l| l.file_bytes));
        self.node.clear();
        let mut tsize = 0u64;
        let mut file_bytes = 0u64;
        for link in links.iter() {
            pb::put_link(&mut self.node, link.cid.as_bytes(), b"", link.tsize);
            tsize += link.tsize;
            file_bytes += link.file_bytes;
        }
        links.clear();
        pb::put_node_data(&mut self.node, &self.unixfs);
        DagLink {
            cid: RawCid::dag_pb(self.version, &sha256(&self.node)),
            tsize: self.node.len() as u64 + tsize,
            file_bytes,
        }
    }

    /// Completes the DAG; returns the root and its cumulative size.
    ///
    /// At least one leaf must have been pushed.
    pub(crate) fn finish(mut self) -> (RawCid, u64) {
        let mut level = 0;
        loop {
            let is_top = level + 1 == self.levels.len();
            let pending = self.levels[level].len();
            if is_top && pending == 1 {
                // The only node of the top level is the root; for a file of
                // one chunk this is the leaf itself.
                let root = self.levels[level][0];
                return (root.cid, root.tsize);
            }
            if pending > 0 {
                let parent = self.reduce(level);
                // Pushing cannot complete a batch that triggers a reduction of
                // an already visited level, so walking upwards stays correct.
                self.push(level + 1, parent);
            }
            level += 1;
        }
    }
}
