//! The emulator's own routes under `/_emulator`: health, faults and the clock at run
//! time, the count of TUS bytes received, plus each service's test hooks. Not part of
//! any service's API.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::gateway;
use crate::guard;
use crate::pinata;
use crate::service::{ServiceKind, plain};
use crate::state::AppState;
use crate::{Faults, TusReceived};

/// `/_emulator/...`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/faults", get(get_faults).put(put_faults))
        .route("/clock/advance", post(advance_clock))
        .route("/tus/received", get(tus_received))
        .route("/tus/received/reset", post(reset_tus_received))
        .nest("/pinata", pinata::control_router())
        .nest("/gateway", gateway::control_router())
        .nest("/psa", crate::psa::control_router())
        .route_layer(axum::middleware::from_fn_with_state(
            (ServiceKind::Control, guard::CONTROL_BODY_LIMIT),
            guard::json_body,
        ))
}

async fn get_faults(State(state): State<AppState>) -> Json<Faults> {
    Json(
        state
            .faults
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone(),
    )
}

async fn put_faults(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let faults: Faults = match serde_json::from_slice(&body) {
        Ok(faults) => faults,
        Err(error) => {
            return plain(
                StatusCode::BAD_REQUEST,
                &format!(
                    "the body must be JSON like {{\"error_rate_503\": 0.5, \"latency_ms\": 100}}: {error}"
                ),
            );
        }
    };
    if let Err(why) = faults.validate() {
        return plain(StatusCode::BAD_REQUEST, &why);
    }
    *state
        .faults
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = faults.clone();
    Json(faults).into_response()
}

/// `GET /_emulator/tus/received`: `{"bytes_received": N, "cuts": M}`.
async fn tus_received(State(state): State<AppState>) -> Json<TusReceived> {
    Json(state.received.snapshot())
}

/// `POST /_emulator/tus/received/reset`: both counts back to 0; answers them (zeros).
async fn reset_tus_received(State(state): State<AppState>) -> Json<TusReceived> {
    state.received.reset();
    Json(state.received.snapshot())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: u64,
}

async fn advance_clock(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Advance>(&body) {
        Ok(advance) => match state.clock.advance(Duration::from_secs(advance.seconds)) {
            Ok(()) => plain(StatusCode::OK, &crate::clock::iso(state.clock.now())),
            Err(too_far) => plain(StatusCode::BAD_REQUEST, &too_far.to_string()),
        },
        Err(error) => plain(
            StatusCode::BAD_REQUEST,
            &format!("the body must be JSON like {{\"seconds\": 3600}}: {error}"),
        ),
    }
}
