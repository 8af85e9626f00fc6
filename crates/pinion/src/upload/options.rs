//! [`UploadOptions`]: metadata, CID version, wrapping, what a directory holds, checks
//! and progress.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::{Progress, ProgressSink};
use crate::Error;
use crate::cid::{CidVersion, HashDirectoryOptions, SymlinkPolicy};
use crate::pinata_v3::{ResumeHandle, TUS_CHUNK};

/// The smallest TUS chunk [`UploadOptions::tus_chunk_size`] accepts: 1 MiB.
pub const MIN_TUS_CHUNK: u64 = 1024 * 1024;

/// Options of an upload: metadata, CID version, wrapping, group, hidden files, symbolic
/// links, progress and checks.
///
/// ```
/// use pinion::upload::UploadOptions;
/// use pinion::cid::CidVersion;
/// let options = UploadOptions::default()
///     .name("site")
///     .keyvalue("env", "prod")
///     .cid_version(CidVersion::V1)
///     .include_hidden(false)
///     .follow_symlinks(true)
///     .on_progress(|p| eprintln!("{} / {:?}", p.sent, p.total));
/// ```
#[derive(Clone)]
pub struct UploadOptions {
    pub(crate) name: Option<String>,
    pub(crate) keyvalues: BTreeMap<String, Value>,
    pub(crate) cid_version: Option<CidVersion>,
    pub(crate) wrap_with_directory: bool,
    pub(crate) group_id: Option<String>,
    pub(crate) include_hidden: bool,
    pub(crate) follow_symlinks: bool,
    pub(crate) verify: bool,
    pub(crate) skip_if_pinned: bool,
    pub(super) progress: Option<ProgressSink>,
    pub(crate) resumable: bool,
    pub(crate) tus_chunk_size: Option<u64>,
    pub(crate) resume_handle: Option<ResumeHandleSink>,
}

/// Where [`UploadOptions::on_resume_handle`] sends the handles of TUS uploads.
pub(crate) type ResumeHandleSink = Arc<dyn Fn(&ResumeHandle) -> std::io::Result<()> + Send + Sync>;

impl Default for UploadOptions {
    /// No metadata, the service's CID version, no wrapping, hidden files and symbolic
    /// links left out, the returned CID verified, no progress reports.
    fn default() -> Self {
        Self {
            name: None,
            keyvalues: BTreeMap::new(),
            cid_version: None,
            wrap_with_directory: false,
            group_id: None,
            include_hidden: false,
            follow_symlinks: false,
            verify: true,
            skip_if_pinned: false,
            progress: None,
            resumable: false,
            tus_chunk_size: None,
            resume_handle: None,
        }
    }
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("name", &self.name)
            .field("keyvalues", &self.keyvalues)
            .field("cid_version", &self.cid_version)
            .field("wrap_with_directory", &self.wrap_with_directory)
            .field("group_id", &self.group_id)
            .field("include_hidden", &self.include_hidden)
            .field("follow_symlinks", &self.follow_symlinks)
            .field("verify", &self.verify)
            .field("skip_if_pinned", &self.skip_if_pinned)
            .field("progress", &self.progress.is_some())
            .field("resumable", &self.resumable)
            .field("tus_chunk_size", &self.tus_chunk_size)
            .field("resume_handle", &self.resume_handle.is_some())
            .finish()
    }
}

impl UploadOptions {
    /// The pin's name (default: the file or directory name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a metadata key-value (a string, number or boolean).
    pub fn keyvalue(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.keyvalues.insert(key.into(), value.into());
        self
    }

    /// The CID version to ask for (default: the service's; W3IPFS always gives v1).
    pub fn cid_version(mut self, version: CidVersion) -> Self {
        self.cid_version = Some(version);
        self
    }

    /// Wraps the content in a new directory.
    pub fn wrap_with_directory(mut self, wrap: bool) -> Self {
        self.wrap_with_directory = wrap;
        self
    }

