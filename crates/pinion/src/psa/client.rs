//! The Pinning Service API [`Client`]: building one for any endpoint, or from a
//! Pinata or W3IPFS client, and its operations.

use std::sync::Arc;

use futures::Stream;

use super::filter::ListFilter;
use super::paging::every_page;
use super::request::PinRequest;
use super::types;
use crate::Error;
use crate::config::{ClientBuilder, Connection};
use crate::credentials::PsaCredentials;
use crate::executor::Engine;
use crate::listing::{self, Listing, Shape};
use crate::operations::Api;
use crate::rate_limit::RateLimit;
use crate::scopes::Service;

/// Builds a [`Client`]; the base URL has no default (name the endpoint).
pub type Builder = ClientBuilder<PsaCredentials>;

/// The environment variable `from_env` reads the access token from.
pub const TOKEN_VAR: &str = "PSA_TOKEN";

/// The environment variable `from_env` reads the endpoint from.
pub const BASE_URL_VAR: &str = "PSA_BASE_URL";

/// A page of a listing when none is asked for: the standard's largest.
const FULL_PAGE: u32 = super::filter::MAX_LIMIT;

const PINS: Shape = Shape {
    what: "pin request",
    rows: "/results",
    total: Some("/count"),
};

/// A client of one IPFS Pinning Service API endpoint: add, look up, list (as a stream
/// paging with `before`), replace and remove pin requests, and wait for one to be
/// pinned; with the retries, rate limiting and typed errors of the other clients.
/// Cheap to clone; its `Debug` never shows the token.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use pinion::psa::{Client, PinRequest, PsaCredentials, Wait};
/// let client = Client::builder()
///     .base_url("https://api.pinata.cloud/psa")
///     .credentials(PsaCredentials::new(std::env::var("PSA_TOKEN").unwrap_or_default()))
///     .build()?;
/// let queued = client.add(&PinRequest::new("bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi")).await?;
/// let pinned = client.wait_until_pinned(&queued.requestid, Wait::default()).await?;
/// println!("{} is {}", pinned.pin.cid, pinned.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Connection<pinion_api::psa::Client, PsaCredentials>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.debug(f, "psa::Client")
    }
}

impl ClientBuilder<PsaCredentials> {
    /// Builds the client, refusing a missing endpoint or token, or malformed settings.
    pub fn build(self) -> Result<Client, Error> {
        let Some(base) = self.base_url.clone() else {
            return Err(Error::invalid_input(
                "client configuration",
                format!(
                    "no Pinning Service API endpoint was given: call .base_url(...) (such as https://api.pinata.cloud/psa) or set {BASE_URL_VAR}"
                ),
            ));
        };
        let inner = self.connect_engine(
            &base,
            RateLimit::unlimited(),
            Api::Psa,
            pinion_api::psa::Client::new_with_client,
        )?;
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// A builder set from `PSA_TOKEN`, `PSA_BASE_URL` and `PINION_ALLOW_INSECURE_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let token = crate::credentials::var(lookup, TOKEN_VAR).ok_or_else(|| {
            Error::invalid_input(
                "environment",
                format!("{TOKEN_VAR} is not set: export the endpoint's access token"),
            )
        })?;
        Ok(Self::default()
            .credentials(PsaCredentials::new(token))
            .urls_from(lookup, BASE_URL_VAR, None))
    }
}

/// A Pinning Service API client beside another service's client: its endpoint under
/// that client's base URL, the same HTTP client, timeouts, retries and user agent, and
/// the same rate-limit buckets (one account, one budget). Errors name that service.
pub(crate) fn beside<A, C>(
    connection: &Connection<A, C>,
    path: &str,
    token: secrecy::SecretString,
) -> Result<Client, Error> {
    let engine: &Engine = &connection.engine;
    let mut builder = Builder::default()
        .base_url(format!("{}{path}", connection.base_url))
        .credentials(PsaCredentials { token })
        .http_client(connection.http.clone())
        .timeouts(engine.timeouts)
        .retry_policy(engine.retry_policy().clone())
        .user_agent(
            engine
                .user_agent()
                .to_str()
                .unwrap_or(crate::DEFAULT_USER_AGENT),
        )
        // The origin is the service client's, already checked when it was built.
        .allow_insecure_http(true);
    builder.shared_limiter = Some(engine.limiter().clone());
    builder.service = Some(engine.service);
    builder.build()
}

/// Refuses a request id that cannot name a pin request.
fn requestid(id: &str) -> Result<&str, Error> {
    let id = id.trim();
    if id.is_empty() || id.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "request id",
            "is empty or holds control characters: give the requestid of a pin request",
        ));
    }
    Ok(id)
}

