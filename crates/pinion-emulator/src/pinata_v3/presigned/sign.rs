//! `POST /files/sign` on the uploads host (reference §3.4): signs an upload URL
//! `{uploads base}/files/{uuid}?X-Algorithm=PINATA2&…&X-Signature=…` and stores what it
//! grants (name, group, key-values, network, size limit, MIME types) under the uuid,
//! since the URL itself carries none of it.

use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata_v3_uploads::types::{SignUploadRequest, SignedUrlResponse};
use pinion_scopes::pinata_v3::V3Host;

use crate::pinata_v3::files::rules;
use crate::pinata_v3::tus::base_url;
use crate::pinata_v3::{Network, V3Caller, V3Reason, error::internal, ok_json};
use crate::signed_url::{Algorithm, Grant, SigningKey, sign_url};
use crate::state::AppState;
use crate::state::tus::UploadGrant;
use crate::wire::{PINATA_UPLOADS_PREFIX, PINATA_V3_PREFIX};

/// Signs an upload URL for the JSON `body`, on behalf of `caller`.
pub(crate) fn sign(
    state: &AppState,
    host: V3Host,
    caller: &V3Caller,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    match try_sign(state, host, caller, headers, body) {
        Ok(response) | Err(response) => response,
    }
}

fn try_sign(
    state: &AppState,
    host: V3Host,
    caller: &V3Caller,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Response> {
    let bad = |message: String| V3Reason::InvalidRequest.error(message);
    let request: SignUploadRequest = serde_json::from_slice(body).map_err(|error| {
        bad(format!(
            "the body must be JSON with integer `date` and `expires` (and optional filename, \
             group_id, keyvalues, network, max_file_size, allow_mime_types, streamable): {error}"
        ))
    })?;
    if request.date < 0 || request.expires < 0 {
        return Err(bad("date and expires must not be negative".into()));
    }
    let network = rules::network(request.network.as_deref()).map_err(bad)?;
    rules::check_keyvalues(request.keyvalues.len()).map_err(bad)?;
    let max_file_size = request
        .max_file_size
        .map(|max| u64::try_from(max).map_err(|_| bad("max_file_size must not be negative".into())))
        .transpose()?;
    if request
        .allow_mime_types
        .iter()
        .any(|mime| mime.trim().is_empty())
    {
        return Err(bad("allow_mime_types must not contain empty types".into()));
    }
    let group_id = request.group_id.filter(|group| !group.is_empty());
    if let Some(group) = &group_id {
        let on = network.unwrap_or(Network::Private);
        state
            .read(|data| rules::check_group(data, group, on))
            .map_err(bad)?;
    }

    let grant = UploadGrant {
        id: crate::secrets::uuid(),
        date: request.date,
        expires: request.expires,
        network: network.map(|network| network.to_string()),
        filename: request.filename.filter(|name| !name.is_empty()),
        group_id,
        keyvalues: request.keyvalues,
        max_file_size,
        allow_mime_types: (!request.allow_mime_types.is_empty())
            .then_some(request.allow_mime_types),
        streamable: request.streamable.unwrap_or(false),
        key: caller.key.clone(),
    };
    let plain_prefix = match host {
        V3Host::Api => PINATA_V3_PREFIX,
        _ => PINATA_UPLOADS_PREFIX,
    };
    let base = base_url(headers, plain_prefix).map_err(|error| bad(error.to_string()))?;
    let key = SigningKey::derive(state.jwt_secret());
    let signed = sign_url(
        &key,
        &format!("{base}/files/{}", grant.id),
        &Grant {
            algorithm: Algorithm::Upload,
            date: grant.date,
            expires: grant.expires,
            user_id: Some(state.meta().pinata_user_id),
        },
    )
    .map_err(|error| bad(error.to_string()))?;
    state.write(|tx| tx.put(grant)).map_err(internal)?;
    Ok(ok_json(&SignedUrlResponse { data: signed }))
}
