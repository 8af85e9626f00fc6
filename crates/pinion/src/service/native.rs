//! [`PinningService`], [`KeyManagement`] and [`FileUpload`] on the legacy Pinata and
//! W3IPFS clients, which have them all.

use std::path::PathBuf;

use futures::{StreamExt, TryStreamExt};

use super::{FileUpload, KeyInfo, KeyManagement, NewKey, PinInfo, PinningService};
use crate::Error;
use crate::neutral::{pinata_key, pinata_pin, w3ipfs_key, w3ipfs_pin};
use crate::scopes::pinata::PinataPermissions;
use crate::scopes::w3ipfs::W3ipfsScopes;
use crate::scopes::{Capability, Service};
use crate::upload::{UploadOptions, Uploaded};
use crate::{pinata, w3ipfs};

fn pin_id(handle: &str) -> Result<uuid::Uuid, Error> {
    uuid::Uuid::parse_str(handle.trim()).map_err(|_| {
        Error::invalid_input(
            "pin id",
            format!("`{handle}` is not a W3IPFS pin id (a UUID)"),
        )
    })
}

impl PinningService for pinata::Client {
    fn service(&self) -> Service {
        Service::Pinata
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        pinata::Client::test_authentication(self).await
    }

    async fn pin_cid(&self, cid: &str, name: Option<&str>) -> Result<(), Error> {
        let options = pinata::PinOptions {
            name: name.map(str::to_owned),
            ..pinata::PinOptions::default()
        };
        self.pin_by_hash(cid, options).await.map(drop)
    }

    async fn list_pins(&self) -> Result<Vec<PinInfo>, Error> {
        let filter = pinata::PinListFilter {
            status: Some(pinata::types::PinListStatus::Pinned),
            page_size: Some(1000),
            ..pinata::PinListFilter::default()
        };
        self.pins(filter).map(pinata_pin).try_collect().await
    }

    async fn get_pin(&self, handle: &str) -> Result<PinInfo, Error> {
        let filter = pinata::PinListFilter {
            cid: Some(handle.to_owned()),
            page_size: Some(10),
            ..pinata::PinListFilter::default()
        };
        let rows = self.pins_page(&filter, 0).await?.rows;
        let wanted = handle.trim();
        let mut records = rows
            .into_iter()
            .map(pinata_pin)
            .collect::<Result<Vec<_>, _>>()?;
        records.retain(|pin| pin.cid == wanted);
        // A CID pinned, unpinned and pinned again has a record per pin: the current
        // one first.
        records.sort_by_key(|pin| !pin.pinned);
        records.into_iter().next().ok_or_else(|| Error::NotFound {
            service: Service::Pinata,
            what: format!("pin of CID {wanted}"),
        })
    }

    async fn unpin(&self, handle: &str) -> Result<(), Error> {
        pinata::Client::unpin(self, handle).await
    }
}

impl KeyManagement for pinata::Client {
    async fn create_key(&self, name: &str, capabilities: &[Capability]) -> Result<NewKey, Error> {
        let permissions = PinataPermissions::for_capabilities(capabilities)?;
        Ok(NewKey::Pinata(
            self.generate_api_key(name, permissions, None).await?,
        ))
    }

    async fn list_keys(&self) -> Result<Vec<KeyInfo>, Error> {
        self.api_keys().map(pinata_key).try_collect().await
    }

    async fn revoke_key(&self, handle: &str) -> Result<(), Error> {
        self.revoke_api_key(handle).await
    }
}

impl FileUpload for pinata::Client {
    async fn pin_file(&self, path: PathBuf, options: UploadOptions) -> Result<Uploaded, Error> {
        pinata::Client::pin_file(self, path, options).await
    }

    async fn pin_directory(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        pinata::Client::pin_directory(self, path, options).await
    }
}

impl PinningService for w3ipfs::Client {
    fn service(&self) -> Service {
        Service::W3ipfs
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        w3ipfs::Client::test_authentication(self).await
    }

    async fn pin_cid(&self, cid: &str, name: Option<&str>) -> Result<(), Error> {
        self.pin_by_hash(cid, name, serde_json::Map::new())
            .await
            .map(drop)
    }

    async fn list_pins(&self) -> Result<Vec<PinInfo>, Error> {
        let filter = w3ipfs::ListFilter {
            pinned: Some(w3ipfs::types::PinnedFilter::True),
            page_size: Some(100),
            ..w3ipfs::ListFilter::default()
        };
        self.pins(filter).map(w3ipfs_pin).try_collect().await
    }

    async fn get_pin(&self, handle: &str) -> Result<PinInfo, Error> {
        w3ipfs_pin(Ok(w3ipfs::Client::get_pin(self, pin_id(handle)?).await?))
    }

    async fn unpin(&self, handle: &str) -> Result<(), Error> {
        w3ipfs::Client::unpin(self, pin_id(handle)?).await
    }
}

impl KeyManagement for w3ipfs::Client {
    async fn create_key(&self, name: &str, capabilities: &[Capability]) -> Result<NewKey, Error> {
        let scopes = W3ipfsScopes::for_capabilities(capabilities)?;
        Ok(NewKey::W3ipfs(self.create_api_key(name, scopes).await?))
    }

    async fn list_keys(&self) -> Result<Vec<KeyInfo>, Error> {
        self.api_keys().map(w3ipfs_key).try_collect().await
    }

    async fn revoke_key(&self, handle: &str) -> Result<(), Error> {
        let id = uuid::Uuid::parse_str(handle.trim()).map_err(|_| {
            Error::invalid_input(
                "key id",
                format!("`{handle}` is not a W3IPFS key id (a UUID from list_keys)"),
            )
        })?;
        self.delete_api_key(id).await
    }
}

impl FileUpload for w3ipfs::Client {
    async fn pin_file(&self, path: PathBuf, options: UploadOptions) -> Result<Uploaded, Error> {
        self.upload(crate::upload::UploadSource::File(path), options)
            .await
    }

    async fn pin_directory(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        self.upload(crate::upload::UploadSource::Directory(path), options)
            .await
    }
}
