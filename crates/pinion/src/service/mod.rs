//! What the pinning services share, so code can switch service with one value: the
//! core [`PinningService`] every service offers, [`KeyManagement`] and [`FileUpload`]
//! where a service has them ([`native`]: Pinata and W3IPFS), and [`AnyPinningClient`]
//! to choose at run time ([`any`]).

mod any;
mod native;

pub use any::AnyPinningClient;

use std::future::Future;
use std::path::PathBuf;

use crate::Error;
use crate::keys::{PinataKey, W3ipfsKey};
use crate::neutral::{pinata_key, w3ipfs_key};
use crate::scopes::{Capability, Service};
use crate::upload::{UploadOptions, Uploaded};
use crate::{pinata, w3ipfs};

/// A pin, in terms every service shares.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PinInfo {
    /// What [`PinningService::get_pin`] and [`PinningService::unpin`] take: the CID on
    /// Pinata, the pin id on W3IPFS, the request id on a Pinning Service API endpoint.
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
    /// What [`KeyManagement::revoke_key`] takes: the public key on Pinata, the key id
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
    /// as in [`KeyManagement::list_keys`]; any other error stays.
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

/// What every pinning service offers: check the credentials, pin a CID already on
/// IPFS, list, look up and remove pins. Pinata, W3IPFS and any IPFS Pinning Service API
/// endpoint ([`crate::psa::Client`]) have it; keys and uploads are in
/// [`KeyManagement`] and [`FileUpload`], which only some services offer.
pub trait PinningService {
    /// Which service this is.
    fn service(&self) -> Service;
    /// Checks the credentials and returns the service's greeting.
    fn test_authentication(&self) -> impl Future<Output = Result<String, Error>> + Send;
    /// Pins a CID already on IPFS (asynchronously on every service).
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

/// API keys, on the services that manage them (Pinata, W3IPFS; not the IPFS Pinning
/// Service API, whose token is issued elsewhere).
pub trait KeyManagement: PinningService {
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
}

/// Uploads, on the services that take content (Pinata, W3IPFS; not the IPFS Pinning
/// Service API, which only pins CIDs already on IPFS).
pub trait FileUpload: PinningService {
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
}
