//! Files above Pinata's multipart limit go over TUS 1.0.0 (`POST {uploads}/files`
//! creates the upload, `PATCH <Location>` sends it in chunks of at most 50 MiB, `HEAD`
//! finds where the service stands after a failure, the last `204` carries
//! `Upload-CID`). The file (or reader of declared length, see `tus_source`) is streamed
//! with constant memory and hashed as it goes, each byte once, so the local CID is
//! ready when the last chunk is.
//!
//! Resuming across processes is not offered yet: an upload that cannot go on (its
//! resyncs used up) fails, and starting again starts from zero.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use futures::StreamExt;
use serde_json::{Map, Value};

use super::tus_source::TusSource;
use super::{Client, Network, UploadedFile};
use crate::Error;
use crate::cid::{CidVersion, Expected, FileHasher};
use crate::scopes::Service;
use crate::upload::{self, Progress, UploadOptions, Uploaded};

/// The largest `PATCH` body: Pinata asks for chunks below 50 MB; 50 MiB is what its
/// tools send (the docs' example).
pub const TUS_CHUNK: u64 = 50 * 1024 * 1024;

/// How many times in a row a chunk may fail before the upload gives up.
const MAX_FAILURES: u32 = 5;

/// What the upload needs besides the file.
pub(super) struct TusUpload<'a> {
    pub(super) network: Network,
    pub(super) name: String,
    pub(super) group_id: Option<String>,
    pub(super) keyvalues: Map<String, Value>,
    pub(super) version: CidVersion,
    pub(super) options: &'a UploadOptions,
}

/// The hash of the bytes sent so far, fed each byte once whatever resyncs happen.
struct Hashing {
    hasher: Option<FileHasher>,
    /// How far the file has been hashed.
    upto: u64,
}

fn metadata(upload: &TusUpload<'_>) -> String {
    let mut pairs = vec![
        ("filename", upload.name.clone()),
        ("filetype", "application/octet-stream".to_owned()),
        ("network", upload.network.to_string()),
        (
            "cid_version",
            pinion_rules::cid_version::field(upload.version).to_owned(),
        ),
    ];
    if let Some(group) = &upload.group_id {
        pairs.push(("group_id", group.clone()));
    }
    if !upload.keyvalues.is_empty() {
        pairs.push((
            "keyvalues",
            Value::Object(upload.keyvalues.clone()).to_string(),
        ));
    }
    pairs
        .into_iter()
        .map(|(key, value)| format!("{key} {}", STANDARD.encode(value)))
        .collect::<Vec<_>>()
        .join(",")
}

fn header_u64(response: &reqwest::Response, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok())
}

impl Client {
    /// Sends `file` over TUS and returns the file it became, its CID checked.
    pub(super) async fn upload_tus(
        &self,
        file: &TusSource<'_>,
        upload: TusUpload<'_>,
    ) -> Result<UploadedFile, Error> {
        let location = self.tus_create(file.len(), &upload).await?;
        let verify = upload.options.verify;
        let hashing = Arc::new(Mutex::new(Hashing {
            hasher: verify.then(|| FileHasher::new(upload.version)),
            upto: 0,
        }));
        let cid = self
            .tus_send(file, &location, &hashing, upload.options)
            .await?;
        let expected = {
            let mut hashing = hashing.lock().unwrap_or_else(|e| e.into_inner());
            match hashing.hasher.take() {
                Some(hasher) => {
                    file.check_len(hasher.byte_len())?;
                    let local = hasher.finish().cid;
                    Some(match upload.version {
                        CidVersion::V0 => Expected {
                            v0: Some(local),
                            v1: None,
                        },
                        CidVersion::V1 => Expected {
                            v0: None,
                            v1: Some(local),
                        },
                    })
                }
                None => None,
            }
        };
        let record = self.file_by_cid(upload.network, &cid).await?;
        let record = match record {
            Some(record) => record,
            None => {
                // The location names the file: `…/files/{file_id}/{token}`.
                let id = location.rsplit('/').nth(1).unwrap_or_default();
                self.file(upload.network, id).await?
            }
        };
        let pinned = Uploaded::pinned(
            cid.clone(),
            record.size.and_then(|size| u64::try_from(size).ok()),
            Some(record.id.clone()),
            None,
        );
        let checked = upload::check(Service::Pinata, upload.options, expected, pinned)?;
        Ok(UploadedFile {
            id: record.id,
            cid,
            name: record.name,
            size: checked.size,
            network: upload.network,
            group_id: record.group_id,
            mime_type: record.mime_type,
            keyvalues: record.keyvalues.map(Into::into).unwrap_or_default(),
            duplicate: None,
            verified: checked.verified,
            resumed_from: 0,
        })
    }

