//! The emulator's control routes for the gateway's settings that Pinata changes only
//! in its web app, not through the API: `GET /_emulator/gateway` shows the gateway and
//! `PUT /_emulator/gateway/plugins/hot-swaps` with `{"installed": true|false}` installs
//! or removes the Hot Swaps plugin (off by default, as on a new Pinata gateway: swaps
//! then have no effect on `/ipfs/`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::service::plain;
use crate::state::AppState;
use crate::state::gateway::{GatewayRow, ensure_gateway};

/// `/_emulator/gateway...`.
pub(crate) fn control_router() -> Router<AppState> {
    Router::new()
        .route("/", get(show))
        .route("/plugins/hot-swaps", put(set_hot_swaps))
}

/// What the control routes show of the gateway (never the tokens' values).
#[derive(Serialize)]
struct Settings {
    id: String,
    domain: String,
    hot_swaps: bool,
    access_tokens: usize,
}

impl From<GatewayRow> for Settings {
    fn from(gateway: GatewayRow) -> Self {
        Settings {
            id: gateway.id,
            domain: gateway.domain,
            hot_swaps: gateway.hot_swaps,
            access_tokens: gateway.access_tokens.len(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Plugin {
    installed: bool,
}

async fn show(State(state): State<AppState>) -> Response {
    let now = state.clock.now();
    match state.write(|tx| ensure_gateway(tx, now)) {
        Ok(gateway) => Json(Settings::from(gateway)).into_response(),
        Err(error) => plain(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}

async fn set_hot_swaps(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let plugin: Plugin = match serde_json::from_slice(&body) {
        Ok(plugin) => plugin,
        Err(error) => {
            return plain(
                StatusCode::BAD_REQUEST,
                &format!("the body must be JSON like {{\"installed\": true}}: {error}"),
            );
        }
    };
    let now = state.clock.now();
    let written = state.write(|tx| {
        let gateway = GatewayRow {
            hot_swaps: plugin.installed,
            ..ensure_gateway(tx, now)
        };
        tx.put(gateway.clone());
        gateway
    });
    match written {
        Ok(gateway) => Json(Settings::from(gateway)).into_response(),
        Err(error) => plain(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}
