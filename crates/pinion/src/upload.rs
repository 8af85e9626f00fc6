//! Uploads: one file, a whole directory, or any `AsyncRead`, streamed as
//! `multipart/form-data` with constant memory, with progress reports and the local CID
//! computed on the way.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::{Stream, StreamExt, stream};
use serde_json::Value;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

use crate::Error;
use crate::cid::{CHUNK_SIZE, CidVersion, DirectoryBuilder, Expected, FileHasher, FileSummary};
use crate::executor::Activity;

/// How far an upload got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bytes of the request body sent so far in this attempt.
    pub sent: u64,
    /// The body's length, when known (unknown for readers of unknown length).
    pub total: Option<u64>,
    /// The attempt (0 for the first send; a retry starts again from 0 bytes).
    pub attempt: u32,
}

/// Where progress reports go.
#[derive(Clone)]
enum ProgressSink {
    Callback(Arc<dyn Fn(Progress) + Send + Sync>),
    Channel(tokio::sync::watch::Sender<Progress>),
}

impl ProgressSink {
    fn report(&self, progress: Progress) {
        match self {
            Self::Callback(callback) => callback(progress),
            Self::Channel(sender) => {
                sender.send_replace(progress);
            }
        }
    }
}

/// What to upload.
pub enum UploadSource {
    /// One file from disk.
    File(PathBuf),
    /// A directory from disk, recursively.
    Directory(PathBuf),
    /// Any reader, uploaded as one file named `name`. It can be read only once, so an
    /// upload from a reader is never retried after its body started.
    Reader {
        /// The file name the service sees.
        name: String,
        /// The bytes.
        reader: Box<dyn AsyncRead + Send + Unpin>,
        /// Its length, when known (sent as `Content-Length`).
        len: Option<u64>,
    },
}

impl UploadSource {
    /// A reader uploaded as a file named `name`.
    pub fn reader(
        name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        Self::Reader {
            name: name.into(),
            reader: Box::new(reader),
            len: None,
        }
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Directory(path) => f.debug_tuple("Directory").field(path).finish(),
            Self::Reader { name, len, .. } => f
                .debug_struct("Reader")
                .field("name", name)
                .field("len", len)
                .finish_non_exhaustive(),
        }
    }
}

/// Options of an upload: metadata, CID version, wrapping, group, hidden files, progress
/// and checks.
///
/// ```
/// use pinion::upload::UploadOptions;
/// use pinion::cid::CidVersion;
/// let options = UploadOptions::default()
///     .name("site")
///     .keyvalue("env", "prod")
///     .cid_version(CidVersion::V1)
///     .include_hidden(false)
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
    pub(crate) verify: bool,
    pub(crate) skip_if_pinned: bool,
    progress: Option<ProgressSink>,
}

