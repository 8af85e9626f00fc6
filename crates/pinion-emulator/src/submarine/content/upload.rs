//! `POST /content` (multipart) and `POST /content/json`: new content items, or the
//! item already holding the same CID.

use axum::Json;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use pinion_api::submarine::types as wire;
use pinion_cid::CidVersion;
use pinion_rules::upload::SUBMARINE_JSON_NAME;
use serde_json::{Map, Value};

use super::{ContentRow, FolderFile, bad_request, flag, internal, item, metadata_of};
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
use crate::state::AppState;
use crate::state::submarine::content_of_cid;
use crate::submarine::authorize;

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
            content::store_private(tx, &assembled);
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
                content::publish(tx, &row.cid);
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
        .unwrap_or_else(|| SUBMARINE_JSON_NAME.into());
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
