//! `POST /_emulator/psa/{service}/pins/{requestid}` with `{"status": "<status>"}`
//! (`queued`, `pinning`, `pinned` or `failed`): forces a PSA request's state, for tests
//! that need a request to reach a state the network would decide (`service` is
//! `pinata` or `w3ipfs`). Content the emulator holds only privately is refused
//! `pinned`: it is not on the public network, so no PSA request can pin it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{pinata, w3ipfs};
use crate::service::plain;
use crate::state::AppState;
use crate::state::psa::{PsaService, PsaStatus};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Drive {
    status: String,
}

/// Why a drive was refused.
enum Refused {
    NotFound,
    Private,
    Completed(String),
}

/// The control route (see the module docs).
pub(crate) async fn drive(
    State(state): State<AppState>,
    Path((service, requestid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let service = match service.as_str() {
        "pinata" => PsaService::Pinata,
        "w3ipfs" => PsaService::W3ipfs,
        other => {
            return plain(
                StatusCode::NOT_FOUND,
                &format!("no PSA service {other:?}: use pinata or w3ipfs"),
            );
        }
    };
    let status = match serde_json::from_slice::<Drive>(&body)
        .ok()
        .and_then(|drive| PsaStatus::parse(&drive.status))
    {
        Some(status) => status,
        None => {
            return plain(
                StatusCode::BAD_REQUEST,
                "the body must be JSON like {\"status\": \"pinned\"}, the status one of \
                 queued, pinning, pinned, failed",
            );
        }
    };
    let now = state.clock.now();
    let result = state.write(|tx| {
        let Some((row, _)) = super::view::live(tx.data(), service, &requestid) else {
            return Err(Refused::NotFound);
        };
        let row = row.clone();
        let private = tx
            .data()
            .objects
            .get(&row.cid)
            .is_some_and(|object| !object.is_published());
        if private && status == PsaStatus::Pinned {
            return Err(Refused::Private);
        }
        match service {
            PsaService::Pinata => pinata::drive(tx, &row, status, now).map_err(Refused::Completed),
            PsaService::W3ipfs => {
                w3ipfs::drive(tx, &row, status, now);
                Ok(())
            }
        }
    });
    match result {
        Ok(Ok(())) => plain(StatusCode::OK, status.name()),
        Ok(Err(Refused::NotFound)) => plain(
            StatusCode::NOT_FOUND,
            &format!(
                "there is no live {} PSA request {requestid}",
                service.name()
            ),
        ),
        Ok(Err(Refused::Private)) => plain(
            StatusCode::CONFLICT,
            "the emulator holds this content only privately: it is not on the public \
             network, so no PSA request can pin it",
        ),
        Ok(Err(Refused::Completed(why))) => plain(StatusCode::CONFLICT, &why),
        Err(error) => plain(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}
