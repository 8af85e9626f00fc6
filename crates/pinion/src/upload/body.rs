//! The body stream of one attempt: segments in order, each file read (checked against
//! the walk), hashed on the way and counted, so a file that changes while it is sent
//! fails the upload instead of pinning something else than the local CID says.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::StreamExt;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

use super::multipart::Segment;
use super::prepare::Prepared;
use super::read_ahead::ReadAhead;
use crate::Error;
use crate::cid::{CHUNK_SIZE, CidVersion, Expected, FileHasher, FileSummary, WalkedFile};
use crate::executor::Activity;

/// A file waiting to be sent.
pub(super) enum Source {
    /// From disk, as the walk saw it.
    File(WalkedFile),
    /// A reader, with its declared length when known.
    Reader(Box<dyn AsyncRead + Send + Unpin>, Option<u64>),
}

/// Per file, its summary in each hashed version, once fully sent.
type Summaries = Arc<Mutex<Vec<Option<Vec<(CidVersion, FileSummary)>>>>>;

/// What a body stream reports back.
pub(crate) struct BodyRun {
    /// Per file, its summary in each hashed version, once fully sent.
    summaries: Summaries,
}

impl BodyRun {
    /// The root CIDs computed while sending, once the whole body went out.
    pub(crate) fn expected(&self, prepared: &Prepared) -> Result<Expected, Error> {
        let summaries = self.summaries.lock().unwrap_or_else(|e| e.into_inner());
        let all: Option<Vec<Vec<(CidVersion, FileSummary)>>> = summaries.iter().cloned().collect();
        let all =
            all.ok_or_else(|| Error::invalid_input("verify", "the body was not sent completely"))?;
        prepared.combine(&all)
    }
}

struct CurrentFile {
    index: usize,
    path: Option<PathBuf>,
    reader: ReaderStream<Box<dyn AsyncRead + Send + Unpin>>,
    hashers: Vec<(CidVersion, FileHasher)>,
    expected_len: Option<u64>,
    read: u64,
}

pub(super) struct BodyState {
    pub(super) segments: VecDeque<Segment>,
    pub(super) files: Vec<Option<Source>>,
    current: Option<CurrentFile>,
    versions: Vec<CidVersion>,
    summaries: Summaries,
    activity: Activity,
    pub(super) read_ahead: ReadAhead,
}

impl BodyState {
    pub(super) fn new(
        segments: Vec<Segment>,
        files: Vec<Source>,
        versions: &[CidVersion],
        activity: Activity,
    ) -> (Self, BodyRun) {
        let summaries = Arc::new(Mutex::new(vec![None; files.len()]));
        let state = Self {
            segments: segments.into(),
            files: files.into_iter().map(Some).collect(),
            current: None,
            versions: versions.to_vec(),
            summaries: summaries.clone(),
            activity,
            read_ahead: VecDeque::new(),
        };
        (state, BodyRun { summaries })
    }

    pub(super) async fn next(mut self) -> Option<(std::io::Result<Bytes>, Self)> {
        loop {
            if let Some(current) = &mut self.current {
                match current.reader.next().await {
                    Some(Ok(chunk)) => {
                        current.read += chunk.len() as u64;
                        for (_, hasher) in &mut current.hashers {
                            hasher.update(&chunk);
                        }
                        if current.expected_len.is_some_and(|len| current.read > len) {
                            let path = current.path.clone();
                            return Some((Err(self.changed(path)), self));
                        }
                        return Some((Ok(chunk), self));
                    }
                    Some(Err(error)) => {
                        let error = Error::io(current.path.clone(), error);
                        return Some((Err(self.failed(error)), self));
                    }
                    None => {
                        let current = self.current.take()?;
                        if current.expected_len.is_some_and(|len| current.read != len) {
                            return Some((Err(self.changed(current.path.clone())), self));
                        }
                        let done = current
                            .hashers
                            .into_iter()
                            .map(|(version, hasher)| (version, hasher.finish()))
                            .collect();
                        self.summaries.lock().unwrap_or_else(|e| e.into_inner())[current.index] =
                            Some(done);
                        continue;
                    }
                }
            }
            match self.segments.pop_front()? {
                Segment::Static(bytes) => return Some((Ok(bytes), self)),
                Segment::File(index) => {
                    if let Err(error) = self.open(index).await {
                        return Some((Err(self.failed(error)), self));
                    }
                }
            }
        }
    }

    /// Makes file `index` the current one.
    async fn open(&mut self, index: usize) -> Result<(), Error> {
        let small = self.small_file_at(index).is_some();
        let source = self
            .files
            .get_mut(index)
            .and_then(Option::take)
            .ok_or_else(|| {
                Error::invalid_input("upload source", "a file of the body was sent twice")
            })?;
        let (reader, path, expected_len): (Box<dyn AsyncRead + Send + Unpin>, _, _) = match source {
            Source::Reader(reader, len) => (reader, None, len),
            Source::File(file) if small => {
                let bytes = self.small_file(index, &file).await?;
                (
                    Box::new(std::io::Cursor::new(bytes)),
                    Some(file.path),
                    Some(file.len),
                )
            }
            Source::File(file) => {
                let (path, len) = (file.path.clone(), file.len);
                let opened = tokio::task::spawn_blocking(move || file.open())
                    .await
                    .map_err(|e| Error::invalid_input("upload source", e.to_string()))??;
                let reader = tokio::fs::File::from_std(opened);
                (Box::new(reader), Some(path), Some(len))
            }
        };
        self.current = Some(CurrentFile {
            index,
            path,
            reader: ReaderStream::with_capacity(reader, CHUNK_SIZE),
            hashers: self
                .versions
                .iter()
                .map(|v| (*v, FileHasher::new(*v)))
                .collect(),
            expected_len,
            read: 0,
        });
        Ok(())
    }

    /// Keeps `error` for the caller and ends the body.
    fn failed(&self, error: Error) -> std::io::Error {
        self.activity.fail(error);
        std::io::Error::other("upload source failed")
    }

    fn changed(&self, path: Option<PathBuf>) -> std::io::Error {
        self.failed(Error::invalid_input(
            "upload source",
            format!(
                "{} changed size while it was being uploaded: upload it again once it is no longer written to",
                path.map_or_else(|| "the file".to_owned(), |p| p.display().to_string())
            ),
        ))
    }
}
