//! Private content: upload (files, folders, JSON), list, get, list a folder, update
//! (rename, make public), replace metadata, delete. The content rows live in
//! [`crate::state::submarine`]; this module holds what every content handler shares; each group of routes has its own file.
//!
//! Choices: uploads default to CIDv0 (the SDK sends "0"); the item's `size` is the
//! content's length in bytes; `status` filter `pinned` means published to IPFS
//! (`pinToIPFS: true`); uploading a CID this account already holds answers the existing
//! item with `isDuplicate: true`; each file of a folder gets its own id in
//! `/content/{id}/list`.

mod changes;
mod listing;
mod upload;

pub(crate) use changes::{delete, update, update_metadata};
pub(crate) use listing::{get, list, list_folder};
pub(crate) use upload::{upload, upload_json};

use axum::Json;
use axum::response::{IntoResponse, Response};
use pinion_api::submarine::types as wire;
use serde_json::{Map, Value};

use super::Reason;
pub(crate) use crate::state::submarine::{ContentRow, FolderFile};

/// 400 `INVALID_REQUEST`.
fn bad_request(details: impl AsRef<str>) -> Response {
    Reason::InvalidRequest.error(details)
}

/// 404 `OBJECT_NOT_FOUND`: no content item `id` in this account.
fn not_found(id: &str) -> Response {
    Reason::ObjectNotFound.error(format!("there is no content with id {id} in this account"))
}

/// 500 for a failure of the emulator's own storage.
fn internal(error: crate::EmulatorError) -> Response {
    Reason::InternalServerError.error(error.to_string())
}

/// The wire form of an item.
fn item(row: &ContentRow, duplicate: bool) -> wire::ContentItem {
    wire::ContentItem {
        cid: row.cid.clone(),
        created_at: row.created_at,
        id: row.id.parse().expect("content ids are UUIDs"),
        is_duplicate: duplicate.then_some(true),
        metadata: row.metadata.clone(),
        mime_type: row.mime_type.clone(),
        name: row.name.clone(),
        originalname: row.originalname.clone(),
        pin_to_ipfs: row.pin_to_ipfs,
        size: row.size as i64,
    }
}

/// `{"item": …, "status": 200}`, the answer of routes on one item.
fn envelope(row: &ContentRow) -> Response {
    Json(wire::ContentItemEnvelope {
        item: item(row, false),
        status: 200,
        status_text: None,
        total_items: None,
    })
    .into_response()
}

/// Parses `{"keyvalues": {...}}` metadata: key-values only, no nesting.
fn metadata_of(value: Value) -> Result<Map<String, Value>, Response> {
    let Value::Object(object) = value else {
        return Err(bad_request(
            "metadata must be a JSON object like {\"keyvalues\": {\"key\": \"value\"}}",
        ));
    };
    if let Some(keyvalues) = object.get("keyvalues") {
        let Some(pairs) = keyvalues.as_object() else {
            return Err(bad_request("metadata.keyvalues must be an object"));
        };
        if let Some((key, _)) = pairs.iter().find(|(_, v)| v.is_object() || v.is_array()) {
            return Err(bad_request(format!(
                "metadata.keyvalues.{key} is nested: key-values are strings, numbers or booleans"
            )));
        }
    }
    Ok(object)
}

/// The item's key-values (`metadata.keyvalues`).
fn keyvalues(row: &ContentRow) -> Map<String, Value> {
    row.metadata
        .get("keyvalues")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A `"true"`/`"false"` form field or query parameter.
fn flag(name: &str, value: &str) -> Result<bool, Response> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(bad_request(format!(
            "{name} must be \"true\" or \"false\", not {other:?}"
        ))),
    }
}
