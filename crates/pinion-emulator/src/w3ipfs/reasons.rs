//! Every condition W3IPFS refuses a request for, with its status and, where the service
//! has a fixed text, its `message` (W3IPFS errors are `{"status","message"}` without a
//! code, so the message is the reason). Texts and statuses come from
//! `/work/shared/reference/w3ipfs-api.md` §3.2 (the dashboard's message list and the
//! status template); the others are pinion's choices, named in `spec/w3ipfs.sources.md`
//! ("Error reasons"). Every W3IPFS handler answers errors through this table.

use axum::http::StatusCode;
use axum::response::Response;

use crate::service::{Refusal, w3ipfs_error};

/// A condition W3IPFS refuses a request for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// No credentials at all: "You are not logged in".
    NotLoggedIn,
    /// A wrong key pair, or a malformed, forged or expired token.
    InvalidCredentials,
    /// A key without the scope the operation needs.
    MissingScope,
    /// No pin, NFT or key with that id: "record not found" (GORM's text).
    RecordNotFound,
    /// No route at that path.
    RouteNotFound,
    /// A body, form part or query parameter the route does not take.
    BadRequest,
    /// A body over the route's limit.
    PayloadTooLarge,
    /// Over the rate limit.
    RateLimited,
    /// The emulator failed.
    Internal,
    /// Temporarily unavailable (injected faults).
    Unavailable,
}

impl Reason {
    /// The HTTP status it is answered with.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Reason::NotLoggedIn | Reason::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Reason::MissingScope => StatusCode::FORBIDDEN,
            Reason::RecordNotFound | Reason::RouteNotFound => StatusCode::NOT_FOUND,
            Reason::BadRequest => StatusCode::BAD_REQUEST,
            Reason::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Reason::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Reason::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Reason::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The service's own text for the condition (verbatim where it has a fixed one).
    pub(crate) fn text(self) -> &'static str {
        match self {
            Reason::NotLoggedIn => "You are not logged in",
            Reason::InvalidCredentials => "Invalid API key or secret key",
            Reason::MissingScope => "This API key does not have the scope needed",
            Reason::RecordNotFound => "record not found",
            Reason::RouteNotFound => "no such route",
            Reason::BadRequest => "Invalid request",
            Reason::PayloadTooLarge => "request body too large",
            Reason::RateLimited => "Too many requests",
            Reason::Internal => "Internal server error",
            Reason::Unavailable => "Service unavailable",
        }
    }

    /// The error answer with the condition's own [`text`](Self::text).
    pub(crate) fn answer(self) -> Response {
        self.error(self.text())
    }

    /// The error answer with a `message` saying more than the condition's text.
    pub(crate) fn error(self, message: impl AsRef<str>) -> Response {
        w3ipfs_error(self.status(), message.as_ref())
    }
}

impl From<Refusal> for Reason {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::RouteNotFound => Reason::RouteNotFound,
            Refusal::UnreadableBody => Reason::BadRequest,
            Refusal::PayloadTooLarge => Reason::PayloadTooLarge,
            Refusal::RateLimited => Reason::RateLimited,
            Refusal::Internal => Reason::Internal,
            Refusal::Unavailable => Reason::Unavailable,
        }
    }
}
