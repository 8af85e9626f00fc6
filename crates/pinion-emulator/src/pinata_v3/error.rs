//! Every condition Pinata's v3 API refuses a request for, with its status, answered in
//! the v3 shape `{"error":{"code":<status>,"message"}}` (reference §1.5). Only the 401
//! for a key without v3 permissions is observed; the other statuses are pinion's
//! choices, listed in `spec/pinata-v3.sources.md`. Every v3 handler answers errors
//! through this table.

use axum::http::StatusCode;
use axum::response::Response;

use crate::service::{Refusal, v3_error};

/// A condition the v3 API refuses a request for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // `UnsupportedMediaType` is the TUS module's (PATCH content type).
pub(crate) enum V3Reason {
    /// No usable `Authorization: Bearer` header, or a key with only legacy `endpoints`
    /// permissions (observed: "no Authorization header found").
    NoAuthorization,
    /// A JWT that is not one of the account's keys, or a revoked key.
    InvalidCredentials,
    /// The key lacks the operation's `resources` scope, or its `maxUses` are used up.
    Forbidden,
    /// No file, group, job, key, swap or signature with that id or CID.
    NotFound,
    /// No route at that path (or not on this host).
    RouteNotFound,
    /// A body, form field or query parameter the route does not take.
    InvalidRequest,
    /// The thing already exists (a CID's signature).
    Conflict,
    /// A body over the route's limit.
    PayloadTooLarge,
    /// A body of a content type the route does not take.
    UnsupportedMediaType,
    /// Over the rate limit.
    RateLimited,
    /// The emulator failed.
    Internal,
    /// Temporarily unavailable (injected faults).
    Unavailable,
}

impl V3Reason {
    /// The HTTP status it is answered with (also the body's `code`).
    pub(crate) fn status(self) -> StatusCode {
        match self {
            V3Reason::NoAuthorization | V3Reason::InvalidCredentials => StatusCode::UNAUTHORIZED,
            V3Reason::Forbidden => StatusCode::FORBIDDEN,
            V3Reason::NotFound | V3Reason::RouteNotFound => StatusCode::NOT_FOUND,
            V3Reason::InvalidRequest => StatusCode::BAD_REQUEST,
            V3Reason::Conflict => StatusCode::CONFLICT,
            V3Reason::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            V3Reason::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            V3Reason::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            V3Reason::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            V3Reason::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The error answer, with `message` for people.
    pub(crate) fn error(self, message: impl AsRef<str>) -> Response {
        v3_error(self.status(), message.as_ref())
    }
}

impl From<Refusal> for V3Reason {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::RouteNotFound => V3Reason::RouteNotFound,
            Refusal::UnreadableBody => V3Reason::InvalidRequest,
            Refusal::PayloadTooLarge => V3Reason::PayloadTooLarge,
            Refusal::RateLimited => V3Reason::RateLimited,
            Refusal::Internal => V3Reason::Internal,
            Refusal::Unavailable => V3Reason::Unavailable,
        }
    }
}

/// 500 for a failure of the emulator's own storage.
pub(crate) fn internal(error: crate::EmulatorError) -> Response {
    V3Reason::Internal.error(error.to_string())
}
