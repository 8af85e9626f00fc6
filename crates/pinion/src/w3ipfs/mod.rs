//! W3IPFS (AIOZ Pin): API keys, pinning, NFTs, the current user and gateways.
//!
//! [`Client`], its builder, keys, the user and gateways here; pins (uploads, listing,
//! usage) in `pins` and NFTs in `nfts`.

use std::sync::Arc;

use futures::Stream;
use serde_json::{Map, Value};
use uuid::Uuid;

pub use pinion_api::w3ipfs::types;

use crate::Error;
use crate::args::{non_empty, scalar_keyvalues, to_i64};
use crate::config::{ClientBuilder, Connection};
#[doc(no_inline)]
pub use crate::credentials::W3ipfsCredentials;
use crate::executor::Engine;
use crate::keys::W3ipfsKey;
use crate::listing::{self, Listing, Shape};
use crate::paginate::paginate;
use crate::rate_limit::RateLimit;
use crate::scopes::w3ipfs::W3ipfsScopes;

mod nfts;
mod pins;

/// Where the rows and count of `listApiKeys` are.
const KEYS: Shape = Shape {
    what: "API key",
    rows: "/data/api_keys",
    total: Some("/data/total"),
};

/// Where the rows and count of `listGateways` are.
const GATEWAYS: Shape = Shape {
    what: "gateway",
    rows: "/data/gateways",
    total: Some("/data/totals"),
};

/// W3IPFS's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.w3ipfs.aioz.network/api";

/// Builds a [`Client`].
pub type Builder = ClientBuilder<W3ipfsCredentials>;

/// A W3IPFS client: every operation of `spec/w3ipfs.yaml`. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use futures::TryStreamExt;
/// let client = pinion::w3ipfs::Client::from_env()?; // W3IPFS_API_KEY + W3IPFS_SECRET_KEY
/// let pins: Vec<_> = client.pins(Default::default()).try_collect().await?;
/// println!("{} pins", pins.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

type Inner = Connection<pinion_api::w3ipfs::Client, W3ipfsCredentials>;

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.debug(f, "w3ipfs::Client")
    }
}

impl ClientBuilder<W3ipfsCredentials> {
    /// Builds the client, refusing missing credentials or malformed settings.
    pub fn build(self) -> Result<Client, Error> {
        let inner = self.connect(
            DEFAULT_BASE_URL,
            RateLimit::w3ipfs(),
            pinion_api::w3ipfs::Client::new_with_client,
        )?;
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// A builder set from `W3IPFS_API_KEY` + `W3IPFS_SECRET_KEY` (or `W3IPFS_JWT`) and
    /// `W3IPFS_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Ok(Self::default()
            .credentials(crate::credentials::w3ipfs_from(lookup)?)
            .urls_from(lookup, "W3IPFS_BASE_URL", None))
    }
}

/// Filters of [`Client::pins`] and [`Client::nfts`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// `all`, `true` or `false`.
    pub pinned: Option<types::PinnedFilter>,
    /// Sort field.
    pub sort_by: Option<types::SortBy>,
    /// Sort direction.
    pub sort_order: Option<types::SortOrder>,
    /// Key-values the pins must carry.
    pub metadata: Option<Map<String, Value>>,
    /// Page size (default 10).
    pub page_size: Option<u64>,
}

/// Metadata of a pin: name and key-values.
fn pin_metadata(
    name: Option<&str>,
    keyvalues: Map<String, Value>,
) -> Result<types::PinMetadata, Error> {
    scalar_keyvalues(&keyvalues, false)?;
    Ok(types::PinMetadata {
        name: name.map(str::to_owned),
        keyvalues: (!keyvalues.is_empty()).then_some(keyvalues),
        ..types::PinMetadata::default()
    })
}

fn page_limit(size: Option<u64>) -> Result<i64, Error> {
    match size {
        None => Ok(10),
        Some(0) => Err(Error::invalid_input("page size", "must be at least 1")),
        Some(n) => to_i64("page size", n),
    }
}

