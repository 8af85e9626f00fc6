//! W3IPFS authentication: API key pairs with scopes, and the account's session JWT
//! (which acts for the user, like an admin key).

use axum::http::HeaderMap;
use axum::response::Response;
use pinion_scopes::w3ipfs::W3ipfsScopes;
use serde::{Deserialize, Serialize};

use super::Reason;
use crate::jwt::{self, JwtError};
use crate::pinata::constant_time_eq;
use crate::secrets;
pub(crate) use crate::state::w3ipfs::W3ipfsKey;
use crate::state::{AppState, Tx};

/// The name of the key every account has and cannot delete.
pub(crate) const DEFAULT_KEY_NAME: &str = "Default";

/// Creates (and stores) a key pair.
pub(crate) fn create_key(
    state: &AppState,
    tx: &mut Tx<'_>,
    name: &str,
    scopes: W3ipfsScopes,
) -> W3ipfsKey {
    let now = state.clock.now();
    let row = W3ipfsKey {
        id: secrets::uuid(),
        name: name.to_owned(),
        api_key: secrets::base64_of::<16>(),
        secret_key: secrets::base64_of::<32>(),
        scopes,
        created_at: now,
        updated_at: now,
    };
    tx.put(row.clone());
    row
}

/// Claims of a W3IPFS session token (`exp`, `iat`, `nbf`, `sub`; reference §3.1).
#[derive(Serialize, Deserialize)]
pub(crate) struct SessionClaims {
    pub(crate) sub: String,
    pub(crate) iat: i64,
    pub(crate) nbf: i64,
    pub(crate) exp: i64,
}

/// Issues a session JWT for the user, valid for `lifetime`.
pub(crate) fn session_token(state: &AppState, user_id: &str, lifetime: chrono::Duration) -> String {
    let now = state.clock.unix_seconds();
    jwt::sign(
        state.jwt_secret(),
        &SessionClaims {
            sub: user_id.to_owned(),
            iat: now,
            nbf: now,
            exp: now + lifetime.num_seconds(),
        },
    )
}

/// Who a request authenticated as.
pub(crate) enum Caller {
    /// The user's session JWT: acts for the user with every right.
    Session,
    /// An API key pair with the scope the operation needs.
    Key,
}

fn unauthorized(message: &str) -> Response {
    Reason::InvalidCredentials.error(message)
}

/// Authenticates the request and checks it may run `operation_id` (an operationId of
/// `spec/w3ipfs.yaml`).
///
/// No credentials → 401 "You are not logged in"; a bad token or key pair → 401; a key
/// without the scope → 403.
pub(crate) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    operation_id: &str,
) -> Result<Caller, Response> {
    let requirement = pinion_scopes::w3ipfs::requirement(operation_id)
        .unwrap_or_else(|| panic!("{operation_id} is not an operation of spec/w3ipfs.yaml"));
    match authenticate(state, headers)? {
        Credential::Session => Ok(Caller::Session),
        Credential::Key(scopes) if scopes.satisfies(requirement) => Ok(Caller::Key),
        Credential::Key(_) => Err(Reason::MissingScope.error(format!(
            "{} for {operation_id}",
            Reason::MissingScope.text()
        ))),
    }
}

/// What a request's credentials turned out to be.
pub(crate) enum Credential {
    /// The user's session JWT.
    Session,
    /// An API key pair with these scopes.
    Key(W3ipfsScopes),
}

/// Checks the request's credentials (a key pair or the session JWT) without looking at
/// what they are for: what the edge checks before it reads a request's body.
pub(crate) fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Credential, Response> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let (Some(api_key), Some(secret)) = (header("pinning_api_key"), header("pinning_secret_key"))
    {
        return state
            .read(|data| {
                data.w3ipfs
                    .keys
                    .values()
                    .find(|k| k.api_key == api_key)
                    .filter(|key| constant_time_eq(&key.secret_key, secret))
                    .map(|key| Credential::Key(key.scopes.clone()))
            })
            .ok_or_else(|| Reason::InvalidCredentials.answer());
    }
    if let Some(authorization) = header("authorization") {
        let token = authorization
            .strip_prefix("Bearer ")
            .or_else(|| authorization.strip_prefix("bearer "))
            .unwrap_or(authorization)
            .trim();
        return check_session(state, token)
            .map(|()| Credential::Session)
            .map_err(|refusal| unauthorized(refusal.message()));
    }
    Err(Reason::NotLoggedIn.answer())
}

/// Why a session token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SessionRefusal {
    /// Not a JWT at all.
    Malformed,
    /// Not signed by the emulator, or for another user.
    Invalid,
    /// Past its `exp`.
    Expired,
}

impl SessionRefusal {
    /// The service's text for it.
    pub(crate) fn message(self) -> &'static str {
        match self {
            SessionRefusal::Malformed => "validate: token contains an invalid number of segments",
            SessionRefusal::Invalid => "validate: signature is invalid",
            SessionRefusal::Expired => "validate: Token is expired",
        }
    }
}

/// Checks that `token` is a valid, unexpired session JWT of the emulated user.
pub(crate) fn check_session(state: &AppState, token: &str) -> Result<(), SessionRefusal> {
    let claims: SessionClaims =
        jwt::verify(state.jwt_secret(), token).map_err(|error| match error {
            JwtError::Malformed => SessionRefusal::Malformed,
            JwtError::Invalid => SessionRefusal::Invalid,
        })?;
    if claims.sub != state.meta().w3ipfs_user_id {
        return Err(SessionRefusal::Invalid);
    }
    if claims.exp <= state.clock.unix_seconds() {
        return Err(SessionRefusal::Expired);
    }
    Ok(())
}
