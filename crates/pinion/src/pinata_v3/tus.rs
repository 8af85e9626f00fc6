//! Files above Pinata's multipart limit, and any single file when the upload is
//! [`resumable`](crate::upload::UploadOptions::resumable), go over TUS 1.0.0
//! (`POST {uploads}/files` creates the upload, `PATCH <Location>` sends it in chunks of
//! at most 50 MiB, `HEAD` finds where the service stands after a failure, the last
//! `204` carries `Upload-CID`). The file (or reader of declared length, see
//! `tus_source`) is streamed with constant memory and hashed as it goes, each byte
//! once, so the local CID is ready when the last chunk is; the sending loop and its
//! resyncs live in `tus_send`.
//!
//! An upload survives cut connections within the process (each failure is followed by
//! a `HEAD`, and sending goes on from the service's offset), and across processes: the
//! [`ResumeHandle`](super::ResumeHandle) given to
//! [`on_resume_handle`](crate::upload::UploadOptions::on_resume_handle) lets another
//! process continue it with [`Client::resume_upload`] (see `resume`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::resume::HandleDraft;
use super::tus_send::Sending;
use super::tus_source::TusSource;
use super::{Client, Network, UploadedFile};
use crate::Error;
use crate::cid::{Cid, CidVersion, Expected};
use crate::scopes::Service;
use crate::upload::{self, UploadOptions, Uploaded};

/// The largest `PATCH` body: Pinata asks for chunks below 50 MB; 50 MiB is what its
/// tools send (the docs' example).
pub const TUS_CHUNK: u64 = 50 * 1024 * 1024;

/// What the upload needs besides the file.
pub(super) struct TusUpload<'a> {
    pub(super) network: Network,
    pub(super) name: String,
    pub(super) group_id: Option<String>,
    pub(super) keyvalues: Map<String, Value>,
    pub(super) version: CidVersion,
    /// The size of each `PATCH`.
    pub(super) chunk: u64,
    pub(super) options: &'a UploadOptions,
    /// What the upload's resume handle says besides its URL (files from disk only).
    pub(super) draft: Option<HandleDraft>,
}

/// What `HEAD <location>` says about an upload.
pub(super) struct Head {
    /// The bytes the service has.
    pub(super) offset: u64,
    /// The upload's length, when the service says.
    pub(super) length: Option<u64>,
    /// The CID of a completed upload.
    pub(super) cid: Option<String>,
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

pub(super) fn header_u64(response: &reqwest::Response, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok())
}

/// The file id a TUS location names: `…/files/{file_id}/{token}`.
fn file_id(location: &str) -> &str {
    location
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/')
        .rsplit('/')
        .nth(1)
        .unwrap_or_default()
}

/// The `Expected` CIDs of a local CID of `version`.
fn expected(version: CidVersion, local: Cid) -> Expected {
    match version {
        CidVersion::V0 => Expected {
            v0: Some(local),
            v1: None,
        },
        CidVersion::V1 => Expected {
            v0: None,
            v1: Some(local),
        },
    }
}

impl Client {
    /// Sends `file` over TUS and returns the file it became, its CID checked.
    pub(super) async fn upload_tus(
        &self,
        file: &TusSource<'_>,
        upload: TusUpload<'_>,
    ) -> Result<UploadedFile, Error> {
        let location = self.tus_start(file, &upload).await?;
        let sending = Sending::new(upload.options.verify.then_some(upload.version));
        let cid = self.tus_send(file, &location, 0, &sending, &upload).await?;
        self.tus_finish(file, &upload, &location, cid, &sending, None, 0)
            .await
    }

