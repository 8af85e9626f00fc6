//! Reading the services' error answers: every shape of error body, and which
//! [`Error`] variant an HTTP status becomes.

use http::{HeaderMap, StatusCode};

use super::Error;
use crate::scopes::{Capability, Service};

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

#[cfg(test)]
mod tests {
    use std::time::Duration;

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
