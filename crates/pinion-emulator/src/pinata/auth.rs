//! Pinata authentication: API keys (key + secret + JWT), their permissions and
//! `maxUses`, and the check every route runs first.

use axum::http::HeaderMap;
use axum::response::Response;
use pinion_scopes::Requirement;
use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
use serde::{Deserialize, Serialize};

use super::Reason;
use crate::jwt;
use crate::secrets;
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
    permissions: Option<PinataPermissions>,
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

/// A request that passed [`authorize`].
pub(crate) struct Caller;

/// The key a request's credentials belong to, before any use of it is counted.
pub(crate) struct Identity {
    /// The key's 20-hex key (the row's key).
    key: String,
}

/// The details of a refusal for invalid credentials, as observed.
const INVALID: &str = "Invalid/expired credentials";

/// Why a known key may not run an operation.
enum Refused {
    Revoked,
    Permission(String),
    Exhausted,
}

/// Authenticates the request and checks that its key may run `operation_id` (an
/// operationId of `spec/pinata.yaml`), counting one use of the key.
///
/// Missing credentials → 400 `KEYS_MUST_BE_STRINGS`; unknown, wrong or revoked → 401
/// `INVALID_CREDENTIALS`; missing permission or `maxUses` used up → 403 `NO_PERMISSIONS`.
/// The permission and `maxUses` checks and the count are one step under the state's
/// lock, so concurrent requests never use a key more than `maxUses` times.
pub(crate) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    operation_id: &str,
) -> Result<Caller, Response> {
    let requirement = pinion_scopes::pinata::requirement(operation_id)
        .unwrap_or_else(|| panic!("{operation_id} is not an operation of spec/pinata.yaml"));
    authorize_all(state, headers, operation_id, &[requirement])
}

/// [`authorize`] for an operation of the IPFS Pinning Service API on `/psa`, which
/// needs the permissions `pinion_scopes::psa::pinata_flags` names (all of them).
pub(crate) fn authorize_psa(
    state: &AppState,
    headers: &HeaderMap,
    operation: pinion_scopes::psa::PsaOperation,
) -> Result<Caller, Response> {
    let requirements: Vec<Requirement<PinataFlag>> = pinion_scopes::psa::pinata_flags(operation)
        .iter()
        .map(|flag| Requirement::Permission(*flag))
        .collect();
    authorize_all(state, headers, operation.operation_id(), &requirements)
}

/// Authenticates the request and checks that its key meets every one of
/// `requirements`, counting one use of the key (see [`authorize`]).
fn authorize_all(
    state: &AppState,
    headers: &HeaderMap,
    operation_id: &str,
    requirements: &[Requirement<PinataFlag>],
) -> Result<Caller, Response> {
    let identity = authenticate(state, headers)?;
    let outcome = state.write(|tx| {
        let key = match tx.data().pinata.keys.get(&identity.key) {
            Some(key) if !key.revoked => key,
            _ => return Err(Refused::Revoked),
        };
        let missing = requirements.iter().find(|requirement| {
            !key.permissions
                .as_ref()
                .is_some_and(|permissions| permissions.satisfies(**requirement))
        });
        if let Some(requirement) = missing {
            let needed = match requirement {
                Requirement::Permission(flag) => format!("the {} permission", flag_name(*flag)),
                _ => "an admin key".to_owned(),
            };
            return Err(Refused::Permission(needed));
        }
        if key.max_uses.is_some_and(|max| key.uses >= max) {
            return Err(Refused::Exhausted);
        }
        tx.update::<PinataKey>(&identity.key, |row| row.uses += 1);
        Ok(())
    });
    match outcome {
        Ok(Ok(())) => Ok(Caller),
        Ok(Err(Refused::Revoked)) => Err(Reason::InvalidCredentials.error(INVALID)),
        Ok(Err(Refused::Permission(needed))) => Err(Reason::NoPermissions.error(format!(
            "This key does not have the required permissions associated with it: \
             {operation_id} needs {needed}"
        ))),
        Ok(Err(Refused::Exhausted)) => Err(Reason::NoPermissions
            .error("This key has reached its maximum number of uses (maxUses)")),
        Err(error) => Err(Reason::InternalServerError.error(error.to_string())),
    }
}

fn flag_name(flag: PinataFlag) -> &'static str {
    flag.path()
}

/// Finds the (unrevoked) key the request's credentials belong to, without counting a
/// use: what the edge checks before it reads a request's body.
pub(crate) fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Identity, Response> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let invalid = || Reason::InvalidCredentials.error(INVALID);
    if let Some(authorization) = header("authorization") {
        let token = authorization
            .strip_prefix("Bearer ")
            .or_else(|| authorization.strip_prefix("bearer "))
            .ok_or_else(invalid)?
            .trim();
        let claims: KeyClaims = jwt::verify(state.jwt_secret(), token).map_err(|_| invalid())?;
        let known = state.read(|data| {
            data.pinata
                .keys
                .get(&claims.scoped_key_key)
                .is_some_and(|key| {
                    constant_time_eq(&key.secret, &claims.scoped_key_secret) && !key.revoked
                })
        });
        if !known {
            return Err(invalid());
        }
        return Ok(Identity {
            key: claims.scoped_key_key,
        });
    }
    match (header("pinata_api_key"), header("pinata_secret_api_key")) {
        (Some(api_key), Some(secret)) => {
            let known = state.read(|data| {
                data.pinata
                    .keys
                    .get(api_key)
                    .is_some_and(|key| constant_time_eq(&key.secret, secret) && !key.revoked)
            });
            if !known {
                return Err(invalid());
            }
            Ok(Identity {
                key: api_key.to_owned(),
            })
        }
        _ => Err(Reason::KeysMustBeStrings
            .error("pinata_api_key and pinata_secret_api_key must both be strings")),
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
