//! Pinata's `/psa` over its pin-by-CID queue and pin list.
//!
//! A request queues a pin-by-CID job (its request id is the job's id; it shows in
//! `pinJobs` like any job, `meta` as the job's `keyvalues`) and moves through the same
//! states: every PSA request, like every read of `pinJobs` and `pinList`, moves the
//! queue one step. A completed job is the account's `pinList` row of the CID.
//!
//! Two requests of one CID are both accepted (the standard allows it) and, once
//! retrieved, hold the account's one `pinList` row of that CID (Pinata keeps one pin per
//! CID, and a request of a CID already pinned, by upload or otherwise, joins that pin).
//! Deleting a request unpins the CID only when no other retrieved request still holds
//! it, as `DELETE /pinning/unpin/{cid}` would; deleting a request still queued or
//! failed drops its job. Unpinning the CID through Pinata's own API ends every request
//! that held it.

use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use pinion_scopes::psa::PsaOperation;
use serde_json::Value;

use super::body::PinRequest;
use super::errors::PsaError;
use crate::content;
use crate::pinata::{self, JobRow, NewJob};
use crate::state::pinata::PinRow;
use crate::state::psa::{self, PsaRow, PsaService, PsaStatus};
use crate::state::{AppState, Tx};

/// Checks the key may run `operation` (the permissions `pinion_scopes::psa` names),
/// counting one use of it.
pub(super) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    operation: PsaOperation,
) -> Result<(), Response> {
    pinata::authorize_psa(state, headers, operation).map(drop)
}

/// Queues the job of a new request and records the request.
pub(super) fn create(
    tx: &mut Tx<'_>,
    request: &PinRequest,
    now: DateTime<Utc>,
) -> Result<PsaRow, PsaError> {
    let job = NewJob {
        cid: request.cid.clone(),
        name: request.name.clone(),
        keyvalues: request
            .meta
            .iter()
            .map(|(key, value)| (key.clone(), Value::String(value.clone())))
            .collect(),
        host_nodes: Vec::new(),
        pin_policy: None,
        group_id: None,
    };
    let job = pinata::enqueue_in(tx, job, now).map_err(|()| PsaError::QueueFull)?;
    let row = PsaRow {
        requestid: job.id,
        service: PsaService::Pinata,
        created: psa::next_created(tx, PsaService::Pinata, now),
        cid: request.cid.clone(),
        name: request.name.clone(),
        origins: request.origins.clone(),
        meta: request.meta.clone(),
        pin_id: None,
    };
    tx.put(row.clone());
    Ok(row)
}

/// Removes a live request (see the module docs).
pub(super) fn remove(tx: &mut Tx<'_>, row: &PsaRow, now: DateTime<Utc>) {
    if tx.data().pinata.jobs.contains_key(&row.requestid) {
        tx.delete::<JobRow>(&row.requestid);
    } else if let Some(pin_id) = &row.pin_id
        && !psa::pin_held_by_another(tx.data(), &row.requestid, pin_id)
        && let Some(pin) = tx
            .data()
            .pinata
            .pins
            .get(pin_id)
            .filter(|pin| pin.is_pinned())
            .cloned()
    {
        tx.update::<PinRow>(pin_id, |pin| pin.date_unpinned = Some(now));
        content::remove_public_pin(tx, &pin.cid);
    }
    tx.delete::<PsaRow>(&row.requestid);
}

/// Forces a request still in the queue (or failed) to `status`: `queued` is the job
/// status `searching`, `pinning` `retrieving` (content found: the next step completes
/// it, as for any job), `failed` `invalid_object` (Pinata's PSA shows it as failed),
/// `pinned` completes the job. `Err` with why when the request's
/// job already completed (unless `status` is `pinned`, which it is).
pub(super) fn drive(
    tx: &mut Tx<'_>,
    row: &PsaRow,
    status: PsaStatus,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let Some(job) = tx.data().pinata.jobs.get(&row.requestid).cloned() else {
        if status == PsaStatus::Pinned {
            return Ok(());
        }
        return Err(format!(
            "request {} already completed: its job left the queue",
            row.requestid
        ));
    };
    let job_status = match status {
        PsaStatus::Pinned => {
            pinata::complete(tx, &job, now);
            return Ok(());
        }
        PsaStatus::Queued => "searching",
        PsaStatus::Pinning => "retrieving",
        PsaStatus::Failed => "invalid_object",
    };
    tx.update::<JobRow>(&job.id, |job| job.status = job_status.to_owned());
    Ok(())
}
