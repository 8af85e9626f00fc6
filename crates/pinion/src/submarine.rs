//! Pinata Submarine (private content at `managed.mypinata.cloud/api/v1`): uploads,
//! listings, updates and content access tokens.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::Stream;
use serde_json::{Map, Value};
use uuid::Uuid;

pub use pinion_api::submarine::types;

use crate::Error;
use crate::args::{non_empty, page_limit, scalar_keyvalues, to_i64};
use crate::cid::CidVersion;
use crate::config::{ClientBuilder, Connection};
#[doc(no_inline)]
pub use crate::credentials::SubmarineCredentials;
use crate::executor::Engine;
use crate::listing::{self, Listing, Shape};
use crate::operations;
use crate::paginate::paginate;
use crate::rate_limit::RateLimit;
use crate::scopes::Service;
use crate::token::{AccessToken, ContentTokenRequest};
use crate::upload::{self, Multipart, UploadOptions, UploadSource, Uploaded};

/// Submarine's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://managed.mypinata.cloud/api/v1";

/// Builds a [`Client`].
pub type Builder = ClientBuilder<SubmarineCredentials>;

/// A Submarine client: every operation of `spec/pinata-submarine.yaml`. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use std::time::Duration;
/// use pinion::token::ContentTokenRequest;
/// let client = pinion::submarine::Client::from_env()?; // PINATA_SUBMARINE_KEY, PINATA_GATEWAY_URL
/// let item = client.get_content("95c904a0-4d61-4598-a4c8-fb5f0793c7ab".parse().unwrap()).await?;
/// let token = client
///     .create_access_token(&ContentTokenRequest::new(Duration::from_secs(600), [item.id])?)
///     .await?;
/// println!("{}", client.access_link(&item.cid, None, &token)?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

type Inner = Connection<pinion_api::submarine::Client, SubmarineCredentials>;

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.debug(f, "submarine::Client")
    }
}

impl ClientBuilder<SubmarineCredentials> {
    /// Builds the client, refusing missing credentials or malformed settings.
    pub fn build(self) -> Result<Client, Error> {
        let inner = self.connect(
            DEFAULT_BASE_URL,
            RateLimit::submarine(),
            pinion_api::submarine::Client::new_with_client,
        )?;
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// A builder set from `PINATA_SUBMARINE_KEY`, `PINATA_SUBMARINE_BASE_URL` and
    /// `PINATA_GATEWAY_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Ok(Self::default()
            .credentials(crate::credentials::submarine_from(lookup)?)
            .urls_from(
                lookup,
                "PINATA_SUBMARINE_BASE_URL",
                Some("PINATA_GATEWAY_URL"),
            ))
    }
}

/// Filters of [`Client::content`] (`GET /content`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentFilter {
    /// CID contains.
    pub cid_contains: Option<String>,
    /// Custom name matches.
    pub name: Option<String>,
    /// Original file name.
    pub original_name: Option<String>,
    /// Created at or after.
    pub created_after: Option<DateTime<Utc>>,
    /// Created at or before.
    pub created_before: Option<DateTime<Utc>>,
    /// At least this many bytes.
    pub size_min: Option<u64>,
    /// At most this many bytes.
    pub size_max: Option<u64>,
    /// `all`, `pinned` or `unpinned`.
    pub status: Option<types::ListContentStatus>,
    /// Sort order, sent as given.
    pub order: Option<String>,
    /// Key-value conditions, as for Pinata's pin list.
    pub keyvalues: Option<Map<String, Value>>,
    /// Metadata name contains.
    pub metadata_name: Option<String>,
    /// Page size (1 to 1000).
    pub page_size: Option<u64>,
}

/// Where the rows and count of `listContent` and `listFolderContent` are.
const ITEMS: Shape = Shape {
    what: "content item",
    rows: "/items",
    total: Some("/totalItems"),
};

/// A content listing; a `totalItems` of 0 next to rows means the count is not known.
fn content_listing(
    engine: &Engine,
    answer: listing::Answer<types::ContentListEnvelope>,
) -> Result<Listing<types::ContentItem>, Error> {
    let mut listing = ITEMS.listing(engine, answer, |page| {
        (page.items, u64::try_from(page.total_items).ok())
    })?;
    listing.total = listing.total.filter(|t| *t > 0);
    Ok(listing)
}

