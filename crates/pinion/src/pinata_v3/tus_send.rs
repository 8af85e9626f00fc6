//! Sending a TUS upload from an offset to its end: one `PATCH` per chunk, and after
//! every failure (a cut connection, a timeout, 5xx, 409, 429) a `HEAD` to learn where
//! the service stands, then on from there; never resending what the service holds.
//!
//! The engine's [`RetryPolicy`](crate::RetryPolicy) sets the limits: at most
//! `retries()` failures in a row without the service's offset moving on (a failure
//! after which the service holds more than before starts the count again), each
//! followed by its backoff or the service's `Retry-After` (a longer one than the policy
//! waits ends the upload). A `HEAD` that fails is retried under the same policy.
//!
//! Progress reports the bytes the service confirmed (`Upload-Offset` of its answers),
//! not bytes written to the socket; the bytes sent are counted all the same
//! ([`UploadedFile::bytes_sent`](super::UploadedFile::bytes_sent)).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;

use super::Client;
use super::tus::{TusUpload, header_u64, upload_cid};
use super::tus_source::TusSource;
use crate::Error;
use crate::cid::{Cid, CidVersion, FileHasher};
use crate::scopes::Service;
use crate::upload::{Progress, UploadOptions};

/// The hash of the bytes sent so far, fed each byte once whatever resyncs happen.
struct Hashing {
    hasher: Option<FileHasher>,
    /// How far the file has been hashed (or, without a hasher, read).
    upto: u64,
}

/// What one TUS upload call keeps across its chunks: the hash of what was read, and
/// the bytes put on the wire.
pub(super) struct Sending {
    hashing: Arc<Mutex<Hashing>>,
    sent: Arc<AtomicU64>,
}

impl Sending {
    /// Hashing as CID `version` when given.
    pub(super) fn new(version: Option<CidVersion>) -> Self {
        Self {
            hashing: Arc::new(Mutex::new(Hashing {
                hasher: version.map(FileHasher::new),
                upto: 0,
            })),
            sent: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The `PATCH` body bytes sent so far.
    pub(super) fn bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// The hasher, taken out (the upload is over).
    pub(super) fn take_hasher(&self) -> Option<FileHasher> {
        self.hashing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .hasher
            .take()
    }

    fn upto(&self) -> u64 {
        self.hashing.lock().unwrap_or_else(|e| e.into_inner()).upto
    }

    /// Reads (and hashes) the file up to `offset` without sending it: the bytes the
    /// service already holds when an upload is resumed.
    pub(super) async fn hash_prefix(&self, file: &TusSource<'_>, offset: u64) -> Result<(), Error> {
        let from = self.upto();
        if offset <= from {
            return Ok(());
        }
        let hashing = self.hashing.clone();
        let wanted = hashing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .hasher
            .is_some();
        if wanted {
            read_range(file, from, offset - from, |piece| {
                let mut hashing = hashing.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(hasher) = hashing.hasher.as_mut() {
                    hasher.update(piece);
                }
            })
            .await?;
        }
        self.hashing.lock().unwrap_or_else(|e| e.into_inner()).upto = offset;
        Ok(())
    }
}

/// The CID of the whole of `file`, computed locally.
pub(super) async fn local_cid(file: &TusSource<'_>, version: CidVersion) -> Result<Cid, Error> {
    let mut hasher = FileHasher::new(version);
    read_range(file, 0, file.len(), |piece| hasher.update(piece)).await?;
    Ok(hasher.finish().cid)
}

/// Reads `len` bytes of `file` from `from`, each piece given to `take`; the file must
/// give them all and be unchanged after.
async fn read_range(
    file: &TusSource<'_>,
    from: u64,
    len: u64,
    mut take: impl FnMut(&[u8]),
) -> Result<(), Error> {
    let mut pieces = file.chunk(from, len)?;
    let mut read = 0u64;
    while let Some(piece) = pieces.next().await {
        let piece = piece.map_err(|e| Error::io(file.path(), e))?;
        read += piece.len() as u64;
        take(&piece);
    }
    file.check_unchanged()?;
    if read != len {
        return Err(Error::io(
            file.path(),
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("the file gave {read} bytes from offset {from}, not {len}"),
            ),
        ));
    }
    Ok(())
}

/// A failed `PATCH` or `HEAD`, and how long the service asked to wait.
struct Failure {
    error: Error,
    retry_after: Option<Duration>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let retry_after = match &error {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        };
        Self { error, retry_after }
    }
}

