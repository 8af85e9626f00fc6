//! The one error type of the library, and how the services' error bodies are read.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::scopes::{Capability, ScopeError, Service};

/// Everything that can go wrong when talking to a pinning service.
///
/// The `Display` text is meant for people: it names the service, says what happened and,
/// where there is one, what to do about it. Secrets (JWTs, API secrets, access tokens)
/// never appear in it.
///
/// ```
/// use pinion::Error;
/// let error = Error::invalid_input("timeoutSeconds", "must be at least 1 second");
/// assert_eq!(error.to_string(), "invalid timeoutSeconds: must be at least 1 second");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service refused the request; everything it said about why is kept.
    #[error("{}", api_message(*service, *status, reason.as_deref(), details.as_deref(), message.as_deref(), body.as_deref()))]
    Api {
        /// Which service answered.
        service: Service,
        /// The HTTP status.
        status: StatusCode,
        /// A machine-readable code (`reason` or `code` of Pinata's error object,
        /// `status` of W3IPFS's), when the body had one.
        reason: Option<String>,
        /// Pinata's `details`, when the body had one.
        details: Option<String>,
        /// The human message (`error` string, `error.message`, W3IPFS's `message`).
        message: Option<String>,
        /// The raw body, when it was not JSON (an HTML error page, plain text).
        body: Option<String>,
    },
    /// The service (or the client-side limiter's budget) says to slow down.
    #[error("{service} is rate limiting this client{}; retries were used up — wait and try again, or lower the request rate", retry_hint(*retry_after))]
    RateLimited {
        /// Which service answered 429.
        service: Service,
        /// How long the service asked to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
    },
    /// The credentials are missing, malformed, expired or revoked.
    #[error("{service} refused the credentials{}: check that the key, secret or JWT is current and not revoked", with_message(message.as_deref()))]
    Unauthorized {
        /// Which service answered 401.
        service: Service,
        /// What the service said.
        message: Option<String>,
    },
    /// The credentials are valid but may not do this (missing scope, used-up key).
    #[error("{service} refused the request: the key may not do this{}{}", with_message(message.as_deref()), needed_hint(*needed))]
    Forbidden {
        /// Which service answered 403.
        service: Service,
        /// The capability the operation needs, when it is known.
        needed: Option<Capability>,
        /// What the service said.
        message: Option<String>,
    },
    /// No answer in time.
    #[error(
        "{service} did not answer in time: {phase} timeout of {after:?} expired (raise it in the client builder if the network is slow)"
    )]
    Timeout {
        /// Which service was called.
        service: Service,
        /// Which timeout expired.
        phase: TimeoutPhase,
        /// The timeout's length.
        after: Duration,
    },
    /// The connection failed (DNS, TCP, TLS, reset).
    #[error("could not talk to {service}: {source}")]
    Transport {
        /// Which service was called.
        service: Service,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// An argument was refused before any request was sent.
    #[error("invalid {what}: {why}")]
    InvalidInput {
        /// What was wrong (a parameter, an option, an environment variable).
        what: String,
        /// Why, and what to do instead.
        why: String,
    },
    /// A key scope the service would refuse, caught before any request was sent.
    #[error(transparent)]
    Scope(#[from] ScopeError),
    /// Reading a local file or directory failed.
    #[error("cannot read {}: {source}", path.as_ref().map_or_else(|| "the upload source".to_owned(), |p| p.display().to_string()))]
    Io {
        /// The file or directory, when known.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The service returned another CID than the one computed locally.
    #[error(
        "{service} returned CID {returned}, but the content hashes locally to {expected}: the upload was altered or the options differ (check cidVersion and wrapWithDirectory)"
    )]
    CidMismatch {
        /// Which service answered.
        service: Service,
        /// The CID computed locally.
        expected: String,
        /// The CID the service returned.
        returned: String,
    },
    /// An upload was pinned under another CID than the one computed locally. The
    /// content is on the service all the same: `pinned` says where (CID, size, id).
    #[error(
        "{service} pinned the upload as {} but its content hashes locally to {expected}: the upload was altered or the options differ (check cidVersion and wrapWithDirectory); it is pinned all the same{}, unpin it if it is not wanted",
        pinned.cid,
        pinned.id.as_deref().map(|id| format!(" (id {id})")).unwrap_or_default()
    )]
    UploadMismatch {
        /// Which service answered.
        service: Service,
        /// The CID computed locally.
        expected: String,
        /// What the service pinned.
        pinned: Box<crate::upload::Uploaded>,
    },
    /// What was asked for does not exist: the service said so, or its listing has no
    /// such entry.
    #[error("{service} has no {what}")]
    NotFound {
        /// Which service was asked.
        service: Service,
        /// What was looked for (`pin of CID bafy…`).
        what: String,
    },
    /// One row of a listing that does not have the documented shape. The listing's other
    /// rows are unaffected; this row's JSON is kept in `raw`.
    #[error("{service} listed a {what} that pinion cannot read: {why}")]
    UndecodableRow {
        /// Which service answered.
        service: Service,
        /// What the row is (`pin`, `API key`).
        what: &'static str,
        /// What did not match.
        why: String,
        /// The row as the service sent it.
        raw: crate::listing::RawRow,
    },
    /// A success answer that does not have the documented shape.
    #[error("{service} answered {status} with a body pinion cannot read: {why}")]
    Decode {
        /// Which service answered.
        service: Service,
        /// The HTTP status.
        status: StatusCode,
        /// What did not match.
        why: String,
    },
}

