//! Private content: upload (files, folders, JSON), list, get, list a folder, update
//! (rename, make public), replace metadata, delete.
//!
//! Choices: uploads default to CIDv0 (the SDK sends "0"); the item's `size` is the
//! content's length in bytes; `status` filter `pinned` means published to IPFS
//! (`pinToIPFS: true`); uploading a CID this account already holds answers the existing
//! item with `isDuplicate: true`; each file of a folder gets its own id in
//! `/content/{id}/list`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use pinion_api::submarine::types as wire;
use pinion_cid::CidVersion;
use serde_json::{Map, Value};

use super::authorize;
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
use crate::pinata::{KeyValueFilter, parse_keyvalue_filters, parse_time};
use crate::service::pinata_error;
use crate::state::AppState;
use crate::state::submarine::content_of_cid;
pub(crate) use crate::state::submarine::{ContentRow, FolderFile};

fn bad_request(details: impl AsRef<str>) -> Response {
    pinata_error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", details.as_ref())
}

fn not_found(id: &str) -> Response {
    pinata_error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &format!("there is no content with id {id} in this account"),
    )
}

fn internal(error: crate::EmulatorError) -> Response {
    pinata_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        &error.to_string(),
    )
}

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

fn flag(name: &str, value: &str) -> Result<bool, Response> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(bad_request(format!(
            "{name} must be \"true\" or \"false\", not {other:?}"
        ))),
    }
}

fn version(value: &str) -> Result<CidVersion, Response> {
    match value.trim() {
        "0" => Ok(CidVersion::V0),
        "1" => Ok(CidVersion::V1),
        other => Err(bad_request(format!(
            "cidVersion must be 0 or 1, not {other:?}"
        ))),
    }
}

struct Upload {
    files: Vec<(String, IngestedFile)>,
    name: Option<String>,
    metadata: Map<String, Value>,
    version: CidVersion,
    wrap: bool,
    public: bool,
}

/// Stores an upload as a new content item (or finds it already held).
fn store_item(state: &AppState, upload: Upload) -> Result<(ContentRow, bool), Response> {
    let single = upload.files.len() == 1 && !upload.files[0].0.trim_matches('/').contains('/');
    let originalname = upload
        .files
        .first()
        .map(|(path, _)| {
            let path = path.trim_matches('/');
            if single {
                path.to_owned()
            } else {
                path.split('/').next().unwrap_or(path).to_owned()
            }
        })
        .unwrap_or_default();
    let mime = (single && !upload.wrap)
        .then(|| content::mime_for(&originalname).map(str::to_owned))
        .flatten();
    let assembled = content::assemble(upload.files, upload.version, upload.wrap, &state.blobs)
        .map_err(|error| match error {
            AssembleError::NoFiles => {
                bad_request("no file was sent: add one or more `files` parts")
            }
            AssembleError::Io(why) => internal(crate::EmulatorError::Store(why)),
            other => bad_request(other.to_string()),
        })?;
    let files = match &assembled.root.kind {
        content::ObjectKind::Directory { files, .. } => files
            .iter()
            .map(|(path, entry)| FolderFile {
                id: crate::secrets::uuid(),
                path: path.clone(),
                cid: entry.cid.clone(),
                size: entry.size,
            })
            .collect(),
        content::ObjectKind::File { .. } => Vec::new(),
    };
    let now = state.clock.now();
    state
        .write(|tx| {
            content::store(tx, &assembled);
            if let Some(existing) = content_of_cid(tx.data(), &assembled.root.cid) {
                return (existing.clone(), true);
            }
            let row = ContentRow {
                id: crate::secrets::uuid(),
                cid: assembled.root.cid.clone(),
                name: upload.name.clone().unwrap_or_else(|| originalname.clone()),
                originalname: originalname.clone(),
                size: assembled.root.byte_len,
                mime_type: mime.clone(),
                metadata: upload.metadata.clone(),
                pin_to_ipfs: upload.public,
                created_at: now,
                files,
            };
            if upload.public {
                content::add_public_pin(tx, &row.cid);
            }
            tx.put(row.clone());
            (row, false)
        })
        .map_err(internal)
}

