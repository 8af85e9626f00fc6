//! Pinata (`api.pinata.cloud`): pinning, listing, usage, API keys and groups.
//!
//! One file per concept: [`Client`] and its builder here; uploads and pins by CID in
//! `pins`, pin metadata in `metadata`, the pin listing and usage in `pin_list`,
//! pin-by-CID jobs in `jobs`, API keys in `keys` and groups in `groups`.

use std::sync::Arc;

pub use pinion_api::pinata::types;

use crate::Error;
use crate::config::{ClientBuilder, Connection};
use crate::executor::Engine;
use crate::rate_limit::{PinataPlan, RateLimit};

mod groups;
mod jobs;
mod keys;
mod metadata;
mod pin_list;
mod pins;

pub use jobs::PinJobsFilter;
pub use keys::KeyFilter;
pub use pin_list::PinListFilter;
pub use pins::PinOptions;

/// Pinata's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.pinata.cloud";

/// Builds a [`Client`].
pub type Builder = ClientBuilder<PinataCredentials>;

/// A Pinata client: every operation of `spec/pinata.yaml`, with retries, rate
/// limiting and typed errors. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use pinion::pinata::{Client, PinataCredentials};
/// let client = Client::builder()
///     .credentials(PinataCredentials::jwt(std::env::var("PINATA_JWT").unwrap_or_default()))
///     .build()?;
/// println!("{}", client.test_authentication().await?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

type Inner = Connection<pinion_api::pinata::Client, PinataCredentials>;

#[doc(no_inline)]
pub use crate::credentials::PinataCredentials;

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.debug(f, "pinata::Client")
    }
}

impl ClientBuilder<PinataCredentials> {
    /// Builds the client, refusing missing credentials or malformed settings.
    pub fn build(self) -> Result<Client, Error> {
        let inner = self.connect(
            DEFAULT_BASE_URL,
            RateLimit::pinata(PinataPlan::Free),
            pinion_api::pinata::Client::new_with_client,
        )?;
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// A builder set from `PINATA_JWT` (or `PINATA_API_KEY` + `PINATA_API_SECRET`),
    /// `PINATA_BASE_URL` and `PINATA_GATEWAY_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Ok(Self::default()
            .credentials(crate::credentials::pinata_from(lookup)?)
            .urls_from(lookup, "PINATA_BASE_URL", Some("PINATA_GATEWAY_URL")))
    }
}

impl Client {
    /// A builder (production base URL, Pinata Free plan limits).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A client from the environment; see [`Builder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Builder::from_env()?.build()
    }

    /// What the client holds (for clients built beside it, such as its PSA client).
    pub(crate) fn connection(&self) -> &Connection<pinion_api::pinata::Client, PinataCredentials> {
        &self.inner
    }

    /// The generated low-level client, sharing this client's credentials, retries and
    /// limits.
    pub fn api(&self) -> &pinion_api::pinata::Client {
        &self.inner.api
    }

    /// The dedicated gateway configured for this client, if any.
    pub fn gateway_url(&self) -> Option<&str> {
        self.inner.gateway_url.as_deref()
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Checks the credentials (`GET /data/testAuthentication`; admin keys only) and
    /// returns the service's greeting.
    pub async fn test_authentication(&self) -> Result<String, Error> {
        let answer = self
            .engine()
            .call(self.api().test_authentication().send())
            .await?;
        Ok(answer.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builder_reads_the_environment() {
        let lookup = |name: &str| match name {
            "PINATA_JWT" => Some("a.b.c".to_owned()),
            "PINATA_BASE_URL" => Some("http://127.0.0.1:9/pinata/".to_owned()),
            _ => None,
        };
        let client = Builder::from_lookup(&lookup).unwrap().build().unwrap();
        assert_eq!(client.inner.base_url, "http://127.0.0.1:9/pinata");
        assert!(!format!("{client:?}").contains("a.b.c"));
    }
}