/// Which timeout expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection.
    Connect,
    /// The whole request (non-upload operations).
    Request,
    /// An upload made no progress for this long.
    Stall,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Request => "request",
            Self::Stall => "stall",
        })
    }
}

impl Error {
    /// An [`Error::InvalidInput`].
    pub fn invalid_input(what: impl Into<String>, why: impl Into<String>) -> Self {
        Self::InvalidInput {
            what: what.into(),
            why: why.into(),
        }
    }

    /// The HTTP status the service answered with, for errors that come from an answer
    /// (404 for [`Error::NotFound`], also when a listing had no such entry).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } | Self::Decode { status, .. } => Some(*status),
            Self::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Self::UndecodableRow { .. } => Some(StatusCode::OK),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (rate limits, timeouts, connection
    /// failures, server errors).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Api { status, .. } => status.is_server_error(),
            _ => false,
        }
    }

    pub(crate) fn io(path: Option<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path, source }
    }
}

impl From<pinion_cid::Error> for Error {
    fn from(error: pinion_cid::Error) -> Self {
        match error {
            pinion_cid::Error::Io { path, source } => Self::Io {
                path: Some(path),
                source,
            },
            other => Self::invalid_input("upload source", other.to_string()),
        }
    }
}

fn api_message(
    service: Service,
    status: StatusCode,
    reason: Option<&str>,
    details: Option<&str>,
    message: Option<&str>,
    body: Option<&str>,
) -> String {
    let mut text = format!("{service} answered {status}");
    let parts: Vec<&str> = [reason, details, message]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    if !parts.is_empty() {
        text.push_str(": ");
        text.push_str(&parts.join(": "));
    } else if let Some(body) = body.filter(|body| !body.trim().is_empty()) {
        text.push_str(": ");
        text.push_str(body.trim());
    }
    text
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |after| {
        format!(" (it asked to wait {}s)", after.as_secs())
    })
}

fn with_message(message: Option<&str>) -> String {
    message
        .filter(|m| !m.is_empty())
        .map_or_else(String::new, |m| format!(" ({m})"))
}

fn needed_hint(needed: Option<Capability>) -> String {
    match needed {
        Some(Capability::Admin) => "; this operation needs an admin key".to_owned(),
        Some(capability) => format!(
            "; it needs the `{capability}` capability ({}): create a key that has it, or check that the key has uses left",
            capability.description()
        ),
        None => "; check the key's scopes and remaining uses".to_owned(),
    }
}

/// What an error body said, whatever its shape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    pub(crate) reason: Option<String>,
    pub(crate) details: Option<String>,
    pub(crate) message: Option<String>,
    /// The raw text when the body is not JSON.
    pub(crate) raw: Option<String>,
}

