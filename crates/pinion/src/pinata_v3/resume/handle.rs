//! [`ResumeHandle`]: what another process needs to continue a TUS upload, and its
//! versioned JSON form.

use std::fmt;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::identity::FileIdentity;
use crate::Error;
use crate::cid::CidVersion;
use crate::pinata_v3::{Network, TUS_CHUNK};
use crate::upload::MIN_TUS_CHUNK;

/// The version of the JSON form written by [`ResumeHandle::to_json`].
const FORMAT_VERSION: u64 = 1;

/// Everything needed to continue an unfinished TUS upload, in this process or another:
/// the upload's URL, the file (canonical path, length, modification time and, on unix,
/// device and inode, to refuse a file that changed since) and the upload's options
/// (network, name, group, key-values, CID version, chunk size).
///
/// The upload URL is a **secret**: it authorises the upload by itself where the
/// upload was created from a presigned URL. `Debug` leaves it out; the JSON of
/// [`to_json`](Self::to_json) holds it, so store that where only its owner can read
/// it (mode 0600).
///
/// Given to [`UploadOptions::on_resume_handle`](crate::upload::UploadOptions::on_resume_handle)
/// callbacks, continued by
/// [`Client::resume_upload`](crate::pinata_v3::Client::resume_upload).
#[derive(Clone)]
pub struct ResumeHandle {
    pub(crate) url: SecretString,
    pub(crate) file: FileIdentity,
    pub(crate) network: Network,
    pub(crate) name: String,
    pub(crate) group_id: Option<String>,
    pub(crate) keyvalues: Map<String, Value>,
    pub(crate) cid_version: CidVersion,
    pub(crate) chunk_size: u64,
}

/// The handle's upload options, before the service gave the upload a URL.
#[derive(Debug, Clone)]
pub(crate) struct HandleDraft {
    pub(crate) file: FileIdentity,
    pub(crate) network: Network,
    pub(crate) name: String,
    pub(crate) group_id: Option<String>,
    pub(crate) keyvalues: Map<String, Value>,
    pub(crate) cid_version: CidVersion,
    pub(crate) chunk_size: u64,
}

impl HandleDraft {
    /// Refuses what the JSON form could not hold (a path that is not UTF-8), before
    /// any request.
    pub(crate) fn checked(self) -> Result<Self, Error> {
        if self.file.path.to_str().is_none() {
            return Err(Error::invalid_input(
                "resumable upload",
                format!(
                    "the path {} is not UTF-8, so its resume handle could not be saved: move the file to a UTF-8 path",
                    self.file.path.display()
                ),
            ));
        }
        Ok(self)
    }

    /// The handle of the upload at `url`.
    pub(crate) fn with_url(&self, url: &str) -> ResumeHandle {
        ResumeHandle {
            url: SecretString::from(url.to_owned()),
            file: self.file.clone(),
            network: self.network,
            name: self.name.clone(),
            group_id: self.group_id.clone(),
            keyvalues: self.keyvalues.clone(),
            cid_version: self.cid_version,
            chunk_size: self.chunk_size,
        }
    }
}

/// The JSON form, version 1.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HandleJson {
    version: u64,
    upload_url: String,
    file: FileIdentity,
    network: String,
    name: String,
    #[serde(default)]
    group_id: Option<String>,
    #[serde(default)]
    keyvalues: Map<String, Value>,
    cid_version: String,
    chunk_size: u64,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::invalid_input("resume handle", why)
}

impl ResumeHandle {
    /// The handle as versioned JSON (`{"version":1,…}`), for another process's
    /// [`from_json`](Self::from_json). It holds the upload URL, a secret: store it
    /// privately.
    pub fn to_json(&self) -> String {
        let json = HandleJson {
            version: FORMAT_VERSION,
            upload_url: self.url.expose_secret().to_owned(),
            file: self.file.clone(),
            network: self.network.to_string(),
            name: self.name.clone(),
            group_id: self.group_id.clone(),
            keyvalues: self.keyvalues.clone(),
            cid_version: pinion_rules::cid_version::field(self.cid_version).to_owned(),
            chunk_size: self.chunk_size,
        };
        // Only strings, numbers and maps of JSON values, and a path checked to be
        // UTF-8 when the handle was made: serialising cannot fail.
        serde_json::to_string(&json).unwrap_or_default()
    }

