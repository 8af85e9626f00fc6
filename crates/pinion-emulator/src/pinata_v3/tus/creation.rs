//! TUS creation: `POST /files` with `Upload-Length` and no multipart body (or the same
//! against a signed upload URL) makes a new upload and answers 201 with its absolute
//! `Location`, `{base}/files/{fileId}/{uploadToken}`: the file id (the record's id
//! once complete, as the SDK's `getFileIdFromUrl` and the CLI read it) and a capability
//! token that must accompany every `HEAD` and `PATCH`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pinion_rules::upload::DEFAULT_MIME;
use pinion_scopes::pinata_v3::V3Host;

use super::completion::{self, Finished};
use super::{MAX_SIZE, PartFiles, location, metadata, tus_headers};
use crate::pinata_v3::files::rules;
use crate::pinata_v3::{V3Caller, V3Reason, error::internal};
use crate::state::AppState;
use crate::state::tus::{TusUpload, UploadAuthority, UploadGrant, UploadMetadata};
use crate::wire::{PINATA_UPLOADS_PREFIX, PINATA_V3_PREFIX};

/// What authorizes a new upload.
pub(crate) enum Creator<'a> {
    /// A key's JWT (checked by the v3 guard).
    Key(&'a V3Caller),
    /// A signed upload URL (checked by the presigned route): its grant decides the
    /// name, group, key-values and network, its limits apply.
    Grant(&'a UploadGrant),
}

/// Creates a TUS upload from a creation request's `headers` and `query` (a creation
/// has no body).
pub(crate) async fn create(
    state: &AppState,
    host: V3Host,
    headers: &HeaderMap,
    query: Option<&str>,
    creator: Creator<'_>,
) -> Response {
    let (Ok(mut response) | Err(mut response)) =
        try_create(state, host, headers, query, creator).await;
    tus_headers(response.headers_mut());
    response
}

async fn try_create(
    state: &AppState,
    host: V3Host,
    headers: &HeaderMap,
    query: Option<&str>,
    creator: Creator<'_>,
) -> Result<Response, Response> {
    let bad = |message: String| V3Reason::InvalidRequest.error(message);
    if headers.contains_key("upload-defer-length") {
        return Err(bad(
            "Upload-Defer-Length is not supported (Tus-Extension: creation): send Upload-Length"
                .into(),
        ));
    }
    let length = header_text(headers, "upload-length")
        .and_then(|text| text.trim().parse::<u64>().ok())
        .ok_or_else(|| bad("Upload-Length must be a non-negative integer".into()))?;
    if length > MAX_SIZE {
        return Err(V3Reason::PayloadTooLarge.error(format!(
            "Upload-Length {length} is over the largest upload, {MAX_SIZE} bytes (Tus-Max-Size)"
        )));
    }
    let query_version = query_param(query, "X-Upload-Option-Cid-Version");
    let mut metadata = metadata::parse(
        header_text(headers, "upload-metadata"),
        query_version.as_deref(),
    )
    .map_err(|error| bad(error.to_string()))?;
    let authority = match creator {
        Creator::Key(caller) => UploadAuthority::Key {
            key: caller.key.clone(),
        },
        Creator::Grant(grant) => {
            apply_grant(&mut metadata, grant, length)?;
            UploadAuthority::Grant {
                grant: grant.id.clone(),
            }
        }
    };
    check_record_fields(state, &metadata)?;

    let now = state.clock.now();
    let upload = TusUpload {
        id: crate::secrets::uuid_v7(now),
        token: crate::secrets::hex_string(64),
        length,
        offset: 0,
        metadata,
        authority,
        created_at: now.timestamp(),
        cid: None,
    };
    let plain_prefix = match host {
        V3Host::Api => PINATA_V3_PREFIX,
        _ => PINATA_UPLOADS_PREFIX,
    };
    let base = location::base_url(headers, plain_prefix).map_err(|e| bad(e.to_string()))?;
    let location = format!("{base}/files/{}/{}", upload.id, upload.token);
    let parts = PartFiles::under(state.blobs.dir());
    parts
        .create(&upload.id)
        .await
        .map_err(|error| internal(error.into()))?;
    state.write(|tx| tx.put(upload.clone())).map_err(internal)?;

    let mut response = StatusCode::CREATED.into_response();
    let out = response.headers_mut();
    out.insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(|_| bad("invalid Host header".into()))?,
    );
    out.insert("upload-offset", HeaderValue::from(0u64));
    if length == 0 {
        // Nothing to PATCH: the empty file is complete at once.
        let _guard = super::locks::lock(&upload.id).await;
        let Finished { cid } = completion::finish(state, &upload, &parts).await?;
        if let Ok(value) = HeaderValue::from_str(&cid) {
            response.headers_mut().insert("upload-cid", value);
        }
    }
    Ok(response)
}

/// A signed URL's grant over the creation's metadata: its name, group, key-values and
/// network win (the upload's own are ignored, as for a multipart form; the metadata's
/// `filename` stays the file's name when the grant names none), and its size limit and
/// MIME types apply to what is declared now (a specific declared type; the type is
/// checked again on the bytes once they are all there).
fn apply_grant(
    metadata: &mut UploadMetadata,
    grant: &UploadGrant,
    length: u64,
) -> Result<(), Response> {
    if let Some(max) = grant.max_file_size
        && length > max
    {
        return Err(V3Reason::PayloadTooLarge.error(format!(
            "Upload-Length {length} is over the signed URL's max_file_size, {max} bytes"
        )));
    }
    if let Some(name) = &grant.filename {
        metadata.filename = Some(name.clone());
    }
    metadata.group_id = grant.group_id.clone();
    metadata.keyvalues = grant.keyvalues.clone();
    if grant.network.is_some() {
        metadata.network = grant.network.clone();
    }
    // A generic declaration says nothing yet: the bytes decide at the end.
    let declared = completion::mime_type(metadata);
    if declared == DEFAULT_MIME {
        return Ok(());
    }
    crate::pinata_v3::presigned::check_mime(grant, &declared)
}

/// Refuses now, before any byte is sent, what the record would refuse at the end: an
/// unsupported CAR upload, an expiry not in the future, a group not on the network.
fn check_record_fields(state: &AppState, metadata: &UploadMetadata) -> Result<(), Response> {
    let bad = |message: String| V3Reason::InvalidRequest.error(message);
    if metadata.car {
        return Err(bad(rules::CAR_REFUSED.into()));
    }
    if let Some(at) = metadata.expires_at {
        rules::check_expiry(at, state.clock.unix_seconds()).map_err(bad)?;
    }
    let network = completion::network(metadata);
    if let Some(group) = &metadata.group_id {
        state
            .read(|data| rules::check_group(data, group, network))
            .map_err(bad)?;
    }
    Ok(())
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The first value of query parameter `name` (case-insensitive name), decoded.
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.into_owned())
}
