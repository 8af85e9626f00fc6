//! The dedicated gateway, served under `/gateway` on a plain address and on
//! `<name>.mypinata.cloud`:
//!
//! - `GET /ipfs/<cid>[/path]` (and `HEAD`): public content, and Submarine content with
//!   an `accessToken` ([`ipfs`]);
//! - `GET /files/<cid>[/path]`: private v3 files through a signed download link
//!   ([`files`]).
//!
//! Errors are plain text, as the real gateway sends them. Files stream from disk.

mod access;
mod files;
mod ipfs;
mod plugins;
mod swaps;

pub(crate) use plugins::control_router;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use pinion_rules::upload::DEFAULT_MIME;
use tokio_util::io::ReaderStream;

use crate::content::{self, Resolved, StoredObject};
use crate::pinata_v3::Network;
use crate::pinata_v3::files::find_by_cid;
use crate::service::plain;
use crate::state::pinata::signature_of;
use crate::state::{self, AppState, Data};

/// The gateway's routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/ipfs/{*rest}", get(ipfs::serve))
        .route("/files/{*rest}", get(files::serve))
}

/// A CID and the path below it, from a route's `{*rest}`; a malformed CID is refused
/// with 400.
fn cid_and_path(rest: &str) -> Result<(&str, &str), Response> {
    let (cid, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.trim_matches('/');
    match pinion_cid::Cid::parse(cid) {
        Ok(_) => Ok((cid, path)),
        Err(error) => Err(plain(
            StatusCode::BAD_REQUEST,
            &format!("invalid CID {cid:?}: {error}"),
        )),
    }
}

/// The 404 of a CID the gateway does not serve.
fn not_pinned(cid: &str) -> Response {
    plain(
        StatusCode::NOT_FOUND,
        &format!("{cid} is not pinned on this gateway"),
    )
}

/// The MIME type of a file CID from its content item or pin.
fn recorded_mime(data: &Data, cid: &str) -> Option<String> {
    state::submarine::content_of_cid(data, cid)
        .and_then(|row| row.mime_type.clone())
        .or_else(|| state::pinata::any_pin_of_cid(data, cid).and_then(|row| row.mime_type.clone()))
        .or_else(|| state::w3ipfs::any_pin_of_cid(data, cid).and_then(|row| row.mime_type.clone()))
        .or_else(|| find_by_cid(data, Network::Private, cid).and_then(|row| row.mime_type.clone()))
}

/// What the gateway serves once it allowed a request: the object (after any hot swap),
/// the MIME type recorded for it and the signature attached to its CID.
struct Found {
    object: StoredObject,
    mime: Option<String>,
    signature: Option<String>,
}

impl Found {
    /// The object `cid` stands for, if the emulator has its bytes.
    fn of(data: &Data, cid: &str) -> Option<Found> {
        Some(Found {
            object: data.objects.get(cid)?.clone(),
            mime: recorded_mime(data, cid),
            signature: signature_of(data, cid).map(|row| row.signature.clone()),
        })
    }
}

/// What the gateway answers for `path` inside the object it `found`, which the caller
/// has allowed: [`object_body`], with the object's own CID as the `etag` of a request
/// for it (no path) and its signature, if any, as the `pinata-signature` header.
async fn serve_object(state: &AppState, route: &str, found: Found, path: &str) -> Response {
    let mut response = object_body(state, route, &found.object, path, found.mime).await;
    if !response.status().is_success() {
        return response;
    }
    let headers = response.headers_mut();
    if path.is_empty()
        && let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", found.object.cid))
    {
        headers.insert(header::ETAG, etag);
    }
    if let Some(value) = found
        .signature
        .and_then(|signature| HeaderValue::from_str(&signature).ok())
    {
        headers.insert("pinata-signature", value);
    }
    response
}

/// The body for `path` inside `object`: a file streams with its length and type, a
/// directory serves its `index.html` or a plain-text listing. `mime` is the type
/// recorded for the object itself.
async fn object_body(
    state: &AppState,
    route: &str,
    object: &StoredObject,
    path: &str,
    mime: Option<String>,
) -> Response {
    let cid = &object.cid;
    let (blob, size, name) = match content::resolve(object, path) {
        Some(Resolved::File { blob, size }) => (blob, size, path.to_owned()),
        Some(Resolved::Directory { entries }) => {
            let index = if path.is_empty() {
                "index.html".to_owned()
            } else {
                format!("{path}/index.html")
            };
            match content::resolve(object, &index) {
                Some(Resolved::File { blob, size }) => (blob, size, index),
                _ => {
                    let mut listing = format!("Index of /{route}/{cid}/{path}\n");
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
