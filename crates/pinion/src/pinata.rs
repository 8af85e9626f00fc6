//! Pinata (`api.pinata.cloud`): pinning, listing, usage, API keys and groups.

use std::num::NonZeroU64;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::Stream;
use serde_json::{Map, Value};

pub use pinion_api::pinata::types;

use crate::Error;
use crate::cid::CidVersion;
use crate::config::{ClientBuilder, Connection};
use crate::executor::Engine;
use crate::keys::PinataKey;
use crate::operations;
use crate::paginate::{Page, paginate};
use crate::rate_limit::{PinataPlan, RateLimit};
use crate::scopes::Service;
use crate::scopes::pinata::PinataPermissions;
use crate::upload::{self, Multipart, UploadOptions, UploadSource, Uploaded};

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

/// Filters of [`Client::pins`] (`GET /data/pinList`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PinListFilter {
    /// Only pins of this CID.
    pub cid: Option<String>,
    /// Only pins whose CID contains this string.
    pub hash_contains: Option<String>,
    /// Only pins in this group.
    pub group_id: Option<String>,
    /// `pinned`, `unpinned` or `all`.
    pub status: Option<types::PinListStatus>,
    /// Pinned at or after.
    pub pin_start: Option<DateTime<Utc>>,
    /// Pinned at or before.
    pub pin_end: Option<DateTime<Utc>>,
    /// Unpinned at or after.
    pub unpin_start: Option<DateTime<Utc>>,
    /// Unpinned at or before.
    pub unpin_end: Option<DateTime<Utc>>,
    /// At least this many bytes.
    pub size_min: Option<u64>,
    /// At most this many bytes.
    pub size_max: Option<u64>,
    /// Metadata name contains.
    pub name: Option<String>,
    /// Key-value conditions, `{"key": {"value": .., "op": ..}}`.
    pub keyvalues: Option<Map<String, Value>>,
    /// Page size (1 to 1000; default 10).
    pub page_size: Option<u64>,
}

/// Filters of [`Client::pin_jobs`] (`GET /pinning/pinJobs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PinJobsFilter {
    /// Oldest or newest first.
    pub sort: Option<types::ListPinJobsSort>,
    /// Only jobs in this status.
    pub status: Option<types::ListPinJobsStatus>,
    /// Only jobs for this CID.
    pub cid: Option<String>,
    /// Page size (1 to 1000; default 5).
    pub page_size: Option<u64>,
}

/// Filters of [`Client::keys_v3`] (`GET /v3/pinata/keys`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFilter {
    /// Only revoked keys.
    pub revoked: Option<bool>,
    /// Only keys with a use limit.
    pub limited_use: Option<bool>,
    /// Only keys that used up their limit.
    pub exhausted: Option<bool>,
    /// Name matches (case-insensitive).
    pub name: Option<String>,
}

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

/// Refuses an empty or blank string argument.
pub(crate) fn non_empty(what: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(what, "is empty"));
    }
    Ok(())
}

fn page_size(what: &str, size: Option<u64>, max: u64) -> Result<Option<NonZeroU64>, Error> {
    match size {
        None => Ok(None),
        Some(n) if (1..=max).contains(&n) => Ok(NonZeroU64::new(n)),
        Some(n) => Err(Error::invalid_input(
            what,
            format!("{n} is out of range: give 1 to {max}"),
        )),
    }
}

fn metadata(
    name: Option<&str>,
    keyvalues: &Map<String, Value>,
) -> Result<types::PinataMetadata, Error> {
    if keyvalues.len() > 10 {
        return Err(Error::invalid_input(
            "keyvalues",
            format!("{} were given, Pinata allows at most 10", keyvalues.len()),
        ));
    }
    let mut out = types::PinataMetadata {
        name: name.map(str::to_owned),
        ..types::PinataMetadata::default()
    };
    for (key, value) in keyvalues {
        let value = match value {
            Value::String(s) => types::KeyValue::String(s.clone()),
            Value::Bool(b) => types::KeyValue::Boolean(*b),
            Value::Number(n) => types::KeyValue::Number(n.as_f64().unwrap_or_default()),
            _ => {
                return Err(Error::invalid_input(
                    format!("keyvalue `{key}`"),
                    "must be a string, a number or a boolean",
                ));
            }
        };
        out.keyvalues.insert(key.clone(), value);
    }
    Ok(out)
}

