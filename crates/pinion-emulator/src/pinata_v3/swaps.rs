//! Hot swaps, `/files/{network}/swap/{cid}` (reference §7): `PUT` with `swap_cid` (the
//! SDK's) or `swapCid` (Pinata's spec since 2025-09), `GET ?domain=` for the history
//! newest first (`mapped_cid: null` records a removal; one account, so every domain
//! sees the same history), `DELETE`. The CID must be one of the account's files on
//! that network (404 otherwise, the SDK's "CID not pinned to account"); whether the
//! target must be too is undocumented, so any valid CID is taken. The gateway serves
//! the target through `state::pinata::swap_target`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::SecondsFormat;
use pinion_api::pinata_v3::types as wire;
use serde_json::Value;

use super::files::find_by_cid;
use super::{Network, V3Reason, error::internal, ok_json, parse_network};
use crate::state::AppState;
use crate::state::pinata::{SwapEvent, SwapRow, swap_target};

fn swap_of(event: &SwapEvent) -> wire::Swap {
    wire::Swap {
        created_at: Some(
            event
                .created_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
        ),
        mapped_cid: event.mapped_cid.clone(),
    }
}

fn not_the_accounts(network: Network, cid: &str) -> Response {
    V3Reason::NotFound.error(format!(
        "CID {cid} is not pinned to this account on the {network} network"
    ))
}

/// The swap target of a `PUT` body: `swap_cid`, or `swapCid`.
fn target_of(body: &[u8]) -> Result<String, String> {
    if let Ok(request) = serde_json::from_slice::<wire::SwapRequest>(body) {
        return Ok(request.swap_cid);
    }
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|value| value.get("swapCid")?.as_str().map(str::to_owned))
        .ok_or_else(|| "the body must be {\"swap_cid\": \"<cid>\"} (or swapCid)".to_owned())
}

/// `PUT /files/{network}/swap/{cid}`.
pub(crate) async fn add(
    State(state): State<AppState>,
    Path((network, cid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let target = match target_of(&body) {
        Ok(target) => target,
        Err(why) => return V3Reason::InvalidRequest.error(why),
    };
    let target = match pinion_cid::Cid::parse(&target) {
        Ok(target) => target.to_string(),
        Err(error) => {
            return V3Reason::InvalidRequest.error(format!("swap_cid is not a CID: {error}"));
        }
    };
    let now = state.clock.now();
    let outcome = state.write(|tx| {
        find_by_cid(tx.data(), network, &cid)?;
        let key = SwapRow::key_of(network, &cid);
        let mut row = tx
            .data()
            .pinata
            .swaps
            .get(&key)
            .cloned()
            .unwrap_or(SwapRow {
                network,
                cid: cid.clone(),
                history: Vec::new(),
            });
        let event = SwapEvent {
            mapped_cid: Some(target.clone()),
            created_at: now,
        };
        row.history.push(event.clone());
        tx.put(row);
        Some(event)
    });
    match outcome {
        Ok(Some(event)) => ok_json(&wire::SwapResponse {
            data: swap_of(&event),
        }),
        Ok(None) => not_the_accounts(network, &cid),
        Err(error) => internal(error),
    }
}

/// `GET /files/{network}/swap/{cid}?domain=`.
pub(crate) async fn history(
    State(state): State<AppState>,
    Path((network, cid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let has_domain = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .any(|(name, value)| name == "domain" && !value.is_empty());
    if !has_domain {
        return V3Reason::InvalidRequest
            .error("domain is required: the gateway domain whose swap history to read");
    }
    let history = state.read(|data| {
        let row = data.pinata.swaps.get(&SwapRow::key_of(network, &cid))?;
        Some(row.history.iter().rev().map(swap_of).collect::<Vec<_>>())
    });
    match history {
        Some(data) => ok_json(&wire::SwapHistoryResponse { data }),
        None => V3Reason::NotFound.error(format!("CID {cid} does not have history")),
    }
}

/// `DELETE /files/{network}/swap/{cid}`: `{"data":null}`.
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path((network, cid)): Path<(String, String)>,
) -> Response {
    let network = match parse_network(&network) {
        Ok(network) => network,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    let outcome = state.write(|tx| {
        swap_target(tx.data(), network, &cid)?;
        let mut row = tx.data().pinata.swaps[&SwapRow::key_of(network, &cid)].clone();
        row.history.push(SwapEvent {
            mapped_cid: None,
            created_at: now,
        });
        tx.put(row);
        Some(())
    });
    match outcome {
        Ok(Some(())) => ok_json(&wire::NullDataResponse {
            data: Some(Value::Null),
        }),
        Ok(None) => {
            V3Reason::NotFound.error(format!("CID {cid} is not swapped on the {network} network"))
        }
        Err(error) => internal(error),
    }
}