impl Client {
    /// A builder (production base URL, 180 requests a minute, 60 on keys).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A client from the environment; see [`Builder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Builder::from_env()?.build()
    }

    /// What the client holds (for clients built beside it, such as its PSA client).
    pub(crate) fn connection(&self) -> &Connection<pinion_api::w3ipfs::Client, W3ipfsCredentials> {
        &self.inner
    }

    /// The generated low-level client.
    pub fn api(&self) -> &pinion_api::w3ipfs::Client {
        &self.inner.api
    }

    fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Creates an API key pair (`POST /apiKeys/`). Its secret is in the answer only.
    pub async fn create_api_key(
        &self,
        name: &str,
        scopes: W3ipfsScopes,
    ) -> Result<W3ipfsKey, Error> {
        non_empty("key name", name)?;
        if name == "Default" {
            return Err(Error::invalid_input(
                "key name",
                "W3IPFS reserves the name `Default`: choose another",
            ));
        }
        let scopes = serde_json::to_value(&scopes)
            .and_then(serde_json::from_value)
            .map_err(|e| Error::invalid_input("scopes", e.to_string()))?;
        let body = types::CreateApiKeyRequest {
            name: name.to_owned(),
            scopes,
        };
        let answer = self
            .engine()
            .call(self.api().create_api_key().body(body).send())
            .await?;
        Ok(W3ipfsKey::from(answer.data))
    }

    /// One page of API keys (`GET /apiKeys/list`); secrets are masked. A key that
    /// cannot be read is an [`Error::UndecodableRow`] among the others.
    pub async fn api_keys_page(
        &self,
        offset: u64,
        page_size: Option<u64>,
    ) -> Result<Listing<types::ApiKey>, Error> {
        let request = self
            .api()
            .list_api_keys()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(page_size)?);
        let answer = listing::fetch(self.engine(), request.send()).await?;
        KEYS.listing(self.engine(), answer, |page| {
            (
                page.data.api_keys.unwrap_or_default(),
                u64::try_from(page.data.total).ok(),
            )
        })
    }

    /// Every API key, page by page.
    pub fn api_keys(&self) -> impl Stream<Item = Result<types::ApiKey, Error>> + Send + '_ {
        paginate(0, Some(10), move |offset| {
            self.api_keys_page(offset, Some(10))
        })
    }

    /// Deletes the key with this id (`DELETE /apiKeys/{id}`).
    pub async fn delete_api_key(&self, id: Uuid) -> Result<(), Error> {
        self.engine()
            .call(self.api().delete_api_key().id(id.to_string()).send())
            .await?;
        Ok(())
    }

    /// Checks a key pair (`GET /apiKeys/testAuthentication`) and returns the greeting.
    pub async fn test_authentication(&self) -> Result<String, Error> {
        Ok(self
            .engine()
            .call(self.api().test_authentication().send())
            .await?
            .message)
    }

    /// The signed-in user (`GET /users/me`).
    pub async fn current_user(&self) -> Result<types::User, Error> {
        Ok(self
            .engine()
            .call(self.api().get_current_user().send())
            .await?
            .data
            .user)
    }

    /// One page of gateways (`GET /gateways/`).
    pub async fn gateways_page(
        &self,
        kind: Option<types::GatewayType>,
        offset: u64,
        page_size: Option<u64>,
    ) -> Result<Listing<types::Gateway>, Error> {
        let mut request = self
            .api()
            .list_gateways()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(page_size)?);
        if let Some(kind) = kind {
            request = request.type_(kind);
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        GATEWAYS.listing(self.engine(), answer, |page| {
            (
                page.data.gateways.unwrap_or_default(),
                u64::try_from(page.data.totals).ok(),
            )
        })
    }

    /// Every gateway (of `kind`), page by page.
    pub fn gateways(
        &self,
        kind: Option<types::GatewayType>,
    ) -> impl Stream<Item = Result<types::Gateway, Error>> + Send + '_ {
        paginate(0, Some(10), move |offset| {
            self.gateways_page(kind, offset, Some(10))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_arguments_are_refused() {
        assert!(pin_metadata(None, [("a".to_owned(), Value::Null)].into_iter().collect()).is_err());
        let metadata = pin_metadata(Some("n"), Map::new()).unwrap();
        assert_eq!(serde_json::to_value(&metadata).unwrap()["name"], "n");
        assert!(page_limit(Some(0)).is_err());
        let lookup = |name: &str| match name {
            "W3IPFS_JWT" => Some("j.w.t".to_owned()),
            _ => None,
        };
        let client = Builder::from_lookup(&lookup).unwrap().build().unwrap();
        assert_eq!(client.inner.base_url, DEFAULT_BASE_URL);
    }
}