/// `POST /content` (multipart).
pub(crate) async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(rejection) => {
            return bad_request(format!(
                "the body must be multipart/form-data with `files` parts: {}",
                rejection.body_text()
            ));
        }
    };
    let mut upload = Upload {
        files: Vec::new(),
        name: None,
        metadata: Map::new(),
        version: CidVersion::V0,
        wrap: false,
        public: false,
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return bad_request(format!("malformed multipart body: {error}")),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" || name == "file" {
            let path = field.file_name().unwrap_or("file").to_owned();
            match state.blobs.ingest(field.map_err(|e| e.to_string())).await {
                Ok(file) => upload.files.push((path, file)),
                Err(error) => return bad_request(error.to_string()),
            }
            continue;
        }
        let text = match field.text().await {
            Ok(text) => text,
            Err(error) => return bad_request(format!("unreadable {name} part: {error}")),
        };
        let parsed = match name.as_str() {
            "name" => {
                upload.name = Some(text).filter(|n| !n.trim().is_empty());
                Ok(())
            }
            "metadata" => serde_json::from_str(&text)
                .map_err(|error| bad_request(format!("metadata must be a JSON string: {error}")))
                .and_then(metadata_of)
                .map(|m| upload.metadata = m),
            "cidVersion" => version(&text).map(|v| upload.version = v),
            "wrapWithDirectory" => flag("wrapWithDirectory", &text).map(|w| upload.wrap = w),
            "pinToIPFS" => flag("pinToIPFS", &text).map(|p| upload.public = p),
            _ => Ok(()),
        };
        if let Err(refused) = parsed {
            return refused;
        }
    }
    match store_item(&state, upload) {
        Ok((row, duplicate)) => Json(wire::ContentListEnvelope {
            items: vec![item(&row, duplicate)],
            status: 200,
            total_items: 1,
        })
        .into_response(),
        Err(refused) => refused,
    }
}

/// `POST /content/json`.
pub(crate) async fn upload_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let request: wire::ContentJsonRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return bad_request(format!(
                "the body must be {{\"content\", \"name\"?, \"metadata\"?, ...}}: {error}"
            ));
        }
    };
    let bytes = match &request.content {
        wire::ContentJsonRequestContent::Object(object) => {
            serde_json::to_vec(object).expect("JSON serializes")
        }
        wire::ContentJsonRequestContent::String(text) => text.clone().into_bytes(),
    };
    let metadata = match request.metadata {
        None => Map::new(),
        Some(wire::ContentJsonRequestMetadata::Object(object)) => {
            match metadata_of(Value::Object(object)) {
                Ok(m) => m,
                Err(refused) => return refused,
            }
        }
        Some(wire::ContentJsonRequestMetadata::String(text)) => {
            match serde_json::from_str(&text)
                .map_err(|e| bad_request(format!("metadata must be JSON: {e}")))
                .and_then(metadata_of)
            {
                Ok(m) => m,
                Err(refused) => return refused,
            }
        }
    };
    let cid_version = match &request.cid_version {
        None => Ok(CidVersion::V0),
        Some(wire::ContentJsonRequestCidVersion::Int64(n)) => version(&n.to_string()),
        Some(wire::ContentJsonRequestCidVersion::String(s)) => version(s),
    };
    let cid_version = match cid_version {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let file = match state.blobs.ingest_bytes(Bytes::from(bytes)).await {
        Ok(file) => file,
        Err(error) => return internal(crate::EmulatorError::Store(error.to_string())),
    };
    let file_name = request
        .name
        .clone()
        .unwrap_or_else(|| "content.json".into());
    let upload = Upload {
        files: vec![(file_name, file)],
        name: request.name,
        metadata,
        version: cid_version,
        wrap: request.wrap_with_directory.unwrap_or(false),
        public: request.pin_to_ipfs.unwrap_or(false),
    };
    match store_item(&state, upload) {
        Ok((mut row, duplicate)) => {
            row.mime_type = Some("application/json".into());
            Json(wire::ContentItemEnvelope {
                item: item(&row, duplicate),
                status: 200,
                status_text: None,
                total_items: None,
            })
            .into_response()
        }
        Err(refused) => refused,
    }
}

