//! Pinata's v3 API (`spec/pinata-v3.yaml` on the api host, `spec/pinata-v3-uploads.yaml`
//! on the uploads host), served under `/pinata/v3` and `/pinata-uploads/v3` on a plain
//! address and on `api.pinata.cloud/v3` / `uploads.pinata.cloud/v3` by host (see
//! [`crate::wire`]).
//!
//! One account with the legacy API: a public v3 file is a legacy pin, v3 and legacy
//! groups are one set, pin-by-CID requests are the legacy job queue (see "One account
//! across surfaces" in `spec/pinata-v3.sources.md`).
//!
//! Every route runs the [guard](auth::guard) first: it finds the operation in
//! `pinion-scopes`' table for the host and authorizes it (`resources` scopes, `maxUses`)
//! before any handler runs or any body is read, so handlers never check scopes.
//!
//! Path parameters: `matchit` refuses two names at one position of one path shape, so
//! every route uses the names of the [`FILE`] and [`FILES`] constants at their shapes
//! (handlers extract by position).

mod analytics;
mod auth;
mod download_links;
pub(crate) mod error;
pub(crate) mod files;
mod gateways;
mod groups;
mod keys;
mod pin_by_cid;
pub(crate) mod presigned;
mod signatures;
mod swaps;
pub(crate) mod tus;
mod vectorize;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use pinion_scopes::pinata_v3::V3Host;
use serde::Serialize;

pub(crate) use crate::state::pinata::Network;
#[allow(unused_imports)] // `V3Caller` and `authorize_v3` are the TUS module's.
pub(crate) use auth::{V3Caller, authorize_key, authorize_v3};
pub(crate) use error::V3Reason;

use crate::guard;
use crate::service::ServiceKind;
use crate::state::AppState;

/// `/files/{network}`: the list of a network's files; on the uploads host the same
/// shape is an upload to a signed URL (`/files/{sign_id}`), so it takes this name.
pub(crate) const FILES: &str = "/files/{network}";
/// `/files/{network}/{id}`: one file; on the uploads host the same shape is a TUS
/// upload location (`/files/{file_id}/{upload_id}`), so it takes these names.
pub(crate) const FILE: &str = "/files/{network}/{id}";

/// The `{network}` path parameter (the guard already let only `public` and `private`
/// through; anything else is an unknown route).
pub(crate) fn parse_network(text: &str) -> Result<Network, Response> {
    text.parse()
        .map_err(|_| V3Reason::RouteNotFound.error(format!("unknown network {text:?}")))
}

/// A JSON 200.
pub(crate) fn ok_json(value: &impl Serialize) -> Response {
    Json(value).into_response()
}

