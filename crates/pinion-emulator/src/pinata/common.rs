//! What every Pinata handler shares: body parsing and error answers in Pinata's shape.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::EmulatorError;
use crate::service::pinata_error;

/// 400 with `reason` and `details`.
pub(crate) fn bad_request(reason: &str, details: impl AsRef<str>) -> Response {
    pinata_error(StatusCode::BAD_REQUEST, reason, details.as_ref())
}

/// 404 `OBJECT_NOT_FOUND`.
pub(crate) fn not_found(details: impl AsRef<str>) -> Response {
    pinata_error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND", details.as_ref())
}

/// 500 for a failure of the emulator's own storage.
pub(crate) fn internal(error: EmulatorError) -> Response {
    pinata_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        &error.to_string(),
    )
}

/// Parses a JSON body, answering 400 `INVALID_REQUEST` with serde's reason.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|error| {
        bad_request(
            "INVALID_REQUEST",
            format!("the body is not a valid {what}: {error}"),
        )
    })
}

/// A JSON 200.
pub(crate) fn ok_json(value: &impl Serialize) -> Response {
    Json(value).into_response()
}

pub(crate) use crate::state::pinata::parse_time;
