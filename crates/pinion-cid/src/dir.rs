//! UnixFS directories: [`DirectoryBuilder`].

use std::collections::BTreeMap;
use std::collections::btree_map::Entry as MapEntry;

use crate::dag::{RawCid, sha256};
use crate::hamt::{self, ShardEntry};
use crate::tree::{DirectoryTree, TreeBuilder};
use crate::{Cid, CidVersion, Error, FileSummary, SHARD_SPLIT_THRESHOLD_BYTES, pb};

/// What IPFS reports for one directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DirectorySummary {
    /// The directory's CID.
    pub cid: Cid,
    /// The pin size: the cumulative size of the directory's DAG (its nodes'
    /// serialized bytes plus the cumulative sizes of everything below).
    pub pin_size: u64,
    /// Total length of the files below the directory, at any depth.
    pub byte_len: u64,
    /// Whether the directory node is a HAMT shard rather than a flat
    /// UnixFS `Directory`.
    pub sharded: bool,
}

/// Builds a UnixFS directory tree from already hashed files.
///
/// Entries are relative paths with `/` separators and may be added in any
/// order; the result only depends on the set of entries. Empty and `.`
/// components are ignored (`./a//b` is `a/b`), `..` is refused, and `\` has no
/// special meaning. Intermediate directories are created as needed; a
/// directory without entries (see [`add_directory`](Self::add_directory)) is
/// an empty UnixFS directory.
///
/// Each directory becomes, exactly as with `ipfs-unixfs-importer`:
///
/// * a UnixFS `Directory` node whose links are sorted by the bytes of their
///   names, each with the child's cumulative size as `Tsize`; or
/// * a HAMT-sharded directory (`HAMTShard` nodes, fanout 256, names hashed
///   with murmur3-x64-64) when its size estimate exceeds
///   [`SHARD_SPLIT_THRESHOLD_BYTES`] (strictly greater). The estimate is the
///   importer's default `links-bytes` strategy, modelled on go-unixfs: the
///   sum over the directory's files of `name bytes + binary CID bytes`. Like
///   the importer, sub-directories count for nothing, except empty ones,
///   which count like a file with the empty directory's CID. (The importer
///   decides as entries stream in and never un-shards; since the estimate only
///   grows, this is the same as deciding on the final estimate.) kubo's own
///   implementation of this rule may differ in edge cases (a directory right
///   at the threshold, or one whose estimate is tipped by sub-directories);
///   this crate follows `ipfs-unixfs-importer`, which its fixtures come from.
///
/// The directory nodes get CIDs of the builder's [`CidVersion`]; file CIDs
/// are linked as given.
///
/// # Examples
///
/// ```
/// use pinion_cid::{hash_bytes, CidVersion, DirectoryBuilder};
///
/// let mut dir = DirectoryBuilder::new(CidVersion::V0);
/// dir.add_file("hello.txt", hash_bytes(b"hello world\n", CidVersion::V0))?;
/// dir.add_file("docs/empty.txt", hash_bytes(b"", CidVersion::V0))?;
/// let tree = dir.finish_tree();
/// assert_eq!(tree.root.byte_len, 12);
/// assert!(tree.directory("docs").is_some());
/// assert_eq!(tree.file_count(), 2);
///
/// // `ipfs add -w hello.txt`: one file wrapped in a directory
/// let mut wrap = DirectoryBuilder::new(CidVersion::V0);
/// wrap.add_file("hello.txt", hash_bytes(b"hello world\n", CidVersion::V0))?;
/// let root = wrap.finish();
/// assert_eq!(root.pin_size, 20 + 55);
/// # Ok::<(), pinion_cid::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DirectoryBuilder {
    version: CidVersion,
    /// Every directory, the root first; a directory's entries name its
    /// sub-directories by index, so no part of the builder nests (cloning or
    /// dropping a deep tree uses no stack, and each name is kept once).
    dirs: Vec<DirNode>,
    /// Every file's summary, named by index (a map entry stays small).
    files: Vec<FileSummary>,
}

#[derive(Debug, Clone, Default)]
struct DirNode {
    /// Ordered by the UTF-8 bytes of the names, the order of dag-pb links.
    entries: BTreeMap<String, Node>,
}

#[derive(Debug, Clone, Copy)]
enum Node {
    /// The index of the file in [`DirectoryBuilder::files`].
    File(usize),
    /// The index of the directory in [`DirectoryBuilder::dirs`].
    Dir(usize),
}

impl DirectoryBuilder {
    /// An empty directory whose nodes get CIDs of `version`.
    pub fn new(version: CidVersion) -> Self {
        DirectoryBuilder {
            version,
            dirs: vec![DirNode::default()],
            files: Vec::new(),
        }
    }

    /// The CID version of the directory nodes.
    pub fn version(&self) -> CidVersion {
        self.version
    }

    /// True if nothing has been added.
    pub fn is_empty(&self) -> bool {
        self.dirs[0].entries.is_empty()
    }

