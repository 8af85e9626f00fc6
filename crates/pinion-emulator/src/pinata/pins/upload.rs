//! `pinFileToIPFS`, and recording an assembled upload as a pin (shared with
//! `pinJSONToIPFS`).

use std::collections::BTreeMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use futures::TryStreamExt;
use pinion_api::pinata::types as wire;
use pinion_cid::CidVersion;
use pinion_rules::upload::default_name;
use serde_json::{Map, Value};

use super::super::Reason;
use super::super::authorize;
use super::super::common::{internal, ok_json, parse_json};
use super::metadata::keyvalues_of;
use super::{PinRow, active_pin};
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
use crate::state::AppState;

/// What a new pin gets from an upload's metadata and options.
pub(super) struct PinRequest {
    pub(super) name: Option<String>,
    pub(super) keyvalues: Map<String, Value>,
    pub(super) version: CidVersion,
    pub(super) wrap: bool,
    pub(super) group_id: Option<String>,
    pub(super) policy: Option<wire::PinPolicy>,
}

pub(super) fn pin_request(
    metadata: Option<wire::PinataMetadata>,
    options: Option<wire::PinataOptions>,
) -> Result<PinRequest, Response> {
    let metadata = metadata.unwrap_or(wire::PinataMetadata {
        keyvalues: BTreeMap::new(),
        name: None,
    });
    let options = options.unwrap_or(wire::PinataOptions {
        cid_version: None,
        custom_pin_policy: None,
        group_id: None,
        wrap_with_directory: None,
    });
    let version = match options.cid_version {
        None | Some(0) => CidVersion::V0,
        Some(1) => CidVersion::V1,
        Some(other) => {
            return Err(Reason::InvalidOptions.error(format!(
                "pinataOptions.cidVersion must be 0 or 1, not {other}"
            )));
        }
    };
    Ok(PinRequest {
        name: metadata.name,
        keyvalues: keyvalues_of(&metadata.keyvalues)?,
        version,
        wrap: options.wrap_with_directory.unwrap_or(false),
        group_id: options.group_id,
        policy: options.custom_pin_policy,
    })
}

/// Records an assembled upload as a pin (or finds it already pinned).
pub(super) fn record_pin(
    state: &AppState,
    assembled: content::Assembled,
    request: PinRequest,
    default_name: Option<String>,
    mime_type: Option<String>,
) -> Result<wire::PinResponse, Response> {
    if let Some(group) = &request.group_id {
        let known = state.read(|data| data.pinata.groups.contains_key(group));
        if !known {
            // 400, not 404: the spec documents no 404 for uploads.
            return Err(Reason::InvalidGroup.error(format!(
                "pinataOptions.groupId: there is no group with id {group}"
            )));
        }
    }
    let now = state.clock.now();
    state
        .write(|tx| {
            content::store(tx, &assembled);
            let root = &assembled.root;
            if let Some(existing) = active_pin(tx.data(), &root.cid).cloned() {
                return pin_response(&existing, Some(true));
            }
            let row = PinRow {
                id: crate::secrets::uuid_v7(now),
                cid: root.cid.clone(),
                size: root.pin_size,
                date_pinned: now,
                date_unpinned: None,
                name: request.name.clone().or(default_name),
                keyvalues: request.keyvalues.clone(),
                mime_type,
                number_of_files: root.file_count(),
                group_id: request.group_id.clone(),
                pin_policy: request.policy.clone(),
                expires_at: None,
                vectorized: false,
            };
            let answer = pin_response(&row, None);
            tx.put(row);
            content::add_public_pin(tx, &root.cid);
            answer
        })
        .map_err(internal)
}

/// The upload answer for a pin: the legacy fields, plus the PascalCase ones the v3 SDK's
/// folder upload reads (`ID`, `Name`, `NumberOfFiles`, `MimeType`, `GroupId`, `Keyvalues`).
fn pin_response(row: &PinRow, is_duplicate: Option<bool>) -> wire::PinResponse {
    wire::PinResponse {
        ipfs_hash: row.cid.clone(),
        is_duplicate,
        pin_size: row.size as i64,
        timestamp: row.date_pinned,
        id: Some(row.id.clone()),
        name: row.name.clone(),
        number_of_files: Some(row.number_of_files as i64),
        mime_type: row.mime_type.clone(),
        group_id: row.group_id.clone(),
        keyvalues: Some(row.keyvalues.clone()),
    }
}

pub(super) fn assemble_error(error: AssembleError) -> Response {
    match error {
        AssembleError::NoFiles => Reason::NoFiles.error(
            "no file was provided: send the content in one or more multipart parts named `file`",
        ),
        AssembleError::Io(why) => internal(crate::EmulatorError::Store(why)),
        other => Reason::InvalidRequest.error(other.to_string()),
    }
}

/// `POST /pinning/pinFileToIPFS` (multipart).
pub(crate) async fn pin_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinFileToIPFS") {
        return refused;
    }
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(rejection) => {
            return Reason::InvalidRequest.error(format!(
                "the body must be multipart/form-data with `file` parts: {}",
                rejection.body_text()
            ));
        }
    };
    let mut files: Vec<(String, IngestedFile)> = Vec::new();
    let mut metadata: Option<wire::PinataMetadata> = None;
    let mut options: Option<wire::PinataOptions> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                return Reason::InvalidRequest.error(format!("malformed multipart body: {error}"));
            }
        };
        match field.name().unwrap_or_default() {
            "file" => {
                let path = field.file_name().unwrap_or("file").to_owned();
                match state.blobs.ingest(field.map_err(|e| e.to_string())).await {
                    Ok(file) => files.push((path, file)),
                    Err(error) => return Reason::InvalidRequest.error(error.to_string()),
                }
            }
            "pinataMetadata" => {
                let text = match field.text().await {
                    Ok(text) => text,
                    Err(error) => return Reason::InvalidRequest.error(error.to_string()),
                };
                match parse_json(text.as_bytes(), "pinataMetadata JSON object") {
                    Ok(parsed) => metadata = Some(parsed),
                    Err(refused) => return refused,
                }
            }
            "pinataOptions" => {
                let text = match field.text().await {
                    Ok(text) => text,
                    Err(error) => return Reason::InvalidRequest.error(error.to_string()),
                };
                match parse_json(text.as_bytes(), "pinataOptions JSON object") {
                    Ok(parsed) => options = Some(parsed),
                    Err(refused) => return refused,
                }
            }
            // Unknown parts are ignored, as the service does.
            _ => {}
        }
    }
    let request = match pin_request(metadata, options) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let single = files.len() == 1 && !files[0].0.trim_matches('/').contains('/');
    let default_name = default_name(files.iter().map(|(path, _)| path));
    let mime = if single && !request.wrap {
        default_name
            .as_deref()
            .and_then(content::mime_for)
            .map(str::to_owned)
    } else {
        None
    };
    let version = request.version;
    let wrap = request.wrap;
    let assembled = match content::assemble(files, version, wrap, &state.blobs) {
        Ok(assembled) => assembled,
        Err(error) => return assemble_error(error),
    };
    match record_pin(&state, assembled, request, default_name, mime) {
        Ok(answer) => ok_json(&answer),
        Err(refused) => refused,
    }
}
