//! The `Failure` reasons W3IPFS's `/api/psa` answers with
//! (`{"error":{"reason","details"}}`, the standard's error shape; the standard names
//! only example reasons, so these are pinion's choices, in the examples' style). Pinata's
//! `/psa` answers through Pinata's own table ([`crate::pinata::Reason`]), whose shape is
//! the same and whose codes are the recorded ones.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::service::Refusal;
use pinion_api::psa::types::{Failure, FailureError};

/// A condition W3IPFS's PSA refuses a request for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PsaReason {
    /// No token, or one that is not the user's valid login JWT.
    Unauthorized,
    /// No request with that id (or no route at that path).
    NotFound,
    /// A body, query parameter or CID the standard does not allow.
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

impl PsaReason {
    /// The HTTP status it is answered with.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            PsaReason::Unauthorized => StatusCode::UNAUTHORIZED,
            PsaReason::NotFound => StatusCode::NOT_FOUND,
            PsaReason::BadRequest => StatusCode::BAD_REQUEST,
            PsaReason::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PsaReason::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            PsaReason::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            PsaReason::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `reason` string.
    pub(crate) fn code(self) -> &'static str {
        match self {
            PsaReason::Unauthorized => "UNAUTHORIZED",
            PsaReason::NotFound => "NOT_FOUND",
            PsaReason::BadRequest => "BAD_REQUEST",
            PsaReason::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            PsaReason::RateLimited => "RATE_LIMITED",
            PsaReason::Internal => "INTERNAL_SERVER_ERROR",
            PsaReason::Unavailable => "SERVICE_UNAVAILABLE",
        }
    }

    /// The `Failure` answer, with `details` for people.
    pub(crate) fn error(self, details: impl AsRef<str>) -> Response {
        let body = Failure {
            error: FailureError {
                reason: self.code().to_owned(),
                details: Some(details.as_ref().to_owned()),
            },
        };
        (self.status(), Json(body)).into_response()
    }
}

impl From<Refusal> for PsaReason {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::RouteNotFound => PsaReason::NotFound,
            Refusal::UnreadableBody => PsaReason::BadRequest,
            Refusal::PayloadTooLarge => PsaReason::PayloadTooLarge,
            Refusal::RateLimited => PsaReason::RateLimited,
            Refusal::Internal => PsaReason::Internal,
            Refusal::Unavailable => PsaReason::Unavailable,
        }
    }
}
