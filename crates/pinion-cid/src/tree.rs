//! The summaries of a whole built directory: [`DirectoryTree`].

use std::collections::BTreeMap;
use std::collections::btree_map;

use crate::{DirectorySummary, FileSummary};

/// A directory with the summaries of everything below it, from
/// [`DirectoryBuilder::finish_tree`](crate::DirectoryBuilder::finish_tree).
///
/// It is kept as a tree of names (each name held once), so its memory grows
/// with the total length of the names, however deep the directory; full paths
/// are only made one at a time, by [`directories`](Self::directories) and
/// [`files`](Self::files).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DirectoryTree {
    /// The root directory.
    pub root: DirectorySummary,
    /// Every directory, the root first, numbered depth-first in name order (so
    /// that equal trees are equal however they were built).
    dirs: Vec<TreeDir>,
    /// Every file's summary, named by index (a map entry stays small).
    files: Vec<FileSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct TreeDir {
    summary: DirectorySummary,
    entries: BTreeMap<String, TreeNode>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TreeNode {
    /// The index of the file in [`DirectoryTree::files`].
    File(usize),
    /// The index of the directory in [`DirectoryTree::dirs`].
    Dir(usize),
}

/// One entry of a [`DirectoryTree`], as [`DirectoryTree::entries`] gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TreeEntry<'a> {
    /// A directory below the root.
    Directory(&'a DirectorySummary),
    /// A file.
    File(&'a FileSummary),
}

impl DirectoryTree {
    /// The directory at `path` below the root (`/`-separated, empty and `.`
    /// components ignored), if there is one; `None` for the root itself.
    pub fn directory(&self, path: &str) -> Option<&DirectorySummary> {
        match self.find(path)? {
            TreeEntry::Directory(summary) => Some(summary),
            TreeEntry::File(_) => None,
        }
    }

    /// The file at `path` below the root, if there is one.
    pub fn file(&self, path: &str) -> Option<&FileSummary> {
        match self.find(path)? {
            TreeEntry::File(summary) => Some(summary),
            TreeEntry::Directory(_) => None,
        }
    }

    /// How many directories there are below the root.
    pub fn directory_count(&self) -> usize {
        self.dirs.len().saturating_sub(1)
    }

    /// How many files there are.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Every directory below the root with its path relative to the root
    /// (`"a"`, `"a/b"`, …), depth-first, each directory's entries in name order.
    pub fn directories(&self) -> impl Iterator<Item = (String, &DirectorySummary)> {
        self.entries().filter_map(|(path, entry)| match entry {
            TreeEntry::Directory(summary) => Some((path, summary)),
            TreeEntry::File(_) => None,
        })
    }

    /// Every file with its path relative to the root, in the order of
    /// [`directories`](Self::directories).
    pub fn files(&self) -> impl Iterator<Item = (String, &FileSummary)> {
        self.entries().filter_map(|(path, entry)| match entry {
            TreeEntry::File(summary) => Some((path, summary)),
            TreeEntry::Directory(_) => None,
        })
    }

    /// Every directory and file below the root, with its path, depth-first.
    pub fn entries(&self) -> TreeEntries<'_> {
        TreeEntries {
            tree: self,
            stack: vec![(self.dirs[0].entries.iter(), 0)],
            path: String::new(),
        }
    }

    fn find(&self, path: &str) -> Option<TreeEntry<'_>> {
        let mut dir = &self.dirs[0];
        let mut found = None;
        for component in path.split('/').filter(|c| !c.is_empty() && *c != ".") {
            if let Some(TreeEntry::File(_)) = found {
                // A file has nothing below it.
                return None;
            }
            match dir.entries.get(component)? {
                TreeNode::File(file) => found = Some(TreeEntry::File(&self.files[*file])),
                TreeNode::Dir(index) => {
                    dir = &self.dirs[*index];
                    found = Some(TreeEntry::Directory(&dir.summary));
                }
            }
        }
        found
    }
}

/// The entries of a [`DirectoryTree`] with their paths: see
/// [`DirectoryTree::entries`]. It holds one path at a time, so walking a deep
/// tree needs memory for its depth only.
#[derive(Debug)]
pub struct TreeEntries<'a> {
    tree: &'a DirectoryTree,
    /// The directories being listed, each with the length of the path before
    /// its entries' names.
    stack: Vec<(btree_map::Iter<'a, String, TreeNode>, usize)>,
    path: String,
}

