//! `hashMetadata`, and the checks of key-values every pin's metadata passes.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;
use pinion_rules::metadata::{MAX_KEYVALUES, check_keyvalue_count};
use serde_json::{Map, Value};

use super::super::Reason;
use super::super::authorize;
use super::super::common::{internal, parse_json};
use super::{PinRow, active_pin};
use crate::service::ok_text;
use crate::state::AppState;

/// Checks and converts request metadata key-values.
pub(crate) fn keyvalues_of(
    keyvalues: &BTreeMap<String, wire::KeyValue>,
) -> Result<Map<String, Value>, Response> {
    if check_keyvalue_count(keyvalues.len()).is_err() {
        return Err(Reason::InvalidMetadata.error(format!(
            "a pin may have at most {MAX_KEYVALUES} keyvalues, {} were given",
            keyvalues.len()
        )));
    }
    Ok(keyvalues
        .iter()
        .map(|(key, value)| {
            let value = match value {
                wire::KeyValue::String(s) => Value::String(s.clone()),
                wire::KeyValue::Number(n) => serde_json::Number::from_f64(*n)
                    .map(|n| {
                        // Integers stay integers on the way back.
                        if n.as_f64()
                            .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15)
                        {
                            Value::from(n.as_f64().unwrap_or_default() as i64)
                        } else {
                            Value::Number(n)
                        }
                    })
                    .unwrap_or(Value::Null),
                wire::KeyValue::Boolean(b) => Value::Bool(*b),
            };
            (key.clone(), value)
        })
        .collect())
}

/// `PUT /pinning/hashMetadata`: the name is replaced when given; key-values are merged,
/// a `null` value removing its key.
pub(crate) async fn hash_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateHashMetadata") {
        return refused;
    }
    let request: wire::HashMetadataRequest = match parse_json(&body, "hashMetadata request") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    for (key, value) in &request.keyvalues {
        if !(value.is_string() || value.is_number() || value.is_boolean() || value.is_null()) {
            return Reason::InvalidMetadata.error(format!(
                "keyvalue {key:?} must be a string, a number, a boolean or null (to remove it)"
            ));
        }
    }
    let result = state.write(|tx| {
        let Some(id) = active_pin(tx.data(), &request.ipfs_pin_hash).map(|row| row.id.clone())
        else {
            return Ok(false);
        };
        let mut merged = tx.data().pinata.pins[&id].keyvalues.clone();
        for (key, value) in &request.keyvalues {
            if value.is_null() {
                merged.remove(key);
            } else {
                merged.insert(key.clone(), value.clone());
            }
        }
        if check_keyvalue_count(merged.len()).is_err() {
            return Err(merged.len());
        }
        tx.update::<PinRow>(&id, |row| {
            if let Some(name) = &request.name {
                row.name = Some(name.clone());
            }
            row.keyvalues = merged;
        });
        Ok(true)
    });
    match result {
        Ok(Ok(true)) => ok_text(),
        Ok(Ok(false)) => Reason::ObjectNotFound.error(format!(
            "Your account does not currently have any record associated with this ID: no active pin of {}",
            request.ipfs_pin_hash
        )),
        Ok(Err(count)) => Reason::InvalidMetadata.error(format!(
                "a pin may have at most {MAX_KEYVALUES} keyvalues; this change would leave {count}"
            ),
        ),
        Err(error) => internal(error),
    }
}
