//! [`PinningService`], [`KeyManagement`] and [`FileUpload`] over Pinata v3: pins are the public network's files, named by
//! their file id (a CID is accepted too); keys are v3 keys, each capability mapped onto
//! the least `resources` scope; the credential check goes to the legacy route Pinata's
//! SDK also uses.

use std::path::PathBuf;

use futures::TryStreamExt;

use super::{Client, FileFilter, Network, PinByCidOptions, types};
use crate::Error;
use crate::scopes::pinata::PinataPermissions;
use crate::scopes::{Capability, Service};
use crate::service::{FileUpload, KeyInfo, KeyManagement, NewKey, PinInfo, PinningService};
use crate::upload::{UploadOptions, UploadSource, Uploaded};

fn pin_info(file: types::File) -> PinInfo {
    PinInfo {
        handle: file.id,
        cid: file.cid,
        name: file.name,
        size: file.size.and_then(|size| u64::try_from(size).ok()),
        pinned: true,
    }
}

fn uploaded(file: super::UploadedFile) -> Uploaded {
    let mut pinned = Uploaded::pinned(file.cid, file.size, Some(file.id), file.duplicate);
    pinned.verified = file.verified;
    pinned
}

impl Client {
    /// The public file a [`PinningService`] handle names: a file id, or a CID (its
    /// newest file).
    async fn public_file(&self, handle: &str) -> Result<types::File, Error> {
        let handle = handle.trim();
        if crate::cid::parse_input(handle).is_ok() {
            return self
                .file_by_cid(Network::Public, handle)
                .await?
                .ok_or_else(|| Error::NotFound {
                    service: Service::Pinata,
                    what: format!("public file of CID {handle}"),
                });
        }
        self.file(Network::Public, handle).await
    }
}

impl PinningService for Client {
    fn service(&self) -> Service {
        Service::Pinata
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        self.inner.legacy.test_authentication().await
    }

    async fn pin_cid(&self, cid: &str, name: Option<&str>) -> Result<(), Error> {
        let options = PinByCidOptions {
            name: name.map(str::to_owned),
            ..PinByCidOptions::default()
        };
        self.pin_by_cid(cid, options).await.map(drop)
    }

    async fn list_pins(&self) -> Result<Vec<PinInfo>, Error> {
        self.files(Network::Public, FileFilter::default().limit(1000))
            .map_ok(pin_info)
            .try_collect()
            .await
    }

    async fn get_pin(&self, handle: &str) -> Result<PinInfo, Error> {
        self.public_file(handle).await.map(pin_info)
    }

    async fn unpin(&self, handle: &str) -> Result<(), Error> {
        let file = self.public_file(handle).await?;
        self.delete_file(Network::Public, &file.id).await
    }
}

impl KeyManagement for Client {
    async fn create_key(&self, name: &str, capabilities: &[Capability]) -> Result<NewKey, Error> {
        let permissions = PinataPermissions::for_capabilities_v3(capabilities)?;
        Ok(NewKey::Pinata(
            self.create_api_key(name, &permissions, None).await?,
        ))
    }

    async fn list_keys(&self) -> Result<Vec<KeyInfo>, Error> {
        self.api_keys(None)
            .map_ok(|key| KeyInfo {
                handle: key.key,
                name: key.name.unwrap_or_default(),
                revoked: key.revoked,
            })
            .try_collect()
            .await
    }

    async fn revoke_key(&self, handle: &str) -> Result<(), Error> {
        self.revoke_api_key(handle).await
    }
}

impl FileUpload for Client {
    async fn pin_file(&self, path: PathBuf, options: UploadOptions) -> Result<Uploaded, Error> {
        self.upload(Network::Public, UploadSource::File(path), options)
            .await
            .map(uploaded)
    }

    async fn pin_directory(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        self.upload(Network::Public, UploadSource::Directory(path), options)
            .await
            .map(uploaded)
    }
}