    /// Reads a handle written by [`to_json`](Self::to_json); an
    /// [`Error::InvalidInput`] says what is wrong (not JSON, another format version, a
    /// missing or malformed field).
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| invalid(format!("it is not JSON ({e})")))?;
        match value.get("version") {
            None => return Err(invalid("it has no `version`: it is not a resume handle")),
            Some(version) if version.as_u64() == Some(FORMAT_VERSION) => {}
            Some(version) => {
                return Err(invalid(format!(
                    "its format version is {version}, and this pinion reads version {FORMAT_VERSION}: resume it with the pinion that wrote it, or start the upload again"
                )));
            }
        }
        let json: HandleJson =
            serde_json::from_value(value).map_err(|e| invalid(scrubbed(e.to_string())))?;
        let url = url::Url::parse(&json.upload_url)
            .map_err(|e| invalid(format!("its `upload_url` is not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("its `upload_url` is not an http(s) URL"));
        }
        let network = json
            .network
            .parse::<Network>()
            .map_err(|_| invalid("its `network` is neither `public` nor `private`"))?;
        let cid_version = match json.cid_version.as_str() {
            "v0" => CidVersion::V0,
            "v1" => CidVersion::V1,
            _ => return Err(invalid("its `cid_version` is neither `v0` nor `v1`")),
        };
        if !(MIN_TUS_CHUNK..=TUS_CHUNK).contains(&json.chunk_size) {
            return Err(invalid(format!(
                "its `chunk_size` {} is outside {MIN_TUS_CHUNK}..={TUS_CHUNK}",
                json.chunk_size
            )));
        }
        if json.name.is_empty() {
            return Err(invalid("its `name` is empty"));
        }
        if !json.file.path.is_absolute() {
            return Err(invalid("its file path is not absolute"));
        }
        if json.file.modified_nanos >= 1_000_000_000 {
            return Err(invalid(
                "its file modification time has more than 1e9 nanoseconds",
            ));
        }
        Ok(Self {
            url: SecretString::from(json.upload_url),
            file: json.file,
            network,
            name: json.name,
            group_id: json.group_id,
            keyvalues: json.keyvalues,
            cid_version,
            chunk_size: json.chunk_size,
        })
    }

    /// The file being uploaded (its canonical path).
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The file's length in bytes, which the upload sends.
    pub fn len(&self) -> u64 {
        self.file.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.file.len == 0
    }

    /// The network the file goes to.
    pub fn network(&self) -> Network {
        self.network
    }

    /// The file's name on the service.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The group the file goes to, if any.
    pub fn group_id(&self) -> Option<&str> {
        self.group_id.as_deref()
    }

    /// The file's key-values.
    pub fn keyvalues(&self) -> &Map<String, Value> {
        &self.keyvalues
    }

    /// The CID version asked for.
    pub fn cid_version(&self) -> CidVersion {
        self.cid_version
    }

    /// The size of each `PATCH`.
    pub fn chunk_size(&self) -> u64 {
        self.chunk_size
    }

    /// The upload URL (a secret: never log it).
    pub(crate) fn url(&self) -> &str {
        self.url.expose_secret()
    }
}

/// A serde error's text without any string value it quotes (`invalid type: string
/// "…"`): a misplaced upload URL must not end up in an error.
fn scrubbed(text: String) -> String {
    match (text.find('"'), text.rfind('"')) {
        (Some(start), Some(end)) if end > start => {
            format!("{}\"…\"{}", &text[..start], &text[end + 1..])
        }
        _ => text,
    }
}

