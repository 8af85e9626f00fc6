//! Pins: upload (`POST /pinning/`, 201), pin by CID, get, list, unpin, metadata.
//!
//! Lifecycle, deterministic: an upload answers 201 with `status: PENDING`,
//! `pinned: false`, no `size` and the zero `file_record_id`; the next read of the pin
//! (get or list, or any request to `/api/psa`, whose pin requests are pins by CID,
//! `crate::psa`) finds it `DONE`, pinned, with its size. A pin by CID answers
//! `RETRIEVAL`; it becomes `DONE` on a read once the emulator has the CID's content
//! (uploaded to any service), and stays `RETRIEVAL` otherwise. Uploads are CIDv1
//! (raw leaves); `size` is the content's length in bytes.

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use pinion_api::w3ipfs::types as wire;
use pinion_cid::CidVersion;
use pinion_rules::upload::default_name;
use serde_json::{Map, Value};

use super::authorize;
use super::common::{
    ListQuery, answer, bad_request, internal, not_found, parse_json, parse_list_query,
};
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
pub(crate) use crate::state::w3ipfs::PinRow;
use crate::state::w3ipfs::{PinListQuery, PinSort, has_active_pin, has_metadata, pending_pins};
use crate::state::{AppState, Tx, psa};

/// Go's zero time, which the service sends for "never".
pub(crate) fn zero_time() -> DateTime<Utc> {
    "0001-01-01T00:00:00Z"
        .parse()
        .expect("Go's zero time parses")
}

/// The hex multihash of a CID (`1220…` for sha2-256).
pub(crate) fn root_hash(cid: &str) -> String {
    pinion_cid::Cid::parse(cid)
        .map(|cid| hex::encode(cid.as_inner().hash().to_bytes()))
        .unwrap_or_default()
}

/// The wire form of a pin.
pub(crate) fn wire_pin(row: &PinRow, user_id: &str) -> wire::Pin {
    wire::Pin {
        cid: row.cid.clone(),
        created_at: Some(row.created_at),
        date_pinned: row.date_pinned,
        date_unpinned: row.date_unpinned.unwrap_or_else(zero_time),
        file_record_id: row
            .file_record_id
            .as_deref()
            .and_then(|id| id.parse().ok())
            .unwrap_or_default(),
        id: row.id.parse().expect("pin ids are UUIDs"),
        is_dir: row.is_dir,
        is_pin_by_hash: row.is_pin_by_hash,
        metadata: wire::PinMetadata {
            keyvalues: row.keyvalues.clone(),
            name: row.name.clone(),
            type_: row.mime_type.clone(),
        },
        pinned: row.pinned,
        root_hash: root_hash(&row.cid),
        size: (row.size > 0).then_some(row.size as i64),
        status: row.status.clone(),
        sub_hash_status: (row.status == "DONE" && !row.is_pin_by_hash).then(|| "DONE".to_owned()),
        updated_at: Some(row.updated_at),
        user_id: user_id.parse().expect("user ids are UUIDs"),
    }
}

/// Completes pending pins whose content the emulator has (see the module docs), and
/// PSA pins of content it does not hold at all under `--psa-retrievable`.
pub(crate) fn settle(tx: &mut Tx<'_>, now: DateTime<Utc>) {
    let pending: Vec<PinRow> = pending_pins(tx.data())
        .iter()
        .filter_map(|id| tx.data().w3ipfs.pins.get(id).cloned())
        .collect();
    for row in pending {
        let (size, is_dir) = match content::published(tx.data(), &row.cid) {
            Some(object) => (object.byte_len, object.is_directory()),
            None if psa::retrievable_unknown(tx.data(), &row.id, &row.cid) => (0, false),
            None => continue,
        };
        tx.update::<PinRow>(&row.id, |pin| {
            pin.status = "DONE".into();
            pin.pinned = true;
            pin.size = size;
            pin.is_dir = is_dir;
            pin.file_record_id = Some(crate::secrets::uuid());
            pin.date_pinned = now;
            pin.updated_at = now;
        });
        content::add_public_pin(tx, &row.cid);
    }
}

fn metadata_of(text: &str) -> Result<wire::PinMetadata, Response> {
    parse_json(
        text.as_bytes(),
        "metadata JSON object ({\"name\", \"keyvalues\"})",
    )
}

fn assemble_error(error: AssembleError) -> Response {
    match error {
        AssembleError::NoFiles => bad_request("Failed to get uploaded files"),
        AssembleError::Io(why) => internal(crate::EmulatorError::Store(why)),
        other => bad_request(other.to_string()),
    }
}

