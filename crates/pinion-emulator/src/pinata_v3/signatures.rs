//! CID signatures, `/files/{network}/signature/{cid}` (reference §8): `POST`
//! `{"signature", "address"}` on a CID that is one of the account's files on that
//! network (404 otherwise; 409 when it already has one), `GET` of any CID's signature
//! (404 when none), `DELETE` (404 when none). The EIP-712 signature is stored as given,
//! not verified (whether Pinata verifies it is undocumented; see
//! `spec/pinata-v3.sources.md`). The gateway sends it as `pinata-signature` through
//! `state::pinata::signature_of`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use pinion_api::pinata_v3::types as wire;
use serde_json::Value;

use super::files::find_by_cid;
use super::{V3Reason, error::internal, ok_json, parse_network};
use crate::state::AppState;
use crate::state::pinata::{SignatureRow, signature_of};

fn signature_response(row: &SignatureRow) -> Response {
    ok_json(&wire::SignatureResponse {
        data: wire::Signature {
            cid: Some(row.cid.clone()),
            signature: Some(row.signature.clone()),
        },
    })
}

fn no_signature(cid: &str) -> Response {
    V3Reason::NotFound.error(format!("CID {cid} has no signature"))
}

/// `POST /files/{network}/signature/{cid}`.
pub(crate) async fn add(
    State(state): State<AppState>,
    Path((network, cid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let request: wire::SignatureRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return V3Reason::InvalidRequest.error(format!(
                "the body must be {{\"signature\": \"0x…\", \"address\": \"0x…\"}}: {error}"
            ));
        }
    };
    if request.signature.is_empty() || request.address.is_empty() {
        return V3Reason::InvalidRequest.error("signature and address must not be empty");
    }
    let now = state.clock.now();
    let outcome = state.write(|tx| {
        if find_by_cid(tx.data(), network, &cid).is_none() {
            return Err(V3Reason::NotFound.error(format!(
                "CID {cid} is not pinned to this account on the {network} network"
            )));
        }
        if signature_of(tx.data(), &cid).is_some() {
            return Err(V3Reason::Conflict.error(format!("CID {cid} already has a signature")));
        }
        let row = SignatureRow {
            cid: cid.clone(),
            signature: request.signature.clone(),
            address: request.address.clone(),
            created_at: now,
        };
        tx.put(row.clone());
        Ok(row)
    });
    match outcome {
        Ok(Ok(row)) => signature_response(&row),
        Ok(Err(refused)) => refused,
        Err(error) => internal(error),
    }
}

/// `GET /files/{network}/signature/{cid}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Path((_network, cid)): Path<(String, String)>,
) -> Response {
    match state.read(|data| signature_of(data, &cid).cloned()) {
        Some(row) => signature_response(&row),
        None => no_signature(&cid),
    }
}

/// `DELETE /files/{network}/signature/{cid}`: `{"data":null}`.
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path((_network, cid)): Path<(String, String)>,
) -> Response {
    match state.write(|tx| tx.delete::<SignatureRow>(&cid)) {
        Ok(Some(_)) => ok_json(&wire::NullDataResponse {
            data: Some(Value::Null),
        }),
        Ok(None) => no_signature(&cid),
        Err(error) => internal(error),
    }
}