impl fmt::Debug for ResumeHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResumeHandle")
            .field("upload_url", &"[redacted]")
            .field("file", &self.file)
            .field("network", &self.network)
            .field("name", &self.name)
            .field("group_id", &self.group_id)
            .field("keyvalues", &self.keyvalues)
            .field("cid_version", &self.cid_version)
            .field("chunk_size", &self.chunk_size)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "c2VjcmV0LXVwbG9hZC10b2tlbg";

    fn handle() -> ResumeHandle {
        HandleDraft {
            file: FileIdentity {
                path: "/data/big.bin".into(),
                len: 42,
                modified_secs: 1_700_000_000,
                modified_nanos: 123_456_789,
                dev: Some(1),
                ino: Some(2),
            },
            network: Network::Private,
            name: "big.bin".to_owned(),
            group_id: Some("g".to_owned()),
            keyvalues: serde_json::from_str(r#"{"env":"prod"}"#).unwrap(),
            cid_version: CidVersion::V0,
            chunk_size: 8 * 1024 * 1024,
        }
        .checked()
        .unwrap()
        .with_url(&format!("https://uploads.example/v3/files/f/{TOKEN}"))
    }

    fn edited(edit: impl FnOnce(&mut Value)) -> String {
        let mut json: Value = serde_json::from_str(&handle().to_json()).unwrap();
        edit(&mut json);
        json.to_string()
    }

    fn refusal(json: &str) -> String {
        let error = ResumeHandle::from_json(json).unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        let text = error.to_string();
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!format!("{error:?}").contains(TOKEN), "{error:?}");
        text
    }

    #[test]
    fn the_json_form_round_trips_and_is_versioned() {
        let original = handle();
        let json = original.to_json();
        assert!(json.starts_with(r#"{"version":1,"#), "{json}");
        let read = ResumeHandle::from_json(&json).unwrap();
        assert_eq!(read.url(), original.url());
        assert_eq!(read.file, original.file);
        assert_eq!(read.path(), Path::new("/data/big.bin"));
        assert_eq!(read.len(), 42);
        assert_eq!(read.network(), Network::Private);
        assert_eq!(read.group_id(), Some("g"));
        assert_eq!(read.keyvalues()["env"], "prod");
        assert_eq!(read.cid_version(), CidVersion::V0);
        assert_eq!(read.chunk_size(), 8 * 1024 * 1024);
        assert_eq!(read.to_json(), json);
    }

    #[test]
    fn debug_leaves_the_upload_url_out() {
        let debug = format!("{:?}", handle());
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(!debug.contains("uploads.example"), "{debug}");
        assert!(debug.contains("big.bin"), "{debug}");
    }

    #[test]
    fn malformed_handles_are_refused_saying_what_is_wrong() {
        assert!(refusal("not json").contains("not JSON"));
        assert!(refusal("{}").contains("no `version`"));
        assert!(refusal(&edited(|j| j["version"] = 2.into())).contains("version is 2"));
        assert!(
            refusal(&edited(|j| {
                j.as_object_mut().unwrap().remove("name");
            }))
            .contains("missing field `name`")
        );
        assert!(refusal(&edited(|j| j["surprise"] = 1.into())).contains("surprise"));
        assert!(refusal(&edited(|j| j["network"] = "moon".into())).contains("network"));
        assert!(refusal(&edited(|j| j["cid_version"] = "v9".into())).contains("cid_version"));
        assert!(refusal(&edited(|j| j["chunk_size"] = 1.into())).contains("chunk_size"));
        assert!(refusal(&edited(|j| j["upload_url"] = "ftp://x/y".into())).contains("http"));
        assert!(refusal(&edited(|j| j["file"]["path"] = "relative".into())).contains("absolute"));
        // A misplaced URL (a string where a number goes) is not echoed.
        let misplaced = edited(|j| {
            j["chunk_size"] = format!("https://uploads.example/v3/files/f/{TOKEN}").into()
        });
        assert!(refusal(&misplaced).contains("invalid type"));
    }
}
