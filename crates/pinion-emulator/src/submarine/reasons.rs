//! Every `reason` Submarine's errors carry, one per condition, with its status. No source
//! shows a Submarine error (`spec/pinata-submarine.sources.md`), so the reasons are
//! those of legacy Pinata for the same conditions, as the spec's examples say; every
//! Submarine handler answers errors through this table.

use axum::http::StatusCode;
use axum::response::Response;

use crate::service::{Refusal, pinata_error};

/// A condition Submarine refuses a request for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Missing, unknown or revoked `x-api-key`.
    InvalidCredentials,
    /// No content item with that id.
    ObjectNotFound,
    /// No route at that path.
    RouteNotFound,
    /// A body, form field or query parameter the route does not take.
    InvalidRequest,
    /// A body over the route's limit.
    PayloadTooLarge,
    /// Over the rate limit.
    RateLimited,
    /// The emulator failed.
    InternalServerError,
    /// Temporarily unavailable (injected faults).
    ServiceUnavailable,
}

impl Reason {
    /// The HTTP status it is answered with.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Reason::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Reason::ObjectNotFound | Reason::RouteNotFound => StatusCode::NOT_FOUND,
            Reason::InvalidRequest => StatusCode::BAD_REQUEST,
            Reason::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Reason::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Reason::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
            Reason::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `reason` string.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Reason::InvalidCredentials => "INVALID_CREDENTIALS",
            Reason::ObjectNotFound => "OBJECT_NOT_FOUND",
            Reason::RouteNotFound => "ROUTE_NOT_FOUND",
            Reason::InvalidRequest => "INVALID_REQUEST",
            Reason::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Reason::RateLimited => "RATE_LIMITED",
            Reason::InternalServerError => "INTERNAL_SERVER_ERROR",
            Reason::ServiceUnavailable => "SERVICE_UNAVAILABLE",
        }
    }

    /// The error answer, with `details` for people.
    pub(crate) fn error(self, details: impl AsRef<str>) -> Response {
        pinata_error(self.status(), self.code(), details.as_ref())
    }
}

impl From<Refusal> for Reason {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::RouteNotFound => Reason::RouteNotFound,
            Refusal::UnreadableBody => Reason::InvalidRequest,
            Refusal::PayloadTooLarge => Reason::PayloadTooLarge,
            Refusal::RateLimited => Reason::RateLimited,
            Refusal::Internal => Reason::InternalServerError,
            Refusal::Unavailable => Reason::ServiceUnavailable,
        }
    }
}
