//! Client settings shared by the three services: base URL, credentials, timeouts,
//! retries, rate limit, user agent and HTTP client.

use std::sync::Arc;
use std::time::Duration;

use pinion_api::ClientContext;
use url::Url;

use crate::Error;
use crate::credentials::Credentials;
use crate::executor::Engine;
use crate::operations::Api;
use crate::rate_limit::RateLimit;
use crate::retry::RetryPolicy;

/// How long to wait, at each stage of a request.
///
/// ```
/// use std::time::Duration;
/// use pinion::Timeouts;
/// let timeouts = Timeouts::default().request(Duration::from_secs(10));
/// assert_eq!(timeouts.request, Duration::from_secs(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Opening a connection (default 10 s). Only applied to HTTP clients pinion builds.
    pub connect: Duration,
    /// One attempt of any operation but an upload, answer included (default 60 s);
    /// for an upload, reading the body of its answer.
    pub request: Duration,
    /// The longest an upload may go without sending a byte or, once sent, without an
    /// answer (default 60 s).
    pub stall: Duration,
    /// One attempt of an upload, whatever its progress (default: none).
    pub upload: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
            stall: Duration::from_secs(60),
            upload: None,
        }
    }
}

impl Timeouts {
    /// Sets [`connect`](Self::connect).
    pub fn connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// Sets [`request`](Self::request).
    pub fn request(mut self, timeout: Duration) -> Self {
        self.request = timeout;
        self
    }

    /// Sets [`stall`](Self::stall).
    pub fn stall(mut self, timeout: Duration) -> Self {
        self.stall = timeout;
        self
    }

    /// Sets [`upload`](Self::upload).
    pub fn upload(mut self, timeout: Option<Duration>) -> Self {
        self.upload = timeout;
        self
    }

    fn validate(&self) -> Result<(), Error> {
        for (name, value) in [
            ("connect timeout", Some(self.connect)),
            ("request timeout", Some(self.request)),
            ("stall timeout", Some(self.stall)),
            ("upload timeout", self.upload),
        ] {
            if value == Some(Duration::ZERO) {
                return Err(Error::invalid_input(
                    name,
                    "is zero, so every request would time out: give a positive duration",
                ));
            }
        }
        Ok(())
    }
}

/// The environment variable that allows plain `http://` to hosts other than this
/// machine, read by `from_env` (see [`ClientBuilder::allow_insecure_http`]).
pub const ALLOW_INSECURE_HTTP_VAR: &str = "PINION_ALLOW_INSECURE_HTTP";

/// The user agent pinion sends unless told otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("pinion/", env!("CARGO_PKG_VERSION"));

/// Builds a client of one service; see [`pinata::Client::builder`](crate::pinata::Client::builder),
/// [`submarine::Client::builder`](crate::submarine::Client::builder) and
/// [`w3ipfs::Client::builder`](crate::w3ipfs::Client::builder).
#[derive(Debug, Clone)]
pub struct ClientBuilder<C> {
    pub(crate) base_url: Option<String>,
    pub(crate) credentials: Option<C>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) user_agent: String,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) gateway_url: Option<String>,
    pub(crate) allow_insecure_http: bool,
    /// A `PINION_ALLOW_INSECURE_HTTP` value that is not a yes or a no, refused when
    /// the client is built.
    pub(crate) unreadable_insecure_env: Option<String>,
    /// Pinata only: the v3 uploads host's base URL (see `pinata_v3`).
    pub(crate) uploads_url: Option<String>,
    /// Pinata only: which API `build_pinning` uses (see `pinata_v3::PinataApi`).
    pub(crate) pinata_api: crate::pinata_v3::PinataApi,
    /// The rate-limit buckets to use instead of new ones: a v3 client and the legacy
    /// client it holds are one account, so they share one budget.
    pub(crate) shared_limiter: Option<crate::rate_limit::Limiter>,
    /// The service the client's errors name, when not the credentials' own: a Pinning
    /// Service API client of Pinata's `/psa` speaks for Pinata.
    pub(crate) service: Option<crate::scopes::Service>,
}

impl<C: Credentials> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            base_url: None,
            credentials: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            rate_limit: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http: None,
            gateway_url: None,
            allow_insecure_http: false,
            unreadable_insecure_env: None,
            shared_limiter: None,
            uploads_url: None,
            pinata_api: crate::pinata_v3::PinataApi::Legacy,
            service: None,
        }
    }
}