impl Client {
    /// A builder (no endpoint yet, no client-side rate limit).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A client from the environment; see [`Builder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Builder::from_env()?.build()
    }

    /// The generated low-level client, sharing this client's token, retries and limits.
    pub fn api(&self) -> &pinion_api::psa::Client {
        &self.inner.api
    }

    /// The endpoint's base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The service whose endpoint this is ([`Service::Psa`] for another provider's).
    pub fn service(&self) -> Service {
        self.inner.engine.service
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Checks the token with the cheapest authenticated call the standard has
    /// (`GET /pins?limit=1`) and says how many pins it sees.
    pub async fn test_authentication(&self) -> Result<String, Error> {
        let page = self.list_page(&ListFilter::default().limit(1)).await?;
        Ok(format!(
            "authenticated to {} ({} pinned)",
            self.inner.base_url,
            page.total.unwrap_or(0)
        ))
    }

    /// Asks the service to pin a CID (`POST /pins`); the answer is the new request,
    /// usually `queued`. Refuses an invalid CID, name or origin before any request.
    pub async fn add(&self, request: &PinRequest) -> Result<types::PinStatus, Error> {
        let body = request.body()?;
        self.engine()
            .call(self.api().add_pin().body(body).send())
            .await
    }

    /// One pin request (`GET /pins/{requestid}`).
    pub async fn get(&self, id: &str) -> Result<types::PinStatus, Error> {
        let id = requestid(id)?;
        self.engine()
            .call(self.api().get_pin_by_request_id().requestid(id).send())
            .await
    }

    /// Replaces a pin request by a new one (`POST /pins/{requestid}`): the old pin is
    /// removed once the new one is pinned; the answer is the new request.
    pub async fn replace(&self, id: &str, request: &PinRequest) -> Result<types::PinStatus, Error> {
        let id = requestid(id)?;
        let body = request.body()?;
        self.engine()
            .call(
                self.api()
                    .replace_pin_by_request_id()
                    .requestid(id)
                    .body(body)
                    .send(),
            )
            .await
    }

    /// Removes a pin request and its pin (`DELETE /pins/{requestid}`).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let id = requestid(id)?;
        self.engine()
            .call_removal(self.api().delete_pin_by_request_id().requestid(id).send())
            .await
    }

    /// One page of pin requests (`GET /pins`), newest first, with `count` (all
    /// matching requests) as its total. A row that cannot be read is an
    /// [`Error::UndecodableRow`] among the others. Refuses filters the standard
    /// forbids before any request.
    pub async fn list_page(&self, filter: &ListFilter) -> Result<Listing<types::PinStatus>, Error> {
        let query = filter.query()?;
        let mut request = self.api().get_pins();
        if let Some(cid) = query.cid {
            request = request.cid(cid);
        }
        if let Some(name) = query.name {
            request = request.name(name);
        }
        if let Some(how) = query.name_match {
            request = request.match_(match how {
                super::NameMatch::Exact => types::TextMatchingStrategy::Exact,
                super::NameMatch::IExact => types::TextMatchingStrategy::Iexact,
                super::NameMatch::Partial => types::TextMatchingStrategy::Partial,
                super::NameMatch::IPartial => types::TextMatchingStrategy::Ipartial,
            });
        }
        if let Some(status) = query.status {
            request = request.status(status);
        }
        if let Some(before) = query.before {
            request = request.before(before);
        }
        if let Some(after) = query.after {
            request = request.after(after);
        }
        if let Some(limit) = query.limit {
            request = request.limit(limit_value(limit)?);
        }
        if let Some(meta) = query.meta {
            request = request.meta(meta);
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        PINS.listing(self.engine(), answer, |page| {
            (page.results, u64::try_from(page.count).ok())
        })
    }

    /// Every pin request that matches `filter`, newest first, page after page of
    /// `filter.limit` (default 1000) by `before` as the standard says, from
    /// `filter.before` on. A pin repeated by two pages comes once; a full page whose
    /// requests all share one `created` time ends the stream with
    /// [`Error::UnpageableListing`] rather than skipping requests.
    pub fn list(
        &self,
        filter: ListFilter,
    ) -> impl Stream<Item = Result<types::PinStatus, Error>> + Send + '_ {
        let limit = filter.limit.unwrap_or(FULL_PAGE);
        let start = filter.before;
        let filter = filter.limit(limit);
        every_page(
            self.service(),
            start,
            usize::try_from(limit).unwrap_or(usize::MAX),
            move |before| {
                let mut page = filter.clone();
                page.before = before;
                async move { Ok(self.list_page(&page).await?.rows) }
            },
        )
    }
}

/// The generated client's type for `limit`.
fn limit_value(limit: u32) -> Result<std::num::NonZeroU32, Error> {
    std::num::NonZeroU32::new(limit)
        .ok_or_else(|| Error::invalid_input("limit", "must be at least 1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn the_environment_names_the_endpoint_and_the_token() {
        let client = Builder::from_lookup(&env(&[
            ("PSA_TOKEN", "tok-en.value"),
            ("PSA_BASE_URL", "https://psa.example/api/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "https://psa.example/api");
        assert_eq!(client.service(), Service::Psa);
        assert!(!format!("{client:?}").contains("tok-en.value"));
        let error = Builder::from_lookup(&env(&[("PSA_BASE_URL", "https://psa.example")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("PSA_TOKEN is not set"), "{error}");
        let error = Builder::from_lookup(&env(&[("PSA_TOKEN", "t")]))
            .unwrap()
            .build()
            .unwrap_err()
            .to_string();
        assert!(error.contains("PSA_BASE_URL"), "{error}");
        let error = Builder::from_lookup(&env(&[
            ("PSA_TOKEN", "bad\ntoken"),
            ("PSA_BASE_URL", "https://psa.example"),
        ]))
        .unwrap()
        .build()
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("control characters") && !error.contains("bad"),
            "{error}"
        );
    }

    #[test]
    fn request_ids_must_name_something() {
        assert_eq!(requestid(" abc ").unwrap(), "abc");
        assert!(requestid("").is_err());
        assert!(requestid("a\u{7}b").is_err());
    }
}