/// Reads `file` parts (and the `metadata` text part) of a multipart upload.
pub(crate) async fn read_upload(
    state: &AppState,
    multipart: Result<Multipart, MultipartRejection>,
    metadata_part: &str,
) -> Result<(Vec<(String, IngestedFile)>, Option<String>), Response> {
    let mut multipart = multipart.map_err(|rejection| {
        bad_request(format!(
            "the body must be multipart/form-data with a `file` part: {}",
            rejection.body_text()
        ))
    })?;
    let mut files = Vec::new();
    let mut metadata = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(bad_request(format!("malformed multipart body: {error}"))),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let path = field.file_name().unwrap_or("file").to_owned();
            let file = state
                .blobs
                .ingest(field.map_err(|e| e.to_string()))
                .await
                .map_err(|error| bad_request(error.to_string()))?;
            files.push((path, file));
        } else if name == metadata_part {
            let text = field.text().await.map_err(|error| {
                bad_request(format!("unreadable {metadata_part} part: {error}"))
            })?;
            metadata = Some(text);
        }
    }
    Ok((files, metadata))
}

/// Stores an upload and creates its pin (PENDING). Returns the row.
pub(crate) fn pin_upload(
    state: &AppState,
    files: Vec<(String, IngestedFile)>,
    metadata: wire::PinMetadata,
) -> Result<PinRow, Response> {
    if files.is_empty() {
        return Err(bad_request("Failed to get uploaded files"));
    }
    if files.iter().all(|(_, file)| file.len() == 0) {
        return Err(bad_request("Cannot pin empty file"));
    }
    let single = files.len() == 1 && !files[0].0.trim_matches('/').contains('/');
    let default_name = default_name(files.iter().map(|(path, _)| path));
    let mime = if single {
        default_name
            .as_deref()
            .and_then(content::mime_for)
            .map(str::to_owned)
    } else {
        None
    };
    let assembled =
        content::assemble(files, CidVersion::V1, false, &state.blobs).map_err(assemble_error)?;
    let now = state.clock.now();
    let row = PinRow {
        id: crate::secrets::uuid(),
        cid: assembled.root.cid.clone(),
        size: 0,
        file_record_id: None,
        date_pinned: now,
        date_unpinned: None,
        created_at: now,
        updated_at: now,
        pinned: false,
        is_pin_by_hash: false,
        is_dir: assembled.root.is_directory(),
        name: metadata.name.or(default_name),
        mime_type: metadata.type_.or(mime),
        keyvalues: metadata.keyvalues,
        status: "PENDING".into(),
    };
    state
        .write(|tx| {
            content::store(tx, &assembled);
            tx.put(row.clone());
        })
        .map_err(internal)?;
    Ok(row)
}

/// `POST /pinning/` (multipart) → 201.
pub(crate) async fn pin_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinFile") {
        return refused;
    }
    let (files, metadata) = match read_upload(&state, multipart, "metadata").await {
        Ok(upload) => upload,
        Err(refused) => return refused,
    };
    let metadata = match metadata.as_deref().map(metadata_of).transpose() {
        Ok(metadata) => metadata.unwrap_or_default(),
        Err(refused) => return refused,
    };
    match pin_upload(&state, files, metadata) {
        Ok(row) => answer(
            StatusCode::CREATED,
            &wire::PinResponse {
                data: wire_pin(&row, &state.meta().w3ipfs_user_id),
                status: "success".into(),
            },
        ),
        Err(refused) => refused,
    }
}

/// `POST /pinning/pinByHash` → 200 `RETRIEVAL`.
pub(crate) async fn pin_by_hash(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinByHash") {
        return refused;
    }
    let request: wire::PinByHashRequest = match parse_json(&body, "{\"hash_to_pin\"} object") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    if let Err(error) = pinion_cid::Cid::parse(&request.hash_to_pin) {
        let why = if request.hash_to_pin.len() < 8 {
            "cid too short".to_owned()
        } else {
            error.to_string()
        };
        return bad_request(format!("invalid cid: {why}"));
    }
    let metadata = request.metadata.unwrap_or_default();
    let now = state.clock.now();
    let result = state.write(|tx| {
        let duplicate = has_active_pin(tx.data(), &request.hash_to_pin);
        if duplicate {
            return None;
        }
        let row = PinRow {
            id: crate::secrets::uuid(),
            cid: request.hash_to_pin.clone(),
            size: 0,
            file_record_id: None,
            date_pinned: now,
            date_unpinned: None,
            created_at: now,
            updated_at: now,
            pinned: false,
            is_pin_by_hash: true,
            is_dir: false,
            name: metadata
                .name
                .clone()
                .or_else(|| Some(request.hash_to_pin.clone())),
            mime_type: metadata.type_.clone(),
            keyvalues: metadata.keyvalues.clone(),
            status: "RETRIEVAL".into(),
        };
        tx.put(row.clone());
        Some(row)
    });
    match result {
        Ok(Some(row)) => answer(
            StatusCode::OK,
            &wire::PinResponse {
                data: wire_pin(&row, &state.meta().w3ipfs_user_id),
                status: "success".into(),
            },
        ),
        Ok(None) => bad_request("Pin with that hash already exists"),
        Err(error) => internal(error),
    }
}

