//! What Pinata and W3IPFS share, so code can switch service with one value.

use std::future::Future;
use std::path::PathBuf;

use futures::{StreamExt, TryStreamExt};

use crate::Error;
use crate::keys::{PinataKey, W3ipfsKey};
use crate::neutral::{pinata_key, pinata_pin, w3ipfs_key, w3ipfs_pin};
use crate::scopes::pinata::PinataPermissions;
use crate::scopes::w3ipfs::W3ipfsScopes;
use crate::scopes::{Capability, Service};
use crate::upload::{UploadOptions, Uploaded};
use crate::{pinata, w3ipfs};

/// A pin, in terms both services share.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PinInfo {
    /// What [`PinningService::get_pin`] and [`PinningService::unpin`] take: the CID on
    /// Pinata, the pin id on W3IPFS.
    pub handle: String,
    /// The CID.
    pub cid: String,
    /// The pin's name.
    pub name: Option<String>,
    /// Its size in bytes, when known.
    pub size: Option<u64>,
    /// Whether it is currently pinned.
    pub pinned: bool,
}

/// An API key as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyInfo {
    /// What [`PinningService::revoke_key`] takes: the public key on Pinata, the key id
    /// on W3IPFS.
    pub handle: String,
    /// The key's name.
    pub name: String,
    /// Whether it was revoked.
    pub revoked: bool,
}

impl KeyInfo {
    /// One row of [`pinata::Client::api_keys`] in neutral terms. An
    /// [`Error::UndecodableRow`] that has the fields a `KeyInfo` needs still gives one,
    /// as in [`PinningService::list_keys`]; any other error stays.
    pub fn from_pinata_row(row: Result<pinata::types::ApiKey, Error>) -> Result<Self, Error> {
        pinata_key(row)
    }

    /// One row of [`w3ipfs::Client::api_keys`] in neutral terms, as
    /// [`KeyInfo::from_pinata_row`] does for Pinata.
    pub fn from_w3ipfs_row(row: Result<w3ipfs::types::ApiKey, Error>) -> Result<Self, Error> {
        w3ipfs_key(row)
    }
}

/// A key just created; its secrets are shown only now.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum NewKey {
    /// A Pinata key.
    Pinata(PinataKey),
    /// A W3IPFS key pair.
    W3ipfs(W3ipfsKey),
}

/// The operations Pinata and W3IPFS both have.
pub trait PinningService {
    /// Which service this is.
    fn service(&self) -> Service;
    /// Checks the credentials and returns the service's greeting.
    fn test_authentication(&self) -> impl Future<Output = Result<String, Error>> + Send;
    /// Creates a key with the least privilege that grants `capabilities`.
    fn create_key(
        &self,
        name: &str,
        capabilities: &[Capability],
    ) -> impl Future<Output = Result<NewKey, Error>> + Send;
    /// Every key of the account. A row of an unexpected shape is still listed when it
    /// has the few fields a [`KeyInfo`] needs.
    fn list_keys(&self) -> impl Future<Output = Result<Vec<KeyInfo>, Error>> + Send;
    /// Revokes the key with this [`KeyInfo::handle`].
    fn revoke_key(&self, handle: &str) -> impl Future<Output = Result<(), Error>> + Send;
    /// Uploads and pins one file.
    fn pin_file(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> impl Future<Output = Result<Uploaded, Error>> + Send;
    /// Uploads and pins a directory.
    fn pin_directory(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> impl Future<Output = Result<Uploaded, Error>> + Send;
    /// Pins a CID already on IPFS (asynchronously on both services).
    fn pin_cid(
        &self,
        cid: &str,
        name: Option<&str>,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Every current pin. A row of an unexpected shape is still listed when it has the
    /// few fields a [`PinInfo`] needs.
    fn list_pins(&self) -> impl Future<Output = Result<Vec<PinInfo>, Error>> + Send;
    /// One pin by [`PinInfo::handle`].
    fn get_pin(&self, handle: &str) -> impl Future<Output = Result<PinInfo, Error>> + Send;
    /// Unpins by [`PinInfo::handle`].
    fn unpin(&self, handle: &str) -> impl Future<Output = Result<(), Error>> + Send;
}

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

impl PinningService for w3ipfs::Client {
    fn service(&self) -> Service {
        Service::W3ipfs
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        w3ipfs::Client::test_authentication(self).await
    }

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

/// Either pinning service, chosen at run time.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use pinion::{AnyPinningClient, PinningService};
/// let client = if std::env::var("USE_W3IPFS").is_ok() {
///     AnyPinningClient::W3ipfs(pinion::w3ipfs::Client::from_env()?)
/// } else {
///     AnyPinningClient::Pinata(pinion::pinata::Client::from_env()?)
/// };
/// for pin in client.list_pins().await? {
///     println!("{} {}", pin.cid, pin.name.unwrap_or_default());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub enum AnyPinningClient {
    /// Pinata.
    Pinata(pinata::Client),
    /// W3IPFS.
    W3ipfs(w3ipfs::Client),
    /// Pinata through its v3 API (see [`crate::pinata_v3::PinataApi`]).
    PinataV3(crate::pinata_v3::Client),
}

macro_rules! both {
    ($self:ident, $client:ident => $call:expr) => {
        match $self {
            AnyPinningClient::Pinata($client) => $call.await,
            AnyPinningClient::W3ipfs($client) => $call.await,
            AnyPinningClient::PinataV3($client) => $call.await,
        }
    };
}

impl PinningService for AnyPinningClient {
    fn service(&self) -> Service {
        match self {
            Self::Pinata(_) | Self::PinataV3(_) => Service::Pinata,
            Self::W3ipfs(_) => Service::W3ipfs,
        }
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        both!(self, c => PinningService::test_authentication(c))
    }

    async fn create_key(&self, name: &str, capabilities: &[Capability]) -> Result<NewKey, Error> {
        both!(self, c => c.create_key(name, capabilities))
    }

    async fn list_keys(&self) -> Result<Vec<KeyInfo>, Error> {
        both!(self, c => c.list_keys())
    }

    async fn revoke_key(&self, handle: &str) -> Result<(), Error> {
        both!(self, c => c.revoke_key(handle))
    }

    async fn pin_file(&self, path: PathBuf, options: UploadOptions) -> Result<Uploaded, Error> {
        both!(self, c => PinningService::pin_file(c, path, options))
    }

    async fn pin_directory(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        both!(self, c => PinningService::pin_directory(c, path, options))
    }

    async fn pin_cid(&self, cid: &str, name: Option<&str>) -> Result<(), Error> {
        both!(self, c => c.pin_cid(cid, name))
    }

    async fn list_pins(&self) -> Result<Vec<PinInfo>, Error> {
        both!(self, c => c.list_pins())
    }

    async fn get_pin(&self, handle: &str) -> Result<PinInfo, Error> {
        both!(self, c => PinningService::get_pin(c, handle))
    }

    async fn unpin(&self, handle: &str) -> Result<(), Error> {
        both!(self, c => PinningService::unpin(c, handle))
    }
}