impl Default for UploadOptions {
    /// No metadata, the service's CID version, no wrapping, hidden files left out,
    /// the returned CID verified, no progress reports.
    fn default() -> Self {
        Self {
            name: None,
            keyvalues: BTreeMap::new(),
            cid_version: None,
            wrap_with_directory: false,
            group_id: None,
            include_hidden: false,
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

    /// Compares the returned CID with the one computed locally while streaming
    /// (default: on); a difference is [`Error::CidMismatch`].
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

/// What an upload produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The root CID.
    pub cid: String,
    /// The pinned size in bytes, when the service says.
    pub size: Option<u64>,
    /// The service's id of the new pin or content (W3IPFS pin id, Submarine content
    /// id); Pinata pins are named by CID.
    pub id: Option<String>,
    /// Whether the service already had this content.
    pub duplicate: Option<bool>,
    /// Whether the returned CID was checked against the local one.
    pub verified: bool,
    /// Whether nothing was uploaded because the CID was already pinned.
    pub skipped: bool,
}

/// A file to send.
enum Content {
    Path(PathBuf),
    Reader(Arc<Mutex<Option<Box<dyn AsyncRead + Send + Unpin>>>>),
}

struct PlannedFile {
    /// The multipart filename: the file name, or `<directory>/<relative path>`.
    part_name: String,
    /// Its path in the DAG the service builds (without the top directory unless
    /// wrapped).
    dag_path: String,
    len: Option<u64>,
    content: Content,
}

/// An upload ready to send.
pub(crate) struct Prepared {
    files: Vec<PlannedFile>,
    /// The file or directory name.
    pub(crate) name: String,
    pub(crate) is_directory: bool,
    wrap: bool,
}

impl Prepared {
    /// Whether the body can be produced again for a retry.
    pub(crate) fn resendable(&self) -> bool {
        self.files
            .iter()
            .all(|file| matches!(file.content, Content::Path(_)))
    }

    /// Hashes every file from disk (for `skip_if_pinned`), in `versions`.
    pub(crate) async fn local_cids(&self, versions: &[CidVersion]) -> Result<Expected, Error> {
        let mut summaries = Vec::with_capacity(self.files.len());
        for file in &self.files {
            let Content::Path(path) = &file.content else {
                return Err(Error::invalid_input(
                    "skip_if_pinned",
                    "needs the content twice, which a reader cannot give: hash it yourself, or upload from a file",
                ));
            };
            let path = path.clone();
            let versions = versions.to_vec();
            let per_version = tokio::task::spawn_blocking(move || {
                let mut out = Vec::new();
                for version in versions {
                    let file =
                        std::fs::File::open(&path).map_err(|e| Error::io(Some(path.clone()), e))?;
                    let summary = crate::cid::hash_reader(
                        std::io::BufReader::with_capacity(CHUNK_SIZE, file),
                        version,
                    )
                    .map_err(|e| Error::io(Some(path.clone()), e))?;
                    out.push((version, summary));
                }
                Ok::<_, Error>(out)
            })
            .await
            .map_err(|e| Error::invalid_input("hashing", e.to_string()))??;
            summaries.push(per_version);
        }
        self.combine(&summaries)
    }

    /// The root CIDs of the DAG the service builds from these file summaries.
    fn combine(&self, summaries: &[Vec<(CidVersion, FileSummary)>]) -> Result<Expected, Error> {
        let mut expected = Expected { v0: None, v1: None };
        let versions: Vec<CidVersion> = summaries
            .first()
            .map(|s| s.iter().map(|(v, _)| *v).collect())
            .unwrap_or_default();
        for version in versions {
            let of = |i: usize| {
                summaries[i]
                    .iter()
                    .find(|(v, _)| *v == version)
                    .map(|(_, s)| *s)
                    .expect("every file is hashed in every version")
            };
            let cid = if !self.is_directory && !self.wrap {
                of(0).cid
            } else {
                let mut builder = DirectoryBuilder::new(version);
                for (i, file) in self.files.iter().enumerate() {
                    builder.add_file(&file.dag_path, of(i))?;
                }
                builder.finish().cid
            };
            match version {
                CidVersion::V0 => expected.v0 = Some(cid),
                CidVersion::V1 => expected.v1 = Some(cid),
            }
        }
        Ok(expected)
    }

    /// Total bytes of file content, when every length is known.
    fn content_len(&self) -> Option<u64> {
        self.files.iter().map(|f| f.len).sum()
    }
}

/// Reads the source's layout from disk: the files and their multipart names.
pub(crate) async fn prepare(
    source: UploadSource,
    options: &UploadOptions,
) -> Result<Prepared, Error> {
    let wrap = options.wrap_with_directory;
    match source {
        UploadSource::File(path) => {
            let metadata = tokio::fs::metadata(&path)
                .await
                .map_err(|e| Error::io(Some(path.clone()), e))?;
            if !metadata.is_file() {
                return Err(Error::invalid_input(
                    "file",
                    format!(
                        "{} is not a regular file: use a directory upload for directories",
                        path.display()
                    ),
                ));
            }
            let name = file_name(&path)?;
            Ok(Prepared {
                files: vec![PlannedFile {
                    part_name: name.clone(),
                    dag_path: name.clone(),
                    len: Some(metadata.len()),
                    content: Content::Path(path),
                }],
                name,
                is_directory: false,
                wrap,
            })
        }
        UploadSource::Reader { name, reader, len } => {
            check_part_name(&name)?;
            if name.contains('/') || name.is_empty() {
                return Err(Error::invalid_input(
                    "file name",
                    format!("`{name}` must be a plain, non-empty file name without `/`"),
                ));
            }
            Ok(Prepared {
                files: vec![PlannedFile {
                    part_name: name.clone(),
                    dag_path: name.clone(),
                    len,
                    content: Content::Reader(Arc::new(Mutex::new(Some(reader)))),
                }],
                name,
                is_directory: false,
                wrap,
            })
        }
        UploadSource::Directory(path) => {
            let include_hidden = options.include_hidden;
            let root = path.clone();
            let walked = tokio::task::spawn_blocking(move || walk(&root, include_hidden))
                .await
                .map_err(|e| Error::invalid_input("directory walk", e.to_string()))??;
            let top = file_name(
                &std::fs::canonicalize(&path).map_err(|e| Error::io(Some(path.clone()), e))?,
            )?;
            if walked.is_empty() {
                return Err(Error::invalid_input(
                    "directory",
                    format!(
                        "{} has no files to upload (hidden files are left out unless include_hidden(true); empty directories cannot be uploaded)",
                        path.display()
                    ),
                ));
            }
            let files = walked
                .into_iter()
                .map(|(relative, absolute, len)| {
                    let part_name = format!("{top}/{relative}");
                    check_part_name(&part_name)?;
                    Ok(PlannedFile {
                        dag_path: if wrap { part_name.clone() } else { relative },
                        part_name,
                        len: Some(len),
                        content: Content::Path(absolute),
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Ok(Prepared {
                files,
                name: top,
                is_directory: true,
                wrap,
            })
        }
    }
}

fn file_name(path: &Path) -> Result<String, Error> {
    let name = path
        .file_name()
        .ok_or_else(|| {
            Error::invalid_input("path", format!("{} has no file name", path.display()))
        })?
        .to_str()
        .ok_or_else(|| {
            Error::invalid_input(
                "path",
                format!("{} is not valid UTF-8: rename it", path.display()),
            )
        })?
        .to_owned();
    check_part_name(&name)?;
    Ok(name)
}

fn check_part_name(name: &str) -> Result<(), Error> {
    if name.chars().any(|c| c.is_control() || c == '"') {
        return Err(Error::invalid_input(
            "file name",
            format!(
                "{name:?} contains a quote or control character, which multipart file names cannot carry: rename it"
            ),
        ));
    }
    Ok(())
}

/// Every regular file below `root`: (relative path with `/`, absolute path, length),
/// sorted. Symbolic links are followed; a link back into an enclosing directory is an
/// error.
fn walk(root: &Path, include_hidden: bool) -> Result<Vec<(String, PathBuf, u64)>, Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |e| Error::io(Some(path), e)
    };
    let metadata = std::fs::metadata(root).map_err(io(root))?;
    if !metadata.is_dir() {
        return Err(Error::invalid_input(
            "directory",
            format!(
                "{} is not a directory: use a file upload for files",
                root.display()
            ),
        ));
    }
    let mut out = Vec::new();
    let mut stack = vec![(
        root.to_owned(),
        String::new(),
        vec![std::fs::canonicalize(root).map_err(io(root))?],
    )];
    while let Some((dir, prefix, ancestors)) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_str().ok_or_else(|| {
                Error::invalid_input(
                    "file name",
                    format!("{} is not valid UTF-8: rename it", path.display()),
                )
            })?;
            if !include_hidden && name.starts_with('.') {
                continue;
            }
            let relative = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let metadata = std::fs::metadata(&path).map_err(io(&path))?;
            if metadata.is_dir() {
                let canonical = std::fs::canonicalize(&path).map_err(io(&path))?;
                if ancestors.contains(&canonical) {
                    return Err(Error::invalid_input(
                        "directory",
                        format!(
                            "{} links back into an enclosing directory (a symbolic link cycle)",
                            path.display()
                        ),
                    ));
                }
                let mut ancestors = ancestors.clone();
                ancestors.push(canonical);
                stack.push((path, relative, ancestors));
            } else if metadata.is_file() {
                out.push((relative, path, metadata.len()));
            } else {
                return Err(Error::invalid_input(
                    "directory entry",
                    format!(
                        "{} is neither a file nor a directory (socket, FIFO or device)",
                        path.display()
                    ),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// A multipart body: text fields first, then the files.
pub(crate) struct Multipart {
    boundary: String,
    fields: Vec<(String, String, Option<String>)>,
    file_field: &'static str,
    prepared: Prepared,
    /// Extra file parts held in memory (W3IPFS NFT metadata).
    extra: Vec<(String, String, String, Bytes)>,
}

/// What a body stream reports back.
pub(crate) struct BodyRun {
    /// Per file, its summary in each hashed version, once fully sent.
    pub(crate) summaries: Summaries,
}

enum Segment {
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
        }
    }

    /// Adds a text field (sent before the files).
    pub(crate) fn field(&mut self, name: &str, value: impl Into<String>) {
        self.fields.push((name.to_owned(), value.into(), None));
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

    fn segments(&self) -> Vec<Segment> {
        let b = &self.boundary;
        let mut segments = Vec::new();
        for (name, value, _) in &self.fields {
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
        let summaries = Arc::new(Mutex::new(vec![None; self.prepared.files.len()]));
        let files: Vec<FileSource> = self
            .prepared
            .files
            .iter()
            .map(|file| match &file.content {
                Content::Path(path) => Ok((Some(path.clone()), None, file.len)),
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
                    Ok((None, Some(reader), file.len))
                }
            })
            .collect::<Result<_, Error>>()?;
        let state = BodyState {
            segments: self.segments().into(),
            files: files.into_iter().map(Some).collect(),
            current: None,
            versions: versions.to_vec(),
            summaries: summaries.clone(),
            activity: activity.clone(),
            read_ahead: VecDeque::new(),
        };
        let progress = options.progress.clone();
        let mut sent = 0u64;
        let stream = stream::unfold(state, BodyState::next).map(move |chunk| {
            if let Ok(bytes) = &chunk {
                sent += bytes.len() as u64;
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
        Ok((stream, BodyRun { summaries }))
    }
}

/// Files up to this size are read whole, several in one trip to the blocking pool:
/// opening and reading a small file through `tokio::fs` costs three trips, which
/// dominated uploads of many small files.
const SMALL_FILE: u64 = 64 * 1024;
/// At most this many bytes of small files are read ahead of the body.
const READ_AHEAD_BYTES: u64 = 1024 * 1024;
/// At most this many small files are read ahead of the body.
const READ_AHEAD_FILES: usize = 256;

/// Per file, its summary in each hashed version, once fully sent.
type Summaries = Arc<Mutex<Vec<Option<Vec<(CidVersion, FileSummary)>>>>>;

/// A file waiting to be sent: its path or reader, and its declared length.
type FileSource = (
    Option<PathBuf>,
    Option<Box<dyn AsyncRead + Send + Unpin>>,
    Option<u64>,
);

type FileSlot = Option<FileSource>;

struct CurrentFile {
    index: usize,
    path: Option<PathBuf>,
    reader: ReaderStream<Box<dyn AsyncRead + Send + Unpin>>,
    hashers: Vec<(CidVersion, FileHasher)>,
    expected_len: Option<u64>,
    read: u64,
}

struct BodyState {
    segments: VecDeque<Segment>,
    files: Vec<FileSlot>,
    current: Option<CurrentFile>,
    versions: Vec<CidVersion>,
    summaries: Summaries,
    activity: Activity,
    /// Small files read ahead, in body order: (file index, its bytes).
    read_ahead: VecDeque<(usize, std::io::Result<Vec<u8>>)>,
}

impl BodyState {
    /// File `index`'s path and length when it is a small file on disk (read whole, ahead).
    fn small_path(&self, index: usize) -> Option<(&Path, u64)> {
        match &self.files[index] {
            Some((Some(path), None, Some(len))) if *len <= SMALL_FILE => Some((path, *len)),
            _ => None,
        }
    }

    /// The bytes of small file `index`, reading it and the small files after it in one
    /// blocking trip when they are not read yet.
    async fn small_file(&mut self, index: usize, path: &Path) -> std::io::Result<Vec<u8>> {
        if self
            .read_ahead
            .front()
            .is_none_or(|(ahead, _)| *ahead != index)
        {
            self.read_ahead.clear();
            let mut batch = vec![(index, path.to_owned())];
            let mut bytes = 0;
            for segment in &self.segments {
                let Segment::File(next) = segment else {
                    continue;
                };
                let Some((path, len)) = self.small_path(*next) else {
                    break;
                };
                bytes += len;
                if batch.len() >= READ_AHEAD_FILES || bytes > READ_AHEAD_BYTES {
                    break;
                }
                batch.push((*next, path.to_owned()));
            }
            let read = tokio::task::spawn_blocking(move || {
                batch
                    .into_iter()
                    .map(|(index, path)| (index, std::fs::read(path)))
                    .collect::<VecDeque<_>>()
            })
            .await
            .map_err(std::io::Error::other)?;
            self.read_ahead = read;
        }
        let (_, bytes) = self.read_ahead.pop_front().expect("read above");
        bytes
    }

    async fn next(mut self) -> Option<(std::io::Result<Bytes>, Self)> {
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
                        let kind = error.kind();
                        self.activity.fail(Error::io(current.path.clone(), error));
                        return Some((
                            Err(std::io::Error::new(kind, "upload source failed")),
                            self,
                        ));
                    }
                    None => {
                        let current = self.current.take().expect("checked above");
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
                    let small = self.small_path(index).is_some();
                    let (path, reader, expected_len) =
                        self.files[index].take().expect("each file is sent once");
                    let opened: std::io::Result<Box<dyn AsyncRead + Send + Unpin>> =
                        match (reader, &path) {
                            (Some(reader), _) => Ok(reader),
                            (None, Some(path)) if small => self
                                .small_file(index, path)
                                .await
                                .map(|bytes| Box::new(std::io::Cursor::new(bytes)) as _),
                            (None, Some(path)) => tokio::fs::File::open(path)
                                .await
                                .map(|file| Box::new(file) as _),
                            (None, None) => unreachable!("a file has a path or a reader"),
                        };
                    let reader = match opened {
                        Ok(reader) => reader,
                        Err(error) => {
                            let kind = error.kind();
                            self.activity.fail(Error::io(path.clone(), error));
                            return Some((
                                Err(std::io::Error::new(kind, "upload source failed")),
                                self,
                            ));
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
                }
            }
        }
    }

    fn changed(&self, path: Option<PathBuf>) -> std::io::Error {
        self.activity.fail(Error::invalid_input(
            "upload source",
            format!(
                "{} changed size while it was being uploaded: upload it again once it is no longer written to",
                path.map_or_else(|| "the file".to_owned(), |p| p.display().to_string())
            ),
        ));
        std::io::Error::other("upload source changed")
    }
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

/// Builds a streaming upload request for one attempt.
#[allow(clippy::too_many_arguments)]
pub(crate) fn request(
    http: &reqwest::Client,
    url: &str,
    multipart: &Multipart,
    versions: &[CidVersion],
    activity: Activity,
    options: &UploadOptions,
    attempt: u32,
    credentials: &(dyn pinion_api::auth::ApplyCredentials + Sync),
) -> Result<(reqwest::Request, BodyRun), Error> {
    let (body, run) = multipart.body(versions, activity, options, attempt)?;
    let mut builder = http
        .post(url)
        .header(http::header::CONTENT_TYPE, multipart.content_type())
        .header(http::header::ACCEPT, "application/json");
    if let Some(len) = multipart.len() {
        builder = builder.header(http::header::CONTENT_LENGTH, len);
    }
    let mut request = builder
        .body(reqwest::Body::wrap_stream(body))
        .build()
        .map_err(|e| Error::invalid_input("upload URL", e.to_string()))?;
    credentials
        .apply(request.headers_mut())
        .map_err(|e| Error::invalid_input(e.what, e.to_string()))?;
    Ok((request, run))
}

/// Sends `multipart` to `url` as operation `operation` (retrying when the body can be
/// produced again) and reads the JSON answer, with the local CIDs computed on the way
/// (in `versions`; none when empty).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn send<T: serde::de::DeserializeOwned>(
    engine: &crate::executor::Engine,
    http: &reqwest::Client,
    url: &str,
    operation: crate::operations::Operation,
    multipart: &Multipart,
    versions: &[CidVersion],
    options: &UploadOptions,
    credentials: &(dyn pinion_api::auth::ApplyCredentials + Sync),
) -> Result<(T, Option<Expected>), Error> {
    let run: Mutex<Option<BodyRun>> = Mutex::new(None);
    let response = engine
        .send_built(
            http,
            operation,
            multipart.prepared().resendable(),
            |attempt, activity| {
                let (request, body_run) = request(
                    http,
                    url,
                    multipart,
                    versions,
                    activity,
                    options,
                    attempt,
                    credentials,
                )?;
                *run.lock().unwrap_or_else(|e| e.into_inner()) = Some(body_run);
                Ok(request)
            },
        )
        .await?;
    let answer: T = engine.read_answer(operation, response).await?;
    let expected = if versions.is_empty() {
        None
    } else {
        let run = run.lock().unwrap_or_else(|e| e.into_inner()).take();
        match run {
            Some(run) => Some(run.expected(multipart.prepared())?),
            None => None,
        }
    };
    Ok((answer, expected))
}

/// The versions to hash while sending: the one asked for, or both when the service
/// decides (the returned CID then says which to compare).
pub(crate) fn versions_to_hash(
    options: &UploadOptions,
    service_default: Option<CidVersion>,
) -> Vec<CidVersion> {
    if !options.verify && !options.skip_if_pinned {
        return Vec::new();
    }
    match options.cid_version.or(service_default) {
        Some(version) => vec![version],
        None => vec![CidVersion::V0, CidVersion::V1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;

    async fn body_of(multipart: &Multipart, versions: &[CidVersion]) -> (Vec<u8>, BodyRun) {
        let (stream, run) = multipart
            .body(versions, Activity::new(), &UploadOptions::default(), 0)
            .unwrap();
        let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
        (chunks.concat(), run)
    }

    #[tokio::test]
    async fn a_directory_is_sent_with_relative_paths_and_hashed_on_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("css")).unwrap();
        std::fs::write(site.join("index.html"), b"<h1>hi</h1>").unwrap();
        std::fs::write(site.join("css/a.css"), b"a{}").unwrap();
        std::fs::write(site.join(".env"), b"SECRET=1").unwrap();

        let options = UploadOptions::default();
        let prepared = prepare(UploadSource::Directory(site.clone()), &options)
            .await
            .unwrap();
        assert_eq!(prepared.name, "site");
        let names: Vec<&str> = prepared
            .files
            .iter()
            .map(|f| f.part_name.as_str())
            .collect();
        assert_eq!(names, ["site/css/a.css", "site/index.html"]);

        let mut multipart = Multipart::new(prepared, "file");
        multipart.field("pinataOptions", r#"{"cidVersion":1}"#);
        let declared = multipart.len().unwrap();
        let (body, run) = body_of(&multipart, &[CidVersion::V1]).await;
        assert_eq!(body.len() as u64, declared);
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains(r#"name="file"; filename="site/index.html""#));
        assert!(!text.contains("SECRET"));
        assert!(text.find("pinataOptions").unwrap() < text.find("filename=").unwrap());
        assert!(text.ends_with(&format!("--{}--\r\n", multipart.boundary)));

        let streamed = run.expected(multipart.prepared()).unwrap();
        let mut builder = DirectoryBuilder::new(CidVersion::V1);
        builder
            .add_file(
                "index.html",
                crate::cid::hash_bytes(b"<h1>hi</h1>", CidVersion::V1),
            )
            .unwrap()
            .add_file("css/a.css", crate::cid::hash_bytes(b"a{}", CidVersion::V1))
            .unwrap();
        assert_eq!(streamed.v1, Some(builder.finish().cid));
        // The separate pass used by skip_if_pinned agrees.
        let pre = multipart
            .prepared()
            .local_cids(&[CidVersion::V1])
            .await
            .unwrap();
        assert_eq!(pre, streamed);

        let hidden = prepare(
            UploadSource::Directory(site),
            &UploadOptions::default().include_hidden(true),
        )
        .await
        .unwrap();
        assert_eq!(hidden.files.len(), 3);
    }

    #[tokio::test]
    async fn a_reader_is_sent_once_with_progress() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let options =
            UploadOptions::default().on_progress(move |p| record.lock().unwrap().push(p.sent));
        let data = vec![7u8; CHUNK_SIZE * 2 + 10];
        let prepared = prepare(
            UploadSource::reader("data.bin", std::io::Cursor::new(data.clone())),
            &options,
        )
        .await
        .unwrap();
        assert!(!prepared.resendable());
        let multipart = Multipart::new(prepared, "file");
        assert_eq!(multipart.len(), None);
        let (stream, run) = multipart
            .body(
                &[CidVersion::V0, CidVersion::V1],
                Activity::new(),
                &options,
                0,
            )
            .unwrap();
        let body: Vec<Bytes> = stream.try_collect().await.unwrap();
        let body = body.concat();
        let expected = run.expected(multipart.prepared()).unwrap();
        assert_eq!(
            expected.v0,
            Some(crate::cid::hash_bytes(&data, CidVersion::V0).cid)
        );
        assert_eq!(
            expected.v1,
            Some(crate::cid::hash_bytes(&data, CidVersion::V1).cid)
        );
        let seen = seen.lock().unwrap();
        assert_eq!(*seen.last().unwrap(), body.len() as u64);
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        let again = multipart.body(&[], Activity::new(), &options, 1);
        assert!(again.err().unwrap().to_string().contains("only once"));
    }

    #[tokio::test]
    async fn bad_sources_are_refused_before_sending() {
        let dir = tempfile::tempdir().unwrap();
        let options = UploadOptions::default();
        let error = prepare(UploadSource::Directory(dir.path().to_owned()), &options)
            .await
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("has no files to upload"),
            "{error}"
        );
        let error = prepare(UploadSource::File(dir.path().to_owned()), &options)
            .await
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("is not a regular file"),
            "{error}"
        );
        let error = prepare(UploadSource::File(dir.path().join("missing")), &options)
            .await
            .err()
            .unwrap();
        assert!(matches!(error, Error::Io { .. }));
        let error = prepare(UploadSource::reader("a\"b", tokio::io::empty()), &options)
            .await
            .err()
            .unwrap();
        assert!(error.to_string().contains("quote"), "{error}");
        let error = UploadOptions::default()
            .keyvalue("nested", serde_json::json!({"a": 1}))
            .checked_keyvalues(None)
            .unwrap_err();
        assert!(error.to_string().contains("keyvalue `nested`"));
        let many = (0..11).fold(UploadOptions::default(), |o, i| {
            o.keyvalue(format!("k{i}"), i)
        });
        assert!(
            many.checked_keyvalues(Some(10))
                .unwrap_err()
                .to_string()
                .contains("at most 10")
        );
    }

    #[tokio::test]
    async fn many_small_files_are_read_ahead_in_batches_and_sent_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("many");
        std::fs::create_dir_all(&root).unwrap();
        // More files than one batch holds, and a large file in the middle that ends one.
        for i in 0..(READ_AHEAD_FILES + 50) {
            std::fs::write(root.join(format!("{i:04}.json")), format!("{{\"n\":{i}}}")).unwrap();
        }
        std::fs::write(root.join("0100.big"), vec![9u8; SMALL_FILE as usize + 1]).unwrap();
        let prepared = prepare(UploadSource::Directory(root), &UploadOptions::default())
            .await
            .unwrap();
        let multipart = Multipart::new(prepared, "file");
        let declared = multipart.len().unwrap();
        let (body, run) = body_of(&multipart, &[CidVersion::V1]).await;
        assert_eq!(body.len() as u64, declared);
        let text = String::from_utf8_lossy(&body);
        let at = |needle: &str| text.find(needle).unwrap();
        assert!(at(r#"{"n":99}"#) < at("0100.big") && at("0100.big") < at(r#"{"n":100}"#));
        let streamed = run.expected(multipart.prepared()).unwrap();
        let separate = multipart
            .prepared()
            .local_cids(&[CidVersion::V1])
            .await
            .unwrap();
        assert_eq!(streamed, separate);
    }

    #[tokio::test]
    async fn a_small_file_removed_before_it_is_sent_fails_the_upload_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            std::fs::write(root.join(name), name).unwrap();
        }
        let prepared = prepare(
            UploadSource::Directory(root.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
        std::fs::remove_file(root.join("b.txt")).unwrap();
        let multipart = Multipart::new(prepared, "file");
        let activity = Activity::new();
        let (stream, _) = multipart
            .body(&[], activity.clone(), &UploadOptions::default(), 0)
            .unwrap();
        let result: Result<Vec<Bytes>, _> = stream.try_collect().await;
        assert!(result.is_err());
        let error = activity.take_error().expect("the source's error is kept");
        assert!(
            matches!(&error, Error::Io { path: Some(path), .. } if path.ends_with("b.txt")),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_file_that_grows_while_sent_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        std::fs::write(&path, b"abc").unwrap();
        let prepared = prepare(UploadSource::File(path.clone()), &UploadOptions::default())
            .await
            .unwrap();
        std::fs::write(&path, b"abcdef").unwrap();
        let multipart = Multipart::new(prepared, "file");
        let activity = Activity::new();
        let (stream, _) = multipart
            .body(&[], activity, &UploadOptions::default(), 0)
            .unwrap();
        let result: Result<Vec<Bytes>, _> = stream.try_collect().await;
        assert!(result.is_err());
    }
}
