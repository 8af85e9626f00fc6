//! `userPinnedDataTotal`, from the running totals of the pin index.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;

use super::super::authorize;
use super::super::common::ok_json;
use crate::state::AppState;
use crate::state::pinata::{account_policy, copies};

/// `GET /data/userPinnedDataTotal`: over active pins; replications per the policies.
pub(crate) async fn pinned_data_total(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "userPinnedDataTotal") {
        return refused;
    }
    let answer = state.read(|data| {
        let totals = data.pinata.pin_index.totals();
        let replicated = totals.replicated_own_policy
            + totals.size_on_account_policy * u128::from(copies(&account_policy(data)));
        let clamp = |n: u128| i64::try_from(n).unwrap_or(i64::MAX);
        wire::PinnedDataTotal {
            pin_count: clamp(u128::from(totals.count)),
            pin_size_total: wire::ByteCount::Int64(clamp(totals.size)),
            pin_size_with_replications_total: wire::ByteCount::Int64(clamp(replicated)),
        }
    });
    ok_json(&answer)
}
