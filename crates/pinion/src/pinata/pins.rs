//! Pinning on Pinata: uploads of files and directories, JSON documents, pins of CIDs
//! already on IPFS, and unpinning.

use serde_json::{Map, Value};

use super::metadata::pinata_metadata;
use super::{Client, types};
use crate::Error;
use crate::args::{non_empty, rule};
use crate::cid::CidVersion;
use crate::operations;
use crate::scopes::Service;
use crate::upload::{self, Multipart, UploadOptions, UploadSource, Uploaded};

/// Options of [`Client::pin_json`] and [`Client::pin_by_hash`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PinOptions {
    /// The pin's name.
    pub name: Option<String>,
    /// Key-values (strings, numbers or booleans; at most 10).
    pub keyvalues: Map<String, Value>,
    /// CID version of the result (`pin_json` only).
    pub cid_version: Option<CidVersion>,
    /// Add the pin to this group.
    pub group_id: Option<String>,
    /// Peers that hold the content (`pin_by_hash` only; at most 5 multiaddrs).
    pub host_nodes: Vec<String>,
}

fn cid_number(version: CidVersion) -> i64 {
    match version {
        CidVersion::V0 => 0,
        CidVersion::V1 => 1,
    }
}

fn json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::invalid_input("metadata", e.to_string()))
}

impl Client {
    /// Uploads and pins `source` (`POST /pinning/pinFileToIPFS`), streamed.
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        options.refuse_tus("Pinata's legacy pinFileToIPFS")?;
        let prepared = upload::prepare(source, &options).await?;
        if options.skip_if_pinned {
            let versions = upload::versions_to_hash(&options, None);
            let expected = prepared.local_cids(&versions).await?;
            for cid in [expected.v0, expected.v1].into_iter().flatten() {
                if self.is_pinned(&cid.to_string()).await? {
                    return Ok(Uploaded::already_pinned(cid.to_string(), None, None));
                }
            }
        }
        let keyvalues = options.checked_keyvalues(Some(pinion_rules::metadata::MAX_KEYVALUES))?;
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| prepared.name.clone());
        let meta = pinata_metadata(Some(&name), &keyvalues)?;
        let mut pin_options = types::PinataOptions {
            cid_version: options.cid_version.map(cid_number),
            wrap_with_directory: options.wrap_with_directory.then_some(true),
            ..types::PinataOptions::default()
        };
        if let Some(group) = &options.group_id {
            non_empty("group id", group)?;
            pin_options.group_id = Some(group.clone());
        }
        let mut multipart = Multipart::new(prepared, "file");
        multipart.field("pinataOptions", json(&pin_options)?);
        multipart.field("pinataMetadata", json(&meta)?);
        let versions = upload::versions_to_hash(&options, None);
        let url = format!("{}/pinning/pinFileToIPFS", self.inner.base_url);
        let operation = operations::lookup(Service::Pinata, "pin_file_to_ipfs");
        let (answer, expected): (types::PinResponse, _) = upload::send(
            self.engine(),
            &self.inner.http,
            &url,
            operation,
            &multipart,
            &versions,
            &options,
            &self.inner.credentials,
        )
        .await?;
        let pinned = Uploaded::pinned(
            answer.ipfs_hash,
            u64::try_from(answer.pin_size).ok(),
            None,
            answer.is_duplicate,
        );
        upload::finish(Service::Pinata, &options, &multipart, expected, pinned)
    }

    /// Uploads and pins one file.
    pub async fn pin_file(
        &self,
        path: impl Into<std::path::PathBuf>,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        self.upload(UploadSource::File(path.into()), options).await
    }

    /// Uploads and pins a directory, recursively.
    pub async fn pin_directory(
        &self,
        path: impl Into<std::path::PathBuf>,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        self.upload(UploadSource::Directory(path.into()), options)
            .await
    }

    /// Pins a JSON document (`POST /pinning/pinJSONToIPFS`).
    pub async fn pin_json(
        &self,
        content: Map<String, Value>,
        options: PinOptions,
    ) -> Result<types::PinResponse, Error> {
        let mut body = types::PinJsonRequest {
            pinata_content: content,
            pinata_metadata: Some(pinata_metadata(
                options.name.as_deref(),
                &options.keyvalues,
            )?),
            pinata_options: None,
        };
        if options.cid_version.is_some() || options.group_id.is_some() {
            body.pinata_options = Some(types::PinataOptions {
                cid_version: options.cid_version.map(cid_number),
                group_id: options.group_id.clone(),
                ..types::PinataOptions::default()
            });
        }
        self.engine()
            .call(self.api().pin_json_to_ipfs().body(body).send())
            .await
    }

    /// Queues a job that pins a CID already on IPFS (`POST /pinning/pinByHash`).
    pub async fn pin_by_hash(
        &self,
        cid: &str,
        options: PinOptions,
    ) -> Result<types::PinByHashResponse, Error> {
        let cid = crate::cid::parse_input(cid)?;
        pinion_rules::host_nodes::check_host_nodes(&options.host_nodes).map_err(rule)?;
        let pin_options = types::PinByHashOptions {
            host_nodes: options.host_nodes.clone(),
            group_id: options.group_id.clone(),
            ..types::PinByHashOptions::default()
        };
        let body = types::PinByHashRequest {
            hash_to_pin: cid.to_string(),
            pinata_metadata: Some(pinata_metadata(
                options.name.as_deref(),
                &options.keyvalues,
            )?),
            pinata_options: Some(pin_options),
        };
        self.engine()
            .call(self.api().pin_by_hash().body(body).send())
            .await
    }

    /// Unpins a CID (`DELETE /pinning/unpin/{cid}`). A retry that finds the pin already
    /// gone (an earlier attempt unpinned it but its answer was lost) is a success.
    pub async fn unpin(&self, cid: &str) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?;
        self.engine()
            .call_removal(self.api().unpin().cid(cid.to_string()).send())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::PinataCredentials;

    #[tokio::test]
    async fn bad_host_nodes_are_refused_before_any_request() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9")
            .credentials(PinataCredentials::jwt("a.b.c"))
            .build()
            .unwrap();
        let cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        let options = |nodes: &[&str]| PinOptions {
            host_nodes: nodes.iter().map(|n| (*n).to_owned()).collect(),
            ..PinOptions::default()
        };
        let error = client
            .pin_by_hash(cid, options(&["/ip4/1.2.3.4/tcp/4001"; 6]))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("at most 5"), "{error}");
        let error = client
            .pin_by_hash(cid, options(&["1.2.3.4:4001"]))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("multiaddr"), "{error}");
    }
}