    /// `POST {uploads}/files` with `Upload-Length`: the upload's location.
    async fn tus_create(&self, len: u64, upload: &TusUpload<'_>) -> Result<String, Error> {
        let url = url::Url::parse(&format!("{}/files", self.inner.uploads_url))
            .map_err(|e| Error::invalid_input("uploads URL", e.to_string()))?;
        let mut request = self.request(reqwest::Method::POST, url)?;
        let headers = request.headers_mut();
        headers.insert("tus-resumable", http::HeaderValue::from_static("1.0.0"));
        headers.insert("upload-length", http::HeaderValue::from(len));
        headers.insert(
            "upload-metadata",
            http::HeaderValue::from_str(&metadata(upload))
                .map_err(|e| Error::invalid_input("upload metadata", e.to_string()))?,
        );
        let response = self
            .engine()
            .send_checked(self.http(), super::operation("upload_file"), request)
            .await?;
        let location = response
            .headers()
            .get(http::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| Error::Decode {
                service: Service::Pinata,
                status: response.status(),
                why: "the TUS creation answer has no Location".to_owned(),
            })?;
        // A relative location is resolved against the uploads host; another origin is
        // refused (the JWT would go there).
        let base = url::Url::parse(&self.inner.uploads_url)
            .map_err(|e| Error::invalid_input("uploads URL", e.to_string()))?;
        let resolved = base.join(location).map_err(|_| Error::Decode {
            service: Service::Pinata,
            status: response.status(),
            why: "the TUS Location is not a URL".to_owned(),
        })?;
        if resolved.origin() != base.origin() {
            return Err(Error::CrossOriginRedirect {
                service: Service::Pinata,
                from: base.origin().ascii_serialization(),
                to: resolved.origin().ascii_serialization(),
            });
        }
        Ok(resolved.to_string())
    }

    /// `HEAD <location>`: the offset the service has.
    async fn tus_offset(&self, location: &str) -> Result<u64, Error> {
        let url = url::Url::parse(location)
            .map_err(|e| Error::invalid_input("TUS location", e.to_string()))?;
        let mut request = self.request(reqwest::Method::HEAD, url)?;
        request
            .headers_mut()
            .insert("tus-resumable", http::HeaderValue::from_static("1.0.0"));
        let response = self
            .engine()
            .send_checked(self.http(), super::operation("tus_upload_offset"), request)
            .await?;
        header_u64(&response, "upload-offset").ok_or_else(|| Error::Decode {
            service: Service::Pinata,
            status: response.status(),
            why: "the TUS HEAD answer has no Upload-Offset".to_owned(),
        })
    }

