//! The v3 [`Client`] and how a Pinata builder builds one.

use std::sync::Arc;

use crate::Error;
use crate::config::{ClientBuilder, Connection, parse_base_url};
use crate::credentials::PinataCredentials;
use crate::executor::Engine;
use crate::rate_limit::{PinataPlan, RateLimit};

/// The v3 uploads host on the real service.
pub const DEFAULT_UPLOADS_URL: &str = "https://uploads.pinata.cloud/v3";

/// A Pinata v3 client: files, uploads, pins by CID and groups, with retries, rate
/// limiting and typed errors. Cheap to clone.
///
/// Built from the same builder as the legacy [`pinata::Client`](crate::pinata::Client):
/// its base URL is the legacy one (`https://api.pinata.cloud`; the v3 API is under
/// `/v3`), and [`uploads_url`](ClientBuilder::uploads_url) names the uploads host.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use pinion::pinata::PinataCredentials;
/// let client = pinion::pinata::Client::builder()
///     .credentials(PinataCredentials::jwt(std::env::var("PINATA_JWT").unwrap_or_default()))
///     .build_v3()?;
/// let file = client.file(pinion::pinata_v3::Network::Public, "0191…").await?;
/// println!("{}", file.cid);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) connection: Connection<pinion_api::pinata_v3::Client, PinataCredentials>,
    pub(super) uploads: pinion_api::pinata_v3_uploads::Client,
    /// The uploads host's base URL, without a trailing slash.
    pub(super) uploads_url: String,
    /// The legacy API, for what v3 sends there (public directories, as Pinata's SDK).
    pub(super) legacy: crate::pinata::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.connection.debug(f, "pinata_v3::Client")
    }
}

impl ClientBuilder<PinataCredentials> {
    /// The v3 uploads host's base URL (default [`DEFAULT_UPLOADS_URL`]; for the emulator
    /// at `http://HOST/pinata`, `http://HOST/pinata-uploads/v3`, which is also what is
    /// assumed when the base URL ends in `/pinata` and this is not set).
    pub fn uploads_url(mut self, url: impl Into<String>) -> Self {
        self.uploads_url = Some(url.into());
        self
    }

    /// Builds a v3 [`Client`], refusing missing credentials or malformed settings.
    pub fn build_v3(self) -> Result<Client, Error> {
        if matches!(self.credentials, Some(PinataCredentials::KeyPair { .. })) {
            return Err(Error::invalid_input(
                "Pinata credentials",
                "the v3 API takes only a JWT (Authorization: Bearer), not an API key and secret: give the JWT shown when the key was created",
            ));
        }
        let uploads_url = self.v3_uploads_url()?;
        crate::insecure::check("uploads URL", &uploads_url, self.allow_insecure_http)?;
        let legacy = self.clone().build()?;
        let mut builder = self;
        builder.shared_limiter = Some(legacy.engine().limiter().clone());
        let connection = builder.connect_engine(
            crate::pinata::DEFAULT_BASE_URL,
            RateLimit::pinata(PinataPlan::Free),
            crate::operations::Api::PinataV3,
            |base, http, context| {
                pinion_api::pinata_v3::Client::new_with_client(&format!("{base}/v3"), http, context)
            },
        )?;
        let context = pinion_api::ClientContext::new(connection.credentials.clone())
            .with_executor(connection.engine.clone());
        let uploads = pinion_api::pinata_v3_uploads::Client::new_with_client(
            &uploads_url,
            connection.http.clone(),
            context,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                connection,
                uploads,
                uploads_url,
                legacy,
            }),
        })
    }

    /// The uploads host: as set, the real one for the real api host, the emulator's
    /// beside an emulator base URL.
    fn v3_uploads_url(&self) -> Result<String, Error> {
        if let Some(url) = &self.uploads_url {
            return parse_base_url("uploads URL", url);
        }
        let Some(base) = &self.base_url else {
            return Ok(DEFAULT_UPLOADS_URL.to_owned());
        };
        let base = parse_base_url("base URL", base)?;
        if base == crate::pinata::DEFAULT_BASE_URL {
            return Ok(DEFAULT_UPLOADS_URL.to_owned());
        }
        match base.strip_suffix("/pinata") {
            Some(origin) => Ok(format!("{origin}/pinata-uploads/v3")),
            None => Err(Error::invalid_input(
                "uploads URL",
                format!(
                    "cannot tell the v3 uploads host from the base URL `{base}`: set it with .uploads_url(...) or PINATA_UPLOADS_URL"
                ),
            )),
        }
    }
}

