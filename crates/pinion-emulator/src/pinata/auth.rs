//! Pinata authentication: API keys (key + secret + JWT), their permissions and
//! `maxUses`, and the check every route runs first.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pinion_scopes::Requirement;
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
use serde::{Deserialize, Serialize};

use crate::jwt;
use crate::secrets;
use crate::service::pinata_error;
pub(crate) use crate::state::pinata::PinataKey;
use crate::state::{AppState, Tx};

/// The claims of a Pinata API-key JWT, as decoded from real keys (reference §1.2).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct KeyClaims {
    pub(crate) user_information: serde_json::Value,
    pub(crate) authentication_type: String,
    pub(crate) scoped_key_key: String,
    pub(crate) scoped_key_secret: String,
    pub(crate) iat: i64,
}

/// Creates (and stores) a new key for the account.
pub(crate) fn create_key(
    state: &AppState,
    tx: &mut Tx<'_>,
    user_id: &str,
    name: &str,
    permissions: PinataPermissions,
    max_uses: Option<u64>,
) -> PinataKey {
    let now = state.clock.now();
    let key = secrets::hex_string(20);
    let secret = secrets::hex_string(64);
    let claims = KeyClaims {
        user_information: serde_json::json!({
            "id": user_id,
            "email": "emulator@pinion.local",
            "email_verified": true,
            "pin_policy": {
                "regions": [
                    { "id": "FRA1", "desiredReplicationCount": 1 },
                    { "id": "NYC1", "desiredReplicationCount": 1 }
                ],
                "version": 1
            },
            "mfa_enabled": false,
            "status": "ACTIVE"
        }),
        authentication_type: "scopedKey".into(),
        scoped_key_key: key.clone(),
        scoped_key_secret: secret.clone(),
        iat: now.timestamp(),
    };
    let row = PinataKey {
        id: secrets::uuid(),
        name: name.to_owned(),
        jwt: jwt::sign(state.jwt_secret(), &claims),
        key,
        secret,
        permissions,
        max_uses,
        uses: 0,
        revoked: false,
        created_at: now,
        updated_at: now,
    };
    tx.put(row.clone());
    row
}

/// What a request authenticated as.
pub(crate) struct Caller {
    /// Whether it came with the bearer JWT (the v3 routes take nothing else).
    pub(crate) by_jwt: bool,
}

const INVALID: (&str, &str) = ("INVALID_CREDENTIALS", "Invalid/expired credentials");

/// Authenticates the request and checks that its key may run `operation_id` (an
/// operationId of `spec/pinata.yaml`), counting one use of the key.
///
/// Missing credentials → 400 `KEYS_MUST_BE_STRINGS`; unknown, wrong or revoked → 401
/// `INVALID_CREDENTIALS`; missing permission or `maxUses` used up → 403 `NO_PERMISSIONS`.
pub(crate) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    operation_id: &str,
) -> Result<Caller, Response> {
    let (key, by_jwt) = identify(state, headers)?;
    let requirement = pinion_scopes::pinata::requirement(operation_id)
        .unwrap_or_else(|| panic!("{operation_id} is not an operation of spec/pinata.yaml"));
    if !key.permissions.satisfies(requirement) {
        let needed = match requirement {
            Requirement::Permission(flag) => format!("the {} permission", flag_name(flag)),
            _ => "an admin key".to_owned(),
        };
        return Err(pinata_error(
            StatusCode::FORBIDDEN,
            "NO_PERMISSIONS",
            &format!(
                "This key does not have the required permissions associated with it: {operation_id} needs {needed}"
            ),
        ));
    }
    if key.max_uses.is_some_and(|max| key.uses >= max) {
        return Err(pinata_error(
            StatusCode::FORBIDDEN,
            "NO_PERMISSIONS",
            "This key has reached its maximum number of uses (maxUses)",
        ));
    }
    state
        .write(|tx| tx.update::<PinataKey>(&key.key, |row| row.uses += 1))
        .map_err(|error| {
            pinata_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                &error.to_string(),
            )
        })?;
    Ok(Caller { by_jwt })
}

fn flag_name(flag: PinataFlag) -> &'static str {
    flag.path()
}

/// Finds the (unrevoked) key the request's credentials belong to.
fn identify(state: &AppState, headers: &HeaderMap) -> Result<(PinataKey, bool), Response> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let invalid = || pinata_error(StatusCode::UNAUTHORIZED, INVALID.0, INVALID.1);
    if let Some(authorization) = header("authorization") {
        let token = authorization
            .strip_prefix("Bearer ")
            .or_else(|| authorization.strip_prefix("bearer "))
            .ok_or_else(invalid)?
            .trim();
        let claims: KeyClaims = jwt::verify(state.jwt_secret(), token).map_err(|_| invalid())?;
        let key = state
            .read(|data| data.pinata.keys.get(&claims.scoped_key_key).cloned())
            .filter(|key| key.secret == claims.scoped_key_secret && !key.revoked)
            .ok_or_else(invalid)?;
        return Ok((key, true));
    }
    match (header("pinata_api_key"), header("pinata_secret_api_key")) {
        (Some(api_key), Some(secret)) => {
            let key = state
                .read(|data| data.pinata.keys.get(api_key).cloned())
                .filter(|key| constant_time_eq(&key.secret, secret) && !key.revoked)
                .ok_or_else(invalid)?;
            Ok((key, false))
        }
        _ => Err(pinata_error(
            StatusCode::BAD_REQUEST,
            "KEYS_MUST_BE_STRINGS",
            "pinata_api_key and pinata_secret_api_key must both be strings",
        )),
    }
}

/// Compares secrets without leaking where they differ through timing.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
