//! Signed URLs of Pinata v3: download links to private files (`PINATA1`) and
//! presigned upload URLs (`PINATA2`). Pure functions: signing, verification and the
//! expiry rule, with no state beyond the key they are given.
//!
//! A signed URL carries its own authorization in the query string:
//! `X-Algorithm`, `X-Date`, `X-Expires`, `X-Method` (`GET` for downloads, the
//! URL-encoded JSON `["HEAD","PATCH","POST"]` for uploads), `X-User-ID` (uploads only)
//! and `X-Signature`, 64 lowercase hex characters. Pinata does not document how it
//! computes the signature (pinata-v3.md §5.2: UNCERTAIN), so the emulator uses its own
//! scheme: `X-Signature = hex(HMAC-SHA256(key, canonical))`, where `key` is derived from
//! the state's secret ([`SigningKey::derive`]) and `canonical` is, one per line and each
//! percent-encoded so no part can run into the next:
//!
//! 1. the algorithm (`PINATA1` / `PINATA2`);
//! 2. the `X-Method` value;
//! 3. the path as the service sees it, without host or the emulator's service prefix
//!    (`/files/<cid>` whether the link says `https://x.mypinata.cloud/files/<cid>` or
//!    `http://127.0.0.1:PORT/gateway/files/<cid>`);
//! 4. every query parameter except `X-Signature`, decoded, sorted by name then value and
//!    encoded again, so any equivalent spelling of the same query verifies;
//! 5. `X-Date`, 6. `X-Expires`.
//!
//! Every query parameter is signed, including ones the link had before signing
//! (`img-width`, `pinataGatewayToken`), so none can be added, removed or changed.
//!
//! **Expiry** is `X-Date - CLOCK_SKEW <= now <= X-Date + X-Expires` on the emulator's
//! clock, which tests can advance: one rule for download links and upload URLs alike. A
//! URL dated up to [`CLOCK_SKEW_MS`] (60 s) ahead of the emulator's clock is taken, as a
//! careful server allows a signer whose clock runs a little fast; one dated further
//! ahead is refused as not valid yet. `X-Expires` is seconds. `X-Date` is echoed verbatim from the sign
//! request, and live links show that Pinata accepts milliseconds there too
//! (`X-Date=1748814945102`, §5.2), so the emulator reads an `X-Date` of
//! [`MILLISECOND_DATES_FROM`] or more as milliseconds (in seconds that would be after the
//! year 5000; in milliseconds it is any time after March 1973) and anything smaller as
//! seconds.

use aws_lc_rs::hmac;
use axum::http::Method;
use chrono::{DateTime, Utc};
use url::form_urlencoded;

use crate::wire;

/// The signature scheme of a URL: what it grants and which parameters it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Algorithm {
    /// `PINATA1`: a download link to a private file on the gateway, `X-Method=GET`.
    Download,
    /// `PINATA2`: a presigned upload URL, `X-Method=["HEAD","PATCH","POST"]` and
    /// `X-User-ID`.
    #[allow(
        dead_code,
        reason = "signed and checked by the presigned upload routes"
    )]
    Upload,
}

impl Algorithm {
    /// The `X-Algorithm` value.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Algorithm::Download => "PINATA1",
            Algorithm::Upload => "PINATA2",
        }
    }

    /// The `X-Method` value it signs.
    fn methods(self) -> &'static str {
        match self {
            Algorithm::Download => "GET",
            Algorithm::Upload => r#"["HEAD","PATCH","POST"]"#,
        }
    }

    /// Whether a request with `method` may use a URL whose `X-Method` is `signed`.
    /// A download link also allows `HEAD`, the body-less twin of `GET`.
    fn allows(self, signed: &str, method: &Method) -> bool {
        match self {
            Algorithm::Download => {
                signed == "GET" && (method == Method::GET || method == Method::HEAD)
            }
            Algorithm::Upload => serde_json::from_str::<Vec<String>>(signed)
                .is_ok_and(|methods| methods.iter().any(|m| m == method.as_str())),
        }
    }
}

