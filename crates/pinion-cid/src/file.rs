//! Hashing one file: the streaming [`FileHasher`] and its helpers.

use std::io::{self, Read};

use crate::dag::BalancedDag;
use crate::{CHUNK_SIZE, Cid, CidVersion};

/// What IPFS reports for one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileSummary {
    /// The root CID (`ipfs add` / `ipfs add --cid-version 1`).
    pub cid: Cid,
    /// The pin size: the cumulative size of the file's DAG as IPFS reports it
    /// (`ipfs files stat`'s `CumulativeSize`, a link's `Tsize`, Pinata's
    /// `PinSize`). Every dag-pb node's serialized length plus, for raw
    /// leaves, their data length.
    pub pin_size: u64,
    /// The file's length in bytes.
    pub byte_len: u64,
}

/// Incremental, single-pass computation of a file's CID.
///
/// Feed the content in pieces of any size with [`update`](Self::update) and
/// call [`finish`](Self::finish). Memory use is constant: one chunk buffer
/// (allocated only if a piece ends inside a chunk) plus at most 174 pending
/// links per DAG level. Whole chunks passed to `update` are hashed in place,
/// without being copied.
///
/// # Examples
///
/// ```
/// use pinion_cid::{CidVersion, FileHasher};
///
/// let mut hasher = FileHasher::new(CidVersion::V0);
/// for piece in [&b"hello "[..], b"world", b"\n"] {
///     hasher.update(piece);
/// }
/// let summary = hasher.finish();
/// assert_eq!(summary.cid.to_string(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
/// assert_eq!((summary.pin_size, summary.byte_len), (20, 12));
/// ```
#[derive(Debug)]
pub struct FileHasher {
    dag: BalancedDag,
    /// Bytes of the current, incomplete chunk (`len() < CHUNK_SIZE`).
    pending: Vec<u8>,
    byte_len: u64,
}

impl FileHasher {
    /// A hasher producing a CID of the given version.
    pub fn new(version: CidVersion) -> Self {
        FileHasher {
            dag: BalancedDag::new(version),
            pending: Vec::new(),
            byte_len: 0,
        }
    }

    /// Appends `data` to the file.
    pub fn update(&mut self, mut data: &[u8]) {
        self.byte_len += data.len() as u64;
        if !self.pending.is_empty() {
            let take = (CHUNK_SIZE - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() < CHUNK_SIZE {
                return;
            }
            self.dag.push_leaf(&self.pending);
            self.pending.clear();
        }
        let mut chunks = data.chunks_exact(CHUNK_SIZE);
        for chunk in &mut chunks {
            self.dag.push_leaf(chunk);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            if self.pending.capacity() == 0 {
                self.pending.reserve_exact(CHUNK_SIZE);
            }
            self.pending.extend_from_slice(rest);
        }
    }

    /// Number of bytes fed so far.
    pub fn byte_len(&self) -> u64 {
        self.byte_len
    }

    /// Completes the DAG and returns the file's summary.
    pub fn finish(self) -> FileSummary {
        self.finish_with(&[])
    }

    /// Completes the DAG with `tail` as the last bytes, hashing the tail in
    /// place when nothing is pending.
    fn finish_with(mut self, tail: &[u8]) -> FileSummary {
        if !tail.is_empty() {
            if self.pending.is_empty() && tail.len() <= CHUNK_SIZE {
                self.byte_len += tail.len() as u64;
                self.dag.push_leaf(tail);
            } else {
                self.update(tail);
            }
        }
        // The last, short chunk; an empty file is one empty chunk.
        if !self.pending.is_empty() || self.dag.is_empty() {
            self.dag.push_leaf(&self.pending);
        }
        let (root, pin_size) = self.dag.finish();
        FileSummary {
            cid: root.to_cid(),
            pin_size,
            byte_len: self.byte_len,
        }
    }
}

/// Feeding a `FileHasher` as a writer, e.g. with [`std::io::copy`] or as the
/// sink of a tee while the bytes are uploaded. Writes never fail.
///
/// ```
/// use pinion_cid::{CidVersion, FileHasher};
///
/// let mut hasher = FileHasher::new(CidVersion::V1);
/// std::io::copy(&mut &b"hello world\n"[..], &mut hasher)?;
/// assert_eq!(hasher.finish().pin_size, 12);
/// # Ok::<(), std::io::Error>(())
/// ```
impl io::Write for FileHasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The summary of `data` as one file.
///
/// ```
/// use pinion_cid::{hash_bytes, CidVersion};
///
/// let empty = hash_bytes(b"", CidVersion::V1);
/// assert_eq!(
///     empty.cid.to_string(),
///     "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
/// );
/// assert_eq!((empty.pin_size, empty.byte_len), (0, 0));
/// ```
pub fn hash_bytes(data: &[u8], version: CidVersion) -> FileSummary {
    let mut hasher = FileHasher::new(version);
    hasher.update(data);
    hasher.finish()
}

/// Reads `reader` to its end and returns the summary of its content.
///
/// Reads go straight into one chunk-sized buffer, and each full chunk is
/// hashed from it. Interrupted reads are retried.
///
/// ```
/// use pinion_cid::{hash_reader, CidVersion};
///
/// let summary = hash_reader(&b"hello world\n"[..], CidVersion::V0)?;
/// assert_eq!(summary.cid.to_string(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn hash_reader(reader: impl Read, version: CidVersion) -> io::Result<FileSummary> {
    let mut buf = vec![0u8; CHUNK_SIZE];
    hash_reader_with_buffer(reader, version, &mut buf)
}