    /// Creates the upload and hands its resume handle to the caller before any byte
    /// is sent: the upload's location.
    pub(super) async fn tus_start(
        &self,
        file: &TusSource<'_>,
        upload: &TusUpload<'_>,
    ) -> Result<String, Error> {
        // Nothing is created for a file that changed since it was looked at.
        file.check_unchanged()?;
        let location = self.tus_create(file.len(), upload).await?;
        if let (Some(callback), Some(draft)) = (&upload.options.resume_handle, &upload.draft) {
            callback(&draft.with_url(&location)).map_err(|error| {
                Error::invalid_input(
                    "resume handle",
                    format!(
                        "the on_resume_handle callback could not keep it ({error}), so the upload stopped before its first byte (the empty upload left on the service expires)"
                    ),
                )
            })?;
        }
        Ok(location)
    }

    /// What an upload that reached its end became: the file unchanged and its length
    /// read in full, the CID checked against the local one (computed while sending,
    /// or `local` when known beforehand), and the file's record.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn tus_finish(
        &self,
        file: &TusSource<'_>,
        upload: &TusUpload<'_>,
        location: &str,
        cid: String,
        sending: &Sending,
        local: Option<Cid>,
        resumed_from: u64,
    ) -> Result<UploadedFile, Error> {
        if let Err(changed) = file.check_unchanged() {
            return Err(self.withdraw(upload.network, location, changed).await);
        }
        let local = match local {
            Some(local) => Some(local),
            None => match sending.take_hasher() {
                Some(hasher) => {
                    file.check_len(hasher.byte_len())?;
                    Some(hasher.finish().cid)
                }
                None => None,
            },
        };
        let expected = local
            .filter(|_| upload.options.verify)
            .map(|local| expected(upload.version, local));
        let record = match self.file_by_cid(upload.network, &cid).await? {
            Some(record) => record,
            None => self.file(upload.network, file_id(location)).await?,
        };
        let pinned = Uploaded::pinned(
            cid.clone(),
            record.size.and_then(|size| u64::try_from(size).ok()),
            Some(record.id.clone()),
            None,
        );
        let checked = upload::check(Service::Pinata, upload.options, expected, pinned)?;
        Ok(UploadedFile {
            verified: checked.verified,
            size: checked.size,
            resumed_from,
            bytes_sent: sending.bytes_sent(),
            ..UploadedFile::from_record(record, cid, upload.network)
        })
    }

    /// The upload completed but its file changed meanwhile (`changed`): what the
    /// service pinned may mix old and new bytes, so its file is deleted (when the
    /// location names it) and `changed` says so.
    async fn withdraw(&self, network: Network, location: &str, changed: Error) -> Error {
        let Error::FileChanged { path, why } = changed else {
            return changed;
        };
        let id = file_id(location);
        let outcome = if id.is_empty() {
            "the service completed the upload anyway: delete its file".to_owned()
        } else {
            match self.delete_file(network, id).await {
                Ok(()) => format!("the file the service made of it ({id}) was deleted"),
                Err(error) => {
                    format!(
                        "the service completed the upload as file {id}, which could not be deleted ({error}): delete it"
                    )
                }
            }
        };
        Error::FileChanged {
            path,
            why: format!("{why}; {outcome}"),
        }
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

    /// `HEAD <location>`: where the service stands.
    pub(super) async fn tus_head(&self, location: &str) -> Result<Head, Error> {
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
        let offset = header_u64(&response, "upload-offset").ok_or_else(|| Error::Decode {
            service: Service::Pinata,
            status: response.status(),
            why: "the TUS HEAD answer has no Upload-Offset".to_owned(),
        })?;
        Ok(Head {
            offset,
            length: header_u64(&response, "upload-length"),
            cid: upload_cid(&response),
        })
    }
}

/// The `Upload-CID` of an answer, if any.
pub(super) fn upload_cid(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("upload-cid")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::file_id;

    #[test]
    fn the_file_id_is_the_segment_before_the_token() {
        assert_eq!(file_id("http://h/v3/files/abc/tok"), "abc");
        assert_eq!(file_id("http://h/v3/files/abc/tok/"), "abc");
        assert_eq!(file_id("http://h/v3/files/abc/tok?x=/y/z"), "abc");
        assert_eq!(file_id("tok"), "");
    }
}
