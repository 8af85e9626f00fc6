//! The dedicated gateway: `GET /ipfs/{cid}[/path]` (and `HEAD`), served under
//! `/gateway` on a plain address and on `<name>.mypinata.cloud`.
//!
//! Public content (pinned on Pinata or W3IPFS, or Submarine content published with
//! `pinToIPFS`) is served to anyone. Private (Submarine) content needs an
//! `accessToken` query parameter from `POST /auth/content/jwt` that is valid, unexpired
//! and covers it: a token for a folder covers every path inside it; a token for a
//! folder's file covers that path. Errors are plain text, as the real gateway sends
//! them: 400 malformed CID, 401 no or invalid token, 403 expired token or token for
//! other content, 404 unknown CID or path. Files stream from disk.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use pinion_rules::upload::DEFAULT_MIME;
use tokio_util::io::ReaderStream;

use crate::content::{self, Resolved};
use crate::jwt;
use crate::service::plain;
use crate::state::submarine::covering_ids;
use crate::state::{self, AppState, Data};
use crate::submarine::AccessClaims;

/// The gateway's routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/ipfs/{*rest}", get(serve))
}

/// The MIME type of a file CID from its content item or pin.
fn recorded_mime(data: &Data, cid: &str) -> Option<String> {
    state::submarine::content_of_cid(data, cid)
        .and_then(|row| row.mime_type.clone())
        .or_else(|| state::pinata::any_pin_of_cid(data, cid).and_then(|row| row.mime_type.clone()))
        .or_else(|| state::w3ipfs::any_pin_of_cid(data, cid).and_then(|row| row.mime_type.clone()))
}

fn access_token(raw: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "accessToken")
        .map(|(_, value)| value.into_owned())
}

async fn serve(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (cid, path) = rest.split_once('/').unwrap_or((rest.as_str(), ""));
    let path = path.trim_matches('/');
    if let Err(error) = pinion_cid::Cid::parse(cid) {
        return plain(
            StatusCode::BAD_REQUEST,
            &format!("invalid CID {cid:?}: {error}"),
        );
    }
    let (object, public, covering, mime) = state.read(|data| {
        (
            data.objects.get(cid).cloned(),
            content::is_public(data, cid),
            covering_ids(data, cid, path),
            recorded_mime(data, cid),
        )
    });
    let Some(object) = object else {
        return plain(
            StatusCode::NOT_FOUND,
            &format!("{cid} is not pinned on this gateway"),
        );
    };
    if !public {
        if covering.is_empty() {
            return plain(
                StatusCode::NOT_FOUND,
                &format!("{cid} is not pinned on this gateway"),
            );
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
    let (blob, size, name) = match content::resolve(&object, path) {
        Some(Resolved::File { blob, size }) => (blob, size, path.to_owned()),
        Some(Resolved::Directory { entries }) => {
            let index = if path.is_empty() {
                "index.html".to_owned()
            } else {
                format!("{path}/index.html")
            };
            match content::resolve(&object, &index) {
                Some(Resolved::File { blob, size }) => (blob, size, index),
                _ => {
                    let mut listing = format!("Index of /ipfs/{cid}/{path}\n");
                    for entry in entries {
                        listing.push_str(&entry);
                        listing.push('\n');
                    }
                    return plain(StatusCode::OK, &listing);
                }
            }
        }
        None => {
            return plain(
                StatusCode::NOT_FOUND,
                &format!("no link named {path:?} under {cid}"),
            );
        }
    };
    let file = match tokio::fs::File::open(state.blobs.path(&blob)).await {
        Ok(file) => file,
        Err(error) => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("cannot read the content: {error}"),
            );
        }
    };
    let content_type = if name.is_empty() {
        mime.unwrap_or_else(|| DEFAULT_MIME.into())
    } else {
        content::mime_for(&name).unwrap_or(DEFAULT_MIME).to_owned()
    };
    let mut response = Response::new(Body::from_stream(ReaderStream::new(file)));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        "x-ipfs-path",
        HeaderValue::from_str(&format!("/ipfs/{cid}/{path}"))
            .unwrap_or(HeaderValue::from_static("/ipfs")),
    );
    response
}
