//! Uploads through v3 (`POST {uploads}/files`, multipart): a file, JSON or any
//! `AsyncRead`, public or private, streamed with constant memory by the same machinery
//! as the legacy uploads ([`crate::upload`]), the local CID computed while sending and
//! checked against the answer.
//!
//! A directory goes to the public network only, the way Pinata's SDK sends it: through
//! the legacy `pinFileToIPFS` (v3 takes one file per upload); a private directory is
//! refused before any request.

use serde_json::{Map, Value};

use super::{Client, Network};
use crate::Error;
use crate::scopes::Service;
use crate::upload::{self, Multipart, UploadOptions, UploadSource, Uploaded};
use pinion_rules::cid_version;

/// The largest file sent as one multipart request: Pinata's documented limit is
/// 100 MB (bytes, not MiB); larger files take TUS (see `tus`).
pub const MULTIPART_LIMIT: u64 = 100_000_000;

/// A file an upload created (or found: [`duplicate`](Self::duplicate)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadedFile {
    /// The file's id (for [`Client::file`], groups, updates).
    pub id: String,
    /// The root CID.
    pub cid: String,
    /// Its name.
    pub name: Option<String>,
    /// Its size in bytes, as the service says.
    pub size: Option<u64>,
    /// The network it is on.
    pub network: Network,
    /// Its group.
    pub group_id: Option<String>,
    /// The MIME type the service detected.
    pub mime_type: Option<String>,
    /// Its key-values.
    pub keyvalues: Map<String, Value>,
    /// Whether the account already had this CID.
    pub duplicate: Option<bool>,
    /// Whether the returned CID was checked against the one computed while sending.
    pub verified: bool,
    /// The offset a resumed upload started from (0: sent from the start; the file's
    /// length when the service already had all of it).
    pub resumed_from: u64,
    /// The request body bytes (TUS `PATCH` bodies, or the multipart body) this call
    /// handed to the connection, resends and bytes lost with a cut connection
    /// included, as counted by the client (0 for a directory, which the legacy
    /// upload sends).
    pub bytes_sent: u64,
}

/// Key-values as v3 stores them: strings (numbers and booleans written out).
pub(super) fn string_keyvalues(keyvalues: Map<String, Value>) -> Map<String, Value> {
    keyvalues
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            (key, Value::String(text))
        })
        .collect()
}

impl UploadedFile {
    /// The file `record` (of CID `cid`, on `network`), neither verified nor resumed,
    /// with no bytes sent.
    pub(super) fn from_record(record: super::types::File, cid: String, network: Network) -> Self {
        Self {
            id: record.id,
            cid,
            name: record.name,
            size: record.size.and_then(|size| u64::try_from(size).ok()),
            network,
            group_id: record.group_id,
            mime_type: record.mime_type,
            keyvalues: record.keyvalues.map(Into::into).unwrap_or_default(),
            duplicate: None,
            verified: false,
            resumed_from: 0,
            bytes_sent: 0,
        }
    }

    /// The upload's answer, its CID checked against the local one (`expected`)
    /// unless verification is off.
    pub(super) fn checked(
        file: pinion_api::pinata_v3_uploads::types::UploadedFile,
        network: Network,
        options: &UploadOptions,
        multipart: &Multipart,
        expected: Option<crate::cid::Expected>,
    ) -> Result<Self, Error> {
        let pinned = Uploaded::pinned(
            file.cid.clone(),
            file.size.and_then(|size| u64::try_from(size).ok()),
            Some(file.id.clone()),
            file.is_duplicate,
        );
        let checked = upload::finish(Service::Pinata, options, multipart, expected, pinned)?;
        Ok(Self {
            id: file.id,
            cid: file.cid,
            name: file.name,
            size: checked.size,
            network,
            group_id: file.group_id,
            mime_type: file.mime_type,
            keyvalues: file.keyvalues,
            duplicate: file.is_duplicate,
            verified: checked.verified,
            resumed_from: 0,
            bytes_sent: multipart.bytes_sent(),
        })
    }
}