struct Filters {
    cid_contains: Option<String>,
    name: Option<String>,
    originalname: Option<String>,
    created_start: Option<DateTime<Utc>>,
    created_end: Option<DateTime<Utc>>,
    size_min: Option<u64>,
    size_max: Option<u64>,
    published: Option<bool>,
    limit: usize,
    offset: usize,
    ascending: bool,
    keyvalues: Vec<KeyValueFilter>,
}

fn parse_filters(raw: Option<&str>) -> Result<Filters, Response> {
    let mut filters = Filters {
        cid_contains: None,
        name: None,
        originalname: None,
        created_start: None,
        created_end: None,
        size_min: None,
        size_max: None,
        published: None,
        limit: 10,
        offset: 0,
        ascending: false,
        keyvalues: Vec::new(),
    };
    let mut kv_json = Vec::new();
    let mut kv_single = Vec::new();
    let time = |name: &str, v: &str| {
        parse_time(v).ok_or_else(|| {
            bad_request(format!(
                "{name} must be a date such as 2024-01-31T00:00:00Z, not {v:?}"
            ))
        })
    };
    let number = |name: &str, v: &str| {
        v.parse::<u64>()
            .map_err(|_| bad_request(format!("{name} must be a non-negative integer, not {v:?}")))
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "cidContains" => filters.cid_contains = Some(value),
            "name" | "metadata[name]" => filters.name = Some(value.to_lowercase()),
            "originalname" => filters.originalname = Some(value),
            "createdAtStart" => filters.created_start = Some(time("createdAtStart", &value)?),
            "createdAtEnd" => filters.created_end = Some(time("createdAtEnd", &value)?),
            "pinSizeMin" => filters.size_min = Some(number("pinSizeMin", &value)?),
            "pinSizeMax" => filters.size_max = Some(number("pinSizeMax", &value)?),
            "status" => {
                filters.published = match value.as_str() {
                    "all" => None,
                    "pinned" => Some(true),
                    "unpinned" => Some(false),
                    other => {
                        return Err(bad_request(format!(
                            "status must be all, pinned or unpinned, not {other:?}"
                        )));
                    }
                }
            }
            "limit" => {
                let limit = number("limit", &value)?;
                if !(1..=1000).contains(&limit) {
                    return Err(bad_request(format!(
                        "limit must be between 1 and 1000, not {limit}"
                    )));
                }
                filters.limit = limit as usize;
            }
            "offset" => filters.offset = number("offset", &value)? as usize,
            "order" => filters.ascending = value.eq_ignore_ascii_case("ASC"),
            "metadata[keyvalues]" => kv_json.push(value),
            other => {
                if let Some(key) = other
                    .strip_prefix("metadata[keyvalues][")
                    .and_then(|r| r.strip_suffix(']'))
                {
                    kv_single.push((key.to_owned(), value));
                }
            }
        }
    }
    filters.keyvalues = parse_keyvalue_filters(&kv_json, &kv_single).map_err(bad_request)?;
    Ok(filters)
}

