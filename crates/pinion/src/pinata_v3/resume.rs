//! Continuing a TUS upload, in this process or another: [`ResumeHandle`] (what to
//! persist, in `handle`; the file's identity in `identity`) and
//! [`Client::resume_upload`].
//!
//! Resuming first checks that the file is the one the handle describes (same object,
//! length and modification time; else [`Error::FileChanged`], nothing sent), then asks
//! the service where the upload stands (`HEAD`):
//!
//! - unfinished: the bytes the service holds are read and hashed locally (not sent),
//!   and sending goes on from its offset;
//! - complete (the answer to the last chunk was lost): its file is returned;
//! - unknown (404 or 410: expired, or the service lost it): the file's CID is computed
//!   locally and looked up first, so a completed upload whose answer was lost is not
//!   sent twice; found, it is returned; not found, the upload is created anew
//!   ([`on_resume_handle`](crate::upload::UploadOptions::on_resume_handle) is called
//!   again with the new handle) and sent from its start.

mod handle;
mod identity;

pub(crate) use handle::HandleDraft;
pub use handle::ResumeHandle;
pub(crate) use identity::FileIdentity;

use super::tus::TusUpload;
use super::tus_send::{Sending, local_cid};
use super::tus_source::TusSource;
use super::upload::string_keyvalues;
use super::{Client, UploadedFile};
use crate::Error;
use crate::cid::WalkedFile;
use crate::upload::{Progress, UploadOptions};

/// Refuses options that contradict the handle: the upload keeps the name, group,
/// key-values and CID version it was created with (a resumed upload cannot change
/// them), so a different one given again is a mistake, not silently ignored.
fn check_options(handle: &ResumeHandle, options: &UploadOptions) -> Result<(), Error> {
    let conflict = |option: &str, theirs: String, ours: String| {
        Err(Error::invalid_input(
            option,
            format!(
                "the upload being resumed was created with {ours}, not {theirs}: leave it unset to resume, or start a fresh upload"
            ),
        ))
    };
    if let Some(name) = options.name.as_ref().filter(|name| **name != handle.name) {
        return conflict("name", format!("`{name}`"), format!("`{}`", handle.name));
    }
    if let Some(group) = options
        .group_id
        .as_ref()
        .filter(|group| handle.group_id.as_ref() != Some(*group))
    {
        let ours = handle
            .group_id
            .as_ref()
            .map_or_else(|| "no group".to_owned(), |g| format!("group {g}"));
        return conflict("group", format!("group {group}"), ours);
    }
    if !options.keyvalues.is_empty() {
        let asked = string_keyvalues(
            options.checked_keyvalues(Some(pinion_rules::metadata::MAX_KEYVALUES))?,
        );
        if asked != handle.keyvalues {
            return conflict(
                "keyvalues",
                serde_json::Value::Object(asked).to_string(),
                serde_json::Value::Object(handle.keyvalues.clone()).to_string(),
            );
        }
    }
    if let Some(version) = options
        .cid_version
        .filter(|version| *version != handle.cid_version)
    {
        return conflict(
            "cid_version",
            pinion_rules::cid_version::field(version).to_owned(),
            pinion_rules::cid_version::field(handle.cid_version).to_owned(),
        );
    }
    if options.wrap_with_directory {
        return Err(Error::invalid_input(
            "wrap_with_directory",
            "Pinata v3 stores one file per upload and cannot wrap it in a directory",
        ));
    }
    if options.skip_if_pinned {
        return Err(Error::invalid_input(
            "skip_if_pinned",
            "is not needed to resume: an upload the service no longer knows is looked up by CID before it is sent again",
        ));
    }
    Ok(())
}

