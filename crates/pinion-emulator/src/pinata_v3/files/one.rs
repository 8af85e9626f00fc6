//! One file: `GET`, `PUT` (name, key-values merged with `null` deleting a key,
//! `expires_at` in the future) and `DELETE /files/{network}/{id}` (reference §4.3). A
//! deleted public file is an unpinned pin (its row stays, as `unpin` keeps it); a
//! deleted private file likewise keeps its row with `date_unpinned`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use pinion_api::pinata_v3::types as wire;
use pinion_rules::metadata::{MAX_KEYVALUES, check_keyvalue_count};
use serde_json::Value;

use super::rules::check_expiry;
use super::{file_of, find_by_id, update_row};
use crate::content;
use crate::pinata_v3::{Network, V3Reason, error::internal, ok_json, parse_network};
use crate::state::AppState;

fn no_file(network: Network, id: &str) -> Response {
    V3Reason::NotFound.error(format!("no file with id {id} on the {network} network"))
}

/// `GET /files/{network}/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Path((network, id)): Path<(String, String)>,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    if let Err(error) = super::expire_due(&state) {
        return internal(error);
    }
    match state.read(|data| find_by_id(data, network, &id).map(|row| file_of(row, network))) {
        Some(file) => ok_json(&wire::FileResponse { data: file }),
        None => no_file(network, &id),
    }
}

/// `PUT /files/{network}/{id}` with `{"name"?, "keyvalues"?, "expires_at"?}`.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path((network, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let request: wire::UpdateFileRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return V3Reason::InvalidRequest.error(format!(
                "the body must be a JSON object with name, keyvalues (strings, or null to \
                 delete a key) and/or expires_at: {error}"
            ));
        }
    };
    if let Some(at) = request.expires_at
        && let Err(why) = check_expiry(at, state.clock.unix_seconds())
    {
        return V3Reason::InvalidRequest.error(why);
    }
    let outcome = state.write(|tx| {
        let Some(row) = find_by_id(tx.data(), network, &id) else {
            return Ok(None);
        };
        let mut merged = row.keyvalues.clone();
        for (key, value) in &request.keyvalues {
            match value {
                Some(value) => merged.insert(key.clone(), Value::String(value.clone())),
                None => merged.remove(key),
            };
        }
        if check_keyvalue_count(merged.len()).is_err() {
            return Err(merged.len());
        }
        let updated = update_row(tx, network, &id, |row| {
            if let Some(name) = &request.name {
                row.name = Some(name.clone());
            }
            if request.expires_at.is_some() {
                row.expires_at = request.expires_at;
            }
            row.keyvalues = merged;
        });
        Ok(updated.map(|row| file_of(&row, network)))
    });
    match outcome {
        Ok(Ok(Some(file))) => ok_json(&wire::FileResponse { data: file }),
        Ok(Ok(None)) => no_file(network, &id),
        Ok(Err(count)) => V3Reason::InvalidRequest.error(format!(
            "a file may have at most {MAX_KEYVALUES} keyvalues; this change would leave {count}"
        )),
        Err(error) => internal(error),
    }
}

/// `DELETE /files/{network}/{id}`: `{"data":null}`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path((network, id)): Path<(String, String)>,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    let outcome = state.write(|tx| {
        let cid = find_by_id(tx.data(), network, &id)?.cid.clone();
        update_row(tx, network, &id, |row| row.date_unpinned = Some(now));
        if network == Network::Public {
            content::remove_public_pin(tx, &cid);
        }
        Some(())
    });
    match outcome {
        Ok(Some(())) => ok_json(&wire::NullDataResponse {
            data: Some(Value::Null),
        }),
        Ok(None) => no_file(network, &id),
        Err(error) => internal(error),
    }
}