    /// Adds the pin to this group (Pinata only).
    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some(group_id.into());
        self
    }

    /// Uploads entries whose name starts with `.` too (default: left out, as
    /// `ipfs add -r`).
    pub fn include_hidden(mut self, include: bool) -> Self {
        self.include_hidden = include;
        self
    }

    /// Follows symbolic links of a directory whose target is inside that directory
    /// (default: off, every link is left out). Links leading outside the directory
    /// are never followed: they are left out and listed in
    /// [`Uploaded::skipped_links`](super::Uploaded::skipped_links), like any link
    /// that is not followed.
    pub fn follow_symlinks(mut self, follow: bool) -> Self {
        self.follow_symlinks = follow;
        self
    }

    /// Compares the returned CID with the one computed locally while streaming.
    ///
    /// On by default. A difference is
    /// [`Error::UploadMismatch`](crate::Error::UploadMismatch), which carries what
    /// the service pinned (it is pinned all the same). Turning it off saves hashing
    /// the content on the way; [`Uploaded::verified`](super::Uploaded::verified)
    /// then says `false`.
    pub fn verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// Hashes the content first and uploads nothing when the service already pins
    /// that CID (one extra pass over the content, and one or two listing requests).
    pub fn skip_if_pinned(mut self, skip: bool) -> Self {
        self.skip_if_pinned = skip;
        self
    }

    /// Calls `callback` as the body is sent.
    pub fn on_progress(mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(ProgressSink::Callback(Arc::new(callback)));
        self
    }

    /// Publishes progress to a `watch` channel.
    pub fn progress_channel(mut self, sender: tokio::sync::watch::Sender<Progress>) -> Self {
        self.progress = Some(ProgressSink::Channel(sender));
        self
    }

    /// Sends a single file over TUS (Pinata v3), whatever its size, so that it can be
    /// resumed after a failure and by another process (see
    /// [`on_resume_handle`](Self::on_resume_handle)). Off by default: only files
    /// above [`MULTIPART_LIMIT`](crate::pinata_v3::MULTIPART_LIMIT) go over TUS. An
    /// empty file goes in one request all the same: there is nothing to resume.
    ///
    /// Only Pinata v3 uploads of one file from disk can be resumed: the legacy Pinata,
    /// Submarine and W3IPFS uploads, directories and readers refuse it before any
    /// request.
    pub fn resumable(mut self, resumable: bool) -> Self {
        self.resumable = resumable;
        self
    }

    /// The size of each TUS `PATCH`, from [`MIN_TUS_CHUNK`] (1 MiB) to
    /// [`TUS_CHUNK`] (50 MiB, the default); another size is refused before any
    /// request. Smaller chunks lose less to a cut connection, larger ones make fewer
    /// requests. Pinata v3 only.
    pub fn tus_chunk_size(mut self, bytes: u64) -> Self {
        self.tus_chunk_size = Some(bytes);
        self
    }

    /// Calls `callback` with the [`ResumeHandle`] of a TUS upload as soon as the
    /// upload exists on the service and before its first byte is sent, and again
    /// whenever it had to be created anew (when resuming one the service no longer
    /// knows). Persist it (privately: it holds the upload URL, a secret) to continue
    /// the upload in another process with
    /// [`pinata_v3::Client::resume_upload`](crate::pinata_v3::Client::resume_upload).
    ///
    /// An `Err` stops the upload before anything is sent (an
    /// [`Error::InvalidInput`] about the resume handle, carrying the callback's
    /// error): a handle that could not be kept could not resume it. Multipart uploads (one file at most
    /// [`MULTIPART_LIMIT`](crate::pinata_v3::MULTIPART_LIMIT) without
    /// [`resumable`](Self::resumable)) have no handle. Pinata v3 only.
    pub fn on_resume_handle(
        mut self,
        callback: impl Fn(&ResumeHandle) -> std::io::Result<()> + Send + Sync + 'static,
    ) -> Self {
        self.resume_handle = Some(Arc::new(callback));
        self
    }

    /// The TUS chunk size asked for, checked: [`TUS_CHUNK`] unless set.
    pub(crate) fn checked_tus_chunk(&self) -> Result<u64, Error> {
        match self.tus_chunk_size {
            None => Ok(TUS_CHUNK),
            Some(size) if (MIN_TUS_CHUNK..=TUS_CHUNK).contains(&size) => Ok(size),
            Some(size) => Err(Error::invalid_input(
                "tus_chunk_size",
                format!(
                    "{size} bytes is outside {MIN_TUS_CHUNK}..={TUS_CHUNK} (1 MiB to 50 MiB, Pinata's largest chunk)"
                ),
            )),
        }
    }

    /// Refuses the TUS options ([`resumable`](Self::resumable),
    /// [`tus_chunk_size`](Self::tus_chunk_size),
    /// [`on_resume_handle`](Self::on_resume_handle)) for an upload sent as one
    /// multipart request by `api`, which cannot resume: never ignored silently.
    pub(crate) fn refuse_tus(&self, api: &str) -> Result<(), Error> {
        let asked = [
            ("resumable", self.resumable),
            ("tus_chunk_size", self.tus_chunk_size.is_some()),
            ("on_resume_handle", self.resume_handle.is_some()),
        ];
        match asked.iter().find(|(_, set)| *set) {
            Some((option, _)) => Err(Error::invalid_input(
                *option,
                format!(
                    "{api} takes an upload in one request, which cannot be resumed: resumable uploads are Pinata v3 uploads of one file (pinata_v3::Client)"
                ),
            )),
            None => Ok(()),
        }
    }

    /// The options of the directory walk these options ask for: hashing a directory
    /// with them gives the CID its upload produces.
    pub fn walk_options(&self) -> HashDirectoryOptions {
        HashDirectoryOptions::new()
            .include_hidden(self.include_hidden)
            .symlinks(if self.follow_symlinks {
                SymlinkPolicy::FollowInsideRoot
            } else {
                SymlinkPolicy::Skip
            })
            .wrap_with_directory(self.wrap_with_directory)
    }

    /// Reports progress to the caller's sink, if any (uploads sent in pieces, such as
    /// TUS, whose bodies are not a [`Multipart`](super::Multipart)).
    pub(crate) fn report(&self, progress: super::Progress) {
        if let Some(sink) = &self.progress {
            sink.report(progress);
        }
    }

    /// Refuses key-values that are not strings, numbers or booleans.
    pub(crate) fn checked_keyvalues(
        &self,
        max: Option<usize>,
    ) -> Result<serde_json::Map<String, Value>, Error> {
        if let Some(max) = max
            && self.keyvalues.len() > max
        {
            return Err(Error::invalid_input(
                "keyvalues",
                format!(
                    "{} were given, the service allows at most {max}",
                    self.keyvalues.len()
                ),
            ));
        }
        for (key, value) in &self.keyvalues {
            if !(value.is_string() || value.is_number() || value.is_boolean()) {
                return Err(Error::invalid_input(
                    format!("keyvalue `{key}`"),
                    "must be a string, a number or a boolean (no null, arrays or objects)",
                ));
            }
        }
        Ok(self.keyvalues.clone().into_iter().collect())
    }
}
