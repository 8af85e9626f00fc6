//! Submarine content access tokens: the validated request, the secret token, and the
//! gateway links that use it.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;

/// The body of `POST /auth/content/jwt`: how long the token lives and which content
/// (by Submarine content id, not CID) it unlocks. Valid by construction:
/// `timeoutSeconds` ≥ 1 and at least one content id, each a UUID.
///
/// ```
/// use std::time::Duration;
/// use pinion::token::ContentTokenRequest;
/// let id = "95c904a0-4d61-4598-a4c8-fb5f0793c7ab".parse()?;
/// let request = ContentTokenRequest::new(Duration::from_secs(3600), [id])?;
/// assert_eq!(
///     serde_json::to_string(&request)?,
///     r#"{"timeoutSeconds":3600,"contentIds":["95c904a0-4d61-4598-a4c8-fb5f0793c7ab"]}"#
/// );
/// assert!(ContentTokenRequest::new(Duration::from_millis(500), [id]).is_err());
/// assert!(ContentTokenRequest::from_strings(60, ["Qm-not-an-id"]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ContentTokenRequestWire", into = "ContentTokenRequestWire")]
pub struct ContentTokenRequest {
    timeout_seconds: u64,
    content_ids: Vec<Uuid>,
}

/// The wire form of [`ContentTokenRequest`] (the spec's `ContentAccessTokenRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "ContentAccessTokenRequest")]
pub struct ContentTokenRequestWire {
    /// Number of seconds the access token should be valid for (at least 1).
    #[schemars(range(min = 1))]
    pub timeout_seconds: u64,
    /// Content ids (UUIDs, not CIDs); at least one.
    #[schemars(length(min = 1))]
    pub content_ids: Vec<Uuid>,
}

