//! The small subset of protobuf needed to serialize dag-pb nodes carrying
//! UnixFS data, byte for byte as `@ipld/dag-pb` and `ipfs-unixfs` do.
//!
//! ```text
//! PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }   // Links first
//! PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }
//! UnixFS Data { Type = 1; Data = 2; filesize = 3; repeated blocksizes = 4 (unpacked);
//!               hashType = 5; fanout = 6; }
//! ```

/// Field tags (field number << 3 | wire type).
const TAG_NODE_DATA: u8 = 0x0a; // PBNode.Data, length-delimited
const TAG_NODE_LINK: u8 = 0x12; // PBNode.Links, length-delimited
const TAG_LINK_HASH: u8 = 0x0a; // PBLink.Hash
const TAG_LINK_NAME: u8 = 0x12; // PBLink.Name
const TAG_LINK_TSIZE: u8 = 0x18; // PBLink.Tsize, varint
const TAG_FS_TYPE: u8 = 0x08; // UnixFS.Type, varint
const TAG_FS_DATA: u8 = 0x12; // UnixFS.Data, length-delimited
const TAG_FS_FILESIZE: u8 = 0x18; // UnixFS.filesize, varint
const TAG_FS_BLOCKSIZE: u8 = 0x20; // UnixFS.blocksizes, varint (one tag per value)
const TAG_FS_HASHTYPE: u8 = 0x28; // UnixFS.hashType, varint
const TAG_FS_FANOUT: u8 = 0x30; // UnixFS.fanout, varint

/// UnixFS `Data.DataType` values.
pub(crate) const FS_DIRECTORY: u8 = 1;
pub(crate) const FS_FILE: u8 = 2;
pub(crate) const FS_HAMT_SHARD: u8 = 5;

/// Multicodec of murmur3-x64-64, the HAMT's `hashType`.
const MURMUR3_X64_64: u64 = 0x22;

