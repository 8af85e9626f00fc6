//! Submarine authentication: the `x-api-key` header.

use axum::http::HeaderMap;
use axum::response::Response;

use super::Reason;
use crate::pinata::constant_time_eq;
use crate::secrets;
pub(crate) use crate::state::submarine::SubmarineKey;
use crate::state::{AppState, Tx};

/// Creates (and stores) a Submarine key.
pub(crate) fn create_key(state: &AppState, tx: &mut Tx<'_>, name: &str) -> SubmarineKey {
    let row = SubmarineKey {
        key: secrets::hex_string(32),
        name: name.to_owned(),
        revoked: false,
        created_at: state.clock.now(),
    };
    tx.put(row.clone());
    row
}

/// Authenticates the request by its `x-api-key` header: missing, unknown or revoked →
/// 401 `INVALID_CREDENTIALS`.
pub(crate) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<SubmarineKey, Response> {
    let given = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    let Some(given) = given else {
        return Err(Reason::InvalidCredentials
            .error("The x-api-key header with your Submarine key is missing"));
    };
    state
        .read(|data| {
            data.submarine
                .keys
                .values()
                .find(|key| constant_time_eq(&key.key, given))
                .cloned()
        })
        .filter(|key| !key.revoked)
        .ok_or_else(|| Reason::InvalidCredentials.error("Invalid/expired credentials"))
}