impl Client {
    /// A builder (production base URL, 250 requests a minute).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A client from the environment; see [`Builder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Builder::from_env()?.build()
    }

    /// The generated low-level client.
    pub fn api(&self) -> &pinion_api::submarine::Client {
        &self.inner.api
    }

    fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Uploads `source` as private content (`POST /content`), streamed. `pin_to_ipfs`
    /// also publishes it to the public IPFS network.
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
        pin_to_ipfs: bool,
    ) -> Result<Uploaded, Error> {
        if options.group_id.is_some() {
            return Err(Error::invalid_input(
                "group",
                "Submarine has no groups: leave it unset",
            ));
        }
        options.refuse_tus("Submarine's upload")?;
        let prepared = upload::prepare(source, &options).await?;
        let keyvalues = options.checked_keyvalues(None)?;
        // The official SDK sends "0" when no version is given; so does pinion, so the
        // local CID can be checked.
        let version = options.cid_version.unwrap_or(CidVersion::V0);
        if options.skip_if_pinned {
            let expected = prepared.local_cids(&[version]).await?;
            if let Some(cid) = expected.get(version)
                && let Some(item) = self.find_by_cid(&cid.to_string()).await?
            {
                return Ok(Uploaded::already_pinned(
                    item.cid,
                    u64::try_from(item.size).ok(),
                    Some(item.id.to_string()),
                ));
            }
        }
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| prepared.name.clone());
        let mut multipart = Multipart::new(prepared, "files");
        multipart.field("name", name);
        multipart.field(
            "metadata",
            serde_json::json!({ "keyvalues": Value::Object(keyvalues) }).to_string(),
        );
        multipart.field(
            "cidVersion",
            if version == CidVersion::V0 { "0" } else { "1" },
        );
        multipart.field("wrapWithDirectory", options.wrap_with_directory.to_string());
        multipart.field("pinToIPFS", pin_to_ipfs.to_string());
        let versions = if options.verify {
            vec![version]
        } else {
            Vec::new()
        };
        let url = format!("{}/content", self.inner.base_url);
        let operation = operations::lookup(Service::Submarine, "upload_content");
        let (answer, expected): (types::ContentListEnvelope, _) = upload::send(
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
        let item = answer
            .items
            .into_iter()
            .next()
            .ok_or_else(|| Error::Decode {
                service: Service::Submarine,
                status: http::StatusCode::OK,
                why: "the upload answer lists no item".to_owned(),
            })?;
        let pinned = Uploaded::pinned(
            item.cid,
            u64::try_from(item.size).ok(),
            Some(item.id.to_string()),
            item.is_duplicate,
        );
        upload::finish(Service::Submarine, &options, &multipart, expected, pinned)
    }

    /// Stores a JSON document privately (`POST /content/json`).
    pub async fn upload_json(
        &self,
        content: Map<String, Value>,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
        pin_to_ipfs: bool,
    ) -> Result<types::ContentItem, Error> {
        let body = types::ContentJsonRequest {
            cid_version: None,
            content: types::ContentJsonRequestContent::Object(content),
            metadata: Some(types::ContentJsonRequestMetadata::Object(
                [("keyvalues".to_owned(), Value::Object(keyvalues))]
                    .into_iter()
                    .collect(),
            )),
            name: name.map(str::to_owned),
            pin_to_ipfs: Some(pin_to_ipfs),
            wrap_with_directory: None,
        };
        Ok(self
            .engine()
            .call(self.api().upload_json_content().body(body).send())
            .await?
            .item)
    }

    /// One page of private content (`GET /content`).
    pub async fn content_page(
        &self,
        filter: &ContentFilter,
        offset: u64,
    ) -> Result<Listing<types::ContentItem>, Error> {
        let mut request = self.api().list_content().offset(to_i64("offset", offset)?);
        if let Some(limit) = page_limit(filter.page_size)? {
            request = request.limit(limit);
        }
        if let Some(v) = &filter.cid_contains {
            request = request.cid_contains(v.clone());
        }
        if let Some(v) = &filter.name {
            request = request.name(v.clone());
        }
        if let Some(v) = &filter.original_name {
            request = request.originalname(v.clone());
        }
        if let Some(v) = filter.created_after {
            request = request.created_at_start(v);
        }
        if let Some(v) = filter.created_before {
            request = request.created_at_end(v);
        }
        if let Some(v) = filter.size_min {
            request = request.pin_size_min(to_i64("size_min", v)?);
        }
        if let Some(v) = filter.size_max {
            request = request.pin_size_max(to_i64("size_max", v)?);
        }
        if let Some(v) = filter.status {
            request = request.status(v);
        }
        if let Some(v) = &filter.order {
            request = request.order(v.clone());
        }
        if let Some(v) = &filter.keyvalues {
            request = request.metadata_keyvalues(Value::Object(v.clone()).to_string());
        }
        if let Some(v) = &filter.metadata_name {
            request = request.metadata_name(v.clone());
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        content_listing(self.engine(), answer)
    }

    /// Every item of private content matching `filter`, page by page.
    pub fn content(
        &self,
        filter: ContentFilter,
    ) -> impl Stream<Item = Result<types::ContentItem, Error>> + Send + '_ {
        let size = filter.page_size;
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move { self.content_page(&filter, offset).await }
        })
    }

    /// The item whose CID is exactly `cid`, if any.
    pub async fn find_by_cid(&self, cid: &str) -> Result<Option<types::ContentItem>, Error> {
        let cid = crate::cid::parse_input(cid)?.to_string();
        let filter = ContentFilter {
            cid_contains: Some(cid.clone()),
            ..ContentFilter::default()
        };
        let items = self.content_page(&filter, 0).await?.into_rows()?;
        Ok(items.into_iter().find(|item| item.cid == cid))
    }

    /// One item by its content id (`GET /content/{id}`).
    pub async fn get_content(&self, id: Uuid) -> Result<types::ContentItem, Error> {
        Ok(self
            .engine()
            .call(self.api().get_content().id(id).send())
            .await?
            .item)
    }

    /// Renames an item and/or publishes it to IPFS (`PUT /content/{id}`).
    pub async fn update_content(
        &self,
        id: Uuid,
        name: Option<&str>,
        pin_to_ipfs: Option<bool>,
    ) -> Result<types::ContentItem, Error> {
        if let Some(name) = name {
            non_empty("name", name)?;
        }
        let body = types::UpdateContentRequest {
            name: name.map(str::to_owned),
            pin_to_ipfs,
        };
        Ok(self
            .engine()
            .call(self.api().update_content().id(id).body(body).send())
            .await?
            .item)
    }

    /// Deletes an item (`DELETE /content/{id}`). A retry that finds it already gone
    /// (an earlier attempt deleted it but its answer was lost) is a success.
    pub async fn delete_content(&self, id: Uuid) -> Result<(), Error> {
        self.engine()
            .call_removal(self.api().delete_content().id(id).send())
            .await
    }

    /// One page of the files inside a folder (`GET /content/{id}/list`).
    pub async fn folder_page(
        &self,
        id: Uuid,
        include_paths: bool,
        offset: u64,
        page_size: Option<u64>,
    ) -> Result<Listing<types::ContentItem>, Error> {
        let mut request = self
            .api()
            .list_folder_content()
            .id(id)
            .include_paths(include_paths)
            .offset(to_i64("offset", offset)?);
        if let Some(limit) = page_limit(page_size)? {
            request = request.limit(limit);
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        content_listing(self.engine(), answer)
    }

    /// Every file inside a folder, page by page.
    pub fn folder(
        &self,
        id: Uuid,
        include_paths: bool,
    ) -> impl Stream<Item = Result<types::ContentItem, Error>> + Send + '_ {
        const PAGE: u64 = 100;
        paginate(0, Some(PAGE), move |offset| {
            self.folder_page(id, include_paths, offset, Some(PAGE))
        })
    }

    /// Replaces an item's metadata; keys not sent are removed
    /// (`PUT /content/{id}/metadata`).
    pub async fn update_metadata(
        &self,
        id: Uuid,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<types::ContentItem, Error> {
        scalar_keyvalues(&keyvalues, false)?;
        let body = types::ContentMetadataRequest {
            keyvalues,
            name: name.map(str::to_owned),
        };
        Ok(self
            .engine()
            .call(
                self.api()
                    .update_content_metadata()
                    .id(id)
                    .body(body)
                    .send(),
            )
            .await?
            .item)
    }

    /// Mints a content access token (`POST /auth/content/jwt`).
    pub async fn create_access_token(
        &self,
        request: &ContentTokenRequest,
    ) -> Result<AccessToken, Error> {
        let body = types::ContentAccessTokenRequest {
            content_ids: request.content_ids().to_vec(),
            timeout_seconds: std::num::NonZeroU64::new(request.timeout_seconds()).ok_or_else(
                || Error::invalid_input("timeoutSeconds", "must be at least 1 second"),
            )?,
        };
        let token = self
            .engine()
            .call(self.api().create_content_access_token().body(body).send())
            .await?;
        Ok(AccessToken::new(token.0))
    }

    /// The link that serves `cid` (and `path` inside it) through the configured
    /// gateway with `token`.
    pub fn access_link(
        &self,
        cid: &str,
        path: Option<&str>,
        token: &AccessToken,
    ) -> Result<url::Url, Error> {
        let gateway = self.inner.gateway_url.as_deref().ok_or_else(|| {
            Error::invalid_input(
                "gateway URL",
                "is not set: give .gateway_url(...) to the builder or set PINATA_GATEWAY_URL",
            )
        })?;
        token.access_link(gateway, cid, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_need_a_gateway_and_the_environment_gives_one() {
        let lookup = |name: &str| match name {
            "PINATA_SUBMARINE_KEY" => Some("sub-key".to_owned()),
            "PINATA_GATEWAY_URL" => Some("http://127.0.0.1:9/gateway".to_owned()),
            _ => None,
        };
        let client = Builder::from_lookup(&lookup).unwrap().build().unwrap();
        let token = AccessToken::new("tok");
        let cid = "QmeveDgcyWtCLnQJHEAemY1JjB9ys1pJQMaxNGtTaY1frt";
        assert_eq!(
            client.access_link(cid, None, &token).unwrap().as_str(),
            format!("http://127.0.0.1:9/gateway/ipfs/{cid}?accessToken=tok")
        );
        let bare = Client::builder()
            .credentials(SubmarineCredentials::new("k"))
            .build()
            .unwrap();
        assert!(
            bare.access_link(cid, None, &token)
                .unwrap_err()
                .to_string()
                .contains("PINATA_GATEWAY_URL")
        );
        assert!(page_limit(Some(0)).is_err());
    }
}
