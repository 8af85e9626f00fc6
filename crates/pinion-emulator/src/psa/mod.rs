//! The IPFS Pinning Service API (PSA, version 1.0.0) on Pinata's host (`/psa`, under
//! `/pinata/psa` on a plain address) and W3IPFS's (`/api/psa`, under `/w3ipfs/api/psa`),
//! each over that service's own pin state: a request is one of the service's pins by
//! CID ([`pinata`], [`w3ipfs`] say how, and what two requests of one CID do).
//!
//! - Content the emulator holds publicly (uploaded as a public pin, or Submarine content
//!   made public) is retrieved: the request becomes `pinned` and shows in the service's
//!   own pin list (Pinata's `pinList`, W3IPFS's `/pinning/pins`).
//! - Content it holds only privately (Submarine, v3 private files) is not on the public
//!   network: a request of it never becomes `pinned` (Pinata's job searches, then
//!   expires like any job of content it cannot find; W3IPFS's stays `queued`).
//! - Content it does not hold stays `queued` (retrieval cannot happen offline) until
//!   the control route (`POST /_emulator/psa/{service}/pins/{requestid}`, [`control`])
//!   drives it, or, with `--psa-retrievable`, counts as retrieved on the next step.
//! - `created` is strictly increasing per service, even within one millisecond
//!   (`state::psa::next_created`), so paging with `before` never skips or repeats.
//! - `delegates` name one loopback multiaddr ([`view::delegate`]): nothing the emulator
//!   answers can lead a client to dial out.
//!
//! Pinata's `/psa` behaves as recorded (`spec/psa.sources.md`): 200 on create and
//! replace, `info.pinata_pinjob_status`, 200 `text/plain` `OK` on delete, errors in
//! Pinata's shape (`OBJECT_NOT_FOUND`, 400 `KEYS_MUST_BE_STRINGS` without credentials),
//! the key's permissions as `pinion_scopes::psa` maps them, and Pinata's rate limit
//! (429 with `Retry-After`). W3IPFS's follows the standard: 202 on create, replace and
//! delete, `Failure` errors ([`reasons`]), 401 without the login JWT.
//!
//! Bodies are `pinion_api::psa`'s types (generated from `spec/psa.yaml`), so the
//! emulator and the spec cannot drift apart.

mod body;
mod control;
mod errors;
mod handlers;
mod pinata;
mod query;
mod reasons;
mod view;
mod w3ipfs;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::{Extension, Router};

pub(crate) use reasons::PsaReason;
pub(crate) use w3ipfs::authenticate as authenticate_w3ipfs;

use crate::guard;
use crate::service::ServiceKind;
use crate::state::psa::{PsaClock, PsaRow, PsaService};
use crate::state::{AppState, Data, load_table};
use crate::store::Store;

/// Loads the PSA's stored rows.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), crate::EmulatorError> {
    load_table::<PsaRow>(store, data)?;
    load_table::<PsaClock>(store, data)?;
    Ok(())
}

/// The standard's routes, for `service`.
fn routes(service: PsaService) -> Router<AppState> {
    Router::new()
        .route("/pins", get(handlers::list).post(handlers::add))
        .route(
            "/pins/{requestid}",
            get(handlers::get)
                .post(handlers::replace)
                .delete(handlers::delete),
        )
        .layer(Extension(service))
}

/// Pinata's `/psa`, nested in Pinata's router (whose guard checks credentials and
/// limits bodies, answering in Pinata's shape, as Pinata's one middleware does).
pub(crate) fn pinata_router() -> Router<AppState> {
    routes(PsaService::Pinata)
}

/// W3IPFS's `/api/psa` (the [`ServiceKind::W3ipfsPsa`] prefix), behind the guard with
/// its own `Failure` answers.
pub(crate) fn w3ipfs_router(state: &AppState) -> Router<AppState> {
    routes(PsaService::W3ipfs)
        .route_layer(from_fn_with_state(
            (ServiceKind::W3ipfsPsa, guard::JSON_BODY_LIMIT),
            guard::json_body,
        ))
        .route_layer(from_fn_with_state(
            (state.clone(), ServiceKind::W3ipfsPsa),
            guard::authenticated,
        ))
}

/// `/_emulator/psa/...`.
pub(crate) fn control_router() -> Router<AppState> {
    Router::new().route("/{service}/pins/{requestid}", post(control::drive))
}