impl<C: Credentials> ClientBuilder<C> {
    /// The service's base URL (what goes before the spec's paths), e.g.
    /// `http://127.0.0.1:8080/pinata` for the emulator. Defaults to production.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The credentials every request is authenticated with.
    pub fn credentials(mut self, credentials: C) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// All timeouts at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The timeout of one attempt of a non-upload operation.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.request = timeout;
        self
    }

    /// How long an upload may make no progress.
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.stall = timeout;
        self
    }

    /// How failed requests are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client-side rate limit (default: the service's published limit; Pinata's
    /// Free plan).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The `User-Agent` header (default `pinion/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends requests with this `reqwest::Client` (its proxy, TLS and pool settings);
    /// pinion still applies its request and upload timeouts to every request.
    ///
    /// pinion cannot change the redirect policy of a client it did not build: build it
    /// with [`redirect_policy`](crate::redirect_policy) (or
    /// `reqwest::redirect::Policy::none()`), or a redirect to another origin takes the
    /// credentials there before pinion sees the answer (pinion then still fails the
    /// call with [`Error::CrossOriginRedirect`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The dedicated gateway that serves content (used for access links).
    pub fn gateway_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base or gateway URL whose host is not this machine,
    /// such as an emulator container reached by name in CI (default: refused, since
    /// the credentials would cross the network unencrypted). `http://` to a loopback
    /// host (`127.0.0.0/8`, `::1`, `localhost`) needs no opt-in. `from_env` reads it
    /// from `PINION_ALLOW_INSECURE_HTTP` (`1` or `0`).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Reads `*_BASE_URL`, the gateway URL and `PINION_ALLOW_INSECURE_HTTP` from
    /// `lookup` into this builder.
    pub(crate) fn urls_from(
        mut self,
        lookup: &dyn Fn(&str) -> Option<String>,
        base: &str,
        gateway: Option<&str>,
    ) -> Self {
        if let Some(url) = crate::credentials::var(lookup, base) {
            self.base_url = Some(url);
        }
        if let Some(url) = gateway.and_then(|name| crate::credentials::var(lookup, name)) {
            self.gateway_url = Some(url);
        }
        if let Some(value) = crate::credentials::var(lookup, ALLOW_INSECURE_HTTP_VAR) {
            match crate::insecure::parse_yes_no(&value) {
                Some(allow) => self.allow_insecure_http = allow,
                None => self.unreadable_insecure_env = Some(value),
            }
        }
        self
    }

    /// Checks everything and builds what a client holds, with its generated client
    /// made by `new_api` (the generated `Client::new_with_client`).
    pub(crate) fn connect<A>(
        self,
        default_base: &str,
        default_limit: RateLimit,
        new_api: impl FnOnce(&str, reqwest::Client, ClientContext<C>) -> A,
    ) -> Result<Connection<A, C>, Error>
    where
        C: Clone,
    {
        self.connect_engine(default_base, default_limit, Api::Native, new_api)
    }

    /// [`connect`](Self::connect), for the API `api` (the service's own, Pinata v3 or
    /// the Pinning Service API).
    pub(crate) fn connect_engine<A>(
        self,
        default_base: &str,
        default_limit: RateLimit,
        api: Api,
        new_api: impl FnOnce(&str, reqwest::Client, ClientContext<C>) -> A,
    ) -> Result<Connection<A, C>, Error>
    where
        C: Clone,
    {
        let credentials = self.credentials.ok_or_else(|| {
            Error::invalid_input(
                "client configuration",
                format!(
                    "no {} credentials were given: call .credentials(...) or build the client with from_env()",
                    C::SERVICE
                ),
            )
        })?;
        credentials.validate()?;
        self.timeouts.validate()?;
        let limit = self.rate_limit.unwrap_or(default_limit);
        limit.validate()?;
        if let Some(value) = &self.unreadable_insecure_env {
            return Err(Error::invalid_input(
                ALLOW_INSECURE_HTTP_VAR,
                format!("`{value}` is neither yes nor no: set it to 1 (allow) or 0 (refuse)"),
            ));
        }
        let insecure = self.allow_insecure_http;
        let base_url =
            parse_base_url("base URL", self.base_url.as_deref().unwrap_or(default_base))?;
        crate::insecure::check("base URL", &base_url, insecure)?;
        let gateway_url = self
            .gateway_url
            .as_deref()
            .map(|url| parse_base_url("gateway URL", url))
            .transpose()?;
        if let Some(url) = &gateway_url {
            crate::insecure::check("gateway URL", url, insecure)?;
        }
        let user_agent =
            reqwest::header::HeaderValue::from_str(&self.user_agent).map_err(|_| {
                Error::invalid_input(
                    "user agent",
                    "contains characters that cannot be sent in an HTTP header",
                )
            })?;
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.timeouts.connect)
                .redirect(crate::redirect::redirect_policy())
                .user_agent(user_agent.clone())
                .build()
                .map_err(|error| {
                    Error::invalid_input("HTTP client", format!("could not be built: {error}"))
                })?,
        };
        let mut engine = Engine::new(
            self.service.unwrap_or(C::SERVICE),
            limit,
            self.retry,
            self.timeouts,
            user_agent,
            credentials.secrets(),
            api,
        );
        if let Some(limiter) = self.shared_limiter {
            engine = engine.sharing_limiter(limiter);
        }
        let engine = Arc::new(engine);
        let context = ClientContext::new(credentials.clone()).with_executor(engine.clone());
        let api = new_api(&base_url, http.clone(), context);
        Ok(Connection {
            api,
            engine,
            http,
            base_url,
            credentials,
            gateway_url,
        })
    }
}