impl<'a> Iterator for TreeEntries<'a> {
    type Item = (String, TreeEntry<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (entries, prefix) = self.stack.last_mut()?;
            let prefix = *prefix;
            let Some((name, node)) = entries.next() else {
                self.stack.pop();
                continue;
            };
            self.path.truncate(prefix);
            if prefix > 0 {
                self.path.push('/');
            }
            self.path.push_str(name);
            return Some(match node {
                TreeNode::File(file) => {
                    (self.path.clone(), TreeEntry::File(&self.tree.files[*file]))
                }
                TreeNode::Dir(index) => {
                    let dir = &self.tree.dirs[*index];
                    self.stack.push((dir.entries.iter(), self.path.len()));
                    (self.path.clone(), TreeEntry::Directory(&dir.summary))
                }
            });
        }
    }
}

/// Collects a [`DirectoryTree`] while a builder builds it depth-first.
#[derive(Default)]
pub(crate) struct TreeBuilder {
    /// Per directory (numbered as it is entered), its summary once built.
    summaries: Vec<Option<DirectorySummary>>,
    /// Per directory, its entries.
    entries: Vec<BTreeMap<String, TreeNode>>,
    files: Vec<FileSummary>,
}

impl TreeBuilder {
    /// Starts the root; returns its index.
    pub(crate) fn root(&mut self) -> usize {
        self.new_dir()
    }

    /// Adds the directory `name` to directory `parent`; returns its index.
    pub(crate) fn directory(&mut self, parent: usize, name: &str) -> usize {
        let index = self.new_dir();
        self.entries[parent].insert(name.to_owned(), TreeNode::Dir(index));
        index
    }

    /// Adds the file `name` to directory `parent`.
    pub(crate) fn file(&mut self, parent: usize, name: &str, summary: FileSummary) {
        self.entries[parent].insert(name.to_owned(), TreeNode::File(self.files.len()));
        self.files.push(summary);
    }

    /// Sets the summary of directory `index`, once built.
    pub(crate) fn summary(&mut self, index: usize, summary: DirectorySummary) {
        self.summaries[index] = Some(summary);
    }

    /// The tree whose root is `root` (every directory was built before its parent,
    /// so each has its summary).
    pub(crate) fn finish(self, root: DirectorySummary) -> DirectoryTree {
        let mut dirs: Vec<TreeDir> = self
            .summaries
            .into_iter()
            .zip(self.entries)
            .map(|(summary, entries)| TreeDir {
                summary: summary.unwrap_or(root),
                entries,
            })
            .collect();
        if dirs.is_empty() {
            dirs.push(TreeDir {
                summary: root,
                entries: BTreeMap::new(),
            });
        }
        DirectoryTree {
            root,
            dirs,
            files: self.files,
        }
    }

    fn new_dir(&mut self) -> usize {
        self.summaries.push(None);
        self.entries.push(BTreeMap::new());
        self.entries.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use crate::{CidVersion, DirectoryBuilder, hash_bytes};

    #[test]
    fn paths_are_listed_depth_first_and_looked_up_by_component() {
        let mut builder = DirectoryBuilder::new(CidVersion::V1);
        for path in ["a/x", "a/b/y", "a-z", "c"] {
            builder
                .add_file(path, hash_bytes(path.as_bytes(), CidVersion::V1))
                .unwrap();
        }
        builder.add_directory("e").unwrap();
        let tree = builder.finish_tree();
        let listed: Vec<String> = tree.entries().map(|(path, _)| path).collect();
        assert_eq!(listed, ["a", "a/b", "a/b/y", "a/x", "a-z", "c", "e"]);
        let dirs: Vec<String> = tree.directories().map(|(path, _)| path).collect();
        assert_eq!(dirs, ["a", "a/b", "e"]);
        let files: Vec<String> = tree.files().map(|(path, _)| path).collect();
        assert_eq!(files, ["a/b/y", "a/x", "a-z", "c"]);
        assert_eq!((tree.directory_count(), tree.file_count()), (3, 4));

        let x = hash_bytes(b"a/x", CidVersion::V1);
        assert_eq!(tree.file("a/x"), Some(&x));
        assert_eq!(tree.file("./a//x"), Some(&x));
        assert_eq!(tree.file("a/x/"), Some(&x));
        assert_eq!(tree.file("a"), None, "a directory is not a file");
        assert_eq!(tree.directory("a/x"), None, "a file is not a directory");
        assert_eq!(tree.file("a/x/y"), None, "nothing is below a file");
        assert_eq!(tree.file("a/../c"), None);
        assert_eq!(tree.directory(""), None, "the root is `root`");
        assert_eq!(tree.directory("e").unwrap().byte_len, 0);
        assert_eq!(
            tree.directory("a").unwrap().byte_len,
            (b"a/x".len() + b"a/b/y".len()) as u64
        );
    }
}