impl Client {
    /// Sends every chunk from `from` (an offset the service holds) to the end,
    /// resyncing with `HEAD` after a failure; returns the `Upload-CID` of the last
    /// answer (or of the `HEAD` that found the upload complete).
    pub(super) async fn tus_send(
        &self,
        file: &TusSource<'_>,
        location: &str,
        from: u64,
        sending: &Sending,
        upload: &TusUpload<'_>,
    ) -> Result<String, Error> {
        let policy = self.engine().retry_policy().clone();
        let total = file.len();
        let options = upload.options;
        let mut offset = from;
        // Failures in a row without the service's offset moving on.
        let mut failures = 0u32;
        let mut attempt = 0u32;
        loop {
            file.check_unchanged()?;
            let len = (total - offset).min(upload.chunk);
            let mut failure = match self.tus_chunk(file, location, offset, len, sending).await {
                Ok((new_offset, cid)) => {
                    failures = 0;
                    offset = new_offset;
                    confirmed(options, offset, total, attempt);
                    if offset >= total {
                        return cid.ok_or_else(|| Error::Decode {
                            service: Service::Pinata,
                            status: http::StatusCode::NO_CONTENT,
                            why: "the last TUS chunk's answer has no Upload-CID".to_owned(),
                        });
                    }
                    continue;
                }
                Err(failure) => failure,
            };
            // Resync: ask where the service stands, until it answers.
            loop {
                if !resumable(&failure.error) || failures >= policy.retries() {
                    return Err(failure.error);
                }
                let Some(wait) = policy.wait(failures, failure.retry_after) else {
                    return Err(failure.error);
                };
                failures += 1;
                tracing::info!(
                    offset,
                    failures,
                    "TUS upload interrupted, resyncing: {}",
                    failure.error
                );
                tokio::time::sleep(wait).await;
                match self.tus_head(location).await {
                    Ok(head) => {
                        let read = sending.upto();
                        if head.offset > read.min(total) {
                            return Err(tus_broken(format!(
                                "after a failure the service says it has {} bytes, but only {read} of {total} were sent",
                                head.offset
                            )));
                        }
                        if head.offset > offset {
                            failures = 0;
                        }
                        offset = head.offset;
                        attempt += 1;
                        confirmed(options, offset, total, attempt);
                        if offset == total {
                            return head.cid.ok_or_else(|| {
                                tus_broken(
                                    "the service has every byte but its HEAD answer has no Upload-CID"
                                        .to_owned(),
                                )
                            });
                        }
                        break;
                    }
                    Err(again) => failure = Failure::from(again),
                }
            }
        }
    }

