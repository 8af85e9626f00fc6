//! [`UploadOptions`]: metadata, CID version, wrapping, what a directory holds, checks
//! and progress.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::{Progress, ProgressSink};
use crate::Error;
use crate::cid::{CidVersion, HashDirectoryOptions, SymlinkPolicy};

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
}

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
