//! API keys: the legacy `/users/*` routes and the v3 `/v3/pinata/keys` routes (which
//! take the bearer JWT only). Creation follows the service's rules: a non-empty name,
//! and either `admin: true` or a complete `endpoints` object, never both.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;
use pinion_scopes::pinata::PinataPermissions;
use serde::Deserialize;

use super::Reason;
use super::common::{internal, ok_json};
use super::{Caller, PinataKey, authorize, create_key};
use crate::state::AppState;

/// Keys per page of the legacy list.
const LEGACY_PAGE: usize = 10;

#[derive(Deserialize)]
struct CreateBody {
    #[serde(rename = "keyName")]
    key_name: Option<String>,
    #[serde(rename = "maxUses")]
    max_uses: Option<serde_json::Value>,
    permissions: Option<serde_json::Value>,
}

fn authorize_v3(
    state: &AppState,
    headers: &HeaderMap,
    operation: &str,
) -> Result<Caller, Response> {
    let caller = authorize(state, headers, operation)?;
    if !caller.by_jwt {
        return Err(Reason::InvalidCredentials
            .error("the v3 API takes the JWT only: send Authorization: Bearer <JWT>"));
    }
    Ok(caller)
}

async fn create(state: AppState, body: Bytes) -> Response {
    let body: CreateBody = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(error) => {
            return Reason::InvalidRequest.error(format!(
                "the body must be {{\"keyName\", \"permissions\", \"maxUses\"?}}: {error}"
            ));
        }
    };
    let Some(name) = body.key_name.filter(|name| !name.trim().is_empty()) else {
        return Reason::InvalidRequest.error("keyName is required and must not be empty");
    };
    let Some(permissions) = body.permissions else {
        return Reason::InvalidPermissions
            .error("permissions is required: {\"admin\": true} or a complete endpoints object");
    };
    let permissions: PinataPermissions = match serde_json::from_value(permissions) {
        Ok(permissions) => permissions,
        Err(error) => return Reason::InvalidPermissions.error(error.to_string()),
    };
    let max_uses = match body.max_uses {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => match value.as_u64().filter(|n| *n > 0) {
            Some(n) => Some(n),
            None => {
                return Reason::InvalidRequest
                    .error(format!("maxUses must be a positive integer, not {value}"));
            }
        },
    };
    let user_id = state.meta().pinata_user_id;
    match state.write(|tx| create_key(&state, tx, &user_id, &name, permissions, max_uses)) {
        Ok(key) => ok_json(&wire::GeneratedApiKey {
            jwt: key.jwt,
            pinata_api_key: key.key,
            pinata_api_secret: key.secret,
        }),
        Err(error) => internal(error),
    }
}

/// `POST /users/generateApiKey`.
pub(crate) async fn generate(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "generateApiKey") {
        return refused;
    }
    create(state, body).await
}

/// `POST /v3/pinata/keys`.
pub(crate) async fn create_v3(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize_v3(&state, &headers, "createKeyV3") {
        return refused;
    }
    create(state, body).await
}

/// The listed form of a key: never its secret or JWT.
fn listed(key: &PinataKey, user_id: &str) -> wire::ApiKey {
    let scopes = serde_json::to_value(&key.permissions)
        .and_then(serde_json::from_value)
        .expect("stored permissions match the spec's KeyPermissions");
    wire::ApiKey {
        created_at: key.created_at,
        id: key.id.parse().expect("key ids are UUIDs"),
        key: key.key.clone(),
        max_uses: key.max_uses.map(|n| n as i64),
        name: key.name.clone(),
        revoked: key.revoked,
        scopes,
        secret: None,
        updated_at: key.updated_at,
        user_id: user_id.parse().expect("user ids are UUIDs"),
        uses: key.uses as i64,
    }
}

#[derive(Default)]
struct ListQuery {
    offset: usize,
    revoked: Option<bool>,
    limited_use: Option<bool>,
    exhausted: Option<bool>,
    name: Option<String>,
}

