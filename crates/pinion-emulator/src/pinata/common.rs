//! What every Pinata handler shares: body parsing and error answers in Pinata's shape.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Reason;
use crate::EmulatorError;

/// 500 for a failure of the emulator's own storage.
pub(crate) fn internal(error: EmulatorError) -> Response {
    Reason::InternalServerError.error(error.to_string())
}

/// Parses a JSON body, answering 400 `INVALID_REQUEST` with serde's reason.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|error| {
        Reason::InvalidRequest.error(format!("the body is not a valid {what}: {error}"))
    })
}

/// A JSON 200.
pub(crate) fn ok_json(value: &impl Serialize) -> Response {
    Json(value).into_response()
}

pub(crate) use crate::state::pinata::parse_time;
