//! HAMT-sharded UnixFS directories, as built by `ipfs-unixfs-importer`
//! (`hamt-sharding` with 8 bits per level) and go-unixfs.
//!
//! Each name is hashed with murmur3-x64-128 of its UTF-8 bytes, of which only
//! the first 64 bits (`h1`) are used. Level `n` of the trie is indexed by byte
//! `n` of `h1` in big-endian order; past 8 levels the hash of the name with
//! the depth byte appended is used, and so on. A slot holds an entry, or a
//! sub-shard once two entries share the slot. The importer only ever inserts,
//! so the trie's shape does not depend on the insertion order.
//!
//! A shard node is a dag-pb node whose links are named by the slot index as
//! two upper-case hex digits, followed by the entry's name for an entry
//! (`"A3photo.jpg"`) and alone for a sub-shard (`"A3"`). Its UnixFS data is a
//! `HAMTShard` with the occupied-slot bitfield (big-endian, leading zero
//! bytes trimmed), `hashType` murmur3-x64-64 (0x22) and `fanout` 256.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::dag::{RawCid, sha256};
use crate::{Cid, CidVersion, HAMT_FANOUT, pb};

/// One directory entry to place in the shard.
#[derive(Debug)]
pub(crate) struct ShardEntry<'a> {
    pub(crate) name: &'a str,
    pub(crate) cid: Cid,
    pub(crate) tsize: u64,
}

/// First 64 bits of murmur3-x64-128 (`h1`) of `data`, seed 0.
pub(crate) fn murmur3_x64_64(data: &[u8]) -> u64 {
    let mut reader = data;
    // Reading from a slice cannot fail.
    let hash = murmur3::murmur3_x64_128(&mut reader, 0).unwrap_or_default();
    hash as u64
}

/// The hash of a name, consumed one byte (8 bits) per trie level.
#[derive(Debug)]
struct NameHash<'a> {
    name: &'a [u8],
    first: u64,
}

impl<'a> NameHash<'a> {
    fn new(name: &'a str) -> Self {
        NameHash {
            name: name.as_bytes(),
            first: murmur3_x64_64(name.as_bytes()),
        }
    }

    fn slot(&self, level: usize) -> u8 {
        let word = match level / 8 {
            0 => self.first,
            depth => {
                // hamt-sharding's InfiniteHash: rehash `name ++ [depth]`.
                let mut input = self.name.to_vec();
                input.push(depth as u8);
                murmur3_x64_64(&input)
            }
        };
        word.to_be_bytes()[level % 8]
    }
}

#[derive(Debug, Default)]
struct Bucket {
    slots: BTreeMap<u8, Slot>,
}

#[derive(Debug)]
enum Slot {
    Entry(usize),
    Shard(Bucket),
}

fn insert(bucket: &mut Bucket, hashes: &[NameHash<'_>], entry: usize, level: usize) {
    match bucket.slots.entry(hashes[entry].slot(level)) {
        Entry::Vacant(vacant) => {
            vacant.insert(Slot::Entry(entry));
        }
        Entry::Occupied(mut occupied) => match occupied.get_mut() {
            Slot::Shard(child) => insert(child, hashes, entry, level + 1),
            Slot::Entry(other) => {
                let other = *other;
                let mut child = Bucket::default();
                insert(&mut child, hashes, other, level + 1);
                insert(&mut child, hashes, entry, level + 1);
                *occupied.get_mut() = Slot::Shard(child);
            }
        },
    }
}

/// Builds the sharded directory holding `entries` (names must be unique);
/// returns the root shard's CID and cumulative size.
pub(crate) fn build(version: CidVersion, entries: &[ShardEntry<'_>]) -> (RawCid, u64) {
    let hashes: Vec<NameHash<'_>> = entries.iter().map(|e| NameHash::new(e.name)).collect();
    let mut root = Bucket::default();
    for entry in 0..entries.len() {
        insert(&mut root, &hashes, entry, 0);
    }
    serialize(version, &root, entries)
}

fn serialize(version: CidVersion, bucket: &Bucket, entries: &[ShardEntry<'_>]) -> (RawCid, u64) {
    let mut node = Vec::new();
    let mut name = String::new();
    let mut children_size = 0u64;
    let mut bitfield = [0u8; HAMT_FANOUT / 8];
    // Slots are visited in index order, which is also the byte order of the
    // two-hex-digit link names, so the links come out sorted as dag-pb requires.
    for (&index, slot) in &bucket.slots {
        bitfield[usize::from(index / 8)] |= 1 << (index % 8);
        name.clear();
        name.push_str(&format!("{index:02X}"));
        match slot {
            Slot::Entry(i) => {
                let entry = &entries[*i];
                name.push_str(entry.name);
                pb::put_link(
                    &mut node,
                    &entry.cid.to_bytes(),
                    name.as_bytes(),
                    entry.tsize,
                );
                children_size += entry.tsize;
            }
            Slot::Shard(child) => {
                let (cid, size) = serialize(version, child, entries);
                pb::put_link(&mut node, cid.as_bytes(), name.as_bytes(), size);
                children_size += size;
            }
        }
    }
    // Bit i is slot i, least significant first; trimmed of high zero bytes
    // (keeping one) and stored most significant byte first.
    let used = bitfield.iter().rposition(|&b| b != 0).map_or(1, |i| i + 1);
    let mut field: Vec<u8> = bitfield[..used].to_vec();
    field.reverse();

    let mut unixfs = Vec::new();
    pb::unixfs_hamt_shard(&mut unixfs, &field, HAMT_FANOUT as u64);
    pb::put_node_data(&mut node, &unixfs);
    let cid = RawCid::dag_pb(version, &sha256(&node));
    (cid, node.len() as u64 + children_size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_matches_the_reference() {
        // murmur3-x64-128("a"), seed 0 = 85555565f6597889 e6b53a48510e895a
        assert_eq!(murmur3_x64_64(b"a"), 0x8555_5565_f659_7889);
        assert_eq!(murmur3_x64_64(b""), 0);
    }

    #[test]
    fn murmur3_matches_the_importer_vectors() {
        // `murmur3` in fixtures/cids.json: first 8 bytes of @multiformats/murmur3's murmur3-128
        let fixtures: serde_json::Value =
            serde_json::from_str(include_str!("../fixtures/cids.json")).unwrap();
        let vectors = fixtures["murmur3"].as_array().unwrap();
        assert!(vectors.len() >= 10);
        for v in vectors {
            let input = v["input"].as_str().unwrap();
            let expected = v["first8"].as_str().unwrap();
            let got = format!("{:016x}", murmur3_x64_64(input.as_bytes()));
            assert_eq!(got, expected, "murmur3 of {input:?}");
        }
    }

    #[test]
    fn slots_take_big_endian_bytes_then_rehash() {
        let h = NameHash::new("a");
        let bytes = 0x8555_5565_f659_7889u64.to_be_bytes();
        for (level, byte) in bytes.iter().enumerate() {
            assert_eq!(h.slot(level), *byte);
        }
        let rehash = murmur3_x64_64(b"a\x01").to_be_bytes();
        assert_eq!(h.slot(8), rehash[0]);
        assert_eq!(h.slot(15), rehash[7]);
    }
}
