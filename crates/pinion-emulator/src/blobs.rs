//! Uploaded bytes on disk. Uploads are written to a temporary file as they stream in
//! while both CIDs (v0 and v1) are computed in the same pass, so memory stays bounded
//! whatever the size; the file is then renamed to a name derived from its content.
//!
//! Small files (an NFT collection's metadata, say) are held in memory instead, within
//! a budget shared by all uploads in flight: creating and deleting a temporary file
//! each cost more than the rest of their handling, and when the content is already
//! kept nothing touches the disk at all.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use pinion_cid::{CidVersion, FileHasher, FileSummary};
use tokio::io::AsyncWriteExt;

use crate::temp_dirs::TempDir;

/// Files up to this size are held in memory until kept.
const SMALL_BLOB: usize = 64 * 1024;
/// The most bytes all uploads in flight may hold in memory together.
const MEMORY_BUDGET: u64 = 32 * 1024 * 1024;

/// Bytes held against the memory budget, given back when dropped.
#[derive(Debug)]
struct Reservation {
    budget: Arc<AtomicU64>,
    bytes: u64,
}

impl Reservation {
    /// Takes `bytes` more from the budget, or nothing when it would be overdrawn.
    fn grow(&mut self, bytes: u64) -> bool {
        let held = self.budget.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if held > MEMORY_BUDGET {
            self.budget.fetch_sub(bytes, Ordering::Relaxed);
            return false;
        }
        self.bytes += bytes;
        true
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// Where received bytes wait until they are kept.
#[derive(Debug)]
enum Received {
    Memory {
        bytes: Bytes,
        /// Given back to the budget when the bytes are dropped.
        _held: Reservation,
    },
    Disk(tempfile::TempPath),
}

/// A file that has been received and hashed but not yet kept.
#[derive(Debug)]
pub(crate) struct IngestedFile {
    received: Received,
    /// What IPFS reports for these bytes with CIDv0 (`ipfs add`).
    pub(crate) v0: FileSummary,
    /// What IPFS reports for these bytes with CIDv1 (`ipfs add --cid-version 1`).
    pub(crate) v1: FileSummary,
}

impl IngestedFile {
    /// The summary for `version`.
    pub(crate) fn summary(&self, version: CidVersion) -> FileSummary {
        match version {
            CidVersion::V0 => self.v0,
            CidVersion::V1 => self.v1,
        }
    }

    /// The file's length in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.v1.byte_len
    }
}

/// Why an upload could not be received.
#[derive(Debug, thiserror::Error)]
pub(crate) enum IngestError {
    /// The client's body stream failed (connection closed, malformed multipart…).
    #[error("the upload was interrupted: {0}")]
    Body(String),
    /// The emulator could not write the bytes.
    #[error("could not store the upload: {0}")]
    Io(#[from] io::Error),
}

/// The directory uploads are kept in.
#[derive(Debug)]
pub(crate) struct BlobStore {
    dir: PathBuf,
    durable: bool,
    /// Bytes of small uploads held in memory now (at most [`MEMORY_BUDGET`]).
    in_memory: Arc<AtomicU64>,
    /// The directory itself when it is temporary.
    temporary: Option<TempDir>,
}

impl BlobStore {
    /// Blobs in a new temporary directory in `parent`, removed when the emulator stops
    /// (see [`temp_dirs`](crate::temp_dirs)).
    pub(crate) fn temporary_in(parent: &Path) -> io::Result<Self> {
        let temp = TempDir::create_in(parent)?;
        Ok(BlobStore {
            dir: temp.path().to_owned(),
            durable: false,
            in_memory: Arc::default(),
            temporary: Some(temp),
        })
    }

    /// Removes the blobs now when they are temporary (the emulator is stopping).
    pub(crate) fn discard_temporary(&self) {
        if let Some(temp) = &self.temporary {
            temp.remove();
        }
    }

    /// Blobs kept in `dir`, synced to disk before they are recorded.
    pub(crate) fn persistent(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(BlobStore {
            dir: dir.to_owned(),
            durable: true,
            in_memory: Arc::default(),
            temporary: None,
        })
    }

