//! The `multipart/form-data` body of an upload: text fields, then the files, then any
//! in-memory parts; its length is known up front when every file's is.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::{Stream, StreamExt, stream};

use super::Progress;
use super::UploadOptions;
use super::body::{BodyRun, BodyState, Source};
use super::prepare::{Content, Prepared};
use crate::Error;
use crate::cid::CidVersion;
use crate::executor::Activity;

/// A multipart body: text fields first, then the files.
pub(crate) struct Multipart {
    pub(super) boundary: String,
    fields: Vec<(String, String)>,
    file_field: &'static str,
    prepared: Prepared,
    /// Extra file parts held in memory (W3IPFS NFT metadata).
    extra: Vec<(String, String, String, Bytes)>,
    /// Body bytes handed to the HTTP client, over all attempts.
    sent: Arc<AtomicU64>,
}

/// One piece of the body: bytes known up front, or file `index` of the upload.
pub(super) enum Segment {
    Static(Bytes),
    File(usize),
}

impl Multipart {
    pub(crate) fn new(prepared: Prepared, file_field: &'static str) -> Self {
        let boundary = format!("pinion-{:032x}", rand::random::<u128>());
        Self {
            boundary,
            fields: Vec::new(),
            file_field,
            prepared,
            extra: Vec::new(),
            sent: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The body bytes sent so far, over all attempts (resends included).
    pub(crate) fn bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Adds a text field (sent before the files).
    pub(crate) fn field(&mut self, name: &str, value: impl Into<String>) {
        self.fields.push((name.to_owned(), value.into()));
    }

    /// Adds an in-memory file part after the uploaded files.
    pub(crate) fn extra_file(
        &mut self,
        field: &str,
        filename: &str,
        content_type: &str,
        bytes: Bytes,
    ) {
        self.extra.push((
            field.to_owned(),
            filename.to_owned(),
            content_type.to_owned(),
            bytes,
        ));
    }

    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    pub(super) fn segments(&self) -> Vec<Segment> {
        let b = &self.boundary;
        let mut segments = Vec::new();
        for (name, value) in &self.fields {
            segments.push(Segment::Static(Bytes::from(format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ))));
        }
        for (i, file) in self.prepared.files.iter().enumerate() {
            segments.push(Segment::Static(Bytes::from(format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                self.file_field, file.part_name
            ))));
            segments.push(Segment::File(i));
            segments.push(Segment::Static(Bytes::from_static(b"\r\n")));
        }
        for (field, filename, content_type, bytes) in &self.extra {
            segments.push(Segment::Static(Bytes::from(format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            ))));
            segments.push(Segment::Static(bytes.clone()));
            segments.push(Segment::Static(Bytes::from_static(b"\r\n")));
        }
        segments.push(Segment::Static(Bytes::from(format!("--{b}--\r\n"))));
        segments
    }

    /// The body's length, when every file's length is known.
    pub(crate) fn len(&self) -> Option<u64> {
        let statics: u64 = self
            .segments()
            .iter()
            .map(|s| match s {
                Segment::Static(bytes) => bytes.len() as u64,
                Segment::File(_) => 0,
            })
            .sum();
        Some(statics + self.prepared.content_len()?)
    }

    /// A stream of the body for one attempt, hashing files in `versions`, ticking
    /// `activity` and reporting progress.
    pub(crate) fn body(
        &self,
        versions: &[CidVersion],
        activity: Activity,
        options: &UploadOptions,
        attempt: u32,
    ) -> Result<
        (
            impl Stream<Item = std::io::Result<Bytes>> + Send + 'static,
            BodyRun,
        ),
        Error,
    > {
        let total = self.len();
        let files = self
            .prepared
            .files
            .iter()
            .map(|file| match &file.content {
                Content::File(walked) => Ok(Source::File(walked.clone())),
                Content::Reader(slot) => {
                    let reader = slot
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take()
                        .ok_or_else(|| {
                            Error::invalid_input(
                                "upload source",
                                "a reader can be sent only once and was already used",
                            )
                        })?;
                    Ok(Source::Reader(reader, file.len))
                }
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let (state, run) = BodyState::new(self.segments(), files, versions, activity.clone());
        let progress = options.progress.clone();
        let mut sent = 0u64;
        let all_attempts = self.sent.clone();
        let stream = stream::unfold(state, BodyState::next).map(move |chunk| {
            if let Ok(bytes) = &chunk {
                sent += bytes.len() as u64;
                all_attempts.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                activity.tick();
                if let Some(sink) = &progress {
                    sink.report(Progress {
                        sent,
                        total,
                        attempt,
                    });
                }
            }
            chunk
        });
        Ok((stream, run))
    }
}
