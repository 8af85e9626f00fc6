//! Pinata's API (`spec/pinata.yaml`), served under `/pinata` on a plain address and on
//! the `api.pinata.cloud` host.

mod auth;
mod common;
mod groups;
mod jobs;
mod keys;
mod pins;
mod reasons;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use pinion_api::pinata::types as wire;
use pinion_scopes::pinata::PinataPermissions;

pub(crate) use auth::{
    KeyClaims, PinataKey, authenticate, authorize, authorize_psa, constant_time_eq, create_key,
};
pub(crate) use common::parse_time;
pub(crate) use jobs::{
    JobRow, MAX_QUEUED, NewJob, STATUSES, advance_all, complete, enqueue, enqueue_in,
};
pub(crate) use keys::{KeyRefusal, KeyRules, create_from_body, list_keys, revoke_key};
pub(crate) use reasons::Reason;

use crate::guard;
use crate::service::ServiceKind;
pub(crate) use crate::state::pinata::{KeyValueFilter, parse_keyvalue_filters};
use crate::state::pinata::{PinRow, UserPolicy};
use crate::state::{AppState, Data, Tx, load_table};
use crate::store::Store;
use crate::{EmulatorError, PinataAdmin};

/// Loads Pinata's stored rows.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<PinataKey>(store, data)?;
    load_table::<PinRow>(store, data)?;
    load_table::<jobs::JobRow>(store, data)?;
    load_table::<groups::GroupRow>(store, data)?;
    load_table::<crate::state::pinata::PrivateFileRow>(store, data)?;
    load_table::<crate::state::pinata::SwapRow>(store, data)?;
    load_table::<crate::state::pinata::SignatureRow>(store, data)?;
    load_table::<UserPolicy>(store, data)?;
    Ok(())
}

/// Creates the admin key handed out at first start.
pub(crate) fn provision_admin(state: &AppState, tx: &mut Tx<'_>, user_id: &str) -> PinataAdmin {
    let key = create_key(
        state,
        tx,
        user_id,
        "pinion emulator admin",
        Some(PinataPermissions::admin()),
        None,
    );
    PinataAdmin {
        jwt: key.jwt,
        api_key: key.key,
        api_secret: key.secret,
    }
}

/// Every route of `spec/pinata.yaml`, paths as in the spec, behind the
/// [guard](crate::guard): credentials first, then the body limit except on the upload.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/data/testAuthentication", get(test_authentication))
        .route("/pinning/pinJSONToIPFS", post(pins::pin_json))
        .route("/pinning/pinByHash", post(jobs::pin_by_hash))
        .route("/pinning/pinJobs", get(jobs::list_jobs))
        .route("/pinning/hashMetadata", put(pins::hash_metadata))
        .route("/pinning/hashPinPolicy", put(pins::hash_pin_policy))
        .route("/pinning/userPinPolicy", put(pins::user_pin_policy))
        .route("/pinning/unpin/{cid}", delete(pins::unpin))
        .route("/data/pinList", get(pins::pin_list))
        .route("/data/userPinnedDataTotal", get(pins::pinned_data_total))
        // The v3 SDK requests these under `/v3` when its endpointUrl ends in `/v3`.
        .route("/v3/data/testAuthentication", get(test_authentication))
        .route("/v3/data/userPinnedDataTotal", get(pins::pinned_data_total))
        .route("/users/generateApiKey", post(keys::generate))
        .route("/users/apiKeys", get(keys::list_legacy))
        .route("/users/revokeApiKey", put(keys::revoke_legacy))
        .route("/v3/pinata/keys", post(keys::create_v3).get(keys::list_v3))
        .route("/v3/pinata/keys/{key}", put(keys::revoke_v3))
        .route("/groups", post(groups::create).get(groups::list))
        .route(
            "/groups/{id}",
            get(groups::get).put(groups::update).delete(groups::delete),
        )
        .route(
            "/groups/{id}/cids",
            put(groups::add_cids).delete(groups::remove_cids),
        )
        // The IPFS Pinning Service API, behind the same guard.
        .nest("/psa", crate::psa::pinata_router())
        .route_layer(from_fn_with_state(
            (ServiceKind::Pinata, guard::JSON_BODY_LIMIT),
            guard::json_body,
        ))
        // Streams to disk: no body limit.
        .route("/pinning/pinFileToIPFS", post(pins::pin_file))
        .route_layer(from_fn_with_state(
            (state.clone(), ServiceKind::Pinata),
            guard::authenticated,
        ))
}

/// Emulator-only routes under `/_emulator/pinata` that let tests drive Pinata's
/// asynchronous behaviour deterministically.
pub(crate) fn control_router() -> Router<AppState> {
    Router::new().route("/jobs/{id}", post(jobs::drive_job))
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
