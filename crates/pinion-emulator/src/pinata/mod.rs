//! Pinata's API (`spec/pinata.yaml`), served under `/pinata` on a plain address and on
//! the `api.pinata.cloud` host.

mod auth;

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use pinion_api::pinata::types as wire;
use pinion_scopes::pinata::PinataPermissions;

pub(crate) use auth::{Caller, PinataKey, authorize, constant_time_eq, create_key};

use crate::state::{AppState, Data, Tx, load_table};
use crate::store::Store;
use crate::{EmulatorError, PinataAdmin};

/// Pinata's rows.
#[derive(Default)]
pub(crate) struct PinataData {
    /// API keys by their 20-hex key.
    pub(crate) keys: BTreeMap<String, PinataKey>,
}

/// Loads Pinata's stored rows.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<PinataKey>(store, data)?;
    Ok(())
}

/// Creates the admin key handed out at first start.
pub(crate) fn provision_admin(state: &AppState, tx: &mut Tx<'_>, user_id: &str) -> PinataAdmin {
    let key = create_key(
        state,
        tx,
        user_id,
        "pinion emulator admin",
        PinataPermissions::admin(),
        None,
    );
    PinataAdmin {
        jwt: key.jwt,
        api_key: key.key,
        api_secret: key.secret,
    }
}

/// Every route of `spec/pinata.yaml`, paths as in the spec.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/data/testAuthentication", get(test_authentication))
}

/// Emulator-only routes under `/_emulator/pinata` that let tests drive Pinata's
/// asynchronous behaviour deterministically.
pub(crate) fn control_router() -> Router<AppState> {
    Router::new()
}

/// `GET /data/testAuthentication` (admin keys only).
async fn test_authentication(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = authorize(&state, &headers, "testAuthentication") {
        return refused;
    }
    Json(wire::TestAuthenticationResponse {
        message: "Congratulations! You are communicating with the Pinata API!".into(),
    })
    .into_response()
}
