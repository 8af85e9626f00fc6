//! The deprecated pin policies: `hashPinPolicy` and `userPinPolicy`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;

use super::super::Reason;
use super::super::authorize;
use super::super::common::{internal, parse_json};
use super::{PinRow, active_pin};
use crate::service::ok_text;
use crate::state::AppState;
use crate::state::pinata::UserPolicy;

fn check_policy(policy: &wire::PinPolicy) -> Result<(), Response> {
    const REGIONS: [&str; 2] = ["FRA1", "NYC1"];
    for region in &policy.regions {
        if !REGIONS.contains(&region.id.as_str()) {
            return Err(Reason::InvalidPinPolicy.error(format!(
                "unknown region {:?}: the regions are FRA1 and NYC1",
                region.id
            )));
        }
        if !(0..=2).contains(&region.desired_replication_count) {
            return Err(Reason::InvalidPinPolicy.error(format!(
                "desiredReplicationCount of {} must be between 0 and 2, not {}",
                region.id, region.desired_replication_count
            )));
        }
    }
    Ok(())
}

/// `PUT /pinning/hashPinPolicy` (deprecated).
pub(crate) async fn hash_pin_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateHashPinPolicy") {
        return refused;
    }
    let request: wire::HashPinPolicyRequest = match parse_json(&body, "hashPinPolicy request") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    if let Err(refused) = check_policy(&request.new_pin_policy) {
        return refused;
    }
    let result = state.write(|tx| {
        let id = active_pin(tx.data(), &request.ipfs_pin_hash).map(|row| row.id.clone())?;
        tx.update::<PinRow>(&id, |row| {
            row.pin_policy = Some(request.new_pin_policy.clone())
        })
    });
    match result {
        Ok(Some(_)) => ok_text(),
        Ok(None) => {
            Reason::ObjectNotFound.error(format!("no active pin of {}", request.ipfs_pin_hash))
        }
        Err(error) => internal(error),
    }
}

/// `PUT /pinning/userPinPolicy` (deprecated).
pub(crate) async fn user_pin_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateUserPinPolicy") {
        return refused;
    }
    let request: wire::UserPinPolicyRequest = match parse_json(&body, "userPinPolicy request") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    if let Err(refused) = check_policy(&request.new_pin_policy) {
        return refused;
    }
    match state.write(|tx| {
        tx.put(UserPolicy {
            policy: request.new_pin_policy.clone(),
        })
    }) {
        Ok(()) => ok_text(),
        Err(error) => internal(error),
    }
}
