//! W3IPFS (AIOZ Pin): API keys, pinning, NFTs, the current user and gateways.

use std::sync::Arc;

use futures::Stream;
use serde_json::{Map, Value};
use uuid::Uuid;

pub use pinion_api::w3ipfs::types;

use crate::Error;
use crate::cid::CidVersion;
use crate::config::{ClientBuilder, Connection};
#[doc(no_inline)]
pub use crate::credentials::W3ipfsCredentials;
use crate::executor::Engine;
use crate::keys::W3ipfsKey;
use crate::operations;
use crate::paginate::{Page, paginate};
use crate::pinata::{non_empty, to_i64};
use crate::rate_limit::RateLimit;
use crate::scopes::Service;
use crate::scopes::w3ipfs::W3ipfsScopes;
use crate::upload::{self, Multipart, UploadOptions, UploadSource, Uploaded};

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
    if let Some((key, _)) = keyvalues
        .iter()
        .find(|(_, v)| v.is_array() || v.is_object() || v.is_null())
    {
        return Err(Error::invalid_input(
            format!("keyvalue `{key}`"),
            "must be a string, a number or a boolean",
        ));
    }
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

    /// One page of API keys (`GET /apiKeys/list`); secrets are masked.
    pub async fn api_keys_page(
        &self,
        offset: u64,
        page_size: Option<u64>,
    ) -> Result<types::ApiKeyListResponseData, Error> {
        let request = self
            .api()
            .list_api_keys()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(page_size)?);
        Ok(self.engine().call(request.send()).await?.data)
    }

    /// Every API key, page by page.
    pub fn api_keys(&self) -> impl Stream<Item = Result<types::ApiKey, Error>> + Send + '_ {
        paginate(0, Some(10), move |offset| async move {
            let page = self.api_keys_page(offset, Some(10)).await?;
            Ok(Page {
                total: u64::try_from(page.total).ok(),
                items: page.api_keys.unwrap_or_default(),
            })
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

    /// Uploads and pins `source` (`POST /pinning/`), streamed. W3IPFS always answers
    /// with a CIDv1 and has no wrapping or groups.
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        if options.cid_version == Some(CidVersion::V0) {
            return Err(Error::invalid_input(
                "CID version",
                "W3IPFS uploads are always CIDv1: leave cid_version unset or use V1",
            ));
        }
        if options.wrap_with_directory || options.group_id.is_some() {
            return Err(Error::invalid_input(
                "upload options",
                "W3IPFS has no wrap_with_directory or groups: leave them unset",
            ));
        }
        let prepared = upload::prepare(source, &options).await?;
        if options.skip_if_pinned {
            let expected = prepared.local_cids(&[CidVersion::V1]).await?;
            if let Some(cid) = expected.v1
                && let Some(pin) = self.find_pinned(&cid.to_string()).await?
            {
                return Ok(Uploaded::already_pinned(
                    pin.cid,
                    pin.size.and_then(|s| u64::try_from(s).ok()),
                    Some(pin.id.to_string()),
                ));
            }
        }
        let keyvalues = options.checked_keyvalues(None)?;
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| prepared.name.clone());
        let metadata = pin_metadata(Some(&name), keyvalues)?;
        let mut multipart = Multipart::new(prepared, "file");
        multipart.field(
            "metadata",
            serde_json::to_string(&metadata)
                .map_err(|e| Error::invalid_input("metadata", e.to_string()))?,
        );
        let versions = upload::versions_to_hash(&options, Some(CidVersion::V1));
        let url = format!("{}/pinning/", self.inner.base_url);
        let operation = operations::lookup(Service::W3ipfs, "pin_file");
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
            answer.data.cid,
            answer.data.size.and_then(|s| u64::try_from(s).ok()),
            Some(answer.data.id.to_string()),
            None,
        );
        upload::finish(Service::W3ipfs, &options, &multipart, expected, pinned)
    }

    /// Pins a CID already on IPFS (`POST /pinning/pinByHash`).
    pub async fn pin_by_hash(
        &self,
        cid: &str,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<types::Pin, Error> {
        let cid = crate::cid::parse_input(cid)?;
        let body = types::PinByHashRequest {
            hash_to_pin: cid.to_string(),
            metadata: Some(pin_metadata(name, keyvalues)?),
        };
        Ok(self
            .engine()
            .call(self.api().pin_by_hash().body(body).send())
            .await?
            .data)
    }

    /// One pin by id (`GET /pinning/{pinId}`).
    pub async fn get_pin(&self, id: Uuid) -> Result<types::Pin, Error> {
        Ok(self
            .engine()
            .call(self.api().get_pin().pin_id(id.to_string()).send())
            .await?
            .data)
    }

    /// One page of pins (`GET /pinning/pins/`).
    pub async fn pins_page(
        &self,
        filter: &ListFilter,
        offset: u64,
    ) -> Result<types::PinListResponseData, Error> {
        let mut request = self
            .api()
            .list_pins()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(filter.page_size)?);
        if let Some(v) = filter.pinned {
            request = request.pinned(v);
        }
        if let Some(v) = filter.sort_by {
            request = request.sort_by(v);
        }
        if let Some(v) = filter.sort_order {
            request = request.sort_order(v);
        }
        if let Some(v) = &filter.metadata {
            request = request.metadata(Value::Object(v.clone()).to_string());
        }
        Ok(self.engine().call(request.send()).await?.data)
    }

    /// Every pin matching `filter`, page by page.
    pub fn pins(
        &self,
        filter: ListFilter,
    ) -> impl Stream<Item = Result<types::Pin, Error>> + Send + '_ {
        let size = filter.page_size.or(Some(10));
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move {
                let page = self.pins_page(&filter, offset).await?;
                Ok(Page {
                    total: u64::try_from(page.totals.files).ok(),
                    items: page.pins.unwrap_or_default(),
                })
            }
        })
    }

    /// The pinned pin of `cid`, if any.
    pub async fn find_pinned(&self, cid: &str) -> Result<Option<types::Pin>, Error> {
        use futures::TryStreamExt;
        let filter = ListFilter {
            pinned: Some(types::PinnedFilter::True),
            page_size: Some(100),
            ..ListFilter::default()
        };
        let wanted = crate::cid::parse_input(cid)?;
        let pins = self.pins(filter);
        futures::pin_mut!(pins);
        while let Some(pin) = pins.try_next().await? {
            if crate::cid::Cid::parse(&pin.cid).is_ok_and(|c| c == wanted) {
                return Ok(Some(pin));
            }
        }
        Ok(None)
    }

    /// Unpins by pin id (`DELETE /pinning/unpin/{pinId}`).
    pub async fn unpin(&self, id: Uuid) -> Result<(), Error> {
        self.engine()
            .call(self.api().unpin().pin_id(id.to_string()).send())
            .await?;
        Ok(())
    }

    /// Replaces a pin's metadata (`PUT /pinning/metadata/`).
    pub async fn update_pin_metadata(
        &self,
        id: Uuid,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<(), Error> {
        let body = types::UpdatePinMetadataRequest {
            id: id.to_string(),
            metadata: pin_metadata(name, keyvalues)?,
        };
        self.engine()
            .call(self.api().update_pin_metadata().body(body).send())
            .await?;
        Ok(())
    }

    /// Creates an NFT from an asset file and its metadata JSON (`POST /nft/`).
    pub async fn create_nft(
        &self,
        asset: impl Into<std::path::PathBuf>,
        metadata: &Map<String, Value>,
    ) -> Result<types::Nft, Error> {
        let options = UploadOptions::default().verify(false);
        let prepared = upload::prepare(UploadSource::File(asset.into()), &options).await?;
        let mut multipart = Multipart::new(prepared, "file");
        let json = serde_json::to_vec(metadata)
            .map_err(|e| Error::invalid_input("NFT metadata", e.to_string()))?;
        multipart.extra_file("metadata", "metadata.json", "application/json", json.into());
        let url = format!("{}/nft/", self.inner.base_url);
        let operation = operations::lookup(Service::W3ipfs, "create_nft");
        let (answer, _): (types::NftResponse, _) = upload::send(
            self.engine(),
            &self.inner.http,
            &url,
            operation,
            &multipart,
            &[],
            &options,
            &self.inner.credentials,
        )
        .await?;
        Ok(answer.data)
    }

    /// One NFT by id (`GET /nft/{id}`).
    pub async fn get_nft(&self, id: Uuid) -> Result<types::Nft, Error> {
        Ok(self
            .engine()
            .call(self.api().get_nft().id(id.to_string()).send())
            .await?
            .data)
    }

    /// One page of NFTs (`GET /nft/nfts/`).
    pub async fn nfts_page(
        &self,
        filter: &ListFilter,
        offset: u64,
    ) -> Result<types::NftListResponseData, Error> {
        let mut request = self
            .api()
            .list_nfts()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(filter.page_size)?);
        if let Some(v) = filter.pinned {
            request = request.pinned(v);
        }
        if let Some(v) = filter.sort_by {
            request = request.sort_by(v);
        }
        if let Some(v) = filter.sort_order {
            request = request.sort_order(v);
        }
        if let Some(v) = &filter.metadata {
            request = request.metadata(Value::Object(v.clone()).to_string());
        }
        Ok(self.engine().call(request.send()).await?.data)
    }

    /// Every NFT matching `filter`, page by page.
    pub fn nfts(
        &self,
        filter: ListFilter,
    ) -> impl Stream<Item = Result<types::Nft, Error>> + Send + '_ {
        let size = filter.page_size.or(Some(10));
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move {
                let page = self.nfts_page(&filter, offset).await?;
                Ok(Page {
                    total: u64::try_from(page.totals.files).ok(),
                    items: page.nfts.unwrap_or_default(),
                })
            }
        })
    }

    /// Unpins an NFT (`DELETE /nft/unpin/{id}`).
    pub async fn unpin_nft(&self, id: Uuid) -> Result<(), Error> {
        self.engine()
            .call(self.api().unpin_nft().id(id.to_string()).send())
            .await?;
        Ok(())
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
    ) -> Result<types::GatewayListResponseData, Error> {
        let mut request = self
            .api()
            .list_gateways()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(page_size)?);
        if let Some(kind) = kind {
            request = request.type_(kind);
        }
        Ok(self.engine().call(request.send()).await?.data)
    }

    /// Every gateway (of `kind`), page by page.
    pub fn gateways(
        &self,
        kind: Option<types::GatewayType>,
    ) -> impl Stream<Item = Result<types::Gateway, Error>> + Send + '_ {
        paginate(0, Some(10), move |offset| async move {
            let page = self.gateways_page(kind, offset, Some(10)).await?;
            Ok(Page {
                total: u64::try_from(page.totals).ok(),
                items: page.gateways.unwrap_or_default(),
            })
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
