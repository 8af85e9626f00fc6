//! [`AnyPinningClient`]: one of the services' clients, chosen at run time.

use std::path::PathBuf;

use super::{FileUpload, KeyInfo, KeyManagement, NewKey, PinInfo, PinningService};
use crate::Error;
use crate::scopes::{Capability, Service};
use crate::upload::{UploadOptions, Uploaded};
use crate::{pinata, psa, w3ipfs};

/// Any pinning service, chosen at run time.
///
/// Every variant offers [`PinningService`]. [`KeyManagement`] and [`FileUpload`] are
/// implemented too, for the services that have them: on an IPFS Pinning Service API
/// endpoint ([`AnyPinningClient::Psa`]) they fail with [`Error::Unsupported`] before
/// sending anything.
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
#[non_exhaustive]
pub enum AnyPinningClient {
    /// Pinata.
    Pinata(pinata::Client),
    /// W3IPFS.
    W3ipfs(w3ipfs::Client),
    /// Pinata through its v3 API (see [`crate::pinata_v3::PinataApi`]).
    PinataV3(crate::pinata_v3::Client),
    /// An IPFS Pinning Service API endpoint (any provider's, Pinata's `/psa` or
    /// W3IPFS's `/api/psa/`).
    Psa(psa::Client),
}

macro_rules! each {
    ($self:ident, $client:ident => $call:expr) => {
        match $self {
            AnyPinningClient::Pinata($client) => $call.await,
            AnyPinningClient::W3ipfs($client) => $call.await,
            AnyPinningClient::PinataV3($client) => $call.await,
            AnyPinningClient::Psa($client) => $call.await,
        }
    };
}

/// The call on the services that have it; [`Error::Unsupported`] on a Pinning Service
/// API endpoint.
macro_rules! where_offered {
    ($self:ident, $operation:literal, $client:ident => $call:expr) => {
        match $self {
            AnyPinningClient::Pinata($client) => $call.await,
            AnyPinningClient::W3ipfs($client) => $call.await,
            AnyPinningClient::PinataV3($client) => $call.await,
            AnyPinningClient::Psa(client) => Err(Error::Unsupported {
                service: client.service(),
                operation: $operation,
            }),
        }
    };
}

impl PinningService for AnyPinningClient {
    fn service(&self) -> Service {
        match self {
            Self::Pinata(_) | Self::PinataV3(_) => Service::Pinata,
            Self::W3ipfs(_) => Service::W3ipfs,
            Self::Psa(client) => client.service(),
        }
    }

    async fn test_authentication(&self) -> Result<String, Error> {
        each!(self, c => PinningService::test_authentication(c))
    }

    async fn pin_cid(&self, cid: &str, name: Option<&str>) -> Result<(), Error> {
        each!(self, c => c.pin_cid(cid, name))
    }

    async fn list_pins(&self) -> Result<Vec<PinInfo>, Error> {
        each!(self, c => c.list_pins())
    }

    async fn get_pin(&self, handle: &str) -> Result<PinInfo, Error> {
        each!(self, c => PinningService::get_pin(c, handle))
    }

    async fn unpin(&self, handle: &str) -> Result<(), Error> {
        each!(self, c => PinningService::unpin(c, handle))
    }
}

impl KeyManagement for AnyPinningClient {
    async fn create_key(&self, name: &str, capabilities: &[Capability]) -> Result<NewKey, Error> {
        where_offered!(self, "key management", c => c.create_key(name, capabilities))
    }

    async fn list_keys(&self) -> Result<Vec<KeyInfo>, Error> {
        where_offered!(self, "key management", c => c.list_keys())
    }

    async fn revoke_key(&self, handle: &str) -> Result<(), Error> {
        where_offered!(self, "key management", c => c.revoke_key(handle))
    }
}

impl FileUpload for AnyPinningClient {
    async fn pin_file(&self, path: PathBuf, options: UploadOptions) -> Result<Uploaded, Error> {
        where_offered!(self, "file uploads", c => FileUpload::pin_file(c, path, options))
    }

    async fn pin_directory(
        &self,
        path: PathBuf,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        where_offered!(self, "directory uploads", c => FileUpload::pin_directory(c, path, options))
    }
}
