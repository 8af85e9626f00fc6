//! `HEAD` and `PATCH` on a TUS upload's `Location`: its offset, and one chunk.
//!
//! Both need the upload's capability token (the `Location`'s last segment). An upload
//! created with a key also needs that key's JWT; one created against a signed URL needs
//! nothing else, as `pinata/react` sends no `Authorization` (any sent is ignored).
//!
//! A completed upload answers `HEAD` with its full offset and `Upload-CID`, and `PATCH`
//! with 404 (nothing more can be written; the emulator does not use 410, which TUS
//! reserves for the termination extension it does not offer).

use axum::extract::{Extension, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use pinion_scopes::pinata_v3::V3Operation;

use super::completion::{self, Finished};
use super::part_file::Appended;
use super::{PartFiles, locks};
use crate::pinata::constant_time_eq;
use crate::pinata_v3::{V3Reason, authorize_key, error::internal};
use crate::state::AppState;
use crate::state::tus::{TusUpload, UploadAuthority};

/// The content type every `PATCH` must have.
const CHUNK_TYPE: &str = "application/offset+octet-stream";

/// `HEAD {location}`: how many bytes the server has.
pub(crate) async fn offset(
    State(state): State<AppState>,
    Extension(operation): Extension<V3Operation>,
    Path((id, token)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let upload = match authorize(&state, operation, &headers, &id, &token) {
        Ok(upload) => upload,
        Err(refused) => return refused,
    };
    let _guard = locks::lock(&upload.id).await;
    // Read again under the lock: a PATCH may have moved the offset meanwhile, and
    // recovering from a stale offset would cut off the bytes it just recorded.
    let Some(upload) = state.read(|data| data.tus.uploads.get(&upload.id).cloned()) else {
        return not_found();
    };
    let (offset, cid) = if upload.is_complete() {
        (upload.length, upload.cid.clone())
    } else {
        match recover(&state, &upload).await {
            Ok(offset) => (offset, None),
            Err(refused) => return refused,
        }
    };
    let mut response = StatusCode::OK.into_response();
    let out = response.headers_mut();
    out.insert("upload-offset", HeaderValue::from(offset));
    out.insert("upload-length", HeaderValue::from(upload.length));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(value) = cid.and_then(|cid| HeaderValue::from_str(&cid).ok()) {
        out.insert("upload-cid", value);
    }
    response
}

/// `PATCH {location}`: appends the body at `Upload-Offset`, streamed to disk.
pub(crate) async fn chunk(
    State(state): State<AppState>,
    Extension(operation): Extension<V3Operation>,
    Path((id, token)): Path<(String, String)>,
    request: Request,
) -> Response {
    match try_chunk(&state, operation, &id, &token, request).await {
        Ok(response) | Err(response) => response,
    }
}

async fn try_chunk(
    state: &AppState,
    operation: V3Operation,
    id: &str,
    token: &str,
    request: Request,
) -> Result<Response, Response> {
    let headers = request.headers();
    let upload = authorize(state, operation, headers, id, token)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case(CHUNK_TYPE) {
        return Err(V3Reason::UnsupportedMediaType.error(format!(
            "a TUS PATCH must have Content-Type: {CHUNK_TYPE}, not {content_type:?}"
        )));
    }
    let claimed = headers
        .get("upload-offset")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .ok_or_else(|| {
            V3Reason::InvalidRequest.error("Upload-Offset must be a non-negative integer")
        })?;
    let declared_length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());

    let guard = locks::lock(&upload.id).await;
    // What another request may have changed while this one waited.
    let upload = state
        .read(|data| data.tus.uploads.get(&upload.id).cloned())
        .ok_or_else(not_found)?;
    if upload.is_complete() {
        return Err(V3Reason::NotFound.error(format!(
            "the upload is complete (CID {}): nothing more can be written; HEAD shows its \
             offset and CID",
            upload.cid.as_deref().unwrap_or_default()
        )));
    }
    let offset = recover(state, &upload).await?;
    if claimed != offset {
        return Err(V3Reason::Conflict.error(format!(
            "Upload-Offset {claimed} does not match the upload's offset, {offset}: HEAD the \
             upload and resume from there"
        )));
    }
    let room = upload.length - offset;
    if declared_length.is_some_and(|length| length > room) {
        return Err(overflow(offset, room));
    }
    // The writing runs as a task of its own, holding the lock: when the client goes away
    // the server drops this handler, but the task still sees the body end, keeps and
    // records what arrived (and finishes the upload if it was all there).
    // Counted as it is read, cut requests included (`GET /_emulator/tus/received`).
    let counted = state.clone();
    let body = request
        .into_body()
        .into_data_stream()
        .inspect(move |piece| {
            if let Ok(piece) = piece {
                counted.received.count_bytes(piece.len() as u64);
            }
        });
    let owner = state.clone();
    let write = tokio::spawn(async move {
        let _guard = guard;
        write_chunk(&owner, upload, offset, body).await
    });
    write
        .await
        .unwrap_or_else(|join| Err(internal(crate::EmulatorError::Store(join.to_string()))))
}

/// Appends `body` to `upload` at `offset` (its recovered offset), records the new
/// offset, and completes the upload when it is the last chunk.
async fn write_chunk(
    state: &AppState,
    upload: TusUpload,
    offset: u64,
    body: impl Stream<Item = Result<Bytes, axum::Error>>,
) -> Result<Response, Response> {
    let room = upload.length - offset;
    let parts = PartFiles::under(state.blobs.dir());
    let appended = parts
        .append(&upload.id, offset, room, body)
        .await
        .map_err(|error| internal(error.into()))?;
    let written = match appended {
        Appended::Complete { written } => written,
        Appended::Overflow => return Err(overflow(offset, room)),
        Appended::Interrupted { written, error } => {
            // Kept: the client resumes from the new offset (HEAD).
            record_offset(state, &upload.id, offset + written)?;
            return Err(V3Reason::InvalidRequest.error(format!(
                "the chunk was cut off after {written} bytes, which are kept: {error}"
            )));
        }
    };
    let new_offset = offset + written;
    record_offset(state, &upload.id, new_offset)?;

    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert("upload-offset", HeaderValue::from(new_offset));
    if new_offset == upload.length {
        let done = TusUpload {
            offset: new_offset,
            ..upload
        };
        let Finished { cid } = completion::finish(state, &done, &parts).await?;
        if let Ok(value) = HeaderValue::from_str(&cid) {
            response.headers_mut().insert("upload-cid", value);
        }
    }
    Ok(response)
}

fn not_found() -> Response {
    V3Reason::NotFound.error("no TUS upload at this location")
}

fn overflow(offset: u64, room: u64) -> Response {
    V3Reason::PayloadTooLarge.error(format!(
        "the chunk would pass Upload-Length: at offset {offset} only {room} more bytes fit; \
         nothing of it was kept"
    ))
}

/// The upload at `id` if `token` is its capability token and the request may continue
/// it (see the module documentation). Unknown uploads and wrong tokens are alike: 404.
fn authorize(
    state: &AppState,
    operation: V3Operation,
    headers: &HeaderMap,
    id: &str,
    token: &str,
) -> Result<TusUpload, Response> {
    let upload = state
        .read(|data| data.tus.uploads.get(id).cloned())
        .filter(|upload| constant_time_eq(&upload.token, token))
        .ok_or_else(not_found)?;
    match &upload.authority {
        UploadAuthority::Grant { .. } => Ok(upload),
        UploadAuthority::Key { key } => {
            let Some(requirement) = operation.authorization().key_requirement() else {
                return Err(V3Reason::Internal.error("a TUS route without a key requirement"));
            };
            let caller = authorize_key(state, headers, requirement)?;
            if caller.key != *key {
                return Err(V3Reason::Forbidden.error(
                    "this upload was created with another key: continue it with the key that \
                     created it",
                ));
            }
            Ok(upload)
        }
    }
}

/// The upload's real offset (see [`PartFiles::recover`]), recorded if it differs.
async fn recover(state: &AppState, upload: &TusUpload) -> Result<u64, Response> {
    let parts = PartFiles::under(state.blobs.dir());
    let offset = parts
        .recover(&upload.id, upload.offset)
        .await
        .map_err(|error| internal(error.into()))?;
    if offset != upload.offset {
        record_offset(state, &upload.id, offset)?;
    }
    Ok(offset)
}

fn record_offset(state: &AppState, id: &str, offset: u64) -> Result<(), Response> {
    state
        .write(|tx| {
            tx.update::<TusUpload>(id, |row| row.offset = offset);
        })
        .map_err(internal)
}
