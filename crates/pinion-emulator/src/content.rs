//! Content-addressed objects: what a CID stands for in the emulator (a file or a
//! directory of files kept in the [`BlobStore`](crate::blobs::BlobStore)), shared by
//! every service and the gateway.

use std::collections::BTreeMap;

use pinion_cid::{CidVersion, DirectoryBuilder};
use pinion_rules::upload::mime_or_default;

use crate::blobs::{BlobStore, IngestedFile};
pub(crate) use crate::state::objects::{FileEntry, ObjectKind, StoredObject};
use crate::state::{Data, Tx};

/// Stores a public upload's root and parts, published (keeping the pin counts of
/// objects already known).
pub(crate) fn store(tx: &mut Tx<'_>, assembled: &Assembled) {
    store_as(tx, assembled, true);
}

/// Stores a private (Submarine) upload's root and parts: objects not already published
/// stay unpublished.
pub(crate) fn store_private(tx: &mut Tx<'_>, assembled: &Assembled) {
    store_as(tx, assembled, false);
}

fn store_as(tx: &mut Tx<'_>, assembled: &Assembled, publish: bool) {
    for object in std::iter::once(&assembled.root).chain(&assembled.parts) {
        let (public_pins, published) = tx
            .data()
            .objects
            .get(&object.cid)
            .map_or((0, false), |o| (o.public_pins, o.is_published()));
        tx.put(StoredObject {
            public_pins,
            published: Some(published || publish),
            ..object.clone()
        });
    }
}

/// Publishes stored private content (Submarine content made public): its root and the
/// files in it.
pub(crate) fn publish(tx: &mut Tx<'_>, cid: &str) {
    let Some(root) = tx.data().objects.get(cid).cloned() else {
        return;
    };
    let files: Vec<String> = match &root.kind {
        ObjectKind::Directory { files, .. } => files.values().map(|f| f.cid.clone()).collect(),
        ObjectKind::File { .. } => Vec::new(),
    };
    for cid in std::iter::once(root.cid).chain(files) {
        tx.update::<StoredObject>(&cid, |object| object.published = Some(true));
    }
}

/// The object `cid` stands for when it was published: what pin-by-CID can retrieve
/// from the network. Unpublished (private) content is not found.
pub(crate) fn published<'a>(data: &'a Data, cid: &str) -> Option<&'a StoredObject> {
    data.objects.get(cid).filter(|object| object.is_published())
}

/// Counts one more public pin of `cid` (no-op for a CID the emulator has no bytes of).
pub(crate) fn add_public_pin(tx: &mut Tx<'_>, cid: &str) {
    tx.update::<StoredObject>(cid, |object| object.public_pins += 1);
}

/// Counts one public pin of `cid` less.
pub(crate) fn remove_public_pin(tx: &mut Tx<'_>, cid: &str) {
    tx.update::<StoredObject>(cid, |object| {
        object.public_pins = object.public_pins.saturating_sub(1);
    });
}

/// Whether the gateway may serve `cid` without an access token: published and held by
/// a public pin.
pub(crate) fn is_public(data: &Data, cid: &str) -> bool {
    published(data, cid).is_some_and(|object| object.public_pins > 0)
}

/// The result of an upload: its root object and every file and sub-directory below it,
/// each addressable by its own CID.
#[derive(Debug)]
pub(crate) struct Assembled {
    pub(crate) root: StoredObject,
    pub(crate) parts: Vec<StoredObject>,
}

/// Why a set of uploaded files does not make one object.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum AssembleError {
    #[error("no file was uploaded")]
    NoFiles,
    #[error(
        "more than one file and/or directory was provided for pinning: \
         give every file a path under one directory, or set wrapWithDirectory"
    )]
    NoCommonDirectory,
    #[error("invalid file path {path:?}: {why}")]
    BadPath { path: String, why: String },
    #[error("could not store the upload: {0}")]
    Io(String),
}