/// Query parameters of a signed URL.
const X_ALGORITHM: &str = "X-Algorithm";
const X_DATE: &str = "X-Date";
const X_EXPIRES: &str = "X-Expires";
const X_METHOD: &str = "X-Method";
const X_USER_ID: &str = "X-User-ID";
const X_SIGNATURE: &str = "X-Signature";
const SIGNED_PARAMS: [&str; 6] = [
    X_ALGORITHM,
    X_DATE,
    X_EXPIRES,
    X_METHOD,
    X_USER_ID,
    X_SIGNATURE,
];

/// An `X-Date` at or above this is read as milliseconds since the epoch, below it as
/// seconds (see the module documentation).
pub(crate) const MILLISECOND_DATES_FROM: i64 = 100_000_000_000;

/// How far ahead of the emulator's clock (milliseconds) a URL's `X-Date` may be and the
/// URL still be valid: the clock skew tolerated between the signer and the emulator.
/// Download links and upload URLs share it (the one [`verify`] applies).
pub(crate) const CLOCK_SKEW_MS: i64 = 60_000;

/// The HMAC key of signed URLs. Derived from the state's secret rather than being it,
/// so a signed URL and a JWT never share a key.
pub(crate) struct SigningKey(hmac::Key);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey([redacted])")
    }
}

impl SigningKey {
    /// The key for signed URLs: `HMAC-SHA256(state_secret, label)`, a one-block HKDF
    /// expansion with a label that names its purpose.
    pub(crate) fn derive(state_secret: &[u8]) -> Self {
        let master = hmac::Key::new(hmac::HMAC_SHA256, state_secret);
        let derived = hmac::sign(&master, b"pinion-emulator signed URL key v1");
        SigningKey(hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref()))
    }
}

/// What a URL is signed for: the sign request's `date` and `expires`, echoed verbatim
/// into the URL, and the account (upload URLs only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grant {
    /// The scheme.
    pub(crate) algorithm: Algorithm,
    /// `X-Date`: unix seconds (or milliseconds, see [`MILLISECOND_DATES_FROM`]).
    pub(crate) date: i64,
    /// `X-Expires`: seconds of validity after `date`.
    pub(crate) expires: i64,
    /// `X-User-ID`: the account an upload URL uploads to; `None` for downloads.
    pub(crate) user_id: Option<String>,
}

/// Why a URL could not be signed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum SignError {
    /// The URL does not parse as an absolute `http(s)` URL.
    #[error("url must be an absolute http or https URL")]
    InvalidUrl,
    /// The URL already has a signature parameter.
    #[error("url already carries the signed-URL parameter {0}")]
    AlreadySigned(&'static str),
    /// `date` or `expires` is negative.
    #[error("date and expires must not be negative")]
    NegativeTime,
    /// An upload URL without `user_id`, or a download link with one.
    #[error("{0} signs X-User-ID for uploads only")]
    UserId(&'static str),
}

/// Signs `url` for `grant`: the URL with the signature parameters appended to its
/// query (after `&` when it already has one).
pub(crate) fn sign_url(key: &SigningKey, url: &str, grant: &Grant) -> Result<String, SignError> {
    let mut parsed = url::Url::parse(url).map_err(|_| SignError::InvalidUrl)?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(SignError::InvalidUrl);
    }
    let path = service_path(&parsed);
    let params = signed_query(key, &path, parsed.query(), grant)?;
    let query = match parsed.query() {
        Some(existing) if !existing.is_empty() => format!("{existing}&{params}"),
        _ => params,
    };
    parsed.set_query(Some(&query));
    Ok(parsed.into())
}

