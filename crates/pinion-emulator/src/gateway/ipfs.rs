//! `GET /ipfs/<cid>[/path]` (and `HEAD`).
//!
//! Once the gateway has access tokens, a request needs one ([`super::access`]). Public
//! content (pinned on Pinata or W3IPFS, or Submarine content published with
//! `pinToIPFS`) is then served to anyone; private content never is, except Submarine
//! content with an `accessToken` query parameter from `POST /auth/content/jwt` that is
//! valid, unexpired and covers it: a token for a folder covers every path inside it; a
//! token for a folder's file covers that path. Statuses: 400 malformed CID, 401 no or
//! invalid token, 403 expired token or token for other content, 404 unknown CID or
//! path. With the Hot Swaps plugin, public content is served through its swap
//! ([`super::swaps`]).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::swaps::served_cid;
use super::{Found, access, cid_and_path, not_pinned, serve_object};
use crate::content;
use crate::jwt;
use crate::pinata_v3::Network;
use crate::service::plain;
use crate::state::AppState;
use crate::state::submarine::covering_ids;
use crate::submarine::AccessClaims;

fn access_token(raw: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "accessToken")
        .map(|(_, value)| value.into_owned())
}

pub(super) async fn serve(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (cid, path) = match cid_and_path(&rest) {
        Ok(parts) => parts,
        Err(refused) => return refused,
    };
    let looked_up = state.read(|data| {
        access::check(data, &headers, raw.as_deref())?;
        if content::is_public(data, cid) {
            let found =
                served_cid(data, Network::Public, cid).and_then(|served| Found::of(data, &served));
            return Ok((found, None));
        }
        Ok((Found::of(data, cid), Some(covering_ids(data, cid, path))))
    });
    let (found, private) = match looked_up {
        Ok(looked_up) => looked_up,
        Err(refused) => return refused,
    };
    let Some(found) = found else {
        return not_pinned(cid);
    };
    if let Some(covering) = private {
        if covering.is_empty() {
            return not_pinned(cid);
        }
        if let Err(refused) = check_access_token(&state, raw.as_deref(), &covering) {
            return refused;
        }
    }
    serve_object(&state, "ipfs", found, path).await
}

/// Lets a request for private Submarine content through with an `accessToken` that is
/// valid, unexpired and covers one of the `covering` content ids.
fn check_access_token(
    state: &AppState,
    raw: Option<&str>,
    covering: &[String],
) -> Result<(), Response> {
    let Some(token) = access_token(raw) else {
        return Err(plain(
            StatusCode::UNAUTHORIZED,
            "this content is private: add ?accessToken=<token from POST /auth/content/jwt>",
        ));
    };
    let claims: AccessClaims = jwt::verify(state.jwt_secret(), &token)
        .map_err(|_| plain(StatusCode::UNAUTHORIZED, "the access token is not valid"))?;
    if claims.exp <= state.clock.unix_seconds() {
        return Err(plain(
            StatusCode::FORBIDDEN,
            "the access token has expired: create a new one",
        ));
    }
    if !claims.content_ids.iter().any(|id| covering.contains(id)) {
        return Err(plain(
            StatusCode::FORBIDDEN,
            "the access token does not cover this content",
        ));
    }
    Ok(())
}
