//! Download links for private files (reference §5.1): `POST /files/private/download_link`,
//! its docs' alias `POST /files/download_link`, and on the api host `POST /files/sign`
//! with a body that has `url` (the SDK's `gateways.private.get`; the router's
//! `/files/sign` dispatch calls [`create_link`]). Scope `org:files:write`, checked by the
//! v3 guard before the handler runs.
//!
//! The body is `{url, date, expires, method}`; the answer `{"data": <url with
//! X-Algorithm=PINATA1, X-Date, X-Expires, X-Method=GET and X-Signature appended>}`
//! (after `&` when `url` has a query). The signature is the emulator's own
//! ([`crate::signed_url`]); the gateway's `/files/` checks it.
//!
//! Choices where Pinata's behaviour is unknown (recorded in spec/pinata-v3.sources.md):
//! - `method`: the docs' samples send `"POSt"` and still get a download link, so any
//!   value is taken and the link always allows `GET` (and `HEAD`), what the gateway
//!   serves.
//! - `url` is signed as given, whatever it points at: a link to a CID the account does
//!   not hold is valid and the gateway answers 404 for it. Only an absolute `http(s)`
//!   URL without signature parameters is taken (else 400).
//! - `date` and `expires` must not be negative (400); `date` may be in milliseconds, as
//!   live links show.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::post;
use pinion_api::pinata_v3::types::{DownloadLinkRequest, SignedUrlResponse};

use super::{V3Reason, ok_json};
use crate::guard;
use crate::service::ServiceKind;
use crate::signed_url::{self, Algorithm, Grant, SigningKey};
use crate::state::AppState;

/// The download-link routes of the api host (the `/files/sign` alias is dispatched by
/// the router, which shares that path with signed upload URLs).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/files/private/download_link", post(create))
        .route("/files/download_link", post(create))
        .route_layer(from_fn_with_state(
            (ServiceKind::PinataV3, guard::JSON_BODY_LIMIT),
            guard::json_body,
        ))
}

async fn create(State(state): State<AppState>, body: Bytes) -> Response {
    create_link(&state, &body)
}

/// Answers a download-link request body: the signed link, or 400.
pub(crate) fn create_link(state: &AppState, body: &[u8]) -> Response {
    let request: DownloadLinkRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return V3Reason::InvalidRequest.error(format!(
                "the body must be JSON like {{\"url\": \"https://<gateway>/files/<cid>\", \
                 \"date\": <unix seconds>, \"expires\": <seconds>, \"method\": \"GET\"}}: {error}"
            ));
        }
    };
    let grant = Grant {
        algorithm: Algorithm::Download,
        date: request.date,
        expires: request.expires,
        user_id: None,
    };
    let key = SigningKey::derive(state.jwt_secret());
    match signed_url::sign_url(&key, &request.url, &grant) {
        Ok(link) => ok_json(&SignedUrlResponse { data: link }),
        Err(why) => V3Reason::InvalidRequest.error(why.to_string()),
    }
}
