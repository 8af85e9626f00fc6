//! The account: `GET /users/me` and the gateways list (`GET /gateways/`), which names
//! the emulator's own gateway as the user's public gateway.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pinion_api::w3ipfs::types as wire;

use super::authorize;
use super::common::{answer, parse_list_query};
use crate::state::AppState;

/// `GET /users/me`.
pub(crate) async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = authorize(&state, &headers, "getCurrentUser") {
        return refused;
    }
    let meta = state.meta();
    let created = state.read(|data| {
        data.w3ipfs
            .keys
            .values()
            .map(|key| key.created_at)
            .min()
            .unwrap_or_else(|| state.clock.now())
    });
    answer(
        StatusCode::OK,
        &wire::UserResponse {
            data: wire::UserResponseData {
                user: wire::User {
                    created_at: created,
                    email: "emulator@pinion.local".into(),
                    first_name: "pinion".into(),
                    id: meta.w3ipfs_user_id.parse().expect("user ids are UUIDs"),
                    last_name: "emulator".into(),
                    provider: Some("email".into()),
                    role: "user".into(),
                    updated_at: wire::UserUpdatedAt::DateTime(created),
                    wallet_address: String::new(),
                },
            },
            status: "success".into(),
        },
    )
}

/// `GET /gateways/` (`offset`, `limit`, `type`).
pub(crate) async fn gateways(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listGateways") {
        return refused;
    }
    let query = match parse_list_query(raw.as_deref()) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let all = [wire::Gateway {
        active: true,
        bandwidth: 0.0,
        host: format!("{host}{}", crate::wire::GATEWAY_PREFIX),
        name: "pinion emulator gateway".into(),
        operation: "active".into(),
        type_: "Public".into(),
    }];
    let selected: Vec<wire::Gateway> = all
        .into_iter()
        .filter(|g| query.gateway_type.as_ref().is_none_or(|t| g.type_ == *t))
        .collect();
    answer(
        StatusCode::OK,
        &wire::GatewayListResponse {
            data: wire::GatewayListResponseData {
                totals: selected.len() as i64,
                gateways: Some(
                    selected
                        .into_iter()
                        .skip(query.offset)
                        .take(query.limit)
                        .collect(),
                ),
            },
            status: "success".into(),
        },
    )
}
