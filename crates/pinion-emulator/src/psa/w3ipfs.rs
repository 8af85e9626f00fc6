//! W3IPFS's `/api/psa` over its pin list.
//!
//! A request is a pin by CID in `/pinning/pins` (its request id is the pin's id,
//! `is_pin_by_hash`, `meta` as the pin's `keyvalues`): `RETRIEVAL` until the emulator
//! holds the CID's content publicly (then `DONE` on the next read, as W3IPFS's own pins
//! by CID). Authentication is the user's login JWT as bearer token, as on the service.
//!
//! Two requests of one CID are two pins (the standard allows it, and kubo may send
//! both); W3IPFS's own `POST /pinning/pinByHash` still refuses a CID with an active pin,
//! whoever made it. Deleting a request unpins its pin (kept, `date_unpinned` set, as the
//! service's own unpin does); unpinning it through `/pinning/unpin` ends the request.

use axum::http::{HeaderMap, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::body::PinRequest;
use super::reasons::PsaReason;
use crate::content;
use crate::state::psa::{self, PsaRow, PsaService, PsaStatus, W3IPFS_FAILED};
use crate::state::w3ipfs::PinRow;
use crate::state::{AppState, Tx};
use crate::w3ipfs;

/// Checks for the user's login JWT as bearer token (what the edge checks before the
/// body is read, and every handler again).
pub(crate) fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let Some(authorization) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    else {
        return Err(PsaReason::Unauthorized
            .error("an access token is required: Authorization: Bearer <login JWT>"));
    };
    let token = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .ok_or_else(|| {
            PsaReason::Unauthorized.error("the access token must be sent as Bearer <login JWT>")
        })?
        .trim();
    w3ipfs::check_session(state, token)
        .map_err(|refusal| PsaReason::Unauthorized.error(refusal.message()))
}

/// Creates the pin of a new request and records the request.
pub(super) fn create(tx: &mut Tx<'_>, request: &PinRequest, now: DateTime<Utc>) -> PsaRow {
    let created = psa::next_created(tx, PsaService::W3ipfs, now);
    let keyvalues: Map<String, Value> = request
        .meta
        .iter()
        .map(|(key, value)| (key.clone(), Value::String(value.clone())))
        .collect();
    let row = PsaRow {
        requestid: crate::secrets::uuid(),
        service: PsaService::W3ipfs,
        created,
        cid: request.cid.clone(),
        name: request.name.clone(),
        origins: request.origins.clone(),
        meta: request.meta.clone(),
        pin_id: None,
    };
    tx.put(PinRow {
        id: row.requestid.clone(),
        cid: request.cid.clone(),
        size: 0,
        file_record_id: None,
        date_pinned: created,
        date_unpinned: None,
        created_at: created,
        updated_at: created,
        pinned: false,
        is_pin_by_hash: true,
        is_dir: false,
        name: request.name.clone().or_else(|| Some(request.cid.clone())),
        mime_type: None,
        keyvalues: (!keyvalues.is_empty()).then_some(keyvalues),
        status: "RETRIEVAL".into(),
    });
    tx.put(row.clone());
    row
}

/// Removes a live request: unpins its pin.
pub(super) fn remove(tx: &mut Tx<'_>, row: &PsaRow, now: DateTime<Utc>) {
    w3ipfs::unpin_row(tx, &row.requestid, now);
    tx.delete::<PsaRow>(&row.requestid);
}

/// Forces a live request's pin to `status`: `queued` is `RETRIEVAL`, `pinning`
/// `PENDING`, `failed` the emulator's `FAILED`, `pinned` `DONE` (with the content's size
/// when the emulator holds it).
pub(super) fn drive(tx: &mut Tx<'_>, row: &PsaRow, status: PsaStatus, now: DateTime<Utc>) {
    let Some(pin) = tx.data().w3ipfs.pins.get(&row.requestid).cloned() else {
        return;
    };
    let pinned = status == PsaStatus::Pinned;
    if pin.pinned && !pinned {
        content::remove_public_pin(tx, &pin.cid);
    } else if !pin.pinned && pinned {
        content::add_public_pin(tx, &pin.cid);
    }
    let object = content::published(tx.data(), &pin.cid).cloned();
    tx.update::<PinRow>(&row.requestid, |pin| {
        pin.status = match status {
            PsaStatus::Queued => "RETRIEVAL",
            PsaStatus::Pinning => "PENDING",
            PsaStatus::Pinned => "DONE",
            PsaStatus::Failed => W3IPFS_FAILED,
        }
        .to_owned();
        pin.pinned = pinned;
        if pinned {
            pin.size = object.as_ref().map_or(0, |object| object.byte_len);
            pin.is_dir = object.as_ref().is_some_and(|object| object.is_directory());
            pin.file_record_id = Some(crate::secrets::uuid());
            pin.date_pinned = now;
        }
        pin.updated_at = now;
    });
}