fn cid_number(version: CidVersion) -> i64 {
    match version {
        CidVersion::V0 => 0,
        CidVersion::V1 => 1,
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

    /// The generated low-level client, sharing this client's credentials, retries and
    /// limits.
    pub fn api(&self) -> &pinion_api::pinata::Client {
        &self.inner.api
    }

    /// The dedicated gateway configured for this client, if any.
    pub fn gateway_url(&self) -> Option<&str> {
        self.inner.gateway_url.as_deref()
    }

    fn engine(&self) -> &Engine {
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

    /// Uploads and pins `source` (`POST /pinning/pinFileToIPFS`), streamed.
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
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
        let keyvalues = options.checked_keyvalues(Some(10))?;
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| prepared.name.clone());
        let meta = metadata(Some(&name), &keyvalues)?;
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
            pinata_metadata: Some(metadata(options.name.as_deref(), &options.keyvalues)?),
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
        if options.host_nodes.len() > 5 {
            return Err(Error::invalid_input(
                "host nodes",
                format!(
                    "{} were given, Pinata takes at most 5",
                    options.host_nodes.len()
                ),
            ));
        }
        if let Some(bad) = options.host_nodes.iter().find(|n| !n.starts_with('/')) {
            return Err(Error::invalid_input(
                "host node",
                format!("`{bad}` is not a multiaddr such as /ip4/1.2.3.4/tcp/4001/p2p/<peer id>"),
            ));
        }
        let pin_options = types::PinByHashOptions {
            host_nodes: options.host_nodes.clone(),
            group_id: options.group_id.clone(),
            ..types::PinByHashOptions::default()
        };
        let body = types::PinByHashRequest {
            hash_to_pin: cid.to_string(),
            pinata_metadata: Some(metadata(options.name.as_deref(), &options.keyvalues)?),
            pinata_options: Some(pin_options),
        };
        self.engine()
            .call(self.api().pin_by_hash().body(body).send())
            .await
    }

    /// One page of pin-by-CID jobs (`GET /pinning/pinJobs`).
    pub async fn pin_jobs_page(
        &self,
        filter: &PinJobsFilter,
        offset: u64,
    ) -> Result<types::PinJobList, Error> {
        let mut request = self.api().list_pin_jobs().offset(to_i64("offset", offset)?);
        if let Some(limit) = page_size("page size", filter.page_size, 1000)? {
            request = request.limit(limit);
        }
        if let Some(sort) = filter.sort {
            request = request.sort(sort);
        }
        if let Some(status) = filter.status {
            request = request.status(status);
        }
        if let Some(cid) = &filter.cid {
            request = request.ipfs_pin_hash(crate::cid::parse_input(cid)?.to_string());
        }
        self.engine().call(request.send()).await
    }

    /// Every pin-by-CID job, page by page.
    pub fn pin_jobs(
        &self,
        filter: PinJobsFilter,
    ) -> impl Stream<Item = Result<types::PinJob, Error>> + Send + '_ {
        let size = filter.page_size;
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move {
                let page = self.pin_jobs_page(&filter, offset).await?;
                Ok(Page {
                    total: u64::try_from(page.count).ok(),
                    items: page.rows,
                })
            }
        })
    }

    /// Renames a pin and merges key-values into its metadata; a `null` value removes a
    /// key (`PUT /pinning/hashMetadata`).
    pub async fn update_metadata(
        &self,
        cid: &str,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?;
        if let Some((key, _)) = keyvalues
            .iter()
            .find(|(_, v)| v.is_array() || v.is_object())
        {
            return Err(Error::invalid_input(
                format!("keyvalue `{key}`"),
                "must be a string, number, boolean or null (null removes the key)",
            ));
        }
        let body = types::HashMetadataRequest {
            ipfs_pin_hash: cid.to_string(),
            name: name.map(str::to_owned),
            keyvalues,
        };
        self.engine()
            .call_text(self.api().update_hash_metadata().body(body).send())
            .await?;
        Ok(())
    }

    /// Replaces one pin's replication policy (deprecated by Pinata).
    pub async fn update_hash_pin_policy(
        &self,
        cid: &str,
        policy: types::PinPolicy,
    ) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?;
        let body = types::HashPinPolicyRequest {
            ipfs_pin_hash: cid.to_string(),
            new_pin_policy: policy,
        };
        self.engine()
            .call_text(self.api().update_hash_pin_policy().body(body).send())
            .await?;
        Ok(())
    }

    /// Sets the account's default replication policy (deprecated by Pinata).
    pub async fn update_user_pin_policy(&self, policy: types::PinPolicy) -> Result<(), Error> {
        let body = types::UserPinPolicyRequest {
            new_pin_policy: policy,
        };
        self.engine()
            .call_text(self.api().update_user_pin_policy().body(body).send())
            .await?;
        Ok(())
    }

    /// Unpins a CID (`DELETE /pinning/unpin/{cid}`).
    pub async fn unpin(&self, cid: &str) -> Result<(), Error> {
        let cid = crate::cid::parse_input(cid)?;
        self.engine()
            .call_text(self.api().unpin().cid(cid.to_string()).send())
            .await?;
        Ok(())
    }

    /// One page of pin records (`GET /data/pinList`).
    pub async fn pins_page(
        &self,
        filter: &PinListFilter,
        offset: u64,
    ) -> Result<types::PinList, Error> {
        let mut request = self.api().pin_list().page_offset(to_i64("offset", offset)?);
        if let Some(limit) = page_size("page size", filter.page_size, 1000)? {
            request = request.page_limit(limit);
        }
        if let Some(cid) = &filter.cid {
            request = request.cid(crate::cid::parse_input(cid)?.to_string());
        }
        if let Some(part) = &filter.hash_contains {
            request = request.hash_contains(part.clone());
        }
        if let Some(group) = &filter.group_id {
            request = request.group_id(group.clone());
        }
        if let Some(status) = filter.status {
            request = request.status(status);
        }
        if let Some(t) = filter.pin_start {
            request = request.pin_start(t);
        }
        if let Some(t) = filter.pin_end {
            request = request.pin_end(t);
        }
        if let Some(t) = filter.unpin_start {
            request = request.unpin_start(t);
        }
        if let Some(t) = filter.unpin_end {
            request = request.unpin_end(t);
        }
        if let Some(n) = filter.size_min {
            request = request.pin_size_min(to_i64("size_min", n)?);
        }
        if let Some(n) = filter.size_max {
            request = request.pin_size_max(to_i64("size_max", n)?);
        }
        if let Some(name) = &filter.name {
            request = request.metadata_name(name.clone());
        }
        if let Some(keyvalues) = &filter.keyvalues {
            request = request.metadata_keyvalues(Value::Object(keyvalues.clone()).to_string());
        }
        self.engine().call(request.send()).await
    }

    /// Every pin record matching `filter`, page by page.
    pub fn pins(
        &self,
        filter: PinListFilter,
    ) -> impl Stream<Item = Result<types::PinListItem, Error>> + Send + '_ {
        let size = filter.page_size.or(Some(10));
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move {
                let page = self.pins_page(&filter, offset).await?;
                Ok(Page {
                    total: page.count.and_then(|c| u64::try_from(c).ok()),
                    items: page.rows,
                })
            }
        })
    }

    /// Whether `cid` is currently pinned by this account.
    pub async fn is_pinned(&self, cid: &str) -> Result<bool, Error> {
        let filter = PinListFilter {
            cid: Some(cid.to_owned()),
            status: Some(types::PinListStatus::Pinned),
            page_size: Some(1),
            ..PinListFilter::default()
        };
        let page = self.pins_page(&filter, 0).await?;
        Ok(page
            .rows
            .iter()
            .any(|row| row.ipfs_pin_hash == cid && row.date_unpinned.is_none()))
    }

    /// The account's pin count and sizes (`GET /data/userPinnedDataTotal`).
    pub async fn usage(&self) -> Result<types::PinnedDataTotal, Error> {
        self.engine()
            .call(self.api().user_pinned_data_total().send())
            .await
    }

    /// Creates an API key (`POST /users/generateApiKey`; admin keys only). Its secret
    /// and JWT are in the answer only.
    pub async fn generate_api_key(
        &self,
        name: &str,
        permissions: PinataPermissions,
        max_uses: Option<u64>,
    ) -> Result<PinataKey, Error> {
        let body = key_request(name, &permissions, max_uses)?;
        let key = self
            .engine()
            .call(self.api().generate_api_key().body(body).send())
            .await?;
        Ok(PinataKey::from(key))
    }

    /// Creates an API key through the v3 route (`POST /v3/pinata/keys`; JWT only).
    pub async fn create_key_v3(
        &self,
        name: &str,
        permissions: PinataPermissions,
        max_uses: Option<u64>,
    ) -> Result<PinataKey, Error> {
        let body = key_request(name, &permissions, max_uses)?;
        let key = self
            .engine()
            .call(self.api().create_key_v3().body(body).send())
            .await?;
        Ok(PinataKey::from(key))
    }

    /// One page (10 keys) of API keys (`GET /users/apiKeys`).
    pub async fn api_keys_page(&self, offset: u64) -> Result<types::ApiKeyList, Error> {
        let request = self.api().list_api_keys().offset(to_i64("offset", offset)?);
        self.engine().call(request.send()).await
    }

    /// Every API key, page by page.
    pub fn api_keys(&self) -> impl Stream<Item = Result<types::ApiKey, Error>> + Send + '_ {
        paginate(0, None, move |offset| async move {
            let page = self.api_keys_page(offset).await?;
            Ok(Page {
                total: u64::try_from(page.count).ok(),
                items: page.keys,
            })
        })
    }

    /// One page of API keys through the v3 route (`GET /v3/pinata/keys`).
    pub async fn keys_v3_page(
        &self,
        filter: &KeyFilter,
        offset: u64,
    ) -> Result<types::ApiKeyList, Error> {
        let mut request = self.api().list_keys_v3().offset(to_i64("offset", offset)?);
        if let Some(v) = filter.revoked {
            request = request.revoked(v);
        }
        if let Some(v) = filter.limited_use {
            request = request.limited_use(v);
        }
        if let Some(v) = filter.exhausted {
            request = request.exhausted(v);
        }
        if let Some(name) = &filter.name {
            request = request.name(name.clone());
        }
        self.engine().call(request.send()).await
    }

    /// Every API key matching `filter` (v3 route), page by page.
    pub fn keys_v3(
        &self,
        filter: KeyFilter,
    ) -> impl Stream<Item = Result<types::ApiKey, Error>> + Send + '_ {
        paginate(0, None, move |offset| {
            let filter = filter.clone();
            async move {
                let page = self.keys_v3_page(&filter, offset).await?;
                Ok(Page {
                    total: u64::try_from(page.count).ok(),
                    items: page.keys,
                })
            }
        })
    }

    /// Revokes a key by its public key (`PUT /users/revokeApiKey`).
    pub async fn revoke_api_key(&self, api_key: &str) -> Result<(), Error> {
        non_empty("API key", api_key)?;
        let body = types::RevokeApiKeyRequest {
            api_key: api_key.to_owned(),
        };
        self.engine()
            .call(self.api().revoke_api_key().body(body).send())
            .await?;
        Ok(())
    }

    /// Revokes a key by its public key through the v3 route (`PUT /v3/pinata/keys/{key}`).
    pub async fn revoke_key_v3(&self, api_key: &str) -> Result<(), Error> {
        non_empty("API key", api_key)?;
        self.engine()
            .call(self.api().revoke_key_v3().key(api_key.to_owned()).send())
            .await?;
        Ok(())
    }

    /// Creates a group (`POST /groups`).
    pub async fn create_group(&self, name: &str) -> Result<types::Group, Error> {
        non_empty("group name", name)?;
        let body = types::GroupRequest {
            name: name.to_owned(),
        };
        self.engine()
            .call(self.api().create_group().body(body).send())
            .await
    }

    /// One page of groups (`GET /groups`).
    pub async fn groups_page(
        &self,
        name_contains: Option<&str>,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<Vec<types::Group>, Error> {
        let mut request = self.api().list_groups().offset(to_i64("offset", offset)?);
        if let Some(limit) = page_size("page size", limit, u64::MAX)? {
            request = request.limit(limit);
        }
        if let Some(name) = name_contains {
            request = request.name_contains(name.to_owned());
        }
        Ok(self.engine().call(request.send()).await?.0)
    }

    /// Every group (whose name contains `name_contains`), page by page.
    pub fn groups(
        &self,
        name_contains: Option<String>,
    ) -> impl Stream<Item = Result<types::Group, Error>> + Send + '_ {
        const PAGE: u64 = 100;
        paginate(0, Some(PAGE), move |offset| {
            let name = name_contains.clone();
            async move {
                let items = self
                    .groups_page(name.as_deref(), offset, Some(PAGE))
                    .await?;
                Ok(Page { items, total: None })
            }
        })
    }

    /// One group (`GET /groups/{id}`).
    pub async fn get_group(&self, id: &str) -> Result<types::Group, Error> {
        non_empty("group id", id)?;
        self.engine()
            .call(self.api().get_group().id(id.to_owned()).send())
            .await
    }

    /// Renames a group (`PUT /groups/{id}`).
    pub async fn update_group(&self, id: &str, name: &str) -> Result<types::Group, Error> {
        non_empty("group id", id)?;
        non_empty("group name", name)?;
        let body = types::GroupRequest {
            name: name.to_owned(),
        };
        self.engine()
            .call(
                self.api()
                    .update_group()
                    .id(id.to_owned())
                    .body(body)
                    .send(),
            )
            .await
    }

    /// Deletes a group; its pins stay pinned (`DELETE /groups/{id}`).
    pub async fn delete_group(&self, id: &str) -> Result<(), Error> {
        non_empty("group id", id)?;
        self.engine()
            .call_text(self.api().delete_group().id(id.to_owned()).send())
            .await?;
        Ok(())
    }

    /// Adds pinned CIDs to a group (`PUT /groups/{id}/cids`).
    pub async fn add_cids_to_group(&self, id: &str, cids: &[&str]) -> Result<(), Error> {
        let body = group_cids(id, cids)?;
        self.engine()
            .call_text(
                self.api()
                    .add_cids_to_group()
                    .id(id.to_owned())
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(())
    }

    /// Removes CIDs from a group (`DELETE /groups/{id}/cids`).
    pub async fn remove_cids_from_group(&self, id: &str, cids: &[&str]) -> Result<(), Error> {
        let body = group_cids(id, cids)?;
        self.engine()
            .call_text(
                self.api()
                    .remove_cids_from_group()
                    .id(id.to_owned())
                    .body(body)
                    .send(),
            )
            .await?;
        Ok(())
    }
}