/// Turns uploaded files (with their multipart paths) into one object, the way IPFS
/// adds them: one file without a directory is that file; files under one top-level
/// directory are that directory; with `wrap` everything is wrapped in a new directory.
pub(crate) fn assemble(
    files: Vec<(String, IngestedFile)>,
    version: CidVersion,
    wrap: bool,
    blobs: &BlobStore,
) -> Result<Assembled, AssembleError> {
    if files.is_empty() {
        return Err(AssembleError::NoFiles);
    }
    let mut cleaned = Vec::with_capacity(files.len());
    for (path, file) in files {
        let components: Vec<&str> = path
            .split('/')
            .filter(|part| !part.is_empty() && *part != ".")
            .collect();
        if components.contains(&"..") {
            return Err(AssembleError::BadPath {
                path,
                why: "`..` is not allowed".into(),
            });
        }
        let clean = if components.is_empty() {
            "file".to_owned()
        } else {
            components.join("/")
        };
        cleaned.push((clean, file));
    }

    let single_plain_file = cleaned.len() == 1 && !cleaned[0].0.contains('/');
    if single_plain_file && !wrap {
        let (_, file) = cleaned.pop().expect("one file");
        let summary = file.summary(version);
        let blob = blobs
            .keep(file)
            .map_err(|e| AssembleError::Io(e.to_string()))?;
        let root = StoredObject {
            cid: summary.cid.to_string(),
            pin_size: summary.pin_size,
            byte_len: summary.byte_len,
            kind: ObjectKind::File { blob },
            public_pins: 0,
            published: None,
        };
        return Ok(Assembled {
            root,
            parts: Vec::new(),
        });
    }

    let top = if wrap {
        None
    } else {
        let first = cleaned[0]
            .0
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let shared = cleaned
            .iter()
            .all(|(path, _)| path.split_once('/').is_some_and(|(head, _)| head == first));
        if !shared {
            return Err(AssembleError::NoCommonDirectory);
        }
        Some(first)
    };

    let mut builder = DirectoryBuilder::new(version);
    let mut kept = BTreeMap::new();
    for (path, file) in cleaned {
        let summary = file.summary(version);
        builder
            .add_file(&path, summary)
            .map_err(|error| AssembleError::BadPath {
                path: path.clone(),
                why: error.to_string(),
            })?;
        let blob = blobs
            .keep(file)
            .map_err(|e| AssembleError::Io(e.to_string()))?;
        kept.insert(
            path,
            FileEntry {
                blob,
                size: summary.byte_len,
                cid: summary.cid.to_string(),
            },
        );
    }
    let tree = builder.finish_tree();

    // Every directory (the tree's root is "") with the files and directories below it.
    let mut directories: Vec<(String, pinion_cid::DirectorySummary)> = tree
        .directories()
        .map(|(path, summary)| (path, *summary))
        .collect();
    directories.push((String::new(), tree.root));
    let mut objects = Vec::new();
    let mut root = None;
    for (dir_path, summary) in directories {
        let prefix = if dir_path.is_empty() {
            String::new()
        } else {
            format!("{dir_path}/")
        };
        let files = kept
            .iter()
            .filter_map(|(path, entry)| {
                path.strip_prefix(&prefix)
                    .map(|rest| (rest.to_owned(), entry.clone()))
            })
            .collect();
        let subdirectories = tree
            .directories()
            .filter_map(|(path, _)| path.strip_prefix(&prefix).map(str::to_owned))
            .collect();
        let object = StoredObject {
            cid: summary.cid.to_string(),
            pin_size: summary.pin_size,
            byte_len: summary.byte_len,
            kind: ObjectKind::Directory {
                files,
                directories: subdirectories,
            },
            public_pins: 0,
            published: None,
        };
        let is_root = match &top {
            Some(top) => dir_path == *top,
            None => dir_path.is_empty(),
        };
        if is_root {
            root = Some(object);
        } else if !dir_path.is_empty() {
            objects.push(object);
        }
    }
    for (path, entry) in &kept {
        let _ = path;
        objects.push(StoredObject {
            cid: entry.cid.clone(),
            pin_size: tree.file(path).map_or(entry.size, |f| f.pin_size),
            byte_len: entry.size,
            kind: ObjectKind::File {
                blob: entry.blob.clone(),
            },
            public_pins: 0,
            published: None,
        });
    }
    let root = root.expect("the root directory is always in the tree");
    objects.retain(|object| object.cid != root.cid);
    Ok(Assembled {
        root,
        parts: objects,
    })
}

/// The MIME type the emulator records for a file name: by its extension, as the
/// shared rule knows it, `application/octet-stream` for an extension it does not know,
/// and none for a name without an extension.
pub(crate) fn mime_for(name: &str) -> Option<&'static str> {
    name.rsplit_once('.').map(|_| mime_or_default(name))
}

/// What a gateway path inside an object points at.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A file: its blob and size.
    File { blob: String, size: u64 },
    /// A directory: the names directly inside it (directories end with `/`).
    Directory { entries: Vec<String> },
}