fn keyvalues(row: &ContentRow) -> Map<String, Value> {
    row.metadata
        .get("keyvalues")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// `GET /content`.
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let f = match parse_filters(raw.as_deref()) {
        Ok(f) => f,
        Err(refused) => return refused,
    };
    let answer = state.read(|data| {
        // Walk the creation-order index of the publication state asked for; without
        // other filters its size is the total and only the page is read.
        let index = &data.submarine.content_index;
        let source = match f.published {
            Some(published) => index.with_published(published),
            None => index.all(),
        };
        let ordered: Box<dyn Iterator<Item = _>> = if f.ascending {
            Box::new(source.iter())
        } else {
            Box::new(source.iter().rev())
        };
        let candidates = ordered
            .filter_map(|(_, id)| data.submarine.content.get(&**id))
            .filter(|r| {
                f.cid_contains
                    .as_ref()
                    .is_none_or(|c| r.cid.contains(c.as_str()))
            })
            .filter(|r| {
                f.name
                    .as_ref()
                    .is_none_or(|n| r.name.to_lowercase().contains(n.as_str()))
            })
            .filter(|r| f.originalname.as_ref().is_none_or(|n| r.originalname == *n))
            .filter(|r| f.created_start.is_none_or(|t| r.created_at >= t))
            .filter(|r| f.created_end.is_none_or(|t| r.created_at <= t))
            .filter(|r| f.size_min.is_none_or(|m| r.size >= m))
            .filter(|r| f.size_max.is_none_or(|m| r.size <= m))
            .filter(|r| {
                let kv = keyvalues(r);
                f.keyvalues.iter().all(|filter| filter.matches(&kv))
            });
        let unfiltered = f.cid_contains.is_none()
            && f.name.is_none()
            && f.originalname.is_none()
            && f.created_start.is_none()
            && f.created_end.is_none()
            && f.size_min.is_none()
            && f.size_max.is_none()
            && f.keyvalues.is_empty();
        let (total, rows): (usize, Vec<&ContentRow>) = if unfiltered {
            (
                source.len(),
                candidates.skip(f.offset).take(f.limit).collect(),
            )
        } else {
            let matching: Vec<&ContentRow> = candidates.collect();
            (
                matching.len(),
                matching.into_iter().skip(f.offset).take(f.limit).collect(),
            )
        };
        wire::ContentListEnvelope {
            total_items: total as i64,
            items: rows.into_iter().map(|r| item(r, false)).collect(),
            status: 200,
        }
    });
    Json(answer).into_response()
}

/// `GET /content/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    match state.read(|data| data.submarine.content.get(&id).cloned()) {
        Some(row) => envelope(&row),
        None => not_found(&id),
    }
}

/// `GET /content/{id}/list`: the files of a folder item.
pub(crate) async fn list_folder(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let mut include_paths = true;
    let mut limit = 10usize;
    let mut offset = 0usize;
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "includePaths" => match flag("includePaths", &value) {
                Ok(v) => include_paths = v,
                Err(refused) => return refused,
            },
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => {
                    return bad_request(format!("limit must be between 1 and 1000, not {value:?}"));
                }
            },
            "offset" => match value.parse::<usize>() {
                Ok(n) => offset = n,
                Err(_) => {
                    return bad_request(format!(
                        "offset must be a non-negative integer, not {value:?}"
                    ));
                }
            },
            _ => {}
        }
    }
    let Some(row) = state.read(|data| data.submarine.content.get(&id).cloned()) else {
        return not_found(&id);
    };
    let items: Vec<wire::ContentItem> = row
        .files
        .iter()
        .skip(offset)
        .take(limit)
        .map(|file| {
            let base = file
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&file.path)
                .to_owned();
            wire::ContentItem {
                cid: file.cid.clone(),
                created_at: row.created_at,
                id: file.id.parse().expect("file ids are UUIDs"),
                is_duplicate: None,
                metadata: Map::new(),
                mime_type: content::mime_for(&file.path).map(str::to_owned),
                name: base.clone(),
                originalname: if include_paths {
                    file.path.clone()
                } else {
                    base
                },
                pin_to_ipfs: row.pin_to_ipfs,
                size: file.size as i64,
            }
        })
        .collect();
    Json(wire::ContentListEnvelope {
        total_items: row.files.len() as i64,
        items,
        status: 200,
    })
    .into_response()
}

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

/// `PUT /content/{id}/metadata`: replaces name and key-values (not a merge).
pub(crate) async fn update_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers) {
        return refused;
    }
    let request: wire::ContentMetadataRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return bad_request(format!(
                "the body must be {{\"name\"?, \"keyvalues\"?}}: {error}"
            ));
        }
    };
    let metadata = match metadata_of(serde_json::json!({ "keyvalues": request.keyvalues })) {
        Ok(m) => m,
        Err(refused) => return refused,
    };
    match state.write(|tx| {
        tx.update::<ContentRow>(&id, |row| {
            if let Some(name) = &request.name {
                row.name = name.clone();
            }
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