impl Client {
    /// A builder (production URLs, Pinata Free plan limits); finish it with
    /// [`build_v3`](ClientBuilder::build_v3).
    pub fn builder() -> crate::pinata::Builder {
        crate::pinata::Builder::default()
    }

    /// A client from `PINATA_JWT`, `PINATA_BASE_URL`, `PINATA_UPLOADS_URL` and
    /// `PINATA_GATEWAY_URL`.
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = crate::pinata::Builder::from_env()?;
        if let Some(url) = crate::credentials::var(&|n| std::env::var(n).ok(), "PINATA_UPLOADS_URL")
        {
            builder = builder.uploads_url(url);
        }
        builder.build_v3()
    }

    /// The generated low-level v3 client (api host), sharing this client's
    /// credentials, retries and limits.
    pub fn api(&self) -> &pinion_api::pinata_v3::Client {
        &self.inner.connection.api
    }

    /// The generated low-level client of the uploads host.
    pub fn uploads_api(&self) -> &pinion_api::pinata_v3_uploads::Client {
        &self.inner.uploads
    }

    /// The dedicated gateway configured for this client, if any.
    pub fn gateway_url(&self) -> Option<&str> {
        self.inner.connection.gateway_url.as_deref()
    }

    pub(super) fn engine(&self) -> &Engine {
        &self.inner.connection.engine
    }

    pub(super) fn http(&self) -> &reqwest::Client {
        &self.inner.connection.http
    }

    /// The api host's base URL (ending in `/v3`).
    pub(super) fn api_url(&self) -> String {
        format!("{}/v3", self.inner.connection.base_url)
    }

    /// A hand-written request to the api host, authenticated.
    pub(super) fn request(
        &self,
        method: reqwest::Method,
        url: url::Url,
    ) -> Result<reqwest::Request, Error> {
        use pinion_api::auth::ApplyCredentials;
        let mut request = self
            .http()
            .request(method, url)
            .header(http::header::ACCEPT, "application/json")
            .build()
            .map_err(|e| Error::invalid_input("request", e.to_string()))?;
        self.inner
            .connection
            .credentials
            .apply(request.headers_mut())
            .map_err(|e| Error::invalid_input(e.what, e.to_string()))?;
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> crate::pinata::Builder {
        Client::builder().credentials(PinataCredentials::jwt("a.b.c"))
    }

    /// One account, one budget: the v3 calls and the legacy calls a v3 client makes
    /// (public directories) wait on the same rate-limit buckets.
    #[test]
    fn v3_and_its_legacy_client_share_the_rate_limit() {
        let client = builder().build_v3().unwrap();
        let v3 = client.engine().limiter();
        let legacy = client.inner.legacy.engine().limiter();
        assert!(v3.shares_buckets_with(legacy));
        let other = builder().build_v3().unwrap();
        assert!(!v3.shares_buckets_with(other.engine().limiter()));
    }

    #[test]
    fn the_uploads_host_follows_the_base_url_or_is_asked_for() {
        let client = builder().build_v3().unwrap();
        assert_eq!(client.inner.uploads_url, DEFAULT_UPLOADS_URL);
        assert_eq!(client.api_url(), "https://api.pinata.cloud/v3");
        let client = builder()
            .base_url("http://127.0.0.1:9/pinata/")
            .build_v3()
            .unwrap();
        assert_eq!(
            client.inner.uploads_url,
            "http://127.0.0.1:9/pinata-uploads/v3"
        );
        assert_eq!(client.api_url(), "http://127.0.0.1:9/pinata/v3");
        let error = builder()
            .base_url("https://proxy.example/p")
            .build_v3()
            .unwrap_err();
        assert!(error.to_string().contains(".uploads_url("), "{error}");
        let client = builder()
            .base_url("https://proxy.example/p")
            .uploads_url("https://proxy.example/u/v3")
            .build_v3()
            .unwrap();
        assert_eq!(client.inner.uploads_url, "https://proxy.example/u/v3");
        let refused = builder()
            .uploads_url("http://uploads.example/v3")
            .build_v3()
            .unwrap_err();
        assert!(refused.to_string().contains("uploads URL"), "{refused}");
        assert!(!format!("{client:?}").contains("a.b.c"));
    }
}
