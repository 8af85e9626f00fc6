//! Every `reason` legacy Pinata's errors (`{"error":{"reason","details"}}`) carry, one per
//! condition, with its status. The documented or observed ones come from
//! `/work/shared/reference/pinata-api.md` §6.1; the others are pinion's choices, named in
//! `spec/pinata.sources.md` ("Error reasons"). Every Pinata handler answers errors
//! through this table.

use axum::http::StatusCode;
use axum::response::Response;

use crate::service::{Refusal, pinata_error};

/// A condition legacy Pinata refuses a request for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// No credentials, or half a key pair (observed).
    KeysMustBeStrings,
    /// Unknown, wrong, revoked or expired credentials (observed).
    InvalidCredentials,
    /// The key lacks the permission, or its `maxUses` are used up (chosen).
    NoPermissions,
    /// No pin, job, key or group with that CID or id (observed on `/psa`).
    ObjectNotFound,
    /// No route at that path.
    RouteNotFound,
    /// A body that is not the JSON or multipart the route takes.
    InvalidRequest,
    /// A query parameter out of its range or format.
    InvalidQuery,
    /// A string that is not a CID.
    InvalidCid,
    /// Malformed `pinataMetadata` or `hashMetadata`.
    InvalidMetadata,
    /// Malformed `pinataOptions`.
    InvalidOptions,
    /// A `groupId` the account does not have.
    InvalidGroup,
    /// An upload without any file part.
    NoFiles,
    /// A pin policy with unknown regions or counts.
    InvalidPinPolicy,
    /// Key permissions that are neither admin nor complete endpoints.
    InvalidPermissions,
    /// `hostNodes` that are not multiaddrs, or too many (the job status of the same name).
    BadHostNode,
    /// A body over the route's limit.
    PayloadTooLarge,
    /// The pin-by-CID queue is full.
    TooManyPinJobs,
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
            Reason::KeysMustBeStrings
            | Reason::InvalidRequest
            | Reason::InvalidQuery
            | Reason::InvalidCid
            | Reason::InvalidMetadata
            | Reason::InvalidOptions
            | Reason::InvalidGroup
            | Reason::NoFiles
            | Reason::InvalidPinPolicy
            | Reason::InvalidPermissions
            | Reason::BadHostNode => StatusCode::BAD_REQUEST,
            Reason::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Reason::NoPermissions => StatusCode::FORBIDDEN,
            Reason::ObjectNotFound | Reason::RouteNotFound => StatusCode::NOT_FOUND,
            Reason::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Reason::TooManyPinJobs | Reason::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Reason::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
            Reason::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `reason` string.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Reason::KeysMustBeStrings => "KEYS_MUST_BE_STRINGS",
            Reason::InvalidCredentials => "INVALID_CREDENTIALS",
            Reason::NoPermissions => "NO_PERMISSIONS",
            Reason::ObjectNotFound => "OBJECT_NOT_FOUND",
            Reason::RouteNotFound => "ROUTE_NOT_FOUND",
            Reason::InvalidRequest => "INVALID_REQUEST",
            Reason::InvalidQuery => "INVALID_QUERY",
            Reason::InvalidCid => "INVALID_CID",
            Reason::InvalidMetadata => "INVALID_METADATA",
            Reason::InvalidOptions => "INVALID_OPTIONS",
            Reason::InvalidGroup => "INVALID_GROUP",
            Reason::NoFiles => "NO_FILES",
            Reason::InvalidPinPolicy => "INVALID_PIN_POLICY",
            Reason::InvalidPermissions => "INVALID_PERMISSIONS",
            Reason::BadHostNode => "bad_host_node",
            Reason::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Reason::TooManyPinJobs => "TOO_MANY_PIN_JOBS",
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