impl Client {
    /// Uploads `source` to `network` (`POST {uploads}/files`), streamed.
    ///
    /// [`UploadOptions`] name the file, its group and key-values and the CID version
    /// (v1 unless set); [`UploadOptions::verify`] (on by default) checks the returned
    /// CID against the one computed while sending. A directory goes public only
    /// (through the legacy `pinFileToIPFS`, as Pinata's SDK does); a private directory,
    /// and [`UploadOptions::wrap_with_directory`], are refused before any request.
    ///
    /// A file above [`MULTIPART_LIMIT`], or any file with
    /// [`UploadOptions::resumable`], goes over TUS: it survives cut connections, and
    /// with [`UploadOptions::on_resume_handle`] another process can continue it
    /// ([`resume_upload`](Self::resume_upload)).
    pub async fn upload(
        &self,
        network: Network,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<UploadedFile, Error> {
        if let UploadSource::Directory(path) = source {
            options.refuse_tus(
                "a directory upload (one multipart request, as Pinata's SDK sends it)",
            )?;
            return self.upload_directory(network, path, options).await;
        }
        if options.wrap_with_directory {
            return Err(Error::invalid_input(
                "wrap_with_directory",
                "Pinata v3 stores one file per upload and cannot wrap it in a directory: upload a directory instead, or use the legacy API",
            ));
        }
        if options.skip_if_pinned {
            return Err(Error::invalid_input(
                "skip_if_pinned",
                "is not offered over v3, which reports duplicates itself (`duplicate` in the result)",
            ));
        }
        let chunk = options.checked_tus_chunk()?;
        if matches!(source, UploadSource::Reader { .. })
            && (options.resumable || options.resume_handle.is_some())
        {
            return Err(Error::invalid_input(
                if options.resumable {
                    "resumable"
                } else {
                    "on_resume_handle"
                },
                "a reader cannot be read again, so its upload cannot be resumed: upload a file from disk",
            ));
        }
        let prepared = upload::prepare(source, &options).await?;
        let keyvalues = string_keyvalues(
            options.checked_keyvalues(Some(pinion_rules::metadata::MAX_KEYVALUES))?,
        );
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| prepared.name.clone());
        crate::args::non_empty("name", &name)?;
        if let Some(group) = &options.group_id {
            crate::args::non_empty("group id", group)?;
        }
        let version = options.cid_version.unwrap_or(cid_version::V3_DEFAULT);
        let over_tus = prepared
            .content_len()
            .filter(|len| *len > MULTIPART_LIMIT || (options.resumable && *len > 0));
        if let Some(len) = over_tus {
            let mut draft = None;
            let source = match prepared.single_file() {
                Some(walked) => {
                    let identity = super::resume::FileIdentity::of(&walked.path)?;
                    draft = Some(
                        super::resume::HandleDraft {
                            file: identity.clone(),
                            network,
                            name: name.clone(),
                            group_id: options.group_id.clone(),
                            keyvalues: keyvalues.clone(),
                            cid_version: version,
                            chunk_size: chunk,
                        }
                        .checked()?,
                    );
                    super::tus_source::TusSource::file(walked, identity)?
                }
                None => match prepared.take_single_reader() {
                    Some(reader) => super::tus_source::TusSource::reader(reader, len),
                    None => {
                        return Err(Error::invalid_input(
                            "upload",
                            format!(
                                "{len} bytes is above Pinata's multipart limit of {MULTIPART_LIMIT} bytes, so it goes over TUS, which takes one file or one reader"
                            ),
                        ));
                    }
                },
            };
            let upload = super::tus::TusUpload {
                network,
                name,
                group_id: options.group_id.clone(),
                keyvalues,
                version,
                chunk,
                options: &options,
                draft,
            };
            return self.upload_tus(&source, upload).await;
        }
        let mut multipart = Multipart::new(prepared, "file");
        multipart.field("network", network.to_string());
        multipart.field("name", name);
        if let Some(group) = &options.group_id {
            multipart.field("group_id", group.clone());
        }
        if !keyvalues.is_empty() {
            multipart.field("keyvalues", Value::Object(keyvalues).to_string());
        }
        multipart.field("cid_version", cid_version::field(version));
        let versions = upload::versions_to_hash(&options, Some(version));
        let url = format!("{}/files", self.inner.uploads_url);
        let (answer, expected): (pinion_api::pinata_v3_uploads::types::UploadResponse, _) =
            upload::send(
                self.engine(),
                self.http(),
                &url,
                super::operation("upload_file"),
                &multipart,
                &versions,
                &options,
                &self.inner.connection.credentials,
            )
            .await?;
        UploadedFile::checked(answer.data, network, &options, &multipart, expected)
    }

    /// Uploads one file from disk to `network`; see [`upload`](Self::upload).
    pub async fn upload_file(
        &self,
        network: Network,
        path: impl Into<std::path::PathBuf>,
        options: UploadOptions,
    ) -> Result<UploadedFile, Error> {
        self.upload(network, UploadSource::File(path.into()), options)
            .await
    }

    /// Uploads a JSON document to `network` as a file (named `data.json` unless
    /// [`UploadOptions::name`] says otherwise).
    pub async fn upload_json(
        &self,
        network: Network,
        document: &Value,
        options: UploadOptions,
    ) -> Result<UploadedFile, Error> {
        let bytes = serde_json::to_vec(document)
            .map_err(|e| Error::invalid_input("JSON document", e.to_string()))?;
        let len = bytes.len() as u64;
        let source = UploadSource::Reader {
            name: "data.json".to_owned(),
            reader: Box::new(std::io::Cursor::new(bytes)),
            len: Some(len),
        };
        self.upload(network, source, options).await
    }

    /// A directory: public only, through the legacy `pinFileToIPFS` (as Pinata's SDK
    /// does), then its v3 file record.
    async fn upload_directory(
        &self,
        network: Network,
        path: std::path::PathBuf,
        options: UploadOptions,
    ) -> Result<UploadedFile, Error> {
        if network == Network::Private {
            return Err(Error::invalid_input(
                "private directory",
                format!(
                    "{}: Pinata's private network takes single files only (its v3 upload carries one file, and directories go through the public-only legacy upload): upload the directory to the public network, or its files one by one",
                    path.display()
                ),
            ));
        }
        let pinned = self.inner.legacy.pin_directory(path, options).await?;
        let record = self
            .file_by_cid(Network::Public, &pinned.cid)
            .await?
            .ok_or_else(|| Error::NotFound {
                service: Service::Pinata,
                what: format!(
                    "v3 file record of the directory just pinned as {}",
                    pinned.cid
                ),
            })?;
        Ok(UploadedFile {
            id: record.id,
            cid: pinned.cid,
            name: record.name,
            size: pinned.size,
            network,
            group_id: record.group_id,
            mime_type: record.mime_type,
            keyvalues: record.keyvalues.map(Into::into).unwrap_or_default(),
            duplicate: pinned.duplicate,
            verified: pinned.verified,
            resumed_from: 0,
            // Sent by the legacy upload, which does not count them.
            bytes_sent: 0,
        })
    }

    /// The newest file of `cid` on `network`, if any.
    pub async fn file_by_cid(
        &self,
        network: Network,
        cid: &str,
    ) -> Result<Option<super::types::File>, Error> {
        let filter = super::FileFilter::default().cid(cid).limit(1);
        let page = self.files_page(network, &filter, None).await?;
        Ok(page.files.into_rows()?.into_iter().next())
    }
}