/// Number of bytes of `v` as an unsigned LEB128 varint.
pub(crate) const fn varint_len(v: u64) -> usize {
    // 1 byte per started group of 7 significant bits, at least 1.
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Appends `v` as an unsigned LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` as a varint into `buf` and returns the number of bytes used.
fn write_varint(buf: &mut [u8], mut v: u64) -> usize {
    let mut i = 0;
    while v >= 0x80 {
        buf[i] = (v as u8) | 0x80;
        v >>= 7;
        i += 1;
    }
    buf[i] = v as u8;
    i + 1
}

/// Appends one `PBNode.Links` entry.
pub(crate) fn put_link(out: &mut Vec<u8>, cid: &[u8], name: &[u8], tsize: u64) {
    let body = 1
        + varint_len(cid.len() as u64)
        + cid.len()
        + 1
        + varint_len(name.len() as u64)
        + name.len()
        + 1
        + varint_len(tsize);
    out.push(TAG_NODE_LINK);
    put_varint(out, body as u64);
    out.push(TAG_LINK_HASH);
    put_varint(out, cid.len() as u64);
    out.extend_from_slice(cid);
    out.push(TAG_LINK_NAME);
    put_varint(out, name.len() as u64);
    out.extend_from_slice(name);
    out.push(TAG_LINK_TSIZE);
    put_varint(out, tsize);
}

/// Appends `PBNode.Data` wrapping an already encoded UnixFS message.
pub(crate) fn put_node_data(out: &mut Vec<u8>, unixfs: &[u8]) {
    out.push(TAG_NODE_DATA);
    put_varint(out, unixfs.len() as u64);
    out.extend_from_slice(unixfs);
}

/// Encodes the UnixFS message of an internal file node (no inline data).
pub(crate) fn unixfs_file_node(out: &mut Vec<u8>, blocksizes: impl Iterator<Item = u64> + Clone) {
    let filesize: u64 = blocksizes.clone().sum();
    out.extend_from_slice(&[TAG_FS_TYPE, FS_FILE, TAG_FS_FILESIZE]);
    put_varint(out, filesize);
    for size in blocksizes {
        out.push(TAG_FS_BLOCKSIZE);
        put_varint(out, size);
    }
}

/// The UnixFS message of a (flat) directory node.
pub(crate) const UNIXFS_DIRECTORY: [u8; 2] = [TAG_FS_TYPE, FS_DIRECTORY];

/// Encodes the UnixFS message of a HAMT shard node with the given bitfield.
pub(crate) fn unixfs_hamt_shard(out: &mut Vec<u8>, bitfield: &[u8], fanout: u64) {
    out.extend_from_slice(&[TAG_FS_TYPE, FS_HAMT_SHARD]);
    if !bitfield.is_empty() {
        out.push(TAG_FS_DATA);
        put_varint(out, bitfield.len() as u64);
        out.extend_from_slice(bitfield);
    }
    out.push(TAG_FS_HASHTYPE);
    put_varint(out, MURMUR3_X64_64);
    out.push(TAG_FS_FANOUT);
    put_varint(out, fanout);
}

/// The bytes around a chunk in a CIDv0 leaf: a dag-pb node whose only field
/// is `Data`, a UnixFS `File` message holding the chunk inline.
///
/// The serialized leaf is `prefix ++ chunk ++ suffix`, which lets the leaf be
/// hashed without copying the chunk.
#[derive(Debug)]
pub(crate) struct LeafFrame {
    prefix: [u8; 24],
    prefix_len: usize,
    suffix: [u8; 11],
    suffix_len: usize,
}

impl LeafFrame {
    pub(crate) fn new(data_len: usize) -> Self {
        let len = data_len as u64;
        // UnixFS { Type: File, Data: chunk (omitted when empty), filesize: len }
        let data_field = if len == 0 {
            0
        } else {
            1 + varint_len(len) + data_len
        };
        let unixfs_len = 2 + data_field + 1 + varint_len(len);

        let mut prefix = [0u8; 24];
        let mut p = 0;
        prefix[p] = TAG_NODE_DATA;
        p += 1;
        p += write_varint(&mut prefix[p..], unixfs_len as u64);
        prefix[p] = TAG_FS_TYPE;
        prefix[p + 1] = FS_FILE;
        p += 2;
        if len != 0 {
            prefix[p] = TAG_FS_DATA;
            p += 1;
            p += write_varint(&mut prefix[p..], len);
        }

        let mut suffix = [0u8; 11];
        suffix[0] = TAG_FS_FILESIZE;
        let s = 1 + write_varint(&mut suffix[1..], len);

        LeafFrame {
            prefix,
            prefix_len: p,
            suffix,
            suffix_len: s,
        }
    }

    pub(crate) fn prefix(&self) -> &[u8] {
        &self.prefix[..self.prefix_len]
    }

    pub(crate) fn suffix(&self) -> &[u8] {
        &self.suffix[..self.suffix_len]
    }

    /// Total serialized length of the leaf node.
    pub(crate) fn node_len(&self, data_len: usize) -> u64 {
        (self.prefix_len + data_len + self.suffix_len) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        for (v, bytes) in [
            (0u64, &[0x00][..]),
            (1, &[0x01]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (300, &[0xac, 0x02]),
            (262_144, &[0x80, 0x80, 0x10]),
            (
                u64::MAX,
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(out, bytes, "varint {v}");
            assert_eq!(varint_len(v), bytes.len(), "varint_len {v}");
            let mut buf = [0u8; 10];
            assert_eq!(write_varint(&mut buf, v), bytes.len());
            assert_eq!(&buf[..bytes.len()], bytes);
        }
    }

    fn leaf(data: &[u8]) -> Vec<u8> {
        let frame = LeafFrame::new(data.len());
        let mut out = frame.prefix().to_vec();
        out.extend_from_slice(data);
        out.extend_from_slice(frame.suffix());
        assert_eq!(frame.node_len(data.len()), out.len() as u64);
        out
    }

    #[test]
    fn empty_file_leaf() {
        // The well-known empty UnixFS file node (QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH).
        assert_eq!(leaf(b""), [0x0a, 0x04, 0x08, 0x02, 0x18, 0x00]);
    }

    #[test]
    fn small_file_leaf() {
        let mut expected = vec![0x0a, 0x12, 0x08, 0x02, 0x12, 0x0c];
        expected.extend_from_slice(b"hello world\n");
        expected.extend_from_slice(&[0x18, 0x0c]);
        assert_eq!(leaf(b"hello world\n"), expected);
    }

    #[test]
    fn full_chunk_leaf_frame() {
        let frame = LeafFrame::new(262_144);
        // Data field length: 2 (type) + 1 + 3 + 262144 (data) + 1 + 3 (filesize)
        let unixfs_len = 2 + 4 + 262_144 + 4;
        let mut expected = vec![0x0a];
        put_varint(&mut expected, unixfs_len);
        expected.extend_from_slice(&[0x08, 0x02, 0x12, 0x80, 0x80, 0x10]);
        assert_eq!(frame.prefix(), expected);
        assert_eq!(frame.suffix(), [0x18, 0x80, 0x80, 0x10]);
        assert_eq!(frame.node_len(262_144), 262_158);
    }

    #[test]
    fn link_encoding() {
        let cid = [0x12, 0x20, 0xaa];
        let mut out = Vec::new();
        put_link(&mut out, &cid, b"", 300);
        assert_eq!(
            out,
            [
                0x12, 0x0a, 0x0a, 0x03, 0x12, 0x20, 0xaa, 0x12, 0x00, 0x18, 0xac, 0x02
            ]
        );
        out.clear();
        put_link(&mut out, &cid, b"ab", 1);
        assert_eq!(
            out,
            [
                0x12, 0x0b, 0x0a, 0x03, 0x12, 0x20, 0xaa, 0x12, 0x02, b'a', b'b', 0x18, 0x01
            ]
        );
    }

    #[test]
    fn unixfs_messages() {
        let mut out = Vec::new();
        unixfs_file_node(&mut out, [262_144u64, 5].into_iter());
        assert_eq!(
            out,
            [
                0x08, 0x02, 0x18, 0x85, 0x80, 0x10, 0x20, 0x80, 0x80, 0x10, 0x20, 0x05
            ]
        );

        out.clear();
        unixfs_hamt_shard(&mut out, &[0x80, 0x01], 256);
        assert_eq!(
            out,
            [
                0x08, 0x05, 0x12, 0x02, 0x80, 0x01, 0x28, 0x22, 0x30, 0x80, 0x02
            ]
        );

        out.clear();
        put_node_data(&mut out, &UNIXFS_DIRECTORY);
        assert_eq!(out, [0x0a, 0x02, 0x08, 0x01]);
    }
}