/// [`hash_reader`] with a caller-provided buffer of exactly [`CHUNK_SIZE`] bytes.
pub(crate) fn hash_reader_with_buffer(
    mut reader: impl Read,
    version: CidVersion,
    buf: &mut [u8],
) -> io::Result<FileSummary> {
    debug_assert_eq!(buf.len(), CHUNK_SIZE);
    let mut hasher = FileHasher::new(version);
    loop {
        let filled = read_full(&mut reader, buf)?;
        if filled < CHUNK_SIZE {
            return Ok(hasher.finish_with(&buf[..filled]));
        }
        hasher.update(buf);
    }
}

/// Fills `buf` unless the reader ends first; returns the bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Reads an asynchronous `reader` to its end and returns the summary of its
/// content (requires the `tokio` feature).
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// # rt.block_on(async {
/// use pinion_cid::{hash_async_reader, CidVersion};
///
/// let summary = hash_async_reader(&b"hello world\n"[..], CidVersion::V1).await?;
/// assert_eq!(
///     summary.cid.to_string(),
///     "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
/// );
/// # Ok::<(), std::io::Error>(())
/// # }).unwrap();
/// ```
#[cfg(feature = "tokio")]
pub async fn hash_async_reader(
    mut reader: impl tokio::io::AsyncRead + Unpin,
    version: CidVersion,
) -> io::Result<FileSummary> {
    use tokio::io::AsyncReadExt;

    let mut buf = vec![0u8; CHUNK_SIZE];
    let mut hasher = FileHasher::new(version);
    loop {
        let mut filled = 0;
        while filled < CHUNK_SIZE {
            match reader.read(&mut buf[filled..]).await {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if filled < CHUNK_SIZE {
            return Ok(hasher.finish_with(&buf[..filled]));
        }
        hasher.update(&buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_cids() {
        let v0 = hash_bytes(b"", CidVersion::V0);
        assert_eq!(
            v0.cid.to_string(),
            "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
        );
        assert_eq!(v0.pin_size, 6);
        let v1 = hash_bytes(b"hello world\n", CidVersion::V1);
        assert_eq!(v1.pin_size, 12);
        assert_eq!(v1.byte_len, 12);
    }

    #[test]
    fn reader_matches_bytes_across_chunk_boundaries() {
        let data: Vec<u8> = (0..(2 * CHUNK_SIZE + 17))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        for len in [
            0,
            1,
            CHUNK_SIZE - 1,
            CHUNK_SIZE,
            CHUNK_SIZE + 1,
            2 * CHUNK_SIZE,
            data.len(),
        ] {
            for version in [CidVersion::V0, CidVersion::V1] {
                let expected = hash_bytes(&data[..len], version);
                // a reader returning short reads
                struct Trickle<'a>(&'a [u8]);
                impl Read for Trickle<'_> {
                    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                        let n = buf.len().min(self.0.len()).min(100_003);
                        buf[..n].copy_from_slice(&self.0[..n]);
                        self.0 = &self.0[n..];
                        Ok(n)
                    }
                }
                assert_eq!(
                    hash_reader(Trickle(&data[..len]), version).unwrap(),
                    expected
                );
                assert_eq!(hash_reader(&data[..len], version).unwrap(), expected);
            }
        }
    }
}
