//! The whole HTTP application: the services' routers behind one edge that routes by
//! host or prefix, counts and limits requests and injects faults.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use rand::RngExt;

use crate::service::{Refusal, ServiceKind, plain};
use crate::state::AppState;
use pinion_scopes::pinata_v3::V3Host;

use crate::{
    control, gateway, limits, pinata, pinata_v3, psa, submarine, unread_body, w3ipfs, wire,
};

/// The router of every service, before the edge middleware.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .nest("/pinata", pinata::router(&state).fallback(not_found_pinata))
        .nest(
            ServiceKind::PinataV3.prefix(),
            pinata_v3::router(&state, V3Host::Api).fallback(not_found_pinata_v3),
        )
        .nest(
            ServiceKind::PinataUploads.prefix(),
            pinata_v3::router(&state, V3Host::Uploads).fallback(not_found_pinata_uploads),
        )
        .nest(
            "/submarine",
            submarine::router(&state).fallback(not_found_submarine),
        )
        .nest("/w3ipfs", w3ipfs::router(&state).fallback(not_found_w3ipfs))
        .nest(
            ServiceKind::W3ipfsPsa.prefix(),
            psa::w3ipfs_router(&state).fallback(not_found_w3ipfs_psa),
        )
        .nest("/gateway", gateway::router())
        .nest("/_emulator", control::router())
        .fallback(not_found)
        // Each service's guard limits the bodies it reads whole; uploads stream to disk.
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

async fn not_found_pinata(request: Request) -> Response {
    unknown_route(ServiceKind::Pinata, &request)
}
async fn not_found_pinata_v3(request: Request) -> Response {
    unknown_route(ServiceKind::PinataV3, &request)
}
async fn not_found_pinata_uploads(request: Request) -> Response {
    unknown_route(ServiceKind::PinataUploads, &request)
}
async fn not_found_submarine(request: Request) -> Response {
    unknown_route(ServiceKind::Submarine, &request)
}
async fn not_found_w3ipfs(request: Request) -> Response {
    unknown_route(ServiceKind::W3ipfs, &request)
}
async fn not_found_w3ipfs_psa(request: Request) -> Response {
    unknown_route(ServiceKind::W3ipfsPsa, &request)
}

fn unknown_route(service: ServiceKind, request: &Request) -> Response {
    service.refuse(
        Refusal::RouteNotFound,
        &format!(
            "Cannot {} {}",
            request.method(),
            request
                .uri()
                .path()
                .strip_prefix(service.prefix())
                .unwrap_or(request.uri().path())
        ),
    )
}

async fn not_found(request: Request) -> Response {
    plain(
        StatusCode::NOT_FOUND,
        &format!(
            "pinion emulator: nothing at {}. Base URLs: {} (Pinata), {} (Pinata v3), {} \
             (Pinata v3 uploads), {} (Submarine), {} (W3IPFS), {}/ipfs/<cid> (gateway), or \
             the real hosts in the Host header.",
            request.uri().path(),
            wire::PINATA_PREFIX,
            wire::PINATA_V3_PREFIX,
            wire::PINATA_UPLOADS_PREFIX,
            wire::SUBMARINE_PREFIX,
            wire::W3IPFS_PREFIX,
            wire::GATEWAY_PREFIX
        ),
    )
}

/// Runs before the router: routing by host or prefix, rate limiting, faults; then,
/// before answering, reads what the route left unread of the body ([`unread_body`]), so
/// a client still sending it gets the answer.
pub(crate) async fn edge(state: State<AppState>, request: Request, next: Next) -> Response {
    let (request, unread) = unread_body::track(request);
    let response = dispatch(state, request, next).await;
    unread.drain().await;
    response
}

async fn dispatch(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let (service, uri) = wire::route(request.uri(), host.as_deref());
    *request.uri_mut() = uri;
    let Some(service) = service.filter(|service| *service != ServiceKind::Control) else {
        return next.run(request).await;
    };
    request.extensions_mut().insert(service);

    let decision = state.limiter.check(
        service,
        limits::identity(request.headers()),
        state.clock.unix_seconds(),
    );
    if decision.retry_after.is_some() {
        let mut response = service.refuse(
            Refusal::RateLimited,
            "Too many requests: wait for Retry-After seconds before trying again",
        );
        decision.apply(response.headers_mut());
        return response;
    }

    let faults = state
        .faults
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let (error_draw, drop_draw, cut_draw): (f64, f64, f64) = {
        let mut rng = rand::rng();
        (rng.random(), rng.random(), rng.random())
    };
    let mut response = match faults.injected_error(error_draw, service) {
        Some(injected) => injected,
        None => {
            let request = crate::cuts::arm(&state, &faults, cut_draw, request);
            next.run(request).await
        }
    };
    decision.apply(response.headers_mut());
    if drop_draw < faults.drop_connection_rate {
        response = crate::faults::truncate(response).await;
    }
    response
}