/// Resolves `path` (relative, `/`-separated, may be empty) inside `object`.
pub(crate) fn resolve(object: &StoredObject, path: &str) -> Option<Resolved> {
    let path = path.trim_matches('/');
    match &object.kind {
        ObjectKind::File { blob } => path.is_empty().then(|| Resolved::File {
            blob: blob.clone(),
            size: object.byte_len,
        }),
        ObjectKind::Directory { files, directories } => {
            if let Some(entry) = files.get(path) {
                return Some(Resolved::File {
                    blob: entry.blob.clone(),
                    size: entry.size,
                });
            }
            let is_dir = path.is_empty() || directories.iter().any(|d| d == path);
            if !is_dir {
                return None;
            }
            let prefix = if path.is_empty() {
                String::new()
            } else {
                format!("{path}/")
            };
            let mut entries: Vec<String> = files
                .keys()
                .filter_map(|p| p.strip_prefix(&prefix))
                .filter(|rest| !rest.contains('/'))
                .map(str::to_owned)
                .chain(
                    directories
                        .iter()
                        .filter_map(|d| d.strip_prefix(&prefix))
                        .filter(|rest| !rest.contains('/'))
                        .map(|rest| format!("{rest}/")),
                )
                .collect();
            entries.sort();
            Some(Resolved::Directory { entries })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    async fn ingest(blobs: &BlobStore, bytes: &'static [u8]) -> IngestedFile {
        blobs.ingest_bytes(Bytes::from_static(bytes)).await.unwrap()
    }

    /// The shared rule has no type for an unknown extension; the emulator records
    /// `application/octet-stream` for it (and nothing for a name without one).
    #[test]
    fn an_unknown_extension_is_octet_stream_and_no_extension_is_none() {
        assert_eq!(mime_for("Photo.JPG"), Some("image/jpeg"));
        assert_eq!(mime_for("blob.bin"), Some("application/octet-stream"));
        assert_eq!(mime_for("README"), None);
    }

    #[tokio::test]
    async fn a_single_file_is_itself() {
        let blobs = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let file = ingest(&blobs, b"hello world\n").await;
        let out = assemble(
            vec![("hello.txt".into(), file)],
            CidVersion::V0,
            false,
            &blobs,
        )
        .unwrap();
        assert_eq!(
            out.root.cid,
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
        );
        assert_eq!(out.root.pin_size, 20);
        assert!(out.parts.is_empty());
        assert_eq!(
            resolve(&out.root, ""),
            Some(Resolved::File {
                blob: out_blob(&out.root),
                size: 12
            })
        );
    }

    fn out_blob(object: &StoredObject) -> String {
        match &object.kind {
            ObjectKind::File { blob } => blob.clone(),
            ObjectKind::Directory { .. } => panic!("not a file"),
        }
    }

    #[tokio::test]
    async fn files_under_one_directory_make_that_directory() {
        let blobs = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let files = vec![
            (
                "site/index.html".to_owned(),
                ingest(&blobs, b"<h1>hi</h1>").await,
            ),
            ("site/css/a.css".to_owned(), ingest(&blobs, b"a{}").await),
        ];
        let out = assemble(files, CidVersion::V1, false, &blobs).unwrap();
        assert!(out.root.is_directory());
        assert_eq!(out.root.file_count(), 2);
        assert_eq!(out.root.byte_len, 14);
        // the same tree hashed directly
        let mut builder = DirectoryBuilder::new(CidVersion::V1);
        builder
            .add_file(
                "index.html",
                pinion_cid::hash_bytes(b"<h1>hi</h1>", CidVersion::V1),
            )
            .unwrap();
        builder
            .add_file("css/a.css", pinion_cid::hash_bytes(b"a{}", CidVersion::V1))
            .unwrap();
        assert_eq!(out.root.cid, builder.finish().cid.to_string());
        assert!(matches!(
            resolve(&out.root, "css/a.css"),
            Some(Resolved::File { size: 3, .. })
        ));
        assert_eq!(
            resolve(&out.root, ""),
            Some(Resolved::Directory {
                entries: vec!["css/".into(), "index.html".into()]
            })
        );
        assert_eq!(resolve(&out.root, "missing"), None);
        // the sub-directory and both files are addressable on their own
        assert_eq!(out.parts.len(), 3);
    }

    #[tokio::test]
    async fn unrelated_files_need_wrapping() {
        let blobs = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let files = vec![
            ("a.txt".to_owned(), ingest(&blobs, b"a").await),
            ("b.txt".to_owned(), ingest(&blobs, b"b").await),
        ];
        assert_eq!(
            assemble(files, CidVersion::V0, false, &blobs).unwrap_err(),
            AssembleError::NoCommonDirectory
        );
        let files = vec![
            ("a.txt".to_owned(), ingest(&blobs, b"a").await),
            ("b.txt".to_owned(), ingest(&blobs, b"b").await),
        ];
        let out = assemble(files, CidVersion::V0, true, &blobs).unwrap();
        assert!(out.root.cid.starts_with("Qm"));
        assert_eq!(out.root.file_count(), 2);
    }

    #[tokio::test]
    async fn dot_dot_is_refused() {
        let blobs = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let files = vec![("d/../x".to_owned(), ingest(&blobs, b"a").await)];
        assert!(matches!(
            assemble(files, CidVersion::V0, false, &blobs),
            Err(AssembleError::BadPath { .. })
        ));
    }
}
