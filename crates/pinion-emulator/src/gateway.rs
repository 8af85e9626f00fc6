//! The dedicated gateway: `GET /ipfs/{cid}[/path]`, served under `/gateway` on a plain
//! address and on `<name>.mypinata.cloud`.

use axum::Router;

use crate::state::AppState;

/// The gateway's routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
}