/// What a built client of any service holds: the generated client over the shared
/// executor, and what the hand-written operations (uploads, links) need beside it.
pub(crate) struct Connection<A, C> {
    pub(crate) api: A,
    pub(crate) engine: Arc<Engine>,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) credentials: C,
    pub(crate) gateway_url: Option<String>,
}

impl<A, C: std::fmt::Debug> Connection<A, C> {
    /// The client's `Debug`: where it talks to and its (redacted) credentials.
    pub(crate) fn debug(&self, f: &mut std::fmt::Formatter<'_>, name: &str) -> std::fmt::Result {
        f.debug_struct(name)
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("gateway_url", &self.gateway_url)
            .finish_non_exhaustive()
    }
}

/// Checks an `http(s)` URL and returns it without a trailing slash.
pub(crate) fn parse_base_url(what: &str, url: &str) -> Result<String, Error> {
    let parsed = Url::parse(url.trim()).map_err(|error| {
        Error::invalid_input(
            what,
            format!(
                "`{url}` is not a URL ({error}): give a full URL such as https://api.pinata.cloud"
            ),
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid_input(
            what,
            format!("`{url}` must start with http:// or https://"),
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::invalid_input(
            what,
            format!("`{url}` must not have a query or fragment"),
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid_input(
            what,
            "must not carry a user name or password: pass credentials with .credentials(...)",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::PinataCredentials;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(
            parse_base_url("base URL", "http://127.0.0.1:8080/pinata/").unwrap(),
            "http://127.0.0.1:8080/pinata"
        );
        assert_eq!(
            parse_base_url("base URL", "https://api.pinata.cloud").unwrap(),
            "https://api.pinata.cloud"
        );
        for bad in [
            "api.pinata.cloud",
            "ftp://x",
            "https://x/?a=1",
            "https://u:p@x",
        ] {
            let error = parse_base_url("base URL", bad).unwrap_err();
            assert!(error.to_string().starts_with("invalid base URL"), "{error}");
        }
    }

    /// Issue 11: plain http to another host needs an explicit opt-in, by the builder
    /// or by `PINION_ALLOW_INSECURE_HTTP` for `from_env`.
    #[test]
    fn plain_http_off_this_machine_needs_an_opt_in() {
        let build = |builder: ClientBuilder<PinataCredentials>| {
            builder
                .connect(
                    "https://api.pinata.cloud",
                    RateLimit::unlimited(),
                    pinion_api::pinata::Client::new_with_client,
                )
                .map(|connection| connection.base_url)
        };
        let jwt = || ClientBuilder::default().credentials(PinataCredentials::jwt("a.b.c"));
        let refused = build(jwt().base_url("http://emulator:8080/pinata")).unwrap_err();
        assert!(
            refused.to_string().starts_with("invalid base URL"),
            "{refused}"
        );
        let refused = build(jwt().gateway_url("http://gateway.example/")).unwrap_err();
        assert!(
            refused.to_string().starts_with("invalid gateway URL"),
            "{refused}"
        );
        assert_eq!(
            build(
                jwt()
                    .base_url("http://emulator:8080/pinata")
                    .allow_insecure_http(true)
            )
            .unwrap(),
            "http://emulator:8080/pinata"
        );
        assert!(build(jwt().base_url("http://127.0.0.1:8080/pinata")).is_ok());

        let env = |allow: &'static str| {
            move |name: &str| match name {
                "PINATA_JWT" => Some("a.b.c".to_owned()),
                "PINATA_BASE_URL" => Some("http://emulator:8080/pinata".to_owned()),
                "PINION_ALLOW_INSECURE_HTTP" => Some(allow.to_owned()),
                _ => None,
            }
        };
        let from_env = |allow| ClientBuilder::<PinataCredentials>::from_lookup(&env(allow));
        assert!(build(from_env("1").unwrap()).is_ok());
        assert!(build(from_env("true").unwrap()).is_ok());
        assert!(build(from_env("0").unwrap()).is_err());
        let unreadable = build(from_env("maybe").unwrap()).unwrap_err().to_string();
        assert!(
            unreadable.starts_with("invalid PINION_ALLOW_INSECURE_HTTP"),
            "{unreadable}"
        );
    }

    #[test]
    fn missing_credentials_and_zero_timeouts_are_refused() {
        let error = ClientBuilder::<PinataCredentials>::default()
            .connect(
                "https://api.pinata.cloud",
                RateLimit::unlimited(),
                pinion_api::pinata::Client::new_with_client,
            )
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("no Pinata credentials"),
            "{error}"
        );
        let error = ClientBuilder::<PinataCredentials>::default()
            .credentials(PinataCredentials::jwt("a.b.c"))
            .request_timeout(Duration::ZERO)
            .connect(
                "https://api.pinata.cloud",
                RateLimit::unlimited(),
                pinion_api::pinata::Client::new_with_client,
            )
            .err()
            .unwrap();
        assert!(
            error.to_string().starts_with("invalid request timeout"),
            "{error}"
        );
    }
}
