//! The five operations of the standard, for both services: each checks the caller,
//! reads what it is given, moves the service's queue one step and answers in the
//! service's way (Pinata: 200 on create and replace, `text/plain` `OK` on delete;
//! W3IPFS: the standard's 202s).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pinion_scopes::psa::PsaOperation;

use super::body::{PinRequest, parse_pin};
use super::errors::PsaError;
use super::query::parse_list_query;
use super::view::{self, delegate, pin_status};
use super::{pinata, w3ipfs};
use crate::service::ok_text;
use crate::state::psa::{PsaRow, PsaService};
use crate::state::{AppState, Tx};

/// Checks the caller may run `operation` on `service`.
fn authorize(
    state: &AppState,
    service: PsaService,
    headers: &HeaderMap,
    operation: PsaOperation,
) -> Result<(), Response> {
    match service {
        PsaService::Pinata => pinata::authorize(state, headers, operation),
        PsaService::W3ipfs => w3ipfs::authenticate(state, headers),
    }
}

/// Moves the service's queue one step, as its own reads do.
fn advance(state: &AppState, service: PsaService) -> Result<(), PsaError> {
    match service {
        PsaService::Pinata => crate::pinata::advance_all(state)?,
        PsaService::W3ipfs => {
            let now = state.clock.now();
            state.write(|tx| crate::w3ipfs::settle(tx, now))?;
        }
    }
    Ok(())
}

/// Creates a request in a write.
fn create(
    tx: &mut Tx<'_>,
    service: PsaService,
    request: &PinRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PsaRow, PsaError> {
    match service {
        PsaService::Pinata => pinata::create(tx, request, now),
        PsaService::W3ipfs => Ok(w3ipfs::create(tx, request, now)),
    }
}

/// Removes a live request in a write.
fn remove(tx: &mut Tx<'_>, row: &PsaRow, now: chrono::DateTime<chrono::Utc>) {
    match row.service {
        PsaService::Pinata => pinata::remove(tx, row, now),
        PsaService::W3ipfs => w3ipfs::remove(tx, row, now),
    }
}

/// The live request `requestid` of `service`, cloned, or `NotFound`.
fn live_row(tx: &Tx<'_>, service: PsaService, requestid: &str) -> Result<PsaRow, PsaError> {
    view::live(tx.data(), service, requestid)
        .map(|(row, _)| row.clone())
        .ok_or_else(|| PsaError::NotFound(requestid.to_owned()))
}

/// The answer to a create or replace: the new request's `PinStatus`.
fn created(state: &AppState, service: PsaService, row: &PsaRow) -> Response {
    let delegate = delegate(state.jwt_secret());
    let status = state.read(|data| {
        view::live(data, service, &row.requestid).map(|(row, now)| pin_status(row, now, &delegate))
    });
    let Some(status) = status else {
        return PsaError::NotFound(row.requestid.clone()).answer(service);
    };
    let code = match service {
        PsaService::Pinata => StatusCode::OK,
        PsaService::W3ipfs => StatusCode::ACCEPTED,
    };
    (code, Json(status)).into_response()
}

/// The value of a step's `Ok`, or returns its refusal answered in the service's shape.
macro_rules! or_answer {
    ($service:expr, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => return PsaError::from(error).answer($service),
        }
    };
}

/// `GET /pins`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(service): Extension<PsaService>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, service, &headers, PsaOperation::List) {
        return refused;
    }
    let query = or_answer!(service, parse_list_query(raw.as_deref()));
    or_answer!(service, advance(&state, service));
    let delegate = delegate(state.jwt_secret());
    Json(state.read(|data| view::list(data, service, &query, &delegate))).into_response()
}

/// `POST /pins`.
pub(crate) async fn add(
    State(state): State<AppState>,
    Extension(service): Extension<PsaService>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, service, &headers, PsaOperation::Add) {
        return refused;
    }
    let request = or_answer!(service, parse_pin(service, &body));
    or_answer!(service, advance(&state, service));
    let now = state.clock.now();
    let row = or_answer!(
        service,
        or_answer!(
            service,
            state.write(|tx| create(tx, service, &request, now))
        )
    );
    created(&state, service, &row)
}

/// `GET /pins/{requestid}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(service): Extension<PsaService>,
    headers: HeaderMap,
    Path(requestid): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, service, &headers, PsaOperation::Get) {
        return refused;
    }
    or_answer!(service, advance(&state, service));
    let delegate = delegate(state.jwt_secret());
    let status = state.read(|data| {
        view::live(data, service, &requestid).map(|(row, now)| pin_status(row, now, &delegate))
    });
    match status {
        Some(status) => Json(status).into_response(),
        None => PsaError::NotFound(requestid).answer(service),
    }
}

/// `POST /pins/{requestid}`: a new request for the new pin; the old one is removed.
pub(crate) async fn replace(
    State(state): State<AppState>,
    Extension(service): Extension<PsaService>,
    headers: HeaderMap,
    Path(requestid): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, service, &headers, PsaOperation::Replace) {
        return refused;
    }
    let request = or_answer!(service, parse_pin(service, &body));
    or_answer!(service, advance(&state, service));
    let now = state.clock.now();
    let row = or_answer!(
        service,
        or_answer!(
            service,
            state.write(|tx| {
                let old = live_row(tx, service, &requestid)?;
                let new = create(tx, service, &request, now)?;
                remove(tx, &old, now);
                Ok::<_, PsaError>(new)
            })
        )
    );
    created(&state, service, &row)
}

/// `DELETE /pins/{requestid}`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Extension(service): Extension<PsaService>,
    headers: HeaderMap,
    Path(requestid): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, service, &headers, PsaOperation::Delete) {
        return refused;
    }
    or_answer!(service, advance(&state, service));
    let now = state.clock.now();
    or_answer!(
        service,
        or_answer!(
            service,
            state.write(|tx| {
                let row = live_row(tx, service, &requestid)?;
                remove(tx, &row, now);
                Ok::<_, PsaError>(())
            })
        )
    );
    match service {
        PsaService::Pinata => ok_text(),
        PsaService::W3ipfs => StatusCode::ACCEPTED.into_response(),
    }
}