/// `GET /pinning/{pinId}`.
pub(crate) async fn get_pin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "getPin") {
        return refused;
    }
    let now = state.clock.now();
    if let Err(error) = state.write(|tx| settle(tx, now)) {
        return internal(error);
    }
    match state.read(|data| data.w3ipfs.pins.get(&id).cloned()) {
        Some(row) => answer(
            StatusCode::OK,
            &wire::PinResponse {
                data: wire_pin(&row, &state.meta().w3ipfs_user_id),
                status: "success".into(),
            },
        ),
        None => not_found(),
    }
}

/// Filters and sorts rows as the list routes do.
pub(crate) fn select<'a, T>(
    rows: impl Iterator<Item = &'a T>,
    query: &ListQuery,
    pinned: impl Fn(&T) -> bool,
    keyvalues: impl Fn(&T) -> Option<&Map<String, Value>>,
    sort_key: impl Fn(&T, &str) -> (i64, String),
) -> Vec<&'a T> {
    let mut rows: Vec<&T> = rows
        .filter(|row| query.pinned.is_none_or(|want| pinned(row) == want))
        .filter(|row| has_metadata(keyvalues(row), &query.metadata))
        .collect();
    rows.sort_by_key(|row| sort_key(row, &query.sort_by));
    if !query.ascending {
        rows.reverse();
    }
    rows
}

/// `GET /pinning/pins/`.
pub(crate) async fn list_pins(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listPins") {
        return refused;
    }
    let query = match parse_list_query(raw.as_deref()) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    if let Err(error) = state.write(|tx| settle(tx, now)) {
        return internal(error);
    }
    let user_id = state.meta().w3ipfs_user_id;
    let list = PinListQuery {
        pinned: query.pinned,
        metadata: &query.metadata,
        sort: match query.sort_by.as_str() {
            "size" => PinSort::Size,
            "name" => PinSort::Name,
            _ => PinSort::Created,
        },
        ascending: query.ascending,
        offset: query.offset,
        limit: query.limit,
    };
    let data = state.read(|data| {
        let page = list.page(&data.w3ipfs);
        wire::PinListResponseData {
            pins: Some(
                page.rows
                    .into_iter()
                    .map(|row| wire_pin(row, &user_id))
                    .collect(),
            ),
            totals: wire::Totals {
                files: page.files as i64,
                size: i64::try_from(page.size).unwrap_or(i64::MAX),
            },
        }
    });
    answer(
        StatusCode::OK,
        &wire::PinListResponse {
            data,
            status: "success".into(),
        },
    )
}

/// Unpins a pin row; `false` when it does not exist.
pub(crate) fn unpin_row(tx: &mut Tx<'_>, id: &str, now: DateTime<Utc>) -> bool {
    let Some(row) = tx.data().w3ipfs.pins.get(id).cloned() else {
        return false;
    };
    if row.pinned {
        content::remove_public_pin(tx, &row.cid);
    }
    tx.update::<PinRow>(id, |pin| {
        pin.pinned = false;
        pin.date_unpinned = Some(now);
        pin.updated_at = now;
    });
    true
}

/// `DELETE /pinning/unpin/{pinId}`.
pub(crate) async fn unpin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "unpin") {
        return refused;
    }
    let now = state.clock.now();
    match state.write(|tx| unpin_row(tx, &id, now)) {
        Ok(true) => answer(
            StatusCode::OK,
            &wire::UnpinResponse {
                data: Map::new(),
                status: "success".into(),
            },
        ),
        Ok(false) => not_found(),
        Err(error) => internal(error),
    }
}

/// `PUT /pinning/metadata/`: replaces the pin's name and key-values.
pub(crate) async fn update_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updatePinMetadata") {
        return refused;
    }
    let request: wire::UpdatePinMetadataRequest =
        match parse_json(&body, "{\"id\", \"metadata\"} object") {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    let now = state.clock.now();
    match state.write(|tx| {
        tx.update::<PinRow>(&request.id, |pin| {
            if let Some(name) = &request.metadata.name {
                pin.name = Some(name.clone());
            }
            pin.keyvalues = request.metadata.keyvalues.clone();
            if let Some(kind) = &request.metadata.type_ {
                pin.mime_type = Some(kind.clone());
            }
            pin.updated_at = now;
        })
    }) {
        Ok(Some(_)) => answer(
            StatusCode::OK,
            &wire::MessageResponse {
                message: Some("Pin metadata has been updated".into()),
                status: "success".into(),
            },
        ),
        Ok(None) => not_found(),
        Err(error) => internal(error),
    }
}
