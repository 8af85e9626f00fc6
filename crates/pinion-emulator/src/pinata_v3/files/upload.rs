//! `POST /files` on the uploads host, multipart (reference §3.1): one `file` part plus
//! `network`, `name`, `group_id` (or the docs' `group`), `keyvalues` (a JSON string of
//! the bare map, or of `{"keyvalues":{…}}`), `cid_version` (`v0`/`v1`, default v1:
//! raw leaves, as `pinion cid --cid-version 1`), `expires_at` (Unix seconds in the
//! future), `car` and `streamable`.

use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Request};
use axum::response::Response;
use futures::TryStreamExt;
use pinion_api::pinata_v3_uploads::types::UploadResponse;
use pinion_cid::CidVersion;
use serde_json::Map;

use super::{NewFile, record_file, rules};
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
use crate::pinata_v3::{Network, V3Reason, error::internal, ok_json};
use crate::state::AppState;

/// The file part, as received.
struct FilePart {
    name: String,
    content_type: Option<String>,
    file: IngestedFile,
}

/// The form's other fields, as received.
#[derive(Default)]
struct Fields {
    network: Option<String>,
    name: Option<String>,
    group_id: Option<String>,
    keyvalues: Option<String>,
    cid_version: Option<String>,
    expires_at: Option<String>,
    car: Option<String>,
}

/// `POST /files` with a multipart body.
pub(crate) async fn upload(state: AppState, request: Request) -> Response {
    let mut multipart = match Multipart::from_request(request, &state).await {
        Ok(multipart) => multipart,
        Err(rejection) => {
            return V3Reason::InvalidRequest.error(format!(
                "the body must be multipart/form-data with one `file` part: {}",
                rejection.body_text()
            ));
        }
    };
    let mut files: Vec<FilePart> = Vec::new();
    let mut fields = Fields::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                return V3Reason::InvalidRequest
                    .error(format!("malformed multipart body: {error}"));
            }
        };
        let slot = match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("file").to_owned();
                let content_type = field.content_type().map(str::to_owned);
                match state.blobs.ingest(field.map_err(|e| e.to_string())).await {
                    Ok(file) => files.push(FilePart {
                        name,
                        content_type,
                        file,
                    }),
                    Err(error) => return V3Reason::InvalidRequest.error(error.to_string()),
                }
                continue;
            }
            "network" => &mut fields.network,
            "name" => &mut fields.name,
            "group_id" | "group" => &mut fields.group_id,
            "keyvalues" => &mut fields.keyvalues,
            "cid_version" => &mut fields.cid_version,
            "expires_at" => &mut fields.expires_at,
            "car" => &mut fields.car,
            // `streamable` and unknown fields are accepted and ignored.
            _ => continue,
        };
        match text(field).await {
            Ok(value) => *slot = Some(value),
            Err(refused) => return refused,
        }
    }
    let file = match files.len() {
        0 => {
            return V3Reason::InvalidRequest
                .error("no file was provided: send the content in a multipart part named `file`");
        }
        1 => files.remove(0),
        n => {
            return V3Reason::InvalidRequest.error(format!(
                "the v3 upload takes exactly one `file` part, not {n}: upload a folder with \
                 the legacy pinFileToIPFS or a signed upload URL"
            ));
        }
    };
    let now = state.clock.unix_seconds();
    let (new, version) = match new_file(fields, &file, now) {
        Ok(parsed) => parsed,
        Err(refused) => return refused,
    };
    let assembled = match content::assemble(
        vec![(file.name.clone(), file.file)],
        version,
        false,
        &state.blobs,
    ) {
        Ok(assembled) => assembled,
        Err(AssembleError::Io(why)) => return internal(crate::EmulatorError::Store(why)),
        Err(other) => return V3Reason::InvalidRequest.error(other.to_string()),
    };
    match record_file(&state, assembled, new) {
        Ok(data) => ok_json(&UploadResponse { data }),
        Err(refused) => refused,
    }
}

async fn text(field: Field<'_>) -> Result<String, Response> {
    field
        .text()
        .await
        .map_err(|error| V3Reason::InvalidRequest.error(format!("unreadable form field: {error}")))
}

/// The new file the form asks for, and the CID version to add it with.
fn new_file(fields: Fields, file: &FilePart, now: i64) -> Result<(NewFile, CidVersion), Response> {
    let bad = |message: String| V3Reason::InvalidRequest.error(message);
    if fields.car.as_deref().is_some_and(|car| car == "true") {
        return Err(bad(rules::CAR_REFUSED.into()));
    }
    // The spec marks `network` required yet says it defaults to private; the emulator
    // defaults to private (UNCERTAIN, reference §3.1).
    let network = rules::network(fields.network.as_deref())
        .map_err(bad)?
        .unwrap_or(Network::Private);
    let version = rules::cid_version(fields.cid_version.as_deref()).map_err(bad)?;
    let expires_at = match fields.expires_at.as_deref() {
        None | Some("") => None,
        Some(text) => Some(rules::parse_expiry(text, now).map_err(bad)?),
    };
    let keyvalues = match fields.keyvalues.as_deref() {
        None | Some("") => Map::new(),
        Some(text) => rules::keyvalues(text).map_err(bad)?,
    };
    let mime_type = rules::recorded_mime(file.content_type.as_deref(), Some(&file.name));
    let name = fields
        .name
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| file.name.clone());
    let new = NewFile {
        id: None,
        network,
        name: Some(name),
        group_id: fields.group_id.filter(|group| !group.is_empty()),
        keyvalues,
        mime_type: Some(mime_type),
        expires_at,
    };
    Ok((new, version))
}