/// The signature parameters (`X-Algorithm=…&…&X-Signature=…`, without a leading `?`
/// or `&`) that sign a request to `path` whose query is already `query`.
pub(crate) fn signed_query(
    key: &SigningKey,
    path: &str,
    query: Option<&str>,
    grant: &Grant,
) -> Result<String, SignError> {
    if grant.date < 0 || grant.expires < 0 {
        return Err(SignError::NegativeTime);
    }
    match (grant.algorithm, &grant.user_id) {
        (Algorithm::Upload, None) | (Algorithm::Download, Some(_)) => {
            return Err(SignError::UserId(grant.algorithm.name()));
        }
        _ => {}
    }
    let existing = pairs(query);
    if let Some(name) = SIGNED_PARAMS
        .into_iter()
        .find(|name| existing.iter().any(|(n, _)| n == name))
    {
        return Err(SignError::AlreadySigned(name));
    }
    let mut added = vec![
        (X_ALGORITHM.to_owned(), grant.algorithm.name().to_owned()),
        (X_DATE.to_owned(), grant.date.to_string()),
        (X_EXPIRES.to_owned(), grant.expires.to_string()),
        (X_METHOD.to_owned(), grant.algorithm.methods().to_owned()),
    ];
    if let Some(user) = &grant.user_id {
        added.push((X_USER_ID.to_owned(), user.clone()));
    }
    let all: Vec<_> = existing.iter().chain(&added).cloned().collect();
    let signature = hmac::sign(
        &key.0,
        canonical(
            grant.algorithm,
            grant.algorithm.methods(),
            path,
            &all,
            &grant.date.to_string(),
            &grant.expires.to_string(),
        )
        .as_bytes(),
    );
    added.push((X_SIGNATURE.to_owned(), hex::encode(signature.as_ref())));
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.extend_pairs(&added);
    Ok(out.finish())
}

/// What a valid signature granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Verified {
    /// `X-Date` and `X-Expires` as signed; `user_id` for upload URLs.
    pub(crate) grant: Grant,
}