/// Every v3 route of one host, behind the [guard](auth::guard). The api host's router
/// also serves the uploads host's routes where they do not collide (the SDK's one-base
/// setup; [`auth::operation`]).
///
/// Where the other v3 modules plug in (one line each, before the guard layer):
/// `.merge(tus::routes())` (TUS `PATCH` on [`FILE`], `OPTIONS /files`; its `HEAD` is the
/// [`file_head`] arm),
/// `.merge(presigned::routes())` (uploads to signed URLs on [`FILES`]),
/// `.merge(download_links::routes())`, `.merge(gateways::routes())`. `POST /files` and
/// `POST /files/sign` are dispatched here ([`files_post`], [`files_sign`]): each
/// module fills in its arm.
pub(crate) fn router(state: &AppState, host: V3Host) -> Router<AppState> {
    let service = match host {
        V3Host::Api => ServiceKind::PinataV3,
        _ => ServiceKind::PinataUploads,
    };
    let json = Router::new()
        // Files (files/).
        .route(FILES, get(files::list))
        .route(
            FILE,
            // HEAD on this shape is the TUS offset (tus::routes), never the file's GET.
            get(files::get).put(files::update).delete(files::delete),
        )
        .route("/files/sign", post(files_sign))
        .route(
            "/files/public/pin_by_cid",
            post(pin_by_cid::create).get(pin_by_cid::list),
        )
        .route(
            "/files/public/pin_by_cid/{id}",
            axum::routing::delete(pin_by_cid::cancel),
        )
        .route(
            "/files/{network}/swap/{cid}",
            put(swaps::add).get(swaps::history).delete(swaps::remove),
        )
        .route(
            "/files/{network}/signature/{cid}",
            post(signatures::add)
                .get(signatures::get)
                .delete(signatures::remove),
        )
        // Groups.
        .route("/groups/{network}", post(groups::create).get(groups::list))
        .route(
            "/groups/{network}/{id}",
            get(groups::get).put(groups::update).delete(groups::delete),
        )
        .route(
            "/groups/{network}/{id}/ids/{file_id}",
            put(groups::add_file).delete(groups::remove_file),
        )
        // Keys (the SDK's /v3/pinata/keys are the legacy router's).
        .route("/api_keys", get(keys::list).post(keys::create))
        .route("/api_keys/{key}", axum::routing::delete(keys::revoke))
        // Analytics: the spec's routes and the SDK's.
        .route("/analytics/gateways/top", get(analytics::top))
        .route("/ipfs/gateway_analytics_top", get(analytics::top))
        .route(
            "/analytics/gateways/time_series",
            get(analytics::time_series),
        )
        .route(
            "/ipfs/gateway_analytics_time_series",
            get(analytics::time_series),
        )
        // Vectorize (uploads host).
        .route(
            "/vectorize/files/{file_id}",
            post(vectorize::vectorize).delete(vectorize::delete),
        )
        .route("/vectorize/groups/{group_id}/query", post(vectorize::query))
        .route_layer(from_fn_with_state(
            (service, guard::JSON_BODY_LIMIT),
            guard::json_body,
        ));
    // Streams to disk: no body limit.
    let streaming = Router::new().route("/files", post(files_post));
    json.merge(streaming)
        .merge(download_links::routes())
        .merge(gateways::routes())
        .merge(tus::routes())
        .merge(presigned::routes())
        .route_layer(from_fn_with_state((state.clone(), host), auth::guard))
}

/// `POST /files`: a multipart upload, or (`Upload-Length` and no multipart body) the
/// creation of a TUS upload.
async fn files_post(
    State(state): State<AppState>,
    Extension(host): Extension<V3Host>,
    request: Request,
) -> Response {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if multipart {
        return files::upload(state, request).await;
    }
    if request.headers().contains_key("upload-length") {
        let (parts, _) = request.into_parts();
        let Some(caller) = parts.extensions.get::<V3Caller>() else {
            return V3Reason::NoAuthorization.error("no Authorization header found");
        };
        let creator = tus::Creator::Key(caller);
        return tus::create(&state, host, &parts.headers, parts.uri.query(), creator).await;
    }
    V3Reason::InvalidRequest.error(
        "POST /files takes a multipart/form-data body with a `file` part, or a TUS \
         creation request (Upload-Length)",
    )
}

/// Whether a `POST /files/sign` body asks for a download link (it has a `url`; only on
/// the api host) rather than a signed upload URL.
pub(crate) fn is_download_link_request(host: V3Host, body: &[u8]) -> bool {
    host == V3Host::Api
        && serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|value| value.get("url").is_some())
}

/// `POST /files/sign`: a download link on the api host (body with `url`), a signed
/// upload URL on the uploads host (reference §5.1).
async fn files_sign(
    State(state): State<AppState>,
    Extension(host): Extension<V3Host>,
    caller: Option<Extension<V3Caller>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if is_download_link_request(host, &body) {
        return download_links::create_link(&state, &body);
    }
    let Some(Extension(caller)) = caller else {
        return V3Reason::NoAuthorization.error("no Authorization header found");
    };
    presigned::sign(&state, host, &caller, &headers, &body)
}
