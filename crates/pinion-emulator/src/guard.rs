//! What every service route runs before its handler reads the request's body: the
//! credentials are checked first (a request without valid ones is refused before one
//! byte of its body is read), then, except on the multipart upload routes that stream
//! to disk, the body is read up to a limit: a declared `Content-Length` over it is
//! refused up front, a chunked body is cut off when it passes it; both get
//! `413 PAYLOAD_TOO_LARGE` in the service's error shape.
//!
//! Each service's router applies [`json_body`] to its JSON routes and
//! [`authenticated`] to all of them (`Router::route_layer`, so unknown routes still
//! answer 404).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;

use crate::service::{Refusal, ServiceKind};
use crate::state::AppState;
use crate::{pinata, submarine, w3ipfs};

/// Largest body of a JSON route, in bytes. Pinata documents 10 MB for
/// `pinJSONToIPFS`, its largest JSON body; no other JSON route of any service
/// documents a limit, so the emulator applies the same one to all of them
/// (`spec/*.sources.md`).
pub(crate) const JSON_BODY_LIMIT: usize = 10 * 1000 * 1000;

/// Largest body of the emulator's own control routes (`/_emulator/...`).
pub(crate) const CONTROL_BODY_LIMIT: usize = 64 * 1024;

/// Middleware: refuses requests without valid credentials for `service` before their
/// body is read. Uses of a key are not counted here; the handler's own check does that.
pub(crate) async fn authenticated(
    State((state, service)): State<(AppState, ServiceKind)>,
    request: Request,
    next: Next,
) -> Response {
    if let Err(refused) = authenticate(&state, service, request.headers()) {
        return refused;
    }
    next.run(request).await
}

fn authenticate(
    state: &AppState,
    service: ServiceKind,
    headers: &HeaderMap,
) -> Result<(), Response> {
    match service {
        ServiceKind::Pinata => pinata::authenticate(state, headers).map(drop),
        ServiceKind::Submarine => submarine::authorize(state, headers).map(drop),
        ServiceKind::W3ipfs => w3ipfs::authenticate(state, headers).map(drop),
        ServiceKind::W3ipfsPsa => crate::psa::authenticate_w3ipfs(state, headers),
        // The v3 router's own guard authorizes per operation (signed URLs, TUS OPTIONS).
        ServiceKind::PinataV3
        | ServiceKind::PinataUploads
        | ServiceKind::Gateway
        | ServiceKind::Control => Ok(()),
    }
}

/// Middleware: reads the body whole, at most `limit` bytes, before the handler runs.
pub(crate) async fn json_body(
    State((service, limit)): State<(ServiceKind, usize)>,
    request: Request,
    next: Next,
) -> Response {
    let too_large = || {
        service.refuse(
            Refusal::PayloadTooLarge,
            &format!("the request body must be at most {limit} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let mut chunks = body.into_data_stream();
    let mut read = bytes::BytesMut::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                return service.refuse(
                    Refusal::UnreadableBody,
                    &format!("the request body could not be read: {error}"),
                );
            }
        };
        if read.len() + chunk.len() > limit {
            return too_large();
        }
        read.extend_from_slice(&chunk);
    }
    next.run(Request::from_parts(parts, Body::from(read.freeze())))
        .await
}
