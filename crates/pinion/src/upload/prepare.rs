//! Reading a source's layout before sending: [`prepare`] gives a [`Prepared`] upload,
//! whose local CIDs come from the same walk and the same DAG rules as the service's.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::io::AsyncRead;

use super::{UploadOptions, UploadSource};
use crate::Error;
use crate::cid::{
    CHUNK_SIZE, CidVersion, DirectoryBuilder, DirectoryWalk, Expected, FileSummary, SkippedLink,
    WalkedFile,
};

/// The bytes of one file to send.
pub(super) enum Content {
    /// A file on disk, opened (checked) when its turn comes.
    File(WalkedFile),
    /// A reader, usable once.
    Reader(Arc<Mutex<Option<Box<dyn AsyncRead + Send + Unpin>>>>),
}

pub(super) struct PlannedFile {
    /// The multipart filename: the file name, or `<directory>/<relative path>`.
    pub(super) part_name: String,
    pub(super) len: Option<u64>,
    pub(super) content: Content,
}

/// An upload ready to send.
pub(crate) struct Prepared {
    pub(super) files: Vec<PlannedFile>,
    /// The file or directory name.
    pub(crate) name: String,
    wrap: bool,
    /// The walk a directory upload sends, which also gives its DAG.
    walk: Option<DirectoryWalk>,
}

impl Prepared {
    /// Whether the body can be produced again for a retry.
    pub(crate) fn resendable(&self) -> bool {
        self.files
            .iter()
            .all(|file| matches!(file.content, Content::File(_)))
    }

    /// The file of a one-file upload from disk (not a reader, not a directory).
    pub(crate) fn single_file(&self) -> Option<&WalkedFile> {
        match self.files.as_slice() {
            [
                PlannedFile {
                    content: Content::File(walked),
                    ..
                },
            ] if self.walk.is_none() => Some(walked),
            _ => None,
        }
    }

    /// The reader of a one-reader upload, taken out (it can be read only once).
    pub(crate) fn take_single_reader(&self) -> Option<Box<dyn AsyncRead + Send + Unpin>> {
        match self.files.as_slice() {
            [
                PlannedFile {
                    content: Content::Reader(reader),
                    ..
                },
            ] => reader.lock().unwrap_or_else(|e| e.into_inner()).take(),
            _ => None,
        }
    }

    /// The symbolic links a directory upload leaves out.
    pub(crate) fn skipped_links(&self) -> Vec<SkippedLink> {
        self.walk
            .as_ref()
            .map_or_else(Vec::new, |walk| walk.skipped().to_vec())
    }

    /// Hashes every file from disk (for `skip_if_pinned`), in `versions`.
    pub(crate) async fn local_cids(&self, versions: &[CidVersion]) -> Result<Expected, Error> {
        let mut summaries = Vec::with_capacity(self.files.len());
        for file in &self.files {
            let Content::File(walked) = &file.content else {
                return Err(Error::invalid_input(
                    "skip_if_pinned",
                    "needs the content twice, which a reader cannot give: hash it yourself, or upload from a file",
                ));
            };
            let walked = walked.clone();
            let versions = versions.to_vec();
            let per_version = tokio::task::spawn_blocking(move || {
                let mut out = Vec::new();
                for version in versions {
                    let reader = std::io::BufReader::with_capacity(CHUNK_SIZE, walked.open()?);
                    let summary = crate::cid::hash_reader(reader, version)
                        .map_err(|e| Error::io(Some(walked.path.clone()), e))?;
                    walked.check_len(summary.byte_len)?;
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

    /// The root CIDs of the DAG the service builds from these file summaries (per
    /// file, in the order of the files, its summary in each version).
    pub(super) fn combine(
        &self,
        summaries: &[Vec<(CidVersion, FileSummary)>],
    ) -> Result<Expected, Error> {
        let mut expected = Expected { v0: None, v1: None };
        let versions: Vec<CidVersion> = summaries
            .first()
            .map(|s| s.iter().map(|(v, _)| *v).collect())
            .unwrap_or_default();
        for version in versions {
            let of_version = summaries
                .iter()
                .map(|per_file| {
                    per_file
                        .iter()
                        .find(|(v, _)| *v == version)
                        .map(|(_, s)| *s)
                        .ok_or_else(|| Error::invalid_input("verify", "a file was not hashed"))
                })
                .collect::<Result<Vec<FileSummary>, Error>>()?;
            let cid = match (&self.walk, of_version.as_slice()) {
                (Some(walk), _) => walk.assemble(version, &of_version)?.cid,
                (None, [file]) if self.wrap => {
                    let mut builder = DirectoryBuilder::new(version);
                    builder.add_file(&self.name, *file)?;
                    builder.finish().cid
                }
                (None, [file]) => file.cid,
                (None, _) => {
                    return Err(Error::invalid_input("verify", "one file was expected"));
                }
            };
            match version {
                CidVersion::V0 => expected.v0 = Some(cid),
                CidVersion::V1 => expected.v1 = Some(cid),
            }
        }
        Ok(expected)
    }

    /// Total bytes of file content, when every length is known.
    pub(crate) fn content_len(&self) -> Option<u64> {
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
            let walked = blocking(move || Ok(WalkedFile::named(&path)?)).await?;
            Ok(Prepared {
                files: vec![PlannedFile {
                    part_name: name.clone(),
                    len: Some(walked.len),
                    content: Content::File(walked),
                }],
                name,
                wrap,
                walk: None,
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
                    len,
                    content: Content::Reader(Arc::new(Mutex::new(Some(reader)))),
                }],
                name,
                wrap,
                walk: None,
            })
        }
        UploadSource::Directory(path) => directory(path, options).await,
    }
}

async fn directory(path: PathBuf, options: &UploadOptions) -> Result<Prepared, Error> {
    let walk_options = options.walk_options();
    let root = path.clone();
    let walk = blocking(move || {
        crate::cid::walk_directory(&root, &walk_options).map_err(|error| match error {
            crate::cid::CidError::NotADirectory { path } => Error::invalid_input(
                "directory",
                format!(
                    "{} is not a directory: use a file upload for files",
                    path.display()
                ),
            ),
            other => other.into(),
        })
    })
    .await?;
    let top = walk
        .name()
        .ok_or_else(|| {
            Error::invalid_input("path", format!("{} has no file name", path.display()))
        })?
        .to_owned();
    check_part_name(&top)?;
    if !walk.skipped().is_empty() {
        let links: Vec<String> = walk.skipped().iter().map(ToString::to_string).collect();
        // Callers get them in `Uploaded::skipped_links` (the CLI warns about them).
        tracing::info!(
            directory = %path.display(),
            "left out {} symbolic link(s): {}",
            links.len(),
            links.join(", ")
        );
    }
    if walk.files().is_empty() {
        return Err(Error::invalid_input(
            "directory",
            format!(
                "{} has no files to upload (hidden files are left out unless include_hidden(true), symbolic links unless follow_symlinks(true); empty directories cannot be uploaded)",
                path.display()
            ),
        ));
    }
    let files = walk
        .files()
        .iter()
        .map(|file| {
            let part_name = format!("{top}/{}", file.relative);
            check_part_name(&part_name)?;
            Ok(PlannedFile {
                part_name,
                len: Some(file.len),
                content: Content::File(file.clone()),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Prepared {
        files,
        name: top,
        wrap: options.wrap_with_directory,
        walk: Some(walk),
    })
}

/// Runs file system work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::invalid_input("directory walk", e.to_string()))?
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
