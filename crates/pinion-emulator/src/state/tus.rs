//! Pinata v3's resumable uploads and presigned upload URLs as rows: a TUS upload in
//! progress (or finished) and the grant a signed upload URL stands for. Both persist
//! with `--state-dir` like every other table, so an unfinished upload resumes after a
//! restart and a signed URL stays valid until it expires.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Data, Table, load_table};
use crate::EmulatorError;
use crate::store::{Record, Store};

/// Loads the stored uploads and grants.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<TusUpload>(store, data)?;
    load_table::<UploadGrant>(store, data)
}

/// The v3 upload rows.
#[derive(Default)]
pub(crate) struct TusData {
    /// TUS uploads by file id.
    pub(crate) uploads: BTreeMap<String, TusUpload>,
    /// Signed upload URL grants by their id (the uuid in the URL's path).
    pub(crate) grants: BTreeMap<String, UploadGrant>,
}

/// What a TUS upload becomes once complete: the fields of the file record, from the
/// creation's `Upload-Metadata` (or from the signed URL it was created against).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UploadMetadata {
    /// `filename`: the record's name.
    pub(crate) filename: Option<String>,
    /// `filetype`: the MIME type the client declared (empty when it sent none).
    pub(crate) filetype: Option<String>,
    /// `network`: `public` or `private`.
    pub(crate) network: Option<String>,
    /// `group_id`.
    pub(crate) group_id: Option<String>,
    /// `keyvalues`, decoded from its JSON string.
    pub(crate) keyvalues: BTreeMap<String, String>,
    /// `cid_version` (or the `X-Upload-Option-Cid-Version` query): `v0` or `v1`.
    pub(crate) cid_version: Option<String>,
    /// `expires_at`: unix seconds.
    pub(crate) expires_at: Option<i64>,
    /// `car`: the bytes are a CAR file.
    pub(crate) car: bool,
    /// `streamable`: accepted and kept; Pinata documents no effect.
    pub(crate) streamable: bool,
}

/// Who may continue a TUS upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum UploadAuthority {
    /// Created with a key's JWT: that key (and the capability token in the path).
    Key {
        /// The creating key's id.
        key: String,
    },
    /// Created against a signed upload URL: the capability token in the path alone,
    /// as `pinata/react` PATCHes the `Location` without any `Authorization`.
    Grant {
        /// The grant's id.
        grant: String,
    },
}

/// One TUS upload.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TusUpload {
    /// The file id (UUIDv7): the first path segment after `/files/` in `Location`, and
    /// the id of the file record it becomes.
    pub(crate) id: String,
    /// The capability secret: the last path segment of `Location` (64 hex).
    pub(crate) token: String,
    /// `Upload-Length`.
    pub(crate) length: u64,
    /// Bytes durably written to the partial file (synced before this was recorded).
    pub(crate) offset: u64,
    /// What the file record will say.
    pub(crate) metadata: UploadMetadata,
    /// Who may continue it.
    pub(crate) authority: UploadAuthority,
    /// Creation time, unix seconds (emulator clock).
    pub(crate) created_at: i64,
    /// The file's CID once the last byte arrived and the record exists.
    pub(crate) cid: Option<String>,
}

impl std::fmt::Debug for TusUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token authorizes writes: never printed.
        f.debug_struct("TusUpload")
            .field("id", &self.id)
            .field("token", &"[redacted]")
            .field("length", &self.length)
            .field("offset", &self.offset)
            .field("metadata", &self.metadata)
            .field("authority", &self.authority)
            .field("created_at", &self.created_at)
            .field("cid", &self.cid)
            .finish()
    }
}

impl TusUpload {
    /// Whether every byte arrived and the record exists.
    pub(crate) fn is_complete(&self) -> bool {
        self.cid.is_some()
    }
}

impl Record for TusUpload {
    const TABLE: &'static str = "pinata_v3_tus_uploads";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for TusUpload {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.tus.uploads
    }
}

/// What a signed upload URL allows: stored by its id, since the URL itself carries
/// only the id, the dates and the signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UploadGrant {
    /// The uuid in the URL's path.
    pub(crate) id: String,
    /// `date` signed (echoed as `X-Date`; the signature's check enforces the expiry).
    pub(crate) date: i64,
    /// `expires` signed (seconds after `date`, echoed as `X-Expires`).
    pub(crate) expires: i64,
    /// The network uploads through it go to.
    pub(crate) network: Option<String>,
    /// The name the file gets.
    pub(crate) filename: Option<String>,
    /// The group the file joins.
    pub(crate) group_id: Option<String>,
    /// The key-values the file gets.
    pub(crate) keyvalues: BTreeMap<String, String>,
    /// Largest upload allowed, in bytes.
    pub(crate) max_file_size: Option<u64>,
    /// MIME types allowed (`image/*`, `*`, the synthetic `directory`); none: any.
    pub(crate) allow_mime_types: Option<Vec<String>>,
    /// `streamable`, kept for the record.
    pub(crate) streamable: bool,
    /// The id of the key that signed it.
    pub(crate) key: String,
}

impl Record for UploadGrant {
    const TABLE: &'static str = "pinata_v3_upload_grants";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for UploadGrant {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.tus.grants
    }
}
