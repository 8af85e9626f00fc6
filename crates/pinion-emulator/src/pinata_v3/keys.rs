//! `/api_keys` (reference §9), the spec's key routes beside the SDK's `/v3/pinata/keys`
//! (served by the legacy router, `spec/pinata.yaml`): list (`revoked`, `limitedUse`,
//! `exhausted`, `name`, `offset`), create (`permissions` optional, `resources`-only
//! accepted, `maxUses` counted by every route's check), revoke with `DELETE`. Answers
//! are not wrapped in `data`. The guard requires `org:write` (or an admin key).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use pinion_api::pinata_v3::types as wire;

use super::{V3Reason, error::internal, ok_json};
use crate::pinata::{KeyRefusal, KeyRules, create_from_body, list_keys, revoke_key};
use crate::state::AppState;

/// `GET /api_keys`: `{"keys", "count"}`.
pub(crate) async fn list(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let listed = match list_keys(&state, raw.as_deref()) {
        Ok(listed) => listed,
        Err(why) => return V3Reason::InvalidRequest.error(why),
    };
    // Legacy and v3 list the same key object; the v3 type is what this route answers.
    match serde_json::to_value(listed).and_then(serde_json::from_value::<wire::KeyList>) {
        Ok(keys) => ok_json(&keys),
        Err(error) => V3Reason::Internal.error(format!("key list: {error}")),
    }
}

/// `POST /api_keys`: `{"JWT", "pinata_api_key", "pinata_api_secret"}`.
pub(crate) async fn create(State(state): State<AppState>, body: Bytes) -> Response {
    match create_from_body(&state, &body, KeyRules::V3) {
        Ok(key) => ok_json(&wire::CreatedKey {
            jwt: key.jwt,
            pinata_api_key: key.key,
            pinata_api_secret: key.secret,
        }),
        Err(KeyRefusal::Request(why) | KeyRefusal::Permissions(why)) => {
            V3Reason::InvalidRequest.error(why)
        }
        Err(KeyRefusal::Internal(error)) => internal(error),
    }
}

/// `DELETE /api_keys/{key}`: the JSON string `"Revoked"`.
pub(crate) async fn revoke(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match revoke_key(&state, &key) {
        Ok(true) => ok_json(&wire::RevokeResult("Revoked".into())),
        Ok(false) => {
            V3Reason::NotFound.error(format!("there is no API key {key:?} in this account"))
        }
        Err(error) => internal(error),
    }
}
