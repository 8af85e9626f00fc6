//! `PUT /content/{id}` (rename, publish), `PUT /content/{id}/metadata` and
//! `DELETE /content/{id}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use pinion_api::submarine::types as wire;
use serde_json::Value;

use super::{ContentRow, bad_request, envelope, internal, metadata_of, not_found};
use crate::content::{self};
use crate::state::AppState;
use crate::submarine::authorize;

/// `PUT /content/{id}`: rename and/or publish.
pub(crate) async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let request: wire::UpdateContentRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return bad_request(format!(
                "the body must be {{\"name\"?, \"pinToIPFS\"?}}: {error}"
            ));
        }
    };
    if request.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return bad_request("name must not be empty");
    }
    match state.write(|tx| {
        let before = tx.data().submarine.content.get(&id).cloned()?;
        if let Some(public) = request.pin_to_ipfs {
            if public && !before.pin_to_ipfs {
                content::publish(tx, &before.cid);
                content::add_public_pin(tx, &before.cid);
            } else if !public && before.pin_to_ipfs {
                content::remove_public_pin(tx, &before.cid);
            }
        }
        tx.update::<ContentRow>(&id, |row| {
            if let Some(name) = &request.name {
                row.name = name.clone();
            }
            if let Some(public) = request.pin_to_ipfs {
                row.pin_to_ipfs = public;
            }
        })
    }) {
        Ok(Some(row)) => envelope(&row),
        Ok(None) => not_found(&id),
        Err(error) => internal(error),
    }
}

/// `PUT /content/{id}/metadata`: the body, as sent, becomes the item's metadata (a
/// complete overwrite, not a merge). Its `name` is the metadata's name (`metadata.name`,
/// as the spec's example answer shows), not the item's: the item keeps its name
/// (`PUT /content/{id}` renames). Flat metadata such as `{"new": "value"}`, what the SDK's
/// README sends, is kept as it is, like the flat metadata of an upload.
pub(crate) async fn update_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let sent: Value = match serde_json::from_slice(&body) {
        Ok(sent) => sent,
        Err(error) => {
            return bad_request(format!(
                "the body must be the new metadata, a JSON object such as \
                 {{\"name\"?, \"keyvalues\"?}}: {error}"
            ));
        }
    };
    let metadata = match metadata_of(sent) {
        Ok(m) => m,
        Err(refused) => return refused,
    };
    if metadata.get("name").is_some_and(|name| !name.is_string()) {
        return bad_request("metadata.name must be a string");
    }
    match state.write(|tx| {
        tx.update::<ContentRow>(&id, |row| {
            row.metadata = metadata.clone();
        })
    }) {
        Ok(Some(row)) => envelope(&row),
        Ok(None) => not_found(&id),
        Err(error) => internal(error),
    }
}

/// `DELETE /content/{id}`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    match state.write(|tx| {
        let row = tx.delete::<ContentRow>(&id)?;
        if row.pin_to_ipfs {
            content::remove_public_pin(tx, &row.cid);
        }
        Some(())
    }) {
        Ok(Some(())) => Json(wire::DeleteContentResponse { status: 200 }).into_response(),
        Ok(None) => not_found(&id),
        Err(error) => internal(error),
    }
}
