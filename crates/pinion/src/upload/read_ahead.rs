//! Small files are read whole, several in one trip to the blocking pool, ahead of the
//! body: opening and reading a small file through `tokio::fs` costs three trips, which
//! dominated uploads of many small files.

use std::collections::VecDeque;
use std::io::Read;

use super::body::{BodyState, Source};
use super::multipart::Segment;
use crate::Error;
use crate::cid::WalkedFile;

/// Files up to this size are read ahead.
pub(super) const SMALL_FILE: u64 = 64 * 1024;
/// At most this many bytes of small files are read ahead of the body.
const READ_AHEAD_BYTES: u64 = 1024 * 1024;
/// At most this many small files are read ahead of the body.
pub(super) const READ_AHEAD_FILES: usize = 256;

/// Small files read ahead, in body order: (file index, its bytes).
pub(super) type ReadAhead = VecDeque<(usize, Result<Vec<u8>, Error>)>;

impl BodyState {
    /// File `index` when it is a small file on disk (read whole, ahead).
    pub(super) fn small_file_at(&self, index: usize) -> Option<&WalkedFile> {
        match &self.files[index] {
            Some(Source::File(file)) if file.len <= SMALL_FILE => Some(file),
            _ => None,
        }
    }

    /// The bytes of small file `index`, reading it and the small files after it in one
    /// blocking trip when they are not read yet.
    pub(super) async fn small_file(
        &mut self,
        index: usize,
        file: &WalkedFile,
    ) -> Result<Vec<u8>, Error> {
        if self
            .read_ahead
            .front()
            .is_none_or(|(ahead, _)| *ahead != index)
        {
            self.read_ahead.clear();
            let mut batch = vec![(index, file.clone())];
            let mut bytes = 0;
            for segment in &self.segments {
                let Segment::File(next) = segment else {
                    continue;
                };
                let Some(file) = self.small_file_at(*next) else {
                    break;
                };
                bytes += file.len;
                if batch.len() >= READ_AHEAD_FILES || bytes > READ_AHEAD_BYTES {
                    break;
                }
                batch.push((*next, file.clone()));
            }
            let read = tokio::task::spawn_blocking(move || {
                batch
                    .into_iter()
                    .map(|(index, file)| (index, read_whole(&file)))
                    .collect::<ReadAhead>()
            })
            .await
            .map_err(|e| Error::invalid_input("upload source", e.to_string()))?;
            self.read_ahead = read;
        }
        match self.read_ahead.pop_front() {
            Some((_, bytes)) => bytes,
            None => Err(Error::invalid_input("upload source", "nothing was read")),
        }
    }
}

/// The whole file, opened with the walk's checks.
fn read_whole(file: &WalkedFile) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::with_capacity(usize::try_from(file.len).unwrap_or(0));
    file.open()?
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(Some(file.path.clone()), e))?;
    Ok(bytes)
}