/// The longest raw body kept in an error.
const MAX_RAW: usize = 2048;

impl ErrorBody {
    /// Reads every error shape the services send: Pinata's `{"error": "..."}`,
    /// `{"error": {"reason", "details"}}` and v3 `{"error": {"code", "message"}}`,
    /// W3IPFS's `{"status": "fail"|"error", "message"}`, other JSON with a `message`,
    /// and anything else as raw text.
    ///
    /// JSON that says nothing in those places (`{}`, `""`, an unknown shape) is kept as
    /// raw text too, so a non-empty body never vanishes from the error.
    pub(crate) fn parse(body: &[u8]) -> Self {
        let parsed = Self::parse_json(body).unwrap_or_default();
        let said_something = [
            &parsed.reason,
            &parsed.details,
            &parsed.message,
            &parsed.raw,
        ]
        .into_iter()
        .any(|part| part.as_deref().is_some_and(|part| !part.is_empty()));
        if said_something {
            return parsed;
        }
        let mut raw = String::from_utf8_lossy(body).trim().to_owned();
        if raw.len() > MAX_RAW {
            let mut cut = MAX_RAW;
            while !raw.is_char_boundary(cut) {
                cut -= 1;
            }
            raw.truncate(cut);
            raw.push('…');
        }
        Self {
            raw: (!raw.is_empty()).then_some(raw),
            ..parsed
        }
    }

    /// The known JSON shapes; `None` when the body is not JSON.
    fn parse_json(body: &[u8]) -> Option<Self> {
        let value = serde_json::from_slice::<serde_json::Value>(body).ok()?;
        let string = |v: Option<&serde_json::Value>| -> Option<String> {
            match v? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        Some(match &value {
            serde_json::Value::Object(map) => match map.get("error") {
                Some(serde_json::Value::String(message)) => Self {
                    message: Some(message.clone()),
                    ..Self::default()
                },
                Some(serde_json::Value::Object(error)) => Self {
                    reason: string(error.get("reason")).or_else(|| string(error.get("code"))),
                    details: string(error.get("details")),
                    message: string(error.get("message")),
                    raw: None,
                },
                _ => Self {
                    reason: string(map.get("status")).filter(|s| s != "success"),
                    details: None,
                    message: string(map.get("message")).or_else(|| string(map.get("details"))),
                    raw: None,
                },
            },
            serde_json::Value::String(message) => Self {
                message: Some(message.clone()),
                ..Self::default()
            },
            other => Self {
                raw: Some(other.to_string()),
                ..Self::default()
            },
        })
    }

    /// The most human part, for errors that keep one message.
    pub(crate) fn summary(&self) -> Option<String> {
        let parts: Vec<&str> = [
            self.details.as_deref(),
            self.message.as_deref(),
            self.raw.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
        if parts.is_empty() {
            self.reason.clone()
        } else {
            Some(parts.join(": "))
        }
    }
}

/// Turns an error answer into an [`Error`]; `needed` is the capability of the operation.
pub(crate) fn from_answer(
    service: Service,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    needed: Option<Capability>,
    redact: &dyn Fn(String) -> String,
) -> Error {
    let parsed = ErrorBody::parse(body);
    let parsed = ErrorBody {
        reason: parsed.reason.map(redact),
        details: parsed.details.map(redact),
        message: parsed.message.map(redact),
        raw: parsed.raw.map(redact),
    };
    match status {
        StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
            service,
            retry_after: crate::retry::retry_after(headers, std::time::SystemTime::now()),
        },
        StatusCode::UNAUTHORIZED => Error::Unauthorized {
            service,
            message: parsed.summary(),
        },
        StatusCode::FORBIDDEN => Error::Forbidden {
            service,
            needed,
            message: parsed.summary(),
        },
        _ => Error::Api {
            service,
            status,
            reason: parsed.reason,
            details: parsed.details,
            message: parsed.message,
            body: parsed.raw,
        },
    }
}

/// Turns a reqwest failure into [`Error::Timeout`] or [`Error::Transport`].
pub(crate) fn from_reqwest(
    service: Service,
    error: reqwest::Error,
    timeouts: &crate::config::Timeouts,
) -> Error {
    if error.is_timeout() {
        if error.is_connect() {
            return Error::Timeout {
                service,
                phase: TimeoutPhase::Connect,
                after: timeouts.connect,
            };
        }
        return Error::Timeout {
            service,
            phase: TimeoutPhase::Request,
            after: timeouts.request,
        };
    }
    // A connect error whose cause is the connect timeout.
    if error.is_connect() && source_chain_mentions_timeout(&error) {
        return Error::Timeout {
            service,
            phase: TimeoutPhase::Connect,
            after: timeouts.connect,
        };
    }
    Error::Transport {
        service,
        source: error.without_url(),
    }
}

fn source_chain_mentions_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if e.to_string().to_ascii_lowercase().contains("timed out") {
            return true;
        }
        current = e.source();
    }
    false
}

