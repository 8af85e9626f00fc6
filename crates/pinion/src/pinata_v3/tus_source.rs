//! What a TUS upload reads its chunks from: a file, which can give any chunk again
//! after a failure, or a reader of declared length, read once and in order (a failure
//! can be got past only when the service has every byte read so far).

use std::io::SeekFrom;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, stream};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, ReadBuf};

use super::resume::FileIdentity;
use crate::Error;
use crate::cid::WalkedFile;

/// Bytes read per piece of a chunk's body.
const PIECE: usize = 256 * 1024;

type Reader = Box<dyn AsyncRead + Send + Unpin>;

/// A reader shared by the chunks of one upload, counting what it gave.
#[derive(Clone)]
pub(super) struct SharedReader(Arc<Mutex<(Reader, u64)>>);

impl AsyncRead for SharedReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let before = buf.filled().len();
        let result = Pin::new(&mut guard.0).poll_read(cx, buf);
        guard.1 += (buf.filled().len() - before) as u64;
        result
    }
}

/// Where the chunks come from.
pub(super) enum TusSource<'a> {
    /// A file from disk (checked to be the one prepared, at each open), and what it
    /// was when the upload began (checked before each chunk and at the end).
    File {
        /// The file, opened safely.
        walked: &'a WalkedFile,
        /// Its length, modification time and identity when the upload began.
        identity: FileIdentity,
    },
    /// A reader of this declared length.
    Reader(SharedReader, u64),
}

impl TusSource<'_> {
    /// A reader's source.
    pub(super) fn reader(reader: Reader, len: u64) -> TusSource<'static> {
        TusSource::Reader(SharedReader(Arc::new(Mutex::new((reader, 0)))), len)
    }

    /// The file `walked`, checked against `identity` (what it was when the upload
    /// began): a file that changed since is [`Error::FileChanged`].
    pub(super) fn file(
        walked: &WalkedFile,
        identity: FileIdentity,
    ) -> Result<TusSource<'_>, Error> {
        let source = TusSource::File { walked, identity };
        source.check_unchanged()?;
        if let TusSource::File { walked, identity } = &source {
            walked.check_len(identity.len)?;
        }
        Ok(source)
    }

    /// [`Error::FileChanged`] when the file is no longer what it was when the upload
    /// began (another file, another length or modification time); readers cannot be
    /// checked.
    pub(super) fn check_unchanged(&self) -> Result<(), Error> {
        match self {
            Self::File { identity, .. } => identity.check(),
            Self::Reader(..) => Ok(()),
        }
    }

    /// The file's path (none for a reader).
    pub(super) fn path(&self) -> Option<std::path::PathBuf> {
        match self {
            Self::File { walked, .. } => Some(walked.path.clone()),
            Self::Reader(..) => None,
        }
    }

    /// The upload's length.
    pub(super) fn len(&self) -> u64 {
        match self {
            Self::File { walked, .. } => walked.len,
            Self::Reader(_, len) => *len,
        }
    }

    /// Checks that the source gave its length, no more, no less.
    pub(super) fn check_len(&self, read: u64) -> Result<(), Error> {
        match self {
            Self::File { walked, .. } => Ok(walked.check_len(read)?),
            Self::Reader(_, len) if read == *len => Ok(()),
            Self::Reader(_, len) => Err(Error::invalid_input(
                "upload source",
                format!("the reader gave {read} bytes, not the {len} it was declared with"),
            )),
        }
    }

    /// The `len` bytes from `offset`, as a body stream.
    pub(super) fn chunk(
        &self,
        offset: u64,
        len: u64,
    ) -> Result<BoxStream<'static, std::io::Result<Bytes>>, Error> {
        match self {
            Self::File { walked, .. } => {
                let opened = walked.open()?;
                Ok(stream::once(async move {
                    let mut reader = tokio::fs::File::from_std(opened);
                    reader.seek(SeekFrom::Start(offset)).await?;
                    Ok::<_, std::io::Error>(tokio_util::io::ReaderStream::with_capacity(
                        reader.take(len),
                        PIECE,
                    ))
                })
                .map(|opened| match opened {
                    Ok(stream) => stream.left_stream(),
                    Err(error) => stream::iter([Err(error)]).right_stream(),
                })
                .flatten()
                .boxed())
            }
            Self::Reader(shared, declared) => {
                let read = shared.0.lock().unwrap_or_else(|e| e.into_inner()).1;
                if read != offset {
                    return Err(Error::invalid_input(
                        "upload source",
                        format!(
                            "the service has {offset} bytes but {read} were read from the reader, which cannot be read again: upload from a file to survive such failures"
                        ),
                    ));
                }
                let declared = *declared;
                let end = offset + len;
                let pieces =
                    tokio_util::io::ReaderStream::with_capacity(shared.clone().take(len), PIECE);
                // A reader that ends before its declared length fails the chunk.
                let short = stream::once({
                    let shared = shared.clone();
                    async move {
                        let read = shared.0.lock().unwrap_or_else(|e| e.into_inner()).1;
                        if read < end {
                            Err(std::io::Error::new(
                                std::io::ErrorKind::UnexpectedEof,
                                format!("the reader ended after {read} bytes, short of the {declared} it was declared with"),
                            ))
                        } else {
                            Ok(Bytes::new())
                        }
                    }
                })
                .filter(|piece| std::future::ready(!matches!(piece, Ok(bytes) if bytes.is_empty())));
                Ok(pieces.chain(short).boxed())
            }
        }
    }
}
