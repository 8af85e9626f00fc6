//! `POST /auth/content/jwt`: content access tokens for the dedicated gateway.
//!
//! The token is an HS256 JWT signed by the emulator whose claims carry the content ids
//! (`contentIds`), `iat` and `exp = now + timeoutSeconds` (the emulator's clock). The
//! answer is the bare JSON string, as the seeds show.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use pinion_api::submarine::types as wire;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Reason;
use super::authorize;
use crate::jwt;
use crate::state::AppState;

/// The claims of a content access token.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccessClaims {
    pub(crate) content_ids: Vec<String>,
    pub(crate) iat: i64,
    pub(crate) exp: i64,
}

fn bad_request(details: impl AsRef<str>) -> Response {
    Reason::InvalidRequest.error(details)
}

/// Checks the request by hand so each mistake gets its own message.
fn parse(body: &[u8]) -> Result<(u64, Vec<String>), Response> {
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        bad_request(format!(
            "the body must be JSON like {{\"timeoutSeconds\": 3600, \"contentIds\": [\"<uuid>\"]}}: {error}"
        ))
    })?;
    let timeout = match value.get("timeoutSeconds") {
        Some(Value::Number(n)) => n.as_u64().filter(|n| *n >= 1).ok_or_else(|| {
            bad_request(format!(
                "timeoutSeconds must be a whole number of seconds, at least 1, not {n}"
            ))
        })?,
        Some(other) => {
            return Err(bad_request(format!(
                "timeoutSeconds must be a number of seconds, not {other}"
            )));
        }
        None => {
            return Err(bad_request(
                "timeoutSeconds is required: how many seconds the token is valid",
            ));
        }
    };
    let ids = match value.get("contentIds") {
        Some(Value::Array(ids)) if !ids.is_empty() => ids,
        Some(Value::Array(_)) => {
            return Err(bad_request("contentIds must name at least one content id"));
        }
        Some(other) => {
            return Err(bad_request(format!(
                "contentIds must be an array of content ids, not {other}"
            )));
        }
        None => {
            return Err(bad_request(
                "contentIds is required: the ids of the content the token opens",
            ));
        }
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let text = id.as_str().unwrap_or_default();
        let parsed = uuid::Uuid::parse_str(text).map_err(|_| {
            bad_request(format!(
                "contentIds holds {id}, which is not a content id (a UUID)"
            ))
        })?;
        out.push(parsed.to_string());
    }
    Ok((timeout, out))
}

/// `POST /auth/content/jwt`.
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let (timeout, ids) = match parse(&body) {
        Ok(parsed) => parsed,
        Err(refused) => return refused,
    };
    let unknown: Vec<String> = state.read(|data| {
        ids.iter()
            .filter(|id| !crate::state::submarine::is_content_id(data, id))
            .cloned()
            .collect()
    });
    if !unknown.is_empty() {
        return bad_request(format!(
            "no content with these ids in this account: {}",
            unknown.join(", ")
        ));
    }
    let now = state.clock.unix_seconds();
    let exp = now.saturating_add(i64::try_from(timeout).unwrap_or(i64::MAX));
    let token = jwt::sign(
        state.jwt_secret(),
        &AccessClaims {
            content_ids: ids,
            iat: now,
            exp,
        },
    );
    Json(wire::ContentAccessToken(token)).into_response()
}
