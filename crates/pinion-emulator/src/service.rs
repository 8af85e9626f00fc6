//! Which emulated service a request is for, and each service's error shape.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The services one emulator process serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ServiceKind {
    Pinata,
    Submarine,
    W3ipfs,
    Gateway,
    /// The emulator's own control routes (`/_emulator/...`).
    Control,
}

impl ServiceKind {
    /// The internal path prefix the service's routes are nested under.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            ServiceKind::Pinata => "/pinata",
            ServiceKind::Submarine => "/submarine",
            ServiceKind::W3ipfs => "/w3ipfs",
            ServiceKind::Gateway => "/gateway",
            ServiceKind::Control => "/_emulator",
        }
    }

    /// An error in this service's shape. `code` is Pinata's `reason`; the other
    /// services only carry `message`.
    pub(crate) fn error(self, status: StatusCode, code: &str, message: &str) -> Response {
        match self {
            ServiceKind::Pinata | ServiceKind::Submarine => pinata_error(status, code, message),
            ServiceKind::W3ipfs => w3ipfs_error(status, message),
            ServiceKind::Gateway | ServiceKind::Control => plain(status, message),
        }
    }
}

/// Pinata's (and Submarine's) error body: `{"error":{"reason","details"}}`.
pub(crate) fn pinata_error(status: StatusCode, reason: &str, details: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "reason": reason, "details": details } })),
    )
        .into_response()
}

/// W3IPFS's error body: `{"status":"fail"|"error","message"}` ("error" for 5xx).
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
