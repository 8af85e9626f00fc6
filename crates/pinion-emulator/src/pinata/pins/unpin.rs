//! `unpin`.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::super::Reason;
use super::super::authorize;
use super::super::common::internal;
use super::{PinRow, active_pin};
use crate::content;
use crate::service::ok_text;
use crate::state::AppState;

/// `DELETE /pinning/unpin/{cid}`: keeps the row with `date_unpinned`, cancels queued
/// pin-by-CID jobs of the CID.
pub(crate) async fn unpin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(cid): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "unpin") {
        return refused;
    }
    let now = state.clock.now();
    let result = state.write(|tx| {
        let pin = active_pin(tx.data(), &cid).map(|row| row.id.clone());
        let jobs: Vec<String> = tx
            .data()
            .pinata
            .jobs
            .values()
            .filter(|job| job.cid == cid)
            .map(|job| job.id.clone())
            .collect();
        for job in &jobs {
            tx.delete::<super::super::JobRow>(job);
        }
        match pin {
            Some(id) => {
                tx.update::<PinRow>(&id, |row| row.date_unpinned = Some(now));
                content::remove_public_pin(tx, &cid);
                true
            }
            None => !jobs.is_empty(),
        }
    });
    match result {
        Ok(true) => ok_text(),
        Ok(false) => Reason::ObjectNotFound.error(format!(
            "Your account does not currently have any record associated with this ID: no active pin of {cid}"
        )),
        Err(error) => internal(error),
    }
}
