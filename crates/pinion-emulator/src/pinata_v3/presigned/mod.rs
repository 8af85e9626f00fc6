//! Presigned upload URLs (reference §3.4): `POST /files/sign` signs one ([`sign`]), and
//! `POST` to the URL uploads through it, multipart or as a TUS creation, with no key.
//!
//! Choices where Pinata documents nothing (also in `spec/pinata-v3-uploads.sources.md`):
//!
//! - Any `Authorization` sent to a signed URL is ignored (even `Bearer undefined`): the
//!   query's signature is the only credential.
//! - A URL whose signature does not verify (changed, not signed here, wrong algorithm
//!   or method) answers **401**; a valid one used outside its time (`X-Date` +
//!   `X-Expires` on the emulator's clock) answers **403**.
//! - A URL is **reusable until it expires**: the grant is not consumed by an upload, as
//!   nothing in Pinata's docs or SDK says it is single-use, and the SDK retries a failed
//!   upload against the same URL.
//! - `max_file_size` → 413; a MIME type outside `allow_mime_types` → 400 "Presigned URL
//!   does not grant permissions to upload detected MIME type: <type>" (see [`mime`] for
//!   detection). A grant without `allow_mime_types` allows every file type but not
//!   folders, which must be allowed as `directory`.
//! - A TUS upload created against a signed URL continues on its `Location` (a capability
//!   URL) without `Authorization`, even after the signed URL itself has expired.

mod mime;
mod sign;
mod upload;

use axum::Router;
use axum::extract::{Extension, Path, Request, State};
use axum::http::{Method, Uri, header};
use axum::response::Response;
use axum::routing::post;
use pinion_scopes::pinata_v3::V3Host;

pub(crate) use mime::{check_mime, detect_mime, read_head};
pub(crate) use sign::sign;

use super::FILES;
use crate::pinata_v3::V3Reason;
use crate::pinata_v3::tus::{self, Creator};
use crate::signed_url::{Algorithm, SigningKey, VerifyError, verify};
use crate::state::AppState;
use crate::state::tus::UploadGrant;

/// `POST` on a signed upload URL (the v3 [`FILES`] shape; the handler takes the grant's
/// id by position).
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(FILES, post(upload_to_signed_url))
}

/// `POST {signed URL}`: a multipart upload, or a TUS creation.
async fn upload_to_signed_url(
    State(state): State<AppState>,
    Extension(host): Extension<V3Host>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let grant = match verified_grant(&state, &id, request.method(), request.uri()) {
        Ok(grant) => grant,
        Err(refused) => return refused,
    };
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return upload::upload(state, grant, request).await;
    }
    if request.headers().contains_key("upload-length") {
        let (parts, _) = request.into_parts();
        let (headers, query) = (&parts.headers, parts.uri.query());
        return tus::create(&state, host, headers, query, Creator::Grant(&grant)).await;
    }
    V3Reason::InvalidRequest.error(
        "a signed upload URL takes a multipart/form-data body with `file` parts, or a TUS \
         creation request (Upload-Length)",
    )
}

/// The grant behind a signed URL whose signature verifies now (see the module
/// documentation for the statuses).
fn verified_grant(
    state: &AppState,
    id: &str,
    method: &Method,
    uri: &Uri,
) -> Result<UploadGrant, Response> {
    let key = SigningKey::derive(state.jwt_secret());
    let verified = verify(
        &key,
        Algorithm::Upload,
        method,
        uri.path(),
        uri.query(),
        state.clock.now(),
    )
    .map_err(|error| match error {
        VerifyError::Expired | VerifyError::NotYetValid => {
            V3Reason::Forbidden.error(format!("signed upload URL refused: {error}"))
        }
        other => V3Reason::InvalidCredentials.error(format!("invalid signed upload URL: {other}")),
    })?;
    let account = state.meta().pinata_user_id;
    if verified.grant.user_id.as_deref() != Some(account.as_str()) {
        return Err(V3Reason::InvalidCredentials
            .error("invalid signed upload URL: it is for another account"));
    }
    state
        .read(|data| data.tus.grants.get(id).cloned())
        .ok_or_else(|| V3Reason::NotFound.error("no signed upload URL with this id"))
}