/// Why a signed URL was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum VerifyError {
    /// The query has no signature parameters at all: not a signed URL.
    #[error("the URL is not signed")]
    Unsigned,
    /// A signature parameter is missing.
    #[error("the signed URL has no {0}")]
    Missing(&'static str),
    /// A signature parameter appears more than once.
    #[error("the signed URL has {0} more than once")]
    Duplicate(&'static str),
    /// A signature parameter does not have the expected form.
    #[error("the signed URL's {0} is malformed")]
    Malformed(&'static str),
    /// `X-Algorithm` is not the one this route takes.
    #[error("this URL is not signed with {0}")]
    WrongAlgorithm(&'static str),
    /// The request's method is not among the signed `X-Method`.
    #[error("the signed URL does not allow this method")]
    MethodNotAllowed,
    /// The signature does not match: the URL was changed or not signed here.
    #[error("the signature does not match the URL")]
    BadSignature,
    /// `X-Date` is more than [`CLOCK_SKEW_MS`] after `now`.
    #[error("the signed URL is not valid yet")]
    NotYetValid,
    /// `now` is after `X-Date + X-Expires`.
    #[error("the signed URL has expired")]
    Expired,
}

/// Checks a request to `path` (as the service sees it) with `query` against its
/// signature: the algorithm this route takes, the method, the signature (in constant
/// time), then the expiry against `now` (an `X-Date` at most [`CLOCK_SKEW_MS`] ahead of
/// `now` is taken).
pub(crate) fn verify(
    key: &SigningKey,
    expected: Algorithm,
    method: &Method,
    path: &str,
    query: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Verified, VerifyError> {
    let all = pairs(query);
    if !all
        .iter()
        .any(|(name, _)| SIGNED_PARAMS.contains(&name.as_str()))
    {
        return Err(VerifyError::Unsigned);
    }
    let one = |name: &'static str| -> Result<Option<&str>, VerifyError> {
        let mut values = all.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (_, Some(_)) => Err(VerifyError::Duplicate(name)),
            (value, None) => Ok(value.map(String::as_str)),
        }
    };
    let required = |name: &'static str| one(name)?.ok_or(VerifyError::Missing(name));

    if required(X_ALGORITHM)? != expected.name() {
        return Err(VerifyError::WrongAlgorithm(expected.name()));
    }
    let methods = required(X_METHOD)?;
    let date_text = required(X_DATE)?;
    let expires_text = required(X_EXPIRES)?;
    let signature_text = required(X_SIGNATURE)?;
    let user_id = match expected {
        Algorithm::Upload => Some(required(X_USER_ID)?.to_owned()),
        Algorithm::Download if one(X_USER_ID)?.is_some() => {
            return Err(VerifyError::Malformed(X_USER_ID));
        }
        Algorithm::Download => None,
    };
    let date = parse_time(date_text).ok_or(VerifyError::Malformed(X_DATE))?;
    let expires = parse_time(expires_text).ok_or(VerifyError::Malformed(X_EXPIRES))?;
    let signature = parse_signature(signature_text).ok_or(VerifyError::Malformed(X_SIGNATURE))?;
    if !expected.allows(methods, method) {
        return Err(VerifyError::MethodNotAllowed);
    }

    let signed: Vec<_> = all
        .iter()
        .filter(|(name, _)| name != X_SIGNATURE)
        .cloned()
        .collect();
    let message = canonical(expected, methods, path, &signed, date_text, expires_text);
    hmac::verify(&key.0, message.as_bytes(), &signature).map_err(|_| VerifyError::BadSignature)?;

    let (start_ms, end_ms) = validity_ms(date, expires);
    let now_ms = i128::from(now.timestamp_millis());
    if now_ms < start_ms - i128::from(CLOCK_SKEW_MS) {
        return Err(VerifyError::NotYetValid);
    }
    if now_ms > end_ms {
        return Err(VerifyError::Expired);
    }
    Ok(Verified {
        grant: Grant {
            algorithm: expected,
            date,
            expires,
            user_id,
        },
    })
}

/// The first and last instant (unix milliseconds) a URL signed with `date` and
/// `expires` is valid. `i128`, so no hostile value can overflow.
fn validity_ms(date: i64, expires: i64) -> (i128, i128) {
    let start = if date >= MILLISECOND_DATES_FROM {
        i128::from(date)
    } else {
        i128::from(date) * 1000
    };
    (start, start + i128::from(expires) * 1000)
}

/// A non-negative decimal integer, as `X-Date` and `X-Expires` are.
fn parse_time(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// 64 lowercase hex characters: the 32 bytes of an HMAC-SHA256.
fn parse_signature(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(bytes)
}

/// The query's parameters, decoded.
fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The string the signature is computed over (see the module documentation).
fn canonical(
    algorithm: Algorithm,
    methods: &str,
    path: &str,
    params: &[(String, String)],
    date: &str,
    expires: &str,
) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(&sorted);
    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    [
        algorithm.name().to_owned(),
        encode(methods),
        encode(path),
        query.finish(),
        encode(date),
        encode(expires),
    ]
    .join("\n")
}

/// The path of `url` as the emulator's router sees it: routed by host or prefix as a
/// request to that URL would be, without the service's internal prefix, slashes
/// cleaned up. A URL the emulator would not route keeps its cleaned path.
fn service_path(url: &url::Url) -> String {
    let target = url.path();
    let Ok(uri) = target.parse::<axum::http::Uri>() else {
        return target.to_owned();
    };
    let (service, routed) = wire::route(&uri, url.host_str());
    let routed = routed.path();
    match service {
        Some(service) => match routed.strip_prefix(service.prefix()) {
            Some("") => "/".to_owned(),
            Some(rest) => rest.to_owned(),
            None => routed.to_owned(),
        },
        None => routed.to_owned(),
    }
}

#[cfg(test)]
mod tests;
