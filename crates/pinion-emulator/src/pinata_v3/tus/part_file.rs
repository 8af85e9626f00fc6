//! The bytes of an unfinished TUS upload: one partial file per upload under the blob
//! store's directory (`<blobs>/tus/<id>.part`, so finishing it is a rename). A chunk is
//! streamed to it piece by piece (memory stays bounded whatever the chunk's size) and
//! synced before its new offset is recorded, so a recorded offset never claims bytes a
//! crash could lose; bytes past the recorded offset (a write cut short by a crash) are
//! cut off before the next write.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

/// What appending a chunk did.
#[derive(Debug)]
pub(crate) enum Appended {
    /// The whole body was written and synced.
    Complete {
        /// Bytes written.
        written: u64,
    },
    /// The body would pass the upload's length: nothing of it is kept.
    Overflow,
    /// The body stream failed (the client went away) after `written` bytes, which
    /// were synced and count.
    Interrupted {
        /// Bytes written (and synced) before the failure.
        written: u64,
        /// Why the body failed.
        error: String,
    },
}

/// The directory partial files live in.
#[derive(Clone, Debug)]
pub(crate) struct PartFiles {
    dir: PathBuf,
}

impl PartFiles {
    /// Partial files under `blob_dir/tus`.
    pub(crate) fn under(blob_dir: &Path) -> Self {
        PartFiles {
            dir: blob_dir.join("tus"),
        }
    }

    /// The partial file of upload `id` (an id the emulator generated, never a path
    /// segment taken from a request).
    pub(crate) fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.part"))
    }

    /// Creates the empty partial file of a new upload.
    pub(crate) async fn create(&self, id: &str) -> io::Result<()> {
        tokio::fs::create_dir_all(&self.dir).await?;
        let file = tokio::fs::File::create(self.path(id)).await?;
        file.sync_all().await
    }

    /// How many bytes of upload `id` are really there: the recorded offset, or fewer
    /// if the file lost some (it is then recreated or cut to match), never more (bytes
    /// written after the last recorded offset are cut off).
    pub(crate) async fn recover(&self, id: &str, recorded: u64) -> io::Result<u64> {
        tokio::fs::create_dir_all(&self.dir).await?;
        let path = self.path(id);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .await?;
        let length = file.metadata().await?.len();
        let offset = recorded.min(length);
        if length != offset {
            file.set_len(offset).await?;
            file.sync_all().await?;
        }
        Ok(offset)
    }

    /// Appends `body` to upload `id` at `offset` (its recovered offset), accepting at
    /// most `room` bytes, and syncs what was written.
    pub(crate) async fn append<S, E>(
        &self,
        id: &str,
        offset: u64,
        room: u64,
        body: S,
    ) -> io::Result<Appended>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(self.path(id))
            .await?;
        file.seek(SeekFrom::Start(offset)).await?;
        let mut body = std::pin::pin!(body);
        let mut written = 0u64;
        while let Some(piece) = body.next().await {
            let piece = match piece {
                Ok(piece) => piece,
                Err(error) => {
                    file.flush().await?;
                    file.sync_data().await?;
                    return Ok(Appended::Interrupted {
                        written,
                        error: error.to_string(),
                    });
                }
            };
            if written + piece.len() as u64 > room {
                file.flush().await?;
                file.set_len(offset).await?;
                file.sync_data().await?;
                return Ok(Appended::Overflow);
            }
            file.write_all(&piece).await?;
            written += piece.len() as u64;
        }
        file.flush().await?;
        file.sync_data().await?;
        Ok(Appended::Complete { written })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(list: &[&'static [u8]]) -> impl Stream<Item = Result<Bytes, String>> {
        futures::stream::iter(
            list.iter()
                .map(|piece| Ok(Bytes::from_static(piece)))
                .collect::<Vec<_>>(),
        )
    }

    #[tokio::test]
    async fn chunks_append_at_the_offset_and_never_past_the_room() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::under(dir.path());
        parts.create("u").await.unwrap();
        let appended = parts
            .append("u", 0, 10, pieces(&[b"hello", b" "]))
            .await
            .unwrap();
        assert!(matches!(appended, Appended::Complete { written: 6 }));
        let appended = parts.append("u", 6, 4, pieces(&[b"world"])).await.unwrap();
        assert!(matches!(appended, Appended::Overflow));
        assert_eq!(std::fs::read(parts.path("u")).unwrap(), b"hello ");
        let appended = parts.append("u", 6, 4, pieces(&[b"wor"])).await.unwrap();
        assert!(matches!(appended, Appended::Complete { written: 3 }));
        assert_eq!(std::fs::read(parts.path("u")).unwrap(), b"hello wor");
    }

    #[tokio::test]
    async fn an_interrupted_body_keeps_what_arrived() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::under(dir.path());
        parts.create("u").await.unwrap();
        let body = futures::stream::iter(vec![
            Ok(Bytes::from_static(b"abc")),
            Err("connection reset".to_owned()),
        ]);
        let appended = parts.append("u", 0, 100, body).await.unwrap();
        assert!(
            matches!(appended, Appended::Interrupted { written: 3, ref error } if error == "connection reset")
        );
        assert_eq!(std::fs::read(parts.path("u")).unwrap(), b"abc");
    }

    #[tokio::test]
    async fn recovery_trusts_the_smaller_of_the_record_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::under(dir.path());
        parts.create("u").await.unwrap();
        std::fs::write(parts.path("u"), b"0123456789").unwrap();
        // Bytes past the recorded offset were never acknowledged: cut off.
        assert_eq!(parts.recover("u", 4).await.unwrap(), 4);
        assert_eq!(std::fs::read(parts.path("u")).unwrap(), b"0123");
        // A record ahead of the file (bytes lost) falls back to the file.
        assert_eq!(parts.recover("u", 9).await.unwrap(), 4);
        // A lost file starts over, empty.
        std::fs::remove_file(parts.path("u")).unwrap();
        assert_eq!(parts.recover("u", 4).await.unwrap(), 0);
        assert!(parts.path("u").exists());
    }
}