    /// Sends every chunk from the service's offset on, resyncing with `HEAD` after a
    /// failure; returns the `Upload-CID` of the last answer.
    async fn tus_send(
        &self,
        file: &TusSource<'_>,
        location: &str,
        hashing: &Arc<Mutex<Hashing>>,
        options: &UploadOptions,
    ) -> Result<String, Error> {
        let mut offset = 0u64;
        let mut failures = 0u32;
        let mut attempt = 0u32;
        loop {
            let len = (file.len() - offset).min(TUS_CHUNK);
            match self
                .tus_chunk(file, location, offset, len, hashing, options, attempt)
                .await
            {
                Ok((new_offset, cid)) => {
                    failures = 0;
                    offset = new_offset;
                    if offset >= file.len() {
                        return cid.ok_or_else(|| Error::Decode {
                            service: Service::Pinata,
                            status: http::StatusCode::NO_CONTENT,
                            why: "the last TUS chunk's answer has no Upload-CID".to_owned(),
                        });
                    }
                }
                Err(error) => {
                    let mut error = error;
                    // Resync: ask where the service stands, until it answers.
                    loop {
                        failures += 1;
                        if failures >= MAX_FAILURES || !resumable(&error) {
                            return Err(error);
                        }
                        tracing::info!(
                            offset,
                            failures,
                            "TUS upload interrupted, resyncing: {error}"
                        );
                        tokio::time::sleep(self.engine().retry_policy().backoff_ceiling(failures))
                            .await;
                        match self.tus_offset(location).await {
                            Ok(found) => {
                                let sent = hashing.lock().unwrap_or_else(|e| e.into_inner()).upto;
                                if found > sent.min(file.len()) {
                                    return Err(tus_broken(format!(
                                        "after a failure the service says it has {found} bytes, but only {sent} of {} were sent",
                                        file.len()
                                    )));
                                }
                                offset = found;
                                break;
                            }
                            Err(again) => error = again,
                        }
                    }
                    attempt += 1;
                }
            }
        }
    }

    /// One `PATCH` of `len` bytes from `offset`: the new offset, and `Upload-CID` when
    /// the service sent one.
    #[allow(clippy::too_many_arguments)]
    async fn tus_chunk(
        &self,
        file: &TusSource<'_>,
        location: &str,
        offset: u64,
        len: u64,
        hashing: &Arc<Mutex<Hashing>>,
        options: &UploadOptions,
        attempt: u32,
    ) -> Result<(u64, Option<String>), Error> {
        let total = file.len();
        let response = self
            .engine()
            .send_built(
                self.http(),
                super::operation("tus_upload_chunk"),
                false,
                |_, activity| {
                    let hashing = hashing.clone();
                    let options = options.clone();
                    let stream = file
                        .chunk(offset, len)?
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
                                let mut hashing = hashing.lock().unwrap_or_else(|e| e.into_inner());
                                if hashing.upto < *position && hashing.upto >= start {
                                    let from = usize::try_from(hashing.upto - start).unwrap_or(0);
                                    if let Some(hasher) = hashing.hasher.as_mut() {
                                        hasher.update(&bytes[from..]);
                                    }
                                    hashing.upto = *position;
                                }
                                activity.tick();
                                options.report(Progress {
                                    sent: *position,
                                    total: Some(total),
                                    attempt,
                                });
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
        let response = self
            .engine()
            .checked(super::operation("tus_upload_chunk"), response)
            .await?;
        let new_offset = header_u64(&response, "upload-offset").unwrap_or(offset + len);
        // Each answer must move the upload on, within what was sent: anything else
        // would resend forever or skip bytes.
        if new_offset <= offset || new_offset > offset + len {
            return Err(tus_broken(format!(
                "a chunk of {len} bytes from {offset} was answered with offset {new_offset}"
            )));
        }
        let cid = response
            .headers()
            .get("upload-cid")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Ok((new_offset, cid))
    }
}

/// A TUS answer that contradicts what was sent.
fn tus_broken(why: String) -> Error {
    Error::Decode {
        service: Service::Pinata,
        status: http::StatusCode::OK,
        why: format!("{why}; the upload stops"),
    }
}

/// Whether a `HEAD` and another `PATCH` may get past `error`: a lost connection, a
/// timeout, a server error or an offset conflict; not a refusal of the upload itself.
fn resumable(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } | Error::RateLimited { .. } => true,
        Error::Api { status, .. } => {
            status.is_server_error() || *status == http::StatusCode::CONFLICT
        }
        _ => false,
    }
}
