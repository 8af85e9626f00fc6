//! What every W3IPFS handler shares: the `{"status":"success","data":…}` envelope,
//! error answers and list parameters.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Reason;
use crate::EmulatorError;

/// 400 with `message`.
pub(crate) fn bad_request(message: impl AsRef<str>) -> Response {
    Reason::BadRequest.error(message)
}

/// 404 `record not found` (GORM's text, which the service passes through).
pub(crate) fn not_found() -> Response {
    Reason::RecordNotFound.answer()
}

/// 500 for a failure of the emulator's own storage.
pub(crate) fn internal(error: EmulatorError) -> Response {
    Reason::Internal.error(error.to_string())
}

/// A JSON answer with `status`.
pub(crate) fn answer(status: StatusCode, value: &impl Serialize) -> Response {
    (status, Json(value)).into_response()
}

/// Parses a JSON body, answering 400 with serde's reason.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Response> {
    serde_json::from_slice(body)
        .map_err(|error| bad_request(format!("the body is not a valid {what}: {error}")))
}

/// `offset`, `limit`, `pinned`, `sortBy`, `sortOrder`, `metadata` of the list routes.
pub(crate) struct ListQuery {
    pub(crate) offset: usize,
    pub(crate) limit: usize,
    pub(crate) pinned: Option<bool>,
    pub(crate) sort_by: String,
    pub(crate) ascending: bool,
    pub(crate) metadata: serde_json::Map<String, serde_json::Value>,
    pub(crate) gateway_type: Option<String>,
}

/// Parses the list parameters; unknown parameters are ignored.
pub(crate) fn parse_list_query(raw: Option<&str>) -> Result<ListQuery, Response> {
    let mut query = ListQuery {
        offset: 0,
        limit: 10,
        pinned: None,
        sort_by: "created_at".into(),
        ascending: false,
        metadata: serde_json::Map::new(),
        gateway_type: None,
    };
    let number = |name: &str, value: &str| {
        value.parse::<usize>().map_err(|_| {
            bad_request(format!(
                "{name} must be a non-negative integer, not {value:?}"
            ))
        })
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "offset" => query.offset = number("offset", &value)?,
            "limit" => query.limit = number("limit", &value)?,
            "pinned" => {
                query.pinned = match value.as_ref() {
                    "all" => None,
                    "true" => Some(true),
                    "false" => Some(false),
                    other => {
                        return Err(bad_request(format!(
                            "pinned must be all, true or false, not {other:?}"
                        )));
                    }
                }
            }
            "sortBy" => {
                if !["created_at", "size", "name"].contains(&value.as_ref()) {
                    return Err(bad_request(format!(
                        "sortBy must be created_at, size or name, not {value:?}"
                    )));
                }
                query.sort_by = value.into_owned();
            }
            "sortOrder" => {
                query.ascending = match value.as_ref() {
                    "ASC" => true,
                    "DESC" => false,
                    other => {
                        return Err(bad_request(format!(
                            "sortOrder must be ASC or DESC, not {other:?}"
                        )));
                    }
                }
            }
            "metadata" => {
                query.metadata = serde_json::from_str(&value).map_err(|error| {
                    bad_request(format!(
                        "metadata must be a JSON object of key-values such as {{\"key1\":\"value1\"}}: {error}"
                    ))
                })?;
            }
            "type" => {
                if !["Public", "Dedicated", "all"].contains(&value.as_ref()) {
                    return Err(bad_request(format!(
                        "type must be Public, Dedicated or all, not {value:?}"
                    )));
                }
                query.gateway_type = (value != "all").then(|| value.into_owned());
            }
            _ => {}
        }
    }
    if query.limit == 0 {
        query.limit = 10;
    }
    Ok(query)
}
