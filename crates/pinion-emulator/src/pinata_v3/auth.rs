//! v3 authorization: which operation a request calls (`pinion-scopes`' table), and
//! whether its key may call it. The router's [`guard`] runs it before every v3 handler,
//! so no handler checks scopes itself.

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use pinion_scopes::Requirement;
use pinion_scopes::pinata_v3::{ResourceScope, V3Access, V3Authorization, V3Host, V3Operation};

use super::V3Reason;
use crate::jwt;
use crate::pinata::{KeyClaims, PinataKey, constant_time_eq};
use crate::state::AppState;

/// The key a v3 request was authorized with.
#[derive(Clone, Debug)]
#[allow(dead_code)] // Read by the handlers that act on the caller's own key.
pub(crate) struct V3Caller {
    /// The key's 20-hex public key (the key table's row key).
    pub(crate) key: String,
}

/// The operation `method` on `path` calls on `host`. The api host's router also serves
/// the uploads host's routes (the SDK's one-base setup, `endpointUrl = uploadUrl`), so
/// there the api host's operations are tried first, then the uploads host's.
pub(crate) fn operation(host: V3Host, method: &str, path: &str) -> Option<V3Operation> {
    match host {
        V3Host::Api => V3Operation::find_on_either_host(method, path),
        _ => V3Operation::find(host, method, path),
    }
}

/// Authorizes a request for `method` on `path` (the v3 path, with or without `/v3`) on
/// `host`, counting one use of its key when a key is what authorizes the operation.
///
/// Unknown operation → 404. Operations authorized by a signed URL or by nothing
/// ([`V3Authorization::SignedUrl`], [`V3Authorization::Open`]) pass without a key and
/// without a caller (`Ok(None)`): their handler checks the signature. Otherwise the
/// request needs `Authorization: Bearer <JWT>` of an unrevoked key: none (or only the
/// legacy key-pair headers) → 401 "no Authorization header found"; unknown or revoked →
/// 401; a key with only legacy `endpoints` permissions → 401 "no Authorization header
/// found" (observed); missing `resources` scope or `maxUses` used up → 403. The checks
/// and the count are one step under the state's lock, so concurrent requests never use
/// a key more than `maxUses` times.
pub(crate) fn authorize_v3(
    state: &AppState,
    headers: &HeaderMap,
    host: V3Host,
    method: &str,
    path: &str,
) -> Result<Option<V3Caller>, Response> {
    let Some(found) = operation(host, method, path) else {
        return Err(unknown_operation(host, method, path));
    };
    match found.authorization() {
        V3Authorization::Key(requirement) | V3Authorization::KeyOrSignedUrl(requirement) => {
            authorize_key(state, headers, requirement).map(Some)
        }
        _ => Ok(None),
    }
}

/// Checks that the request's key meets `requirement` and counts one use of it.
pub(crate) fn authorize_key(
    state: &AppState,
    headers: &HeaderMap,
    requirement: Requirement<ResourceScope>,
) -> Result<V3Caller, Response> {
    let no_header = || V3Reason::NoAuthorization.error("no Authorization header found");
    let invalid = || V3Reason::InvalidCredentials.error("invalid or expired API key (JWT)");
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .ok_or_else(no_header)?;
    let token = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(no_header)?;
    let claims: KeyClaims = jwt::verify(state.jwt_secret(), token).map_err(|_| invalid())?;
    let outcome = state.write(|tx| {
        let key = match tx.data().pinata.keys.get(&claims.scoped_key_key) {
            Some(key)
                if !key.revoked && constant_time_eq(&key.secret, &claims.scoped_key_secret) =>
            {
                key
            }
            _ => return Err(invalid()),
        };
        let access = match &key.permissions {
            Some(permissions) => permissions.v3_access(requirement),
            None => V3Access::NotAV3Key,
        };
        match access {
            V3Access::Allowed => {}
            refused => {
                let message = refused.message().unwrap_or_default();
                return Err(match refused {
                    V3Access::NotAV3Key => V3Reason::NoAuthorization.error(message),
                    _ => V3Reason::Forbidden.error(message),
                });
            }
        }
        if key.max_uses.is_some_and(|max| key.uses >= max) {
            return Err(V3Reason::Forbidden
                .error("this key has reached its maximum number of uses (maxUses)"));
        }
        tx.update::<PinataKey>(&claims.scoped_key_key, |row| row.uses += 1);
        Ok(V3Caller {
            key: claims.scoped_key_key.clone(),
        })
    });
    match outcome {
        Ok(result) => result,
        Err(error) => Err(super::error::internal(error)),
    }
}

/// The refusal of a request the router matched but no operation fits: 400 when only
/// its `{network}` is wrong (`/files/shared`: the parameter is an enum), 404 otherwise
/// (a route of the other host).
fn unknown_operation(host: V3Host, method: &str, path: &str) -> Response {
    let bare = path
        .strip_prefix("/v3")
        .filter(|rest| rest.starts_with('/'))
        .unwrap_or(path);
    let segments: Vec<&str> = bare.split('/').collect();
    if let Some(network) = segments
        .get(2)
        .filter(|s| **s != "public" && **s != "private")
    {
        let mut fixed = segments.clone();
        fixed[2] = "public";
        if operation(host, method, &fixed.join("/")).is_some() {
            return V3Reason::InvalidRequest.error(format!(
                "network must be public or private, not {network:?}"
            ));
        }
    }
    V3Reason::RouteNotFound.error(format!("Cannot {method} {path}"))
}

/// Middleware of every v3 route: finds the operation and authorizes it before the body
/// is read (see [`authorize_v3`]), then hands the handler the [`V3Operation`], the
/// [`V3Host`] and, when a key authorized it, the [`V3Caller`] as request extensions.
pub(crate) async fn guard(
    State((state, host)): State<(AppState, V3Host)>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let Some(found) = operation(host, &method, &path) else {
        return unknown_operation(host, &method, &path);
    };
    let caller = match found.authorization() {
        // A TUS location may be authorized by the signed URL it came from: its handler
        // decides (and calls `authorize_key` when no signature applies).
        V3Authorization::Key(_) => {
            match authorize_v3(&state, request.headers(), host, &method, &path) {
                Ok(caller) => caller,
                Err(refused) => return refused,
            }
        }
        _ => None,
    };
    let extensions = request.extensions_mut();
    extensions.insert(found);
    extensions.insert(host);
    if let Some(caller) = caller {
        extensions.insert(caller);
    }
    next.run(request).await
}