    /// Adds a file at `path` (relative, `/`-separated).
    ///
    /// Fails if the path is empty or contains `..`, if it was already added,
    /// or if it (or one of its parents) is already used the other way, as a
    /// directory (or a file).
    pub fn add_file(&mut self, path: &str, summary: FileSummary) -> Result<&mut Self, Error> {
        let (parents, name) = split(path)?;
        let dir = self.directory_mut(&parents)?;
        match self.dirs[dir].entries.entry(name.to_owned()) {
            MapEntry::Vacant(vacant) => {
                vacant.insert(Node::File(self.files.len()));
                self.files.push(summary);
                Ok(self)
            }
            MapEntry::Occupied(occupied) => {
                let path = join(&parents, name);
                Err(match occupied.get() {
                    Node::File(_) => Error::DuplicatePath { path },
                    Node::Dir(_) => Error::PathConflict { path },
                })
            }
        }
    }

    /// Ensures a directory exists at `path`, so that it is present even if
    /// nothing is added below it (an empty directory). Adding a directory
    /// that already exists does nothing.
    pub fn add_directory(&mut self, path: &str) -> Result<&mut Self, Error> {
        let (mut parents, name) = split(path)?;
        parents.push(name);
        self.directory_mut(&parents)?;
        Ok(self)
    }

    /// Walks to (creating as needed) the directory at `components`; returns its index.
    fn directory_mut(&mut self, components: &[&str]) -> Result<usize, Error> {
        let mut dir = 0;
        for (depth, component) in components.iter().enumerate() {
            let next = self.dirs.len();
            dir = match self.dirs[dir].entries.get(*component) {
                Some(Node::Dir(index)) => *index,
                Some(Node::File(_)) => {
                    return Err(Error::PathConflict {
                        path: components[..=depth].join("/"),
                    });
                }
                None => {
                    self.dirs[dir]
                        .entries
                        .insert((*component).to_owned(), Node::Dir(next));
                    self.dirs.push(DirNode::default());
                    next
                }
            };
        }
        Ok(dir)
    }

    /// Builds the tree and returns the root directory's summary.
    pub fn finish(self) -> DirectorySummary {
        Build {
            version: self.version,
            dirs: &self.dirs,
            files: &self.files,
            tree: None,
        }
        .run()
    }

    /// Builds the tree and returns the summaries of every directory and file.
    ///
    /// The result holds each name once (its memory grows with the total length of
    /// the names, not of the paths), however deep the tree.
    pub fn finish_tree(self) -> DirectoryTree {
        let mut build = Build {
            version: self.version,
            dirs: &self.dirs,
            files: &self.files,
            tree: Some(TreeBuilder::default()),
        };
        let root = build.run();
        build.tree.unwrap_or_default().finish(root)
    }
}

/// Splits a path into its parent components and its last component.
fn split(path: &str) -> Result<(Vec<&str>, &str), Error> {
    let mut components: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                return Err(Error::InvalidPath {
                    path: path.to_owned(),
                    reason: "\"..\" is not allowed",
                });
            }
            c => components.push(c),
        }
    }
    match components.pop() {
        Some(name) => Ok((components, name)),
        None => Err(Error::InvalidPath {
            path: path.to_owned(),
            reason: "it names no file",
        }),
    }
}

fn join(parents: &[&str], name: &str) -> String {
    let mut path = parents.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(name);
    path
}

struct Build<'a> {
    version: CidVersion,
    dirs: &'a [DirNode],
    files: &'a [FileSummary],
    /// Collects every summary, for [`DirectoryBuilder::finish_tree`].
    tree: Option<TreeBuilder>,
}

/// One directory being built: its entries still to visit and what its visited
/// entries gave.
struct Frame<'a> {
    node: &'a DirNode,
    /// Its name in its parent (`""` for the root).
    name: &'a str,
    /// Its index in the [`DirectoryTree`] being collected.
    tree_index: usize,
    entries: std::collections::btree_map::Iter<'a, String, Node>,
    links: Vec<ShardEntry<'a>>,
    byte_len: u64,
    estimate: u64,
}

impl<'a> Frame<'a> {
    fn new(node: &'a DirNode, name: &'a str, tree_index: usize) -> Self {
        Self {
            node,
            name,
            tree_index,
            entries: node.entries.iter(),
            links: Vec::with_capacity(node.entries.len()),
            byte_len: 0,
            estimate: 0,
        }
    }

    /// The directory's node, once every entry has been added.
    fn finish(&self, version: CidVersion) -> DirectorySummary {
        let sharded = self.estimate > SHARD_SPLIT_THRESHOLD_BYTES;
        let (cid, pin_size) = if sharded {
            hamt::build(version, &self.links)
        } else {
            flat_directory(version, &self.links)
        };
        DirectorySummary {
            cid: cid.to_cid(),
            pin_size,
            byte_len: self.byte_len,
            sharded,
        }
    }
}

