//! `GET /ipfs/<cid>[/path]` (and `HEAD`).
//!
//! Once the gateway has access tokens, a request needs one ([`super::access`]). Public
//! content (pinned on Pinata or W3IPFS, or Submarine content published with
//! `pinToIPFS`) is then served to anyone; private content never is, except Submarine
//! content with an `accessToken` query parameter from `POST /auth/content/jwt` that is
//! valid, unexpired and covers it: a token for a folder covers every path inside it; a
//! token for a folder's file covers that path. Statuses: 400 malformed CID, 401 no or
//! invalid token, 403 expired token or token for other content, 404 unknown CID or
//! path.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{access, cid_and_path, not_pinned, recorded_mime, serve_object};
use crate::content;
use crate::jwt;
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
        Ok((
            data.objects.get(cid).cloned(),
            content::is_public(data, cid),
            covering_ids(data, cid, path),
            recorded_mime(data, cid),
        ))
    });
    let (object, public, covering, mime) = match looked_up {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let Some(object) = object else {
        return not_pinned(cid);
    };
    if !public {
        if covering.is_empty() {
            return not_pinned(cid);
        }
        let Some(token) = access_token(raw.as_deref()) else {
            return plain(
                StatusCode::UNAUTHORIZED,
                "this content is private: add ?accessToken=<token from POST /auth/content/jwt>",
            );
        };
        let claims: AccessClaims = match jwt::verify(state.jwt_secret(), &token) {
            Ok(claims) => claims,
            Err(_) => return plain(StatusCode::UNAUTHORIZED, "the access token is not valid"),
        };
        if claims.exp <= state.clock.unix_seconds() {
            return plain(
                StatusCode::FORBIDDEN,
                "the access token has expired: create a new one",
            );
        }
        if !claims.content_ids.iter().any(|id| covering.contains(id)) {
            return plain(
                StatusCode::FORBIDDEN,
                "the access token does not cover this content",
            );
        }
    }
    serve_object(&state, "ipfs", &object, path, mime).await
}