impl Error {
    /// Converts an error of a low-level generated client (`pinion::api`) of `service`.
    ///
    /// The pinion clients do better: they keep the service's error body whatever its
    /// shape, which this conversion cannot read (the body is either gone or still
    /// unread in the response). Use it when calling `pinion::api` directly.
    ///
    /// ```
    /// use pinion::{Error, scopes::Service};
    /// let low: pinion::api::Error<()> = pinion::api::Error::InvalidRequest("bad cid".into());
    /// let error = Error::from_generated(Service::Pinata, low);
    /// assert_eq!(error.to_string(), "invalid request: bad cid");
    /// ```
    pub fn from_generated<E>(service: Service, error: progenitor_client::Error<E>) -> Self {
        let bare = |status: StatusCode| Error::Api {
            service,
            status,
            reason: None,
            details: None,
            message: None,
            body: None,
        };
        match error {
            progenitor_client::Error::InvalidRequest(why)
            | progenitor_client::Error::Custom(why) => Error::invalid_input("request", why),
            progenitor_client::Error::CommunicationError(e)
            | progenitor_client::Error::InvalidUpgrade(e)
            | progenitor_client::Error::ResponseBodyError(e) => {
                from_reqwest(service, e, &crate::config::Timeouts::default())
            }
            progenitor_client::Error::ErrorResponse(value) => match value.status() {
                StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                    service,
                    retry_after: crate::retry::retry_after(
                        value.headers(),
                        std::time::SystemTime::now(),
                    ),
                },
                StatusCode::UNAUTHORIZED => Error::Unauthorized {
                    service,
                    message: None,
                },
                StatusCode::FORBIDDEN => Error::Forbidden {
                    service,
                    needed: None,
                    message: None,
                },
                status => bare(status),
            },
            progenitor_client::Error::InvalidResponsePayload(_, e) => Error::Decode {
                service,
                status: StatusCode::OK,
                why: e.to_string(),
            },
            progenitor_client::Error::UnexpectedResponse(response) => bare(response.status()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ErrorBody {
        ErrorBody::parse(body.as_bytes())
    }

    /// Found by the `client_error_body` fuzz target (seed `regression-empty-json-string`):
    /// JSON bodies with nothing in the known places used to vanish from the error.
    #[test]
    fn json_bodies_of_unknown_shape_are_kept_as_text() {
        for body in [
            r#""""#,
            "{}",
            r#"{"errors":[{"msg":"bad"}]}"#,
            r#"{"error":"","message":7}"#,
        ] {
            assert_eq!(parse(body).raw.as_deref(), Some(body), "{body}");
        }
        let e = from_answer(
            Service::Pinata,
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            br#"{"errors":[{"msg":"upstream down"}]}"#,
            None,
            &|text| text,
        );
        assert!(e.to_string().contains("upstream down"), "{e}");
        let e = from_answer(
            Service::W3ipfs,
            StatusCode::UNAUTHORIZED,
            &HeaderMap::new(),
            b"{}",
            None,
            &|text| text,
        );
        assert!(matches!(e, Error::Unauthorized { message: Some(m), .. } if m == "{}"));
    }

    #[test]
    fn every_error_shape_is_read() {
        let legacy = parse(
            r#"{"error":{"reason":"INVALID_CREDENTIALS","details":"Invalid/expired credentials"}}"#,
        );
        assert_eq!(legacy.reason.as_deref(), Some("INVALID_CREDENTIALS"));
        assert_eq!(
            legacy.details.as_deref(),
            Some("Invalid/expired credentials")
        );

        let string = parse(r#"{"error":"Internal server error"}"#);
        assert_eq!(string.message.as_deref(), Some("Internal server error"));
        assert_eq!(string.reason, None);

        let v3 = parse(r#"{"error":{"code":403,"message":"Key is revoked"}}"#);
        assert_eq!(v3.reason.as_deref(), Some("403"));
        assert_eq!(v3.message.as_deref(), Some("Key is revoked"));

        let w3 = parse(r#"{"status":"fail","message":"record not found"}"#);
        assert_eq!(w3.reason.as_deref(), Some("fail"));
        assert_eq!(w3.message.as_deref(), Some("record not found"));

        let raw = parse("<html><body>502 Bad Gateway</body></html>");
        assert_eq!(
            raw.raw.as_deref(),
            Some("<html><body>502 Bad Gateway</body></html>")
        );
        assert_eq!(raw.message, None);

        let bare = parse(r#""Unauthorized""#);
        assert_eq!(bare.message.as_deref(), Some("Unauthorized"));

        let long = "x".repeat(10_000);
        assert!(parse(&long).raw.unwrap().len() <= MAX_RAW + '…'.len_utf8());
        assert_eq!(parse(""), ErrorBody::default());
    }

    #[test]
    fn answers_map_to_the_right_variant_and_read_well() {
        let none = |s: String| s;
        let headers = HeaderMap::new();
        let e = from_answer(
            Service::Pinata,
            StatusCode::BAD_REQUEST,
            &headers,
            br#"{"error":{"reason":"KEYS_MUST_BE_STRINGS","details":"pinata_api_key and pinata_secret_api_key must both be strings"}}"#,
            None,
            &none,
        );
        assert_eq!(
            e.to_string(),
            "Pinata answered 400 Bad Request: KEYS_MUST_BE_STRINGS: pinata_api_key and pinata_secret_api_key must both be strings"
        );
        let e = from_answer(
            Service::W3ipfs,
            StatusCode::FORBIDDEN,
            &headers,
            br#"{"status":"fail","message":"not allowed"}"#,
            Some(Capability::PinFile),
            &none,
        );
        assert!(matches!(
            e,
            Error::Forbidden {
                needed: Some(Capability::PinFile),
                ..
            }
        ));
        let text = e.to_string();
        assert!(text.contains("W3IPFS refused the request"), "{text}");
        assert!(text.contains("`pin-file`"), "{text}");
        assert!(text.contains("not allowed"), "{text}");

        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        let e = from_answer(
            Service::Pinata,
            StatusCode::TOO_MANY_REQUESTS,
            &headers,
            b"",
            None,
            &none,
        );
        assert!(
            matches!(e, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7))
        );
        assert!(e.to_string().contains("wait 7s"));

        let e = from_answer(
            Service::Submarine,
            StatusCode::UNAUTHORIZED,
            &HeaderMap::new(),
            b"nope",
            None,
            &none,
        );
        assert_eq!(
            e.to_string(),
            "Pinata Submarine refused the credentials (nope): check that the key, secret or JWT is current and not revoked"
        );
        let e = from_answer(
            Service::Pinata,
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"<h1>bad gateway</h1>",
            None,
            &none,
        );
        assert_eq!(
            e.to_string(),
            "Pinata answered 502 Bad Gateway: <h1>bad gateway</h1>"
        );
        assert!(e.is_transient());
    }

    #[test]
    fn redaction_applies_to_every_part_of_the_body() {
        let redact = |s: String| s.replace("SECRET", "[REDACTED]");
        let e = from_answer(
            Service::Pinata,
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            br#"{"error":{"reason":"BAD","details":"key SECRET is wrong"}}"#,
            None,
            &redact,
        );
        assert!(!e.to_string().contains("SECRET"));
        assert!(e.to_string().contains("[REDACTED]"));
    }
}