fn parse_list_query(raw: Option<&str>) -> Result<ListQuery, Response> {
    let mut query = ListQuery::default();
    let flag = |name: &str, value: &str| match value {
        "true" => Ok(true),
        "false" => Ok(false),
        other => {
            Err(Reason::InvalidQuery.error(format!("{name} must be true or false, not {other:?}")))
        }
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "offset" => {
                query.offset = value.parse().map_err(|_| {
                    Reason::InvalidQuery.error(format!(
                        "offset must be a non-negative integer, not {value:?}"
                    ))
                })?;
            }
            "revoked" => query.revoked = Some(flag("revoked", &value)?),
            "limitedUse" => query.limited_use = Some(flag("limitedUse", &value)?),
            "exhausted" => query.exhausted = Some(flag("exhausted", &value)?),
            "name" => query.name = Some(value.into_owned()),
            _ => {}
        }
    }
    Ok(query)
}

fn list(state: &AppState, query: &ListQuery) -> wire::ApiKeyList {
    let user_id = state.meta().pinata_user_id;
    state.read(|data| {
        let mut keys: Vec<&PinataKey> = data
            .pinata
            .keys
            .values()
            .filter(|k| query.revoked.is_none_or(|r| k.revoked == r))
            .filter(|k| query.limited_use.is_none_or(|l| k.max_uses.is_some() == l))
            .filter(|k| {
                query
                    .exhausted
                    .is_none_or(|e| k.max_uses.is_some_and(|max| k.uses >= max) == e)
            })
            .filter(|k| {
                query
                    .name
                    .as_ref()
                    .is_none_or(|n| k.name.to_lowercase().contains(&n.to_lowercase()))
            })
            .collect();
        keys.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        wire::ApiKeyList {
            count: keys.len() as i64,
            keys: keys
                .into_iter()
                .skip(query.offset)
                .take(LEGACY_PAGE)
                .map(|key| listed(key, &user_id))
                .collect(),
        }
    })
}

/// `GET /users/apiKeys` (pages of 10, `offset`).
pub(crate) async fn list_legacy(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listApiKeys") {
        return refused;
    }
    match parse_list_query(raw.as_deref()) {
        Ok(query) => ok_json(&list(
            &state,
            &ListQuery {
                offset: query.offset,
                ..ListQuery::default()
            },
        )),
        Err(refused) => refused,
    }
}

/// `GET /v3/pinata/keys` (filters `revoked`, `limitedUse`, `exhausted`, `name`).
pub(crate) async fn list_v3(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize_v3(&state, &headers, "listKeysV3") {
        return refused;
    }
    match parse_list_query(raw.as_deref()) {
        Ok(query) => ok_json(&list(&state, &query)),
        Err(refused) => refused,
    }
}

fn revoke(state: &AppState, api_key: &str) -> Response {
    let now = state.clock.now();
    match state.write(|tx| {
        tx.update::<PinataKey>(api_key, |key| {
            key.revoked = true;
            key.updated_at = now;
        })
    }) {
        Ok(Some(_)) => ok_json(&wire::RevokeResult("Revoked".into())),
        Ok(None) => {
            Reason::ObjectNotFound.error(format!("there is no API key {api_key:?} in this account"))
        }
        Err(error) => internal(error),
    }
}

/// `PUT /users/revokeApiKey` with `{"apiKey"}`.
pub(crate) async fn revoke_legacy(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "revokeApiKey") {
        return refused;
    }
    let request: wire::RevokeApiKeyRequest =
        match super::common::parse_json(&body, "{\"apiKey\"} object") {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    revoke(&state, &request.api_key)
}

/// `PUT /v3/pinata/keys/{key}`.
pub(crate) async fn revoke_v3(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Response {
    if let Err(refused) = authorize_v3(&state, &headers, "revokeKeyV3") {
        return refused;
    }
    revoke(&state, &key)
}