impl Client {
    /// Continues the TUS upload `handle` describes, typically in another process
    /// than the one that began it: the handle's network, name, group, key-values and
    /// CID version are the upload's (options that set a different one are refused,
    /// the upload cannot change them); `options` give the progress and resume-handle
    /// callbacks, verification and the chunk size (the handle's unless set).
    ///
    /// The file must be the one the handle describes (same object, length and
    /// modification time). Then `HEAD` says where the service stands: an unfinished
    /// upload goes on from its offset (the bytes before it are hashed locally, not
    /// sent); a complete one gives its file; one the service no longer knows (404,
    /// 410) has its CID computed locally and looked up first, so a completed upload
    /// whose answer was lost is not sent twice, and is otherwise created anew (the
    /// new handle goes to `on_resume_handle`) and sent from the start.
    ///
    /// [`UploadedFile::resumed_from`] is the offset sending resumed from (the file's
    /// length when the service had it all, 0 when the upload was created anew);
    /// [`UploadedFile::bytes_sent`] what this call sent. A file that changed since the
    /// handle was made is [`Error::FileChanged`], before anything is sent.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use pinion::pinata_v3::{Client, Network, ResumeHandle};
    /// use pinion::upload::UploadOptions;
    ///
    /// /// Writes `text` readable by its owner only: the handle's URL is a secret.
    /// fn save_privately(path: &str, text: &str) -> std::io::Result<()> {
    ///     use std::io::Write;
    ///     let mut options = std::fs::OpenOptions::new();
    ///     options.write(true).create_new(true);
    ///     #[cfg(unix)]
    ///     std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    ///     options.open(path)?.write_all(text.as_bytes())
    /// }
    ///
    /// let client = Client::from_env()?;
    /// // Keep the handle before the first byte is sent…
    /// let options = UploadOptions::default()
    ///     .resumable(true)
    ///     .on_resume_handle(|handle| save_privately("big.bin.resume", &handle.to_json()));
    /// if client.upload_file(Network::Private, "big.bin", options).await.is_err() {
    ///     // …and go on from where the service stands, here or in another process.
    ///     let handle = ResumeHandle::from_json(&std::fs::read_to_string("big.bin.resume")?)?;
    ///     let file = client.resume_upload(&handle, UploadOptions::default()).await?;
    ///     println!("{} (resumed from byte {})", file.cid, file.resumed_from);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn resume_upload(
        &self,
        handle: &ResumeHandle,
        options: UploadOptions,
    ) -> Result<UploadedFile, Error> {
        check_options(handle, &options)?;
        self.check_origin(handle)?;
        let chunk = match options.tus_chunk_size {
            Some(_) => options.checked_tus_chunk()?,
            None => handle.chunk_size,
        };
        handle.file.check()?;
        let path = handle.path().to_owned();
        let walked = tokio::task::spawn_blocking(move || WalkedFile::named(&path))
            .await
            .map_err(|e| Error::io(Some(handle.path().to_owned()), std::io::Error::other(e)))??;
        let file = TusSource::file(&walked, handle.file.clone())?;
        let upload = TusUpload {
            network: handle.network,
            name: handle.name.clone(),
            group_id: handle.group_id.clone(),
            keyvalues: handle.keyvalues.clone(),
            version: handle.cid_version,
            chunk,
            options: &options,
            draft: Some(HandleDraft {
                file: handle.file.clone(),
                network: handle.network,
                name: handle.name.clone(),
                group_id: handle.group_id.clone(),
                keyvalues: handle.keyvalues.clone(),
                cid_version: handle.cid_version,
                chunk_size: chunk,
            }),
        };
        let len = file.len();
        let head = match self.tus_head(handle.url()).await {
            Ok(head) => head,
            Err(error) if is_gone(&error) => return self.restart(&file, &upload).await,
            Err(error) => return Err(error),
        };
        if head.length.is_some_and(|length| length != len) || head.offset > len {
            return Err(super::tus_send::tus_broken(format!(
                "the service holds an upload of {} bytes at offset {}, for a file of {len}",
                head.length
                    .map_or_else(|| "unknown".to_owned(), |l| l.to_string()),
                head.offset
            )));
        }
        let sending = Sending::new(options.verify.then_some(handle.cid_version));
        options.report(Progress {
            sent: head.offset,
            total: Some(len),
            attempt: 0,
        });
        sending.hash_prefix(&file, head.offset).await?;
        let cid = if head.offset == len {
            head.cid.ok_or_else(|| {
                super::tus_send::tus_broken(
                    "the service has every byte but its HEAD answer has no Upload-CID".to_owned(),
                )
            })?
        } else {
            self.tus_send(&file, handle.url(), head.offset, &sending, &upload)
                .await?
        };
        self.tus_finish(
            &file,
            &upload,
            handle.url(),
            cid,
            &sending,
            None,
            head.offset,
        )
        .await
    }

    /// Refuses a handle whose upload URL is not on this client's uploads host: the
    /// credentials go with every request to it (a handle edited to point elsewhere
    /// gets nothing).
    fn check_origin(&self, handle: &ResumeHandle) -> Result<(), Error> {
        let ours = url::Url::parse(&self.inner.uploads_url)
            .map_err(|e| Error::invalid_input("uploads URL", e.to_string()))?
            .origin();
        let theirs = url::Url::parse(handle.url())
            .map_err(|e| {
                Error::invalid_input(
                    "resume handle",
                    format!("its upload URL is not a URL ({e})"),
                )
            })?
            .origin();
        if ours != theirs {
            return Err(Error::invalid_input(
                "resume handle",
                format!(
                    "its upload is on {}, not on this client's uploads host {}: resume it with a client of the service that began it",
                    theirs.ascii_serialization(),
                    ours.ascii_serialization()
                ),
            ));
        }
        Ok(())
    }

    /// The service no longer knows the upload: its file if the service has the CID
    /// already (nothing sent), else a new upload sent from the start.
    async fn restart(
        &self,
        file: &TusSource<'_>,
        upload: &TusUpload<'_>,
    ) -> Result<UploadedFile, Error> {
        let local = local_cid(file, upload.version).await?;
        if let Some(record) = self.file_by_cid(upload.network, &local.to_string()).await? {
            file.check_unchanged()?;
            let len = file.len();
            return Ok(UploadedFile {
                verified: true,
                resumed_from: len,
                ..UploadedFile::from_record(record, local.to_string(), upload.network)
            });
        }
        tracing::info!("the TUS upload is unknown to the service: sending it anew");
        let location = self.tus_start(file, upload).await?;
        // Every byte was hashed already: nothing more to hash while sending.
        let sending = Sending::new(None);
        let cid = self.tus_send(file, &location, 0, &sending, upload).await?;
        self.tus_finish(file, upload, &location, cid, &sending, Some(local), 0)
            .await
    }
}

/// Whether `error` says the upload is unknown: 404 Not Found or 410 Gone.
fn is_gone(error: &Error) -> bool {
    matches!(
        error.status(),
        Some(http::StatusCode::NOT_FOUND | http::StatusCode::GONE)
    )
}
