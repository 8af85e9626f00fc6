//! Pinata's Submarine API (`spec/pinata-submarine.yaml`), served under
//! `/submarine/api/v1` on a plain address and on `managed.mypinata.cloud`.

mod auth;

use std::collections::BTreeMap;

use axum::Router;

pub(crate) use auth::{SubmarineKey, authorize, create_key};

use crate::EmulatorError;
use crate::state::{AppState, Data, Tx, load_table};
use crate::store::Store;

/// Submarine's rows.
#[derive(Default)]
pub(crate) struct SubmarineData {
    /// Submarine keys by key.
    pub(crate) keys: BTreeMap<String, SubmarineKey>,
}

/// Loads Submarine's stored rows.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<SubmarineKey>(store, data)?;
    Ok(())
}

/// Creates the Submarine key handed out at first start.
pub(crate) fn provision_admin(state: &AppState, tx: &mut Tx<'_>) -> String {
    create_key(state, tx, "pinion emulator").key
}

/// Every route of `spec/pinata-submarine.yaml`, paths as in the spec (after `/api/v1`).
pub(crate) fn router() -> Router<AppState> {
    Router::new()
}
