//! A multipart upload to a signed URL: one `file` part, or several with relative paths
//! under one folder (the synthetic type `directory`, public network only). The form's
//! `name`, `group_id`, `keyvalues` and `network` are ignored in favour of what the URL
//! was signed for (the form's `network` counts only when the URL names none);
//! `cid_version` is honoured, as the grant has none. The size limit is enforced while
//! the bytes stream in, the MIME types once the first bytes are seen.

use axum::extract::{FromRequest, Multipart, Request};
use axum::response::Response;
use bytes::Bytes;
use futures::StreamExt;
use pinion_api::pinata_v3_uploads::types::UploadResponse;

use super::mime::{DIRECTORY, HEAD_LEN, check_mime, detect_mime};
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
use crate::pinata_v3::files::{NewFile, record_file, rules};
use crate::pinata_v3::{Network, V3Reason, error::internal, ok_json};
use crate::state::AppState;
use crate::state::tus::UploadGrant;

/// One received `file` part.
struct Part {
    path: String,
    content_type: Option<String>,
    head: Vec<u8>,
    file: IngestedFile,
}

/// Uploads the multipart `request` through `grant`.
pub(crate) async fn upload(state: AppState, grant: UploadGrant, request: Request) -> Response {
    match try_upload(&state, &grant, request).await {
        Ok(response) | Err(response) => response,
    }
}

async fn try_upload(
    state: &AppState,
    grant: &UploadGrant,
    request: Request,
) -> Result<Response, Response> {
    let bad = |message: String| V3Reason::InvalidRequest.error(message);
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|rejection| {
            bad(format!(
                "the body must be multipart/form-data with `file` parts: {}",
                rejection.body_text()
            ))
        })?;
    let mut parts: Vec<Part> = Vec::new();
    let mut form_network = None;
    let mut form_cid_version = None;
    let mut total = 0u64;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(bad(format!("malformed multipart body: {error}"))),
        };
        match field.name().unwrap_or_default() {
            "file" => {
                let path = field.file_name().unwrap_or("file").to_owned();
                let content_type = field.content_type().map(str::to_owned);
                let mut head = Vec::with_capacity(HEAD_LEN);
                let mut over = false;
                let counted = field.map(|piece| {
                    let piece: Bytes = piece.map_err(|error| error.to_string())?;
                    total += piece.len() as u64;
                    if grant.max_file_size.is_some_and(|max| total > max) {
                        over = true;
                        return Err("over max_file_size".to_owned());
                    }
                    let wanted = HEAD_LEN.saturating_sub(head.len()).min(piece.len());
                    head.extend_from_slice(&piece[..wanted]);
                    Ok(piece)
                });
                let ingested = state.blobs.ingest(counted).await;
                if over {
                    return Err(V3Reason::PayloadTooLarge.error(format!(
                        "the upload is over the signed URL's max_file_size, {} bytes",
                        grant.max_file_size.unwrap_or_default()
                    )));
                }
                let file = ingested.map_err(|error| bad(error.to_string()))?;
                parts.push(Part {
                    path,
                    content_type,
                    head,
                    file,
                });
            }
            "network" => form_network = Some(text(field).await?),
            "cid_version" => form_cid_version = Some(text(field).await?),
            // name, group_id, keyvalues…: the grant's values win.
            _ => {}
        }
    }
    if parts.is_empty() {
        return Err(bad(
            "no file was provided: send the content in a multipart part named `file`".into(),
        ));
    }

    let directory = parts.len() > 1 || parts[0].path.trim_matches('/').contains('/');
    let detected = if directory {
        DIRECTORY.to_owned()
    } else {
        let part = &parts[0];
        let declared = rules::declared_mime(part.content_type.as_deref(), Some(&part.path))
            .unwrap_or_default();
        detect_mime(&part.head, &declared)
    };
    check_mime(grant, &detected)?;

    let network = match (&grant.network, form_network.as_deref()) {
        (Some(signed), _) => signed.parse().unwrap_or(Network::Private),
        (None, form) => rules::network(form)
            .map_err(bad)?
            .unwrap_or(Network::Private),
    };
    if directory && network == Network::Private {
        return Err(bad(
            "folders can be uploaded to the public network only (reference §3.2)".into(),
        ));
    }
    let version = rules::cid_version(form_cid_version.as_deref()).map_err(bad)?;
    let own_name = if directory {
        parts[0]
            .path
            .trim_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned()
    } else {
        parts[0].path.clone()
    };
    let files = parts
        .into_iter()
        .map(|part| (part.path, part.file))
        .collect();
    let assembled = match content::assemble(files, version, false, &state.blobs) {
        Ok(assembled) => assembled,
        Err(AssembleError::Io(why)) => return Err(internal(crate::EmulatorError::Store(why))),
        Err(other) => return Err(bad(other.to_string())),
    };
    let new = NewFile {
        id: None,
        network,
        name: Some(grant.filename.clone().unwrap_or(own_name)),
        group_id: grant.group_id.clone(),
        keyvalues: rules::recorded_keyvalues(&grant.keyvalues),
        mime_type: (!directory).then_some(detected),
        expires_at: None,
    };
    let data = record_file(state, assembled, new)?;
    Ok(ok_json(&UploadResponse { data }))
}

async fn text(field: axum::extract::multipart::Field<'_>) -> Result<String, Response> {
    field
        .text()
        .await
        .map_err(|error| V3Reason::InvalidRequest.error(format!("unreadable form field: {error}")))
}
