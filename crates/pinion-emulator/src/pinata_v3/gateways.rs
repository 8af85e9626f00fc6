//! Gateway management, the part a client needs (reference §5.4): `GET /gateways` lists
//! the account's one dedicated gateway (so a client can find its id and domain) and
//! `POST`/`DELETE /gateways/{id}/access_tokens[/{token_id}]` create and delete its
//! access tokens (gateway keys), which the gateway then requires on `/ipfs/`
//! ([`crate::gateway`]). Scopes `org:gateways:read` / `org:gateways:write`, checked by
//! the v3 guard. The gateway is created on first use with a random domain label; any
//! `<label>.mypinata.cloud` host (or `/gateway` on a plain address) reaches it.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{delete, get, post};
use pinion_api::pinata_v3::types::{
    Gateway, GatewayAccessToken, GatewayAccessTokenResponse, GatewayList, GatewayListResponse,
    NullDataResponse,
};
use serde_json::{Map, Value, json};

use super::error::internal;
use super::{V3Reason, ok_json};
use crate::secrets;
use crate::state::AppState;
use crate::state::gateway::{GatewayRow, GatewayToken, ensure_gateway};

/// The gateway-management routes of the api host.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/gateways", get(list))
        .route("/gateways/{id}/access_tokens", post(create_token))
        .route(
            "/gateways/{id}/access_tokens/{access_token_id}",
            delete(delete_token),
        )
}

/// `GET /gateways?pageSize&page`: the one gateway on page 1, nothing after it.
async fn list(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let mut page = 1;
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let number = match value.parse::<u64>() {
            Ok(number) if number >= 1 => number,
            _ => {
                return V3Reason::InvalidRequest.error(format!(
                    "{name} must be a whole number from 1, not {value:?}"
                ));
            }
        };
        match name.as_ref() {
            "page" => page = number,
            "pageSize" => {}
            other => {
                return V3Reason::InvalidRequest.error(format!(
                    "unknown query parameter {other:?}: GET /gateways takes pageSize and page"
                ));
            }
        }
    }
    let now = state.clock.now();
    let gateway = match state.write(|tx| ensure_gateway(tx, now)) {
        Ok(gateway) => gateway,
        Err(error) => return internal(error),
    };
    let rows = if page == 1 {
        vec![wire_gateway(&gateway)]
    } else {
        Vec::new()
    };
    ok_json(&GatewayListResponse {
        data: GatewayList {
            count: Some(1),
            rows,
        },
    })
}

/// The gateway as Pinata lists it. `restrict` is `false` as on Pinata's own default
/// gateways, which nevertheless serve only the account's content (PinataCloud/pinata#64).
fn wire_gateway(gateway: &GatewayRow) -> Gateway {
    let tokens: Vec<Value> = gateway
        .access_tokens
        .iter()
        .map(|token| json!({ "id": token.id, "value": token.value, "createdAt": token.created_at }))
        .collect();
    let mut settings = Map::new();
    settings.insert(
        "restriction_policies".into(),
        json!({ "accessTokens": tokens, "allowedHosts": [], "allowedIPAddresses": [] }),
    );
    Gateway {
        id: gateway.id.clone(),
        domain: Some(gateway.domain.clone()),
        created_at: Some(gateway.created_at.clone()),
        restrict: Some(false),
        custom_domains: Some(Vec::new()),
        settings,
    }
}

/// `POST /gateways/{id}/access_tokens`: a new gateway key. No body.
async fn create_token(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let now = state.clock.now();
    let token = GatewayToken {
        id: secrets::uuid(),
        value: secrets::hex_string(64),
        created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
    };
    let created = state.write(|tx| {
        let gateway = ensure_gateway(tx, now);
        if gateway.id != id {
            return None;
        }
        let mut access_tokens = gateway.access_tokens.clone();
        access_tokens.push(token.clone());
        tx.put(GatewayRow {
            access_tokens,
            ..gateway
        });
        Some(())
    });
    match created {
        Ok(Some(())) => ok_json(&GatewayAccessTokenResponse {
            data: GatewayAccessToken {
                id: Some(token.id),
                value: token.value,
                created_at: Some(token.created_at),
            },
        }),
        Ok(None) => no_gateway(&id),
        Err(error) => internal(error),
    }
}

/// `DELETE /gateways/{id}/access_tokens/{access_token_id}`.
async fn delete_token(
    State(state): State<AppState>,
    Path((id, token_id)): Path<(String, String)>,
) -> Response {
    let now = state.clock.now();
    let deleted = state.write(|tx| {
        let gateway = ensure_gateway(tx, now);
        if gateway.id != id {
            return Err(no_gateway(&id));
        }
        let mut access_tokens = gateway.access_tokens.clone();
        access_tokens.retain(|token| token.id != token_id);
        if access_tokens.len() == gateway.access_tokens.len() {
            return Err(
                V3Reason::NotFound.error(format!("gateway {id} has no access token {token_id:?}"))
            );
        }
        tx.put(GatewayRow {
            access_tokens,
            ..gateway
        });
        Ok(())
    });
    match deleted {
        Ok(Ok(())) => ok_json(&NullDataResponse {
            data: Some(Value::Null),
        }),
        Ok(Err(refused)) => refused,
        Err(error) => internal(error),
    }
}

fn no_gateway(id: &str) -> Response {
    V3Reason::NotFound.error(format!("no gateway {id:?} on this account"))
}
