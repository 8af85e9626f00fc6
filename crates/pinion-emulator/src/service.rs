//! Which emulated service a request is for, and each service's error shape.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The services one emulator process serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ServiceKind {
    Pinata,
    /// Pinata's v3 API on the api host (`api.pinata.cloud/v3`, `/pinata/v3`).
    PinataV3,
    /// Pinata's v3 uploads host (`uploads.pinata.cloud/v3`, `/pinata-uploads/v3`).
    PinataUploads,
    Submarine,
    W3ipfs,
    /// W3IPFS's IPFS Pinning Service API (`/api/psa`, `/w3ipfs/api/psa`): the standard's
    /// `Failure` errors rather than W3IPFS's own.
    W3ipfsPsa,
    Gateway,
    /// The emulator's own control routes (`/_emulator/...`).
    Control,
}

impl ServiceKind {
    /// The internal path prefix the service's routes are nested under.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            ServiceKind::Pinata => "/pinata",
            ServiceKind::PinataV3 => "/pinata-v3",
            ServiceKind::PinataUploads => "/pinata-uploads",
            ServiceKind::Submarine => "/submarine",
            ServiceKind::W3ipfs => "/w3ipfs",
            ServiceKind::W3ipfsPsa => "/w3ipfs-psa",
            ServiceKind::Gateway => "/gateway",
            ServiceKind::Control => "/_emulator",
        }
    }

    /// The services whose requests count against one rate-limit window: Pinata's
    /// legacy and v3 routes are one account.
    pub(crate) fn rate_bucket(self) -> ServiceKind {
        match self {
            ServiceKind::PinataV3 | ServiceKind::PinataUploads => ServiceKind::Pinata,
            ServiceKind::W3ipfsPsa => ServiceKind::W3ipfs,
            other => other,
        }
    }

    /// Refuses a request for a condition any service can meet, in this service's error
    /// shape, with the reason its table (`pinata::Reason`, `submarine::Reason`,
    /// `w3ipfs::Reason`) gives the condition.
    pub(crate) fn refuse(self, refusal: Refusal, message: &str) -> Response {
        match self {
            ServiceKind::Pinata => crate::pinata::Reason::from(refusal).error(message),
            ServiceKind::PinataV3 | ServiceKind::PinataUploads => {
                crate::pinata_v3::V3Reason::from(refusal).error(message)
            }
            ServiceKind::Submarine => crate::submarine::Reason::from(refusal).error(message),
            ServiceKind::W3ipfs => crate::w3ipfs::Reason::from(refusal).error(message),
            ServiceKind::W3ipfsPsa => crate::psa::PsaReason::from(refusal).error(message),
            ServiceKind::Gateway | ServiceKind::Control => plain(refusal.status(), message),
        }
    }
}

/// A condition every service can refuse a request for, whatever its API: the edge, the
/// guard and fault injection meet them before any service's handler runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No route at that path.
    RouteNotFound,
    /// The body could not be read.
    UnreadableBody,
    /// The body is over the route's limit.
    PayloadTooLarge,
    /// Over the rate limit.
    RateLimited,
    /// The emulator failed.
    Internal,
    /// Temporarily unavailable (injected faults).
    Unavailable,
}

impl Refusal {
    /// Its status where no service table applies (the gateway, the control routes).
    fn status(self) -> StatusCode {
        match self {
            Refusal::RouteNotFound => StatusCode::NOT_FOUND,
            Refusal::UnreadableBody => StatusCode::BAD_REQUEST,
            Refusal::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Refusal::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// Pinata v3's error body: `{"error":{"code":<status>,"message"}}`. Handlers answer
/// through [`V3Reason`](crate::pinata_v3::V3Reason), not this.
pub(crate) fn v3_error(status: StatusCode, message: &str) -> Response {
    use pinion_api::pinata_v3::types::{ErrorDetail, ErrorObject};
    let body = ErrorObject {
        error: ErrorDetail {
            code: Some(i64::from(status.as_u16())),
            message: Some(message.to_owned()),
            ..ErrorDetail::default()
        },
    };
    (status, Json(body)).into_response()
}

/// Pinata's (and Submarine's) error body: `{"error":{"reason","details"}}`. Handlers
/// answer through their service's reason table, not this.
pub(crate) fn pinata_error(status: StatusCode, reason: &str, details: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "reason": reason, "details": details } })),
    )
        .into_response()
}

/// W3IPFS's error body: `{"status":"fail"|"error","message"}` ("error" for 5xx).
/// Handlers answer through W3IPFS's reason table, not this.
pub(crate) fn w3ipfs_error(status: StatusCode, message: &str) -> Response {
    let kind = if status.is_server_error() {
        "error"
    } else {
        "fail"
    };
    (status, Json(json!({ "status": kind, "message": message }))).into_response()
}

/// A `text/plain; charset=utf-8` body.
pub(crate) fn plain(status: StatusCode, text: &str) -> Response {
    let mut response = (status, text.to_owned()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Pinata's `200 OK` text answer of action endpoints.
pub(crate) fn ok_text() -> Response {
    plain(StatusCode::OK, "OK")
}
