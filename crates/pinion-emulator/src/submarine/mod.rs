//! Pinata's Submarine API (`spec/pinata-submarine.yaml`), served under
//! `/submarine/api/v1` on a plain address and on `managed.mypinata.cloud`.

mod auth;
mod content;
mod reasons;
mod token;

pub(crate) use content::ContentRow;
pub(crate) use reasons::Reason;
pub(crate) use token::AccessClaims;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, put};

pub(crate) use auth::{SubmarineKey, authorize, create_key};

use crate::EmulatorError;
use crate::guard;
use crate::service::ServiceKind;
use crate::state::{AppState, Data, Tx, load_table};
use crate::store::Store;

/// Loads Submarine's stored rows.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<SubmarineKey>(store, data)?;
    load_table::<ContentRow>(store, data)?;
    Ok(())
}

/// Creates the Submarine key handed out at first start.
pub(crate) fn provision_admin(state: &AppState, tx: &mut Tx<'_>) -> String {
    create_key(state, tx, "pinion emulator").key
}

/// Every route of `spec/pinata-submarine.yaml`, paths as in the spec (after `/api/v1`),
/// behind the [guard](crate::guard): credentials first, then the body limit except on
/// the upload.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/content", get(content::list))
        .route("/content/json", post(content::upload_json))
        .route(
            "/content/{id}",
            get(content::get)
                .put(content::update)
                .delete(content::delete),
        )
        .route("/content/{id}/list", get(content::list_folder))
        .route("/content/{id}/metadata", put(content::update_metadata))
        .route("/auth/content/jwt", post(token::create))
        .route_layer(from_fn_with_state(
            (ServiceKind::Submarine, guard::JSON_BODY_LIMIT),
            guard::json_body,
        ))
        // Streams to disk: no body limit.
        .route("/content", post(content::upload))
        .route_layer(from_fn_with_state(
            (state.clone(), ServiceKind::Submarine),
            guard::authenticated,
        ))
}