impl ContentTokenRequest {
    /// A request for a token valid for `lifetime` (whole seconds, at least 1) that
    /// unlocks `content_ids`.
    pub fn new(
        lifetime: Duration,
        content_ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<Self, Error> {
        if lifetime.subsec_nanos() != 0 {
            return Err(Error::invalid_input(
                "token lifetime",
                format!(
                    "{lifetime:?} is not a whole number of seconds: Submarine counts in seconds"
                ),
            ));
        }
        Self::try_new(lifetime.as_secs(), content_ids.into_iter().collect())
    }

    /// Like [`new`](Self::new), from a number of seconds and content id strings.
    pub fn from_strings(
        timeout_seconds: u64,
        content_ids: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Self, Error> {
        let ids = content_ids
            .into_iter()
            .map(|id| {
                let id = id.as_ref();
                Uuid::parse_str(id).map_err(|_| {
                    Error::invalid_input(
                        "content id",
                        format!(
                            "`{id}` is not a UUID: tokens take Submarine content ids (the `id` of an uploaded item), not CIDs"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::try_new(timeout_seconds, ids)
    }

    fn try_new(timeout_seconds: u64, content_ids: Vec<Uuid>) -> Result<Self, Error> {
        if timeout_seconds == 0 {
            return Err(Error::invalid_input(
                "timeoutSeconds",
                "must be at least 1 second",
            ));
        }
        if i64::try_from(timeout_seconds).is_err() {
            return Err(Error::invalid_input(
                "timeoutSeconds",
                "is larger than the service can store: give a lifetime below 2^63 seconds",
            ));
        }
        if content_ids.is_empty() {
            return Err(Error::invalid_input(
                "contentIds",
                "is empty: give the id of at least one piece of content the token unlocks",
            ));
        }
        Ok(Self {
            timeout_seconds,
            content_ids,
        })
    }

    /// How long the token is valid, in seconds.
    pub fn timeout_seconds(&self) -> u64 {
        self.timeout_seconds
    }

    /// The content ids the token unlocks.
    pub fn content_ids(&self) -> &[Uuid] {
        &self.content_ids
    }
}

impl TryFrom<ContentTokenRequestWire> for ContentTokenRequest {
    type Error = Error;

    fn try_from(wire: ContentTokenRequestWire) -> Result<Self, Error> {
        Self::try_new(wire.timeout_seconds, wire.content_ids)
    }
}

impl From<ContentTokenRequest> for ContentTokenRequestWire {
    fn from(request: ContentTokenRequest) -> Self {
        Self {
            timeout_seconds: request.timeout_seconds,
            content_ids: request.content_ids,
        }
    }
}

impl schemars::JsonSchema for ContentTokenRequest {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        ContentTokenRequestWire::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ContentTokenRequestWire::json_schema(generator)
    }
}

/// A content access token: a secret. When it decodes as a JWT its expiry and content
/// ids are available (read from the payload, signature not checked); otherwise it is
/// opaque. `Debug` never shows it.
///
/// ```
/// use pinion::token::AccessToken;
/// let token = AccessToken::new("opaque-token");
/// assert_eq!(token.expires_at(), None);
/// assert!(!format!("{token:?}").contains("opaque-token"));
/// let link = token.access_link("https://example.mypinata.cloud", "QmeveDgcyWtCLnQJHEAemY1JjB9ys1pJQMaxNGtTaY1frt", Some("index.html"))?;
/// assert_eq!(link.as_str(), "https://example.mypinata.cloud/ipfs/QmeveDgcyWtCLnQJHEAemY1JjB9ys1pJQMaxNGtTaY1frt/index.html?accessToken=opaque-token");
/// # Ok::<(), pinion::Error>(())
/// ```
#[derive(Clone)]
pub struct AccessToken {
    token: SecretString,
    claims: Option<Claims>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Claims {
    expires_at: Option<DateTime<Utc>>,
    issued_at: Option<DateTime<Utc>>,
    content_ids: Option<Vec<Uuid>>,
}

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        let claims = decode_claims(&token);
        Self {
            token: SecretString::from(token),
            claims,
        }
    }

    /// The token, to put in a URL or header yourself.
    pub fn secret(&self) -> &SecretString {
        &self.token
    }

    /// Whether the token decodes as a JWT.
    pub fn is_jwt(&self) -> bool {
        self.claims.is_some()
    }

    /// When the token expires (`exp`), when it is a JWT that says.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.claims.as_ref()?.expires_at
    }

    /// When the token was issued (`iat`), when it is a JWT that says.
    pub fn issued_at(&self) -> Option<DateTime<Utc>> {
        self.claims.as_ref()?.issued_at
    }

    /// The content ids the token unlocks, when it is a JWT that lists them.
    pub fn content_ids(&self) -> Option<&[Uuid]> {
        self.claims.as_ref()?.content_ids.as_deref()
    }

    /// Whether the token is known to have expired at `now`.
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at().is_some_and(|exp| exp <= now)
    }

    /// The gateway link that serves `cid` (and `path` inside it) with this token:
    /// `<gateway>/ipfs/<cid>[/<path>]?accessToken=<token>`. The gateway is a URL or a
    /// bare host (`example.mypinata.cloud`, taken as https).
    pub fn access_link(
        &self,
        gateway: &str,
        cid: &str,
        path: Option<&str>,
    ) -> Result<url::Url, Error> {
        access_link(gateway, cid, path, self)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[REDACTED]")
            .field("expires_at", &self.expires_at())
            .field("content_ids", &self.content_ids())
            .finish()
    }
}

/// Builds `<gateway>/ipfs/<cid>[/<path>]?accessToken=<token>`, refusing a malformed
/// gateway, CID or path before anything is sent.
pub fn access_link(
    gateway: &str,
    cid: &str,
    path: Option<&str>,
    token: &AccessToken,
) -> Result<url::Url, Error> {
    let gateway = gateway.trim();
    let gateway = if gateway.contains("://") {
        gateway.to_owned()
    } else {
        format!("https://{gateway}")
    };
    let base = crate::config::parse_base_url("gateway", &gateway)?;
    let cid = pinion_cid::Cid::parse(cid.trim()).map_err(|error| {
        Error::invalid_input(
            "CID",
            format!("{error}: give the CID of the content to link to"),
        )
    })?;
    let mut url = url::Url::parse(&format!("{base}/ipfs/{cid}"))
        .map_err(|error| Error::invalid_input("gateway", error.to_string()))?;
    if let Some(path) = path.map(|p| p.trim_matches('/')).filter(|p| !p.is_empty()) {
        if path
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty())
        {
            return Err(Error::invalid_input(
                "path",
                format!(
                    "`{path}` must be a plain relative path inside the content, without `.`, `..` or empty parts"
                ),
            ));
        }
        let mut segments = url
            .path_segments_mut()
            .map_err(|_| Error::invalid_input("gateway", "cannot be a base URL"))?;
        segments.extend(path.split('/'));
    }
    url.query_pairs_mut()
        .append_pair("accessToken", token.token.expose_secret());
    Ok(url)
}

/// Reads the payload of a JWT without checking its signature.
fn decode_claims(token: &str) -> Option<Claims> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let object = value.as_object()?;
    let time = |name: &str| {
        object
            .get(name)
            .and_then(serde_json::Value::as_i64)
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
    };
    let content_ids = ["contentIds", "content_ids", "contentIDs"]
        .iter()
        .find_map(|name| object.get(*name))
        .and_then(serde_json::Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().and_then(|id| Uuid::parse_str(id).ok()))
                .collect()
        });
    Some(Claims {
        expires_at: time("exp"),
        issued_at: time("iat"),
        content_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: serde_json::Value) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.{}",
            engine.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
            engine.encode(payload.to_string()),
            engine.encode(b"signature")
        )
    }

    #[test]
    fn a_jwt_exposes_expiry_and_content_ids() {
        let id = Uuid::parse_str("95c904a0-4d61-4598-a4c8-fb5f0793c7ab").unwrap();
        let token = AccessToken::new(jwt(serde_json::json!({
            "exp": 1_700_000_000, "iat": 1_699_996_400, "contentIds": [id.to_string()]
        })));
        assert!(token.is_jwt());
        assert_eq!(
            token.expires_at(),
            DateTime::from_timestamp(1_700_000_000, 0)
        );
        assert_eq!(
            token.issued_at(),
            DateTime::from_timestamp(1_699_996_400, 0)
        );
        assert_eq!(token.content_ids(), Some(&[id][..]));
        assert!(token.is_expired_at(DateTime::from_timestamp(1_700_000_001, 0).unwrap()));
        assert!(!token.is_expired_at(DateTime::from_timestamp(1_699_999_999, 0).unwrap()));
    }

    #[test]
    fn anything_else_is_opaque() {
        for text in ["TOKEN", "a.b", "a.!!!.c", "a.b.c.d"] {
            let token = AccessToken::new(text);
            assert!(!token.is_jwt(), "{text}");
            assert_eq!(token.expires_at(), None);
            assert!(!token.is_expired_at(Utc::now()));
        }
    }

    #[test]
    fn links_are_built_and_bad_parts_refused() {
        let token = AccessToken::new("t/k+n=");
        let cid = "bafkreigoswsg4iddq6gqexlizzkduic652iolmy2mwolrr6bbd5twezucq";
        let link = token
            .access_link("http://127.0.0.1:9/gateway/", cid, None)
            .unwrap();
        assert_eq!(
            link.as_str(),
            format!("http://127.0.0.1:9/gateway/ipfs/{cid}?accessToken=t%2Fk%2Bn%3D")
        );
        let link = token
            .access_link("name.mypinata.cloud", cid, Some("/css/a b.css"))
            .unwrap();
        assert_eq!(
            link.as_str(),
            format!(
                "https://name.mypinata.cloud/ipfs/{cid}/css/a%20b.css?accessToken=t%2Fk%2Bn%3D"
            )
        );
        assert!(
            token
                .access_link("x", "not-a-cid", None)
                .unwrap_err()
                .to_string()
                .contains("CID")
        );
        assert!(token.access_link("x", cid, Some("../etc")).is_err());
        assert!(token.access_link("ftp://x", cid, None).is_err());
    }

    #[test]
    fn requests_are_validated() {
        let id = Uuid::new_v4();
        assert!(ContentTokenRequest::new(Duration::from_secs(1), [id]).is_ok());
        let error = ContentTokenRequest::new(Duration::ZERO, [id]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid timeoutSeconds: must be at least 1 second"
        );
        let error = ContentTokenRequest::new(Duration::from_secs(5), []).unwrap_err();
        assert!(error.to_string().contains("contentIds"));
        let refused: Result<ContentTokenRequest, _> = serde_json::from_str(
            r#"{"timeoutSeconds":0,"contentIds":["95c904a0-4d61-4598-a4c8-fb5f0793c7ab"]}"#,
        );
        assert!(refused.is_err());
        let refused: Result<ContentTokenRequest, _> =
            serde_json::from_str(r#"{"timeoutSeconds":10,"contentIds":[]}"#);
        assert!(refused.is_err());
    }
}
