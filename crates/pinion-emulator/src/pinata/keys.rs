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

/// Why a key body was refused.
pub(crate) enum KeyRefusal {
    /// Not the JSON the route takes (`keyName`, `maxUses`).
    Request(String),
    /// Permissions the service refuses.
    Permissions(String),
    /// The emulator's storage failed.
    Internal(crate::EmulatorError),
}

/// Which rules a key body follows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRules {
    /// `/users/generateApiKey`: `permissions` required.
    Legacy,
    /// The v3 routes: `permissions` optional (the v3 spec no longer requires it); none,
    /// `null` or `{}` makes a key that may call nothing.
    V3,
}

/// Creates a key from a create body (`keyName`, `permissions`, `maxUses`).
pub(crate) fn create_from_body(
    state: &AppState,
    body: &[u8],
    rules: KeyRules,
) -> Result<PinataKey, KeyRefusal> {
    let body: CreateBody = serde_json::from_slice(body).map_err(|error| {
        KeyRefusal::Request(format!(
            "the body must be {{\"keyName\", \"permissions\", \"maxUses\"?}}: {error}"
        ))
    })?;
    let Some(name) = body.key_name.filter(|name| !name.trim().is_empty()) else {
        return Err(KeyRefusal::Request(
            "keyName is required and must not be empty".into(),
        ));
    };
    let none_given = |value: &serde_json::Value| {
        value.is_null() || value.as_object().is_some_and(serde_json::Map::is_empty)
    };
    let permissions = match (body.permissions, rules) {
        (Some(value), KeyRules::V3) if none_given(&value) => None,
        (None, KeyRules::V3) => None,
        (None, KeyRules::Legacy) => {
            return Err(KeyRefusal::Permissions(
                "permissions is required: {\"admin\": true} or a complete endpoints object".into(),
            ));
        }
        (Some(value), _) => Some(
            serde_json::from_value::<PinataPermissions>(value)
                .map_err(|error| KeyRefusal::Permissions(error.to_string()))?,
        ),
    };
    let max_uses = match body.max_uses {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => match value.as_u64().filter(|n| *n > 0) {
            Some(n) => Some(n),
            None => {
                return Err(KeyRefusal::Request(format!(
                    "maxUses must be a positive integer, not {value}"
                )));
            }
        },
    };
    let user_id = state.meta().pinata_user_id;
    state
        .write(|tx| create_key(state, tx, &user_id, &name, permissions, max_uses))
        .map_err(KeyRefusal::Internal)
}

async fn create(state: AppState, body: Bytes, rules: KeyRules) -> Response {
    match create_from_body(&state, &body, rules) {
        Ok(key) => ok_json(&wire::GeneratedApiKey {
            jwt: key.jwt,
            pinata_api_key: key.key,
            pinata_api_secret: key.secret,
        }),
        Err(KeyRefusal::Request(why)) => Reason::InvalidRequest.error(why),
        Err(KeyRefusal::Permissions(why)) => Reason::InvalidPermissions.error(why),
        Err(KeyRefusal::Internal(error)) => internal(error),
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
    create(state, body, KeyRules::Legacy).await
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
    create(state, body, KeyRules::V3).await
}

/// The listed form of a key: never its secret or JWT.
fn listed(key: &PinataKey, user_id: &str) -> wire::ApiKey {
    // A key without permissions lists an empty object.
    let permissions = key
        .permissions
        .as_ref()
        .map_or_else(|| Ok(serde_json::json!({})), serde_json::to_value);
    let scopes = permissions
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
    parse_key_query(raw).map_err(|why| Reason::InvalidQuery.error(why))
}

fn parse_key_query(raw: Option<&str>) -> Result<ListQuery, String> {
    let mut query = ListQuery::default();
    let flag = |name: &str, value: &str| match value {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("{name} must be true or false, not {other:?}")),
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "offset" => {
                query.offset = value
                    .parse()
                    .map_err(|_| format!("offset must be a non-negative integer, not {value:?}"))?;
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

/// One page of keys for a list query (`revoked`, `limitedUse`, `exhausted`, `name`,
/// `offset`), as the v3 key routes answer it; `Err` explains a bad query.
pub(crate) fn list_keys(state: &AppState, raw: Option<&str>) -> Result<wire::ApiKeyList, String> {
    Ok(list(state, &parse_key_query(raw)?))
}

/// Revokes `api_key`; `false` when the account has no such key.
pub(crate) fn revoke_key(state: &AppState, api_key: &str) -> Result<bool, crate::EmulatorError> {
    let now = state.clock.now();
    state
        .write(|tx| {
            tx.update::<PinataKey>(api_key, |key| {
                key.revoked = true;
                key.updated_at = now;
            })
        })
        .map(|row| row.is_some())
}

fn revoke(state: &AppState, api_key: &str) -> Response {
    match revoke_key(state, api_key) {
        Ok(true) => ok_json(&wire::RevokeResult("Revoked".into())),
        Ok(false) => {
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