impl Build<'_> {
    /// Builds the root bottom-up, depth-first with a stack of its own so that a
    /// deep tree cannot overflow the thread's.
    fn run(&mut self) -> DirectorySummary {
        let root_index = self.tree.as_mut().map_or(0, TreeBuilder::root);
        let mut stack = vec![Frame::new(&self.dirs[0], "", root_index)];
        loop {
            let Some(top) = stack.last_mut() else {
                unreachable!("the root frame is popped only to return")
            };
            match top.entries.next() {
                Some((name, Node::File(file))) => {
                    let file = &self.files[*file];
                    top.estimate += (name.len() + file.cid.encoded_len()) as u64;
                    top.byte_len += file.byte_len;
                    if let Some(tree) = &mut self.tree {
                        tree.file(top.tree_index, name, *file);
                    }
                    top.links.push(ShardEntry {
                        name,
                        cid: file.cid,
                        tsize: file.pin_size,
                    });
                }
                Some((name, Node::Dir(sub))) => {
                    let tree_index = self
                        .tree
                        .as_mut()
                        .map_or(0, |tree| tree.directory(top.tree_index, name));
                    stack.push(Frame::new(&self.dirs[*sub], name, tree_index));
                }
                None => {
                    let summary = top.finish(self.version);
                    let (name, tree_index, empty) =
                        (top.name, top.tree_index, top.node.entries.is_empty());
                    stack.pop();
                    if let Some(tree) = &mut self.tree {
                        tree.summary(tree_index, summary);
                    }
                    let Some(parent) = stack.last_mut() else {
                        return summary;
                    };
                    if empty {
                        // The importer counts an empty directory like a file.
                        parent.estimate += (name.len() + summary.cid.encoded_len()) as u64;
                    }
                    parent.byte_len += summary.byte_len;
                    parent.links.push(ShardEntry {
                        name,
                        cid: summary.cid,
                        tsize: summary.pin_size,
                    });
                }
            }
        }
    }
}

/// A UnixFS `Directory` node; `links` are sorted by name.
fn flat_directory(version: CidVersion, links: &[ShardEntry<'_>]) -> (RawCid, u64) {
    let mut node = Vec::with_capacity(links.len() * 64 + 4);
    let mut children = 0u64;
    for link in links {
        pb::put_link(
            &mut node,
            &link.cid.to_bytes(),
            link.name.as_bytes(),
            link.tsize,
        );
        children += link.tsize;
    }
    pb::put_node_data(&mut node, &pb::UNIXFS_DIRECTORY);
    let cid = RawCid::dag_pb(version, &sha256(&node));
    (cid, node.len() as u64 + children)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash_bytes;

    #[test]
    fn empty_directory() {
        let v0 = DirectoryBuilder::new(CidVersion::V0).finish();
        assert_eq!(
            v0.cid.to_string(),
            "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"
        );
        assert_eq!((v0.pin_size, v0.byte_len, v0.sharded), (4, 0, false));
        let v1 = DirectoryBuilder::new(CidVersion::V1).finish();
        assert_eq!(
            v1.cid.to_string(),
            "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
        );
    }

    #[test]
    fn order_of_additions_does_not_matter() {
        let files = ["b/x", "a", "b/y/z", "c.txt", "B"];
        let build = |order: &[usize]| {
            let mut dir = DirectoryBuilder::new(CidVersion::V1);
            for &i in order {
                dir.add_file(files[i], hash_bytes(files[i].as_bytes(), CidVersion::V1))
                    .unwrap();
            }
            dir.finish_tree()
        };
        let a = build(&[0, 1, 2, 3, 4]);
        let b = build(&[4, 2, 3, 1, 0]);
        assert_eq!(a, b);
        assert_eq!(
            a.directories().map(|(path, _)| path).collect::<Vec<_>>(),
            ["b", "b/y"]
        );
    }

    #[test]
    fn path_errors() {
        let f = hash_bytes(b"x", CidVersion::V0);
        let mut dir = DirectoryBuilder::new(CidVersion::V0);
        dir.add_file("./a//b", f).unwrap();
        assert!(matches!(
            dir.add_file("a/b", f),
            Err(Error::DuplicatePath { path }) if path == "a/b"
        ));
        assert!(matches!(
            dir.add_file("a/b/c", f),
            Err(Error::PathConflict { path }) if path == "a/b"
        ));
        assert!(matches!(
            dir.add_file("a", f),
            Err(Error::PathConflict { path }) if path == "a"
        ));
        assert!(matches!(
            dir.add_directory("a/b"),
            Err(Error::PathConflict { .. })
        ));
        assert!(matches!(
            dir.add_file("", f),
            Err(Error::InvalidPath { .. })
        ));
        assert!(matches!(
            dir.add_file("/./", f),
            Err(Error::InvalidPath { .. })
        ));
        let err = dir.add_file("a/../b", f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid path \"a/../b\": \"..\" is not allowed"
        );
        dir.add_directory("a").unwrap();
        dir.add_directory("e/f").unwrap();
        let tree = dir.finish_tree();
        assert_eq!(tree.directory_count(), 3);
        assert_eq!(
            tree.directory("e/f").unwrap().cid.to_string(),
            "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"
        );
    }
}