    /// One `PATCH` of `len` bytes from `offset`: the new offset, and `Upload-CID` when
    /// the service sent one.
    async fn tus_chunk(
        &self,
        file: &TusSource<'_>,
        location: &str,
        offset: u64,
        len: u64,
        sending: &Sending,
    ) -> Result<(u64, Option<String>), Failure> {
        let response = self
            .engine()
            .send_built(
                self.http(),
                super::operation("tus_upload_chunk"),
                false,
                |_, activity| {
                    let hashing = sending.hashing.clone();
                    let sent = sending.sent.clone();
                    let stream = file
                        .chunk(offset, len)?
                        .flat_map(|piece| futures::stream::iter(slices(piece)))
                        .scan(offset, move |position, chunk| {
                            // Our own side failed (the file or reader): that error, not
                            // the transport's, is what the upload ends with.
                            if let Err(error) = &chunk {
                                activity.fail(Error::io(
                                    None,
                                    std::io::Error::new(error.kind(), error.to_string()),
                                ));
                            }
                            let chunk = chunk.inspect(|bytes| {
                                let start = *position;
                                *position += bytes.len() as u64;
                                sent.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                                let mut hashing = hashing.lock().unwrap_or_else(|e| e.into_inner());
                                if hashing.upto < *position && hashing.upto >= start {
                                    let from = usize::try_from(hashing.upto - start).unwrap_or(0);
                                    if let Some(hasher) = hashing.hasher.as_mut() {
                                        hasher.update(&bytes[from..]);
                                    }
                                    hashing.upto = *position;
                                }
                                activity.tick();
                            });
                            futures::future::ready(Some(chunk))
                        });
                    let url = url::Url::parse(location)
                        .map_err(|e| Error::invalid_input("TUS location", e.to_string()))?;
                    let mut request = self.request(reqwest::Method::PATCH, url)?;
                    let headers = request.headers_mut();
                    headers.insert("tus-resumable", http::HeaderValue::from_static("1.0.0"));
                    headers.insert("upload-offset", http::HeaderValue::from(offset));
                    headers.insert(
                        http::header::CONTENT_TYPE,
                        http::HeaderValue::from_static("application/offset+octet-stream"),
                    );
                    headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
                    *request.body_mut() = Some(reqwest::Body::wrap_stream(stream));
                    Ok(request)
                },
            )
            .await?;
        // The service's `Retry-After` (on a 503, say) is kept for the resync's wait.
        let retry_after = crate::retry_after(response.headers(), std::time::SystemTime::now());
        let response = self
            .engine()
            .checked(super::operation("tus_upload_chunk"), response)
            .await
            .map_err(|error| {
                let mut failure = Failure::from(error);
                failure.retry_after = failure.retry_after.or(retry_after);
                failure
            })?;
        let new_offset = header_u64(&response, "upload-offset").unwrap_or(offset + len);
        // Each answer must move the upload on, within what was sent: anything else
        // would resend forever or skip bytes.
        if new_offset <= offset || new_offset > offset + len {
            return Err(tus_broken(format!(
                "a chunk of {len} bytes from {offset} was answered with offset {new_offset}"
            ))
            .into());
        }
        Ok((new_offset, upload_cid(&response)))
    }
}

/// The size of the pieces handed to the HTTP client. The client queues up to 16
/// pieces (and about 400 KiB) before the socket, and what it queued when a connection
/// is cut is lost: small pieces keep that waste small (file reads stay larger).
const SEND_SLICE: usize = 16 * 1024;

/// `piece` cut into [`SEND_SLICE`]s (without copying).
fn slices(piece: std::io::Result<Bytes>) -> Vec<std::io::Result<Bytes>> {
    match piece {
        Ok(bytes) => (0..bytes.len())
            .step_by(SEND_SLICE)
            .map(|start| Ok(bytes.slice(start..bytes.len().min(start + SEND_SLICE))))
            .collect(),
        Err(error) => vec![Err(error)],
    }
}

/// Reports `offset` bytes confirmed by the service.
fn confirmed(options: &UploadOptions, offset: u64, total: u64, attempt: u32) {
    options.report(Progress {
        sent: offset,
        total: Some(total),
        attempt,
    });
}

/// A TUS answer that contradicts what was sent.
pub(super) fn tus_broken(why: String) -> Error {
    Error::Decode {
        service: Service::Pinata,
        status: http::StatusCode::OK,
        why: format!("{why}; the upload stops"),
    }
}

/// Whether a `HEAD` and another `PATCH` may get past `error`: a lost connection, a
/// timeout, a server error, a rate limit or an offset conflict; not a refusal of the
/// upload itself.
fn resumable(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } | Error::RateLimited { .. } => true,
        Error::Api { status, .. } => {
            status.is_server_error() || *status == http::StatusCode::CONFLICT
        }
        _ => false,
    }
}