fn group_cids(id: &str, cids: &[&str]) -> Result<types::GroupCidsRequest, Error> {
    non_empty("group id", id)?;
    if cids.is_empty() {
        return Err(Error::invalid_input(
            "CIDs",
            "the list is empty: give at least one CID",
        ));
    }
    let cids = cids
        .iter()
        .map(|cid| crate::cid::parse_input(cid).map(|c| c.to_string()))
        .collect::<Result<_, _>>()?;
    Ok(types::GroupCidsRequest { cids })
}

fn key_request(
    name: &str,
    permissions: &PinataPermissions,
    max_uses: Option<u64>,
) -> Result<types::GenerateApiKeyRequest, Error> {
    non_empty("key name", name)?;
    let max_uses = match max_uses {
        None => None,
        Some(0) => {
            return Err(Error::invalid_input(
                "maxUses",
                "must be at least 1 (leave it unset for unlimited uses)",
            ));
        }
        Some(n) => NonZeroU64::new(n),
    };
    let permissions = serde_json::to_value(permissions)
        .and_then(serde_json::from_value)
        .map_err(|e| Error::invalid_input("permissions", e.to_string()))?;
    Ok(types::GenerateApiKeyRequest {
        key_name: name.to_owned(),
        permissions,
        max_uses,
    })
}

pub(crate) fn to_i64(what: &str, n: u64) -> Result<i64, Error> {
    i64::try_from(n).map_err(|_| Error::invalid_input(what, format!("{n} is too large")))
}

fn json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::invalid_input("metadata", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_refused_before_any_request() {
        assert!(key_request("", &PinataPermissions::admin(), None).is_err());
        let error = key_request("k", &PinataPermissions::admin(), Some(0)).unwrap_err();
        assert!(error.to_string().contains("maxUses"));
        let body = key_request("k", &PinataPermissions::admin(), Some(3)).unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"keyName": "k", "permissions": {"admin": true}, "maxUses": 3})
        );
        assert!(group_cids("g", &[]).is_err());
        assert!(
            group_cids("g", &["not-a-cid"])
                .unwrap_err()
                .to_string()
                .contains("CID")
        );
        assert!(page_size("page size", Some(1001), 1000).is_err());
        let many: Map<String, Value> = (0..11).map(|i| (format!("k{i}"), Value::from(i))).collect();
        assert!(
            metadata(None, &many)
                .unwrap_err()
                .to_string()
                .contains("at most 10")
        );
    }

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
