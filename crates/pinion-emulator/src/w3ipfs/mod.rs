//! The W3IPFS API (`spec/w3ipfs.yaml`), served under `/w3ipfs/api` on a plain address
//! and on the W3IPFS hosts (paths under `/api`).

mod account;
mod auth;
mod common;
mod keys;
mod nft;
mod pins;
mod reasons;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use pinion_api::w3ipfs::types as wire;
use pinion_scopes::w3ipfs::W3ipfsScopes;

pub(crate) use auth::{
    DEFAULT_KEY_NAME, W3ipfsKey, authenticate, authorize, check_session, create_key, session_token,
};
pub(crate) use pins::{settle, unpin_row};
pub(crate) use reasons::Reason;

use crate::guard;
use crate::service::ServiceKind;
use crate::state::w3ipfs::PinRow;
use crate::state::{AppState, Data, Tx, load_table};
use crate::store::Store;
use crate::{EmulatorError, W3ipfsAdmin};

/// Loads W3IPFS's stored rows.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<W3ipfsKey>(store, data)?;
    load_table::<PinRow>(store, data)?;
    load_table::<nft::NftRow>(store, data)?;
    Ok(())
}

/// How long the provisioned session JWT stays valid.
const ADMIN_SESSION_DAYS: i64 = 3650;

/// Creates the undeletable `Default` admin key and a long-lived session JWT.
pub(crate) fn provision_admin(state: &AppState, tx: &mut Tx<'_>, user_id: &str) -> W3ipfsAdmin {
    let key = create_key(state, tx, DEFAULT_KEY_NAME, W3ipfsScopes::admin());
    W3ipfsAdmin {
        api_key: key.api_key,
        secret_key: key.secret_key,
        jwt: session_token(state, user_id, chrono::Duration::days(ADMIN_SESSION_DAYS)),
    }
}

/// Every route of `spec/w3ipfs.yaml`, paths as in the spec without trailing slashes
/// (the edge strips them), behind the [guard](crate::guard): credentials first, then
/// the body limit except on the uploads.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/apiKeys", post(keys::create))
        .route("/apiKeys/list", get(keys::list))
        .route("/apiKeys/testAuthentication", get(test_authentication))
        .route("/apiKeys/{id}", delete(keys::delete))
        .route("/pinning/pinByHash", post(pins::pin_by_hash))
        .route("/pinning/pins", get(pins::list_pins))
        .route("/pinning/metadata", put(pins::update_metadata))
        .route("/pinning/unpin/{id}", delete(pins::unpin))
        .route("/pinning/{id}", get(pins::get_pin))
        .route("/nft/nfts", get(nft::list))
        .route("/nft/unpin/{id}", delete(nft::unpin))
        .route("/nft/{id}", get(nft::get))
        .route("/users/me", get(account::me))
        .route("/gateways", get(account::gateways))
        .route_layer(from_fn_with_state(
            (ServiceKind::W3ipfs, guard::JSON_BODY_LIMIT),
            guard::json_body,
        ))
        // Stream to disk: no body limit.
        .route("/pinning", post(pins::pin_file))
        .route("/nft", post(nft::create))
        .route_layer(from_fn_with_state(
            (state.clone(), ServiceKind::W3ipfs),
            guard::authenticated,
        ))
}

/// `GET /apiKeys/testAuthentication`.
async fn test_authentication(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = authorize(&state, &headers, "testAuthentication") {
        return refused;
    }
    Json(wire::TestAuthenticationResponse {
        message: "Congratulations! You are communicating with the Web3 IPFS API!".into(),
        status: Some("success".into()),
    })
    .into_response()
}
