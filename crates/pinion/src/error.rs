//! The one error type of the library. How an answer or a failure becomes one lives
//! beside it: [`answer`] (error bodies and statuses), [`transport`] (timeouts,
//! connections, redirects), [`generated`] (the low-level clients' errors); the
//! sentences of its `Display` in [`message`].

mod answer;
mod generated;
mod message;
mod transport;
mod v3;

pub(crate) use answer::from_answer;
pub(crate) use transport::from_reqwest;
pub(crate) use v3::from_v3_answer;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::StatusCode;

use crate::scopes::{Capability, ScopeError, Service};
use message::{api_message, needed_hint, retry_hint, with_message};

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
    /// The service (or the client-side limiter's budget) says to slow down, and the
    /// retries are used up or it asked to wait longer than the retry policy waits.
    #[error("{service} is rate limiting this client{}; pinion stopped retrying — wait and try again, or lower the request rate", retry_hint(*retry_after))]
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
    /// The service answered with a redirect to another origin (scheme, host or port).
    /// pinion does not follow it, so the credentials are not sent there.
    #[error(
        "{service} at {from} redirected the request to another origin, {to}: pinion refuses to send credentials there; check the base URL (it may be outdated or point at a proxy)"
    )]
    CrossOriginRedirect {
        /// Which service was called.
        service: Service,
        /// The origin the request was sent to (`https://host[:port]`).
        from: String,
        /// The origin the service redirected to.
        to: String,
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
    /// A job that pins a CID already on IPFS ended without pinning it.
    #[error(
        "{service} gave up pinning {cid}: the job ended `{status}` (`expired`: the content was not found on IPFS within a day; check that a peer provides it, or give host nodes)"
    )]
    PinJobFailed {
        /// Which service ran the job.
        service: Service,
        /// The CID the job was to pin.
        cid: String,
        /// The status it ended in.
        status: String,
    },
    /// A file being uploaded changed while it was sent, or between an interrupted
    /// upload and its resumption: what the service holds would mix old and new bytes,
    /// so the upload stops.
    #[error(
        "{} changed during the upload ({why}): sending on would pin a mix of old and new content, so the upload stopped; upload the file again from the start (a fresh upload, `--restart` in the CLI)",
        path.display()
    )]
    FileChanged {
        /// The file.
        path: PathBuf,
        /// What changed (its length, modification time, or the file itself).
        why: String,
    },
    /// The service does not offer this operation (an IPFS Pinning Service API endpoint
    /// has no key management and takes no uploads). Nothing was sent.
    #[error("{service} does not offer {operation}: use a client of a service that has it")]
    Unsupported {
        /// Which service was asked.
        service: Service,
        /// The operation (`create_key`, `pin_file`).
        operation: &'static str,
    },
    /// A Pinning Service API pin request ended `failed`: the service gave up pinning.
    #[error(
        "{service} failed to pin {cid} (request {requestid}){}: check that a peer provides the content, or give origins",
        crate::psa::info_hint(info)
    )]
    PinFailed {
        /// Which service pinned.
        service: Service,
        /// The pin request's id.
        requestid: String,
        /// The CID it was to pin.
        cid: String,
        /// What the service said about it (its `info`).
        info: std::collections::BTreeMap<String, String>,
    },
    /// Waiting for a Pinning Service API pin ran out of time before it was pinned or
    /// failed; the request goes on at the service.
    #[error(
        "{service} had not pinned {cid} (request {requestid}) after {after:?}: it is still `{status}`; wait longer, or check that a peer provides the content"
    )]
    PinWaitTimeout {
        /// Which service pins.
        service: Service,
        /// The pin request's id.
        requestid: String,
        /// The CID it is to pin.
        cid: String,
        /// Its last status (`queued`, `pinning`).
        status: String,
        /// How long was waited.
        after: Duration,
    },
    /// A Pinning Service API listing cannot go on without skipping pins: a full page
    /// shares one `created` time, and paging goes by `before` that time (the standard's
    /// only cursor), which would skip the pins of that time the page did not hold.
    #[error(
        "{service} returned a full page of {count} pins all created at {created}: listing further by `before` would skip pins; use a larger limit or narrower filters"
    )]
    UnpageableListing {
        /// Which service listed.
        service: Service,
        /// The `created` time every pin of the page has.
        created: String,
        /// How many pins the page held.
        count: usize,
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
            pinion_cid::Error::Changed { path, why } => Self::FileChanged { path, why },
            other => Self::invalid_input("upload source", other.to_string()),
        }
    }
}