    /// A new temporary file beside the kept blobs (so keeping it is a rename).
    fn temp_file(&self) -> io::Result<tempfile::NamedTempFile> {
        tempfile::Builder::new()
            .prefix(".upload-")
            .tempfile_in(&self.dir)
    }

    /// An empty hold on this store's memory budget.
    fn reservation(&self) -> Reservation {
        Reservation {
            budget: self.in_memory.clone(),
            bytes: 0,
        }
    }

    /// Receives a file from `body`, hashing it as it arrives; it waits in memory while
    /// small and the budget allows, on disk otherwise.
    pub(crate) async fn ingest<S, E>(&self, body: S) -> Result<IngestedFile, IngestError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut v0 = FileHasher::new(CidVersion::V0);
        let mut v1 = FileHasher::new(CidVersion::V1);
        let mut body = std::pin::pin!(body);
        let mut reservation = self.reservation();
        let mut buffer = bytes::BytesMut::new();
        let mut spilled: Option<(tokio::fs::File, tempfile::TempPath)> = None;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|error| IngestError::Body(error.to_string()))?;
            v0.update(&chunk);
            v1.update(&chunk);
            if let Some((file, _)) = &mut spilled {
                file.write_all(&chunk).await?;
            } else if buffer.len() + chunk.len() <= SMALL_BLOB
                && reservation.grow(chunk.len() as u64)
            {
                buffer.extend_from_slice(&chunk);
            } else {
                let (std_file, temp_path) = self.temp_file()?.into_parts();
                let mut file = tokio::fs::File::from_std(std_file);
                file.write_all(&buffer).await?;
                file.write_all(&chunk).await?;
                buffer = bytes::BytesMut::new();
                reservation = self.reservation();
                spilled = Some((file, temp_path));
            }
        }
        let received = match spilled {
            Some((mut file, temp_path)) => {
                file.flush().await?;
                if self.durable {
                    file.sync_all().await?;
                }
                Received::Disk(temp_path)
            }
            None => Received::Memory {
                bytes: buffer.freeze(),
                _held: reservation,
            },
        };
        Ok(IngestedFile {
            received,
            v0: v0.finish(),
            v1: v1.finish(),
        })
    }

    /// Receives a file already in memory (pinned JSON, for example).
    pub(crate) async fn ingest_bytes(&self, bytes: Bytes) -> Result<IngestedFile, IngestError> {
        self.ingest(futures::stream::once(async move {
            Ok::<_, std::convert::Infallible>(bytes)
        }))
        .await
    }

    /// Takes over a file already written under this store's directory (a finished
    /// resumable upload), hashing it with both CID versions as [`ingest`](Self::ingest)
    /// does, reading it in bounded pieces; keeping it is then a rename. Blocking: call
    /// it off the async workers. The file is removed if the result is dropped unkept.
    pub(crate) fn adopt(&self, path: PathBuf) -> Result<IngestedFile, IngestError> {
        use std::io::Read;
        let received = tempfile::TempPath::try_from_path(path)?;
        let mut file = std::fs::File::open(&received)?;
        let mut v0 = FileHasher::new(CidVersion::V0);
        let mut v1 = FileHasher::new(CidVersion::V1);
        let mut buffer = vec![0u8; 1024 * 1024];
        loop {
            let read = match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error.into()),
            };
            v0.update(&buffer[..read]);
            v1.update(&buffer[..read]);
        }
        Ok(IngestedFile {
            received: Received::Disk(received),
            v0: v0.finish(),
            v1: v1.finish(),
        })
    }

    /// The directory blobs are kept in (resumable uploads keep their partial files in
    /// a sub-directory of it, so finishing one is a rename).
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps an ingested file and returns the name to find it by.
    pub(crate) fn keep(&self, file: IngestedFile) -> io::Result<String> {
        let name = file.v1.cid.to_string();
        let target = self.dir.join(&name);
        if target.exists() {
            // Same bytes already kept; a temporary copy is removed on drop.
            return Ok(name);
        }
        match file.received {
            Received::Disk(temp) => temp.persist(&target).map_err(|error| error.error)?,
            Received::Memory { bytes, .. } => {
                // Written aside and renamed, so a crash never leaves a partial blob.
                let mut temp = self.temp_file()?;
                std::io::Write::write_all(&mut temp, &bytes)?;
                if self.durable {
                    temp.as_file().sync_all()?;
                }
                temp.persist(&target).map_err(|error| error.error)?;
            }
        }
        Ok(name)
    }

    /// Where the blob called `name` is.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn ingest_hashes_both_versions_and_keeps_by_content() {
        let store = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let pieces: Vec<Result<Bytes, std::convert::Infallible>> = vec![
            Ok(Bytes::from_static(b"hello ")),
            Ok(Bytes::from_static(b"world\n")),
        ];
        let file = store.ingest(futures::stream::iter(pieces)).await.unwrap();
        assert_eq!(
            file.v0.cid.to_string(),
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
        );
        assert_eq!(
            file.v1.cid.to_string(),
            "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
        );
        assert_eq!(file.len(), 12);
        let name = store.keep(file).unwrap();
        assert_eq!(std::fs::read(store.path(&name)).unwrap(), b"hello world\n");

        let again = store
            .ingest_bytes(Bytes::from_static(b"hello world\n"))
            .await
            .unwrap();
        assert_eq!(store.keep(again).unwrap(), name);
    }

    #[tokio::test]
    async fn large_files_spill_to_disk_and_the_memory_budget_is_given_back() {
        let store = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let big = vec![7u8; SMALL_BLOB + 1];
        let pieces: Vec<Result<Bytes, std::convert::Infallible>> = big
            .chunks(10_000)
            .map(|piece| Ok(Bytes::copy_from_slice(piece)))
            .collect();
        let file = store.ingest(futures::stream::iter(pieces)).await.unwrap();
        assert!(matches!(file.received, Received::Disk(_)));
        assert_eq!(store.in_memory.load(Ordering::Relaxed), 0);
        let name = store.keep(file).unwrap();
        assert_eq!(std::fs::read(store.path(&name)).unwrap(), big);

        let small = store
            .ingest_bytes(Bytes::from_static(b"small"))
            .await
            .unwrap();
        assert!(matches!(small.received, Received::Memory { .. }));
        assert_eq!(store.in_memory.load(Ordering::Relaxed), 5);
        let name = store.keep(small).unwrap();
        assert_eq!(std::fs::read(store.path(&name)).unwrap(), b"small");
        assert_eq!(store.in_memory.load(Ordering::Relaxed), 0, "given back");

        // Over budget, small files go to disk too.
        store.in_memory.store(MEMORY_BUDGET, Ordering::Relaxed);
        let squeezed = store
            .ingest_bytes(Bytes::from_static(b"squeezed"))
            .await
            .unwrap();
        assert!(matches!(squeezed.received, Received::Disk(_)));
        assert_eq!(store.in_memory.load(Ordering::Relaxed), MEMORY_BUDGET);
    }

    #[test]
    fn adopt_hashes_a_file_on_disk_and_keeping_it_is_a_rename() {
        let store = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let part = store.dir().join("adopted.part");
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&part, &bytes).unwrap();
        let file = store.adopt(part.clone()).unwrap();
        assert_eq!(file.v1, pinion_cid::hash_bytes(&bytes, CidVersion::V1));
        assert_eq!(file.v0, pinion_cid::hash_bytes(&bytes, CidVersion::V0));
        let name = store.keep(file).unwrap();
        assert!(!part.exists(), "moved, not copied");
        assert_eq!(std::fs::read(store.path(&name)).unwrap(), bytes);

        // Dropped unkept, the adopted file is removed.
        std::fs::write(&part, b"abandoned").unwrap();
        drop(store.adopt(part.clone()).unwrap());
        assert!(!part.exists());
    }

    #[tokio::test]
    async fn interrupted_body_is_an_error() {
        let store = BlobStore::temporary_in(&std::env::temp_dir()).unwrap();
        let pieces: Vec<Result<Bytes, &str>> = vec![Ok(Bytes::from_static(b"x")), Err("reset")];
        let error = store
            .ingest(futures::stream::iter(pieces))
            .await
            .unwrap_err();
        assert!(
            matches!(error, IngestError::Body(ref why) if why == "reset"),
            "{error}"
        );
    }
}
