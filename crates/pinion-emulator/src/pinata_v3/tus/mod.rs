//! TUS 1.0.0 resumable uploads on the v3 uploads routes (reference §3.3): the core
//! protocol and the `creation` extension.
//!
//! - `OPTIONS /files`: 204 with `Tus-Version`, `Tus-Extension: creation` and
//!   `Tus-Max-Size` (25 GB, Pinata's largest upload). No authentication.
//! - `POST /files` with `Upload-Length` and no multipart body ([`create`], dispatched
//!   by the v3 router; against a signed URL by the presigned module): 201 with an
//!   absolute `Location` `{base}/files/{fileId}/{uploadToken}`.
//! - `HEAD {location}`: 200 with `Upload-Offset`, `Upload-Length`, `Cache-Control:
//!   no-store`.
//! - `PATCH {location}`: `Content-Type: application/offset+octet-stream` (else 415),
//!   `Upload-Offset` equal to the server's (else 409); the body, of any size, is
//!   streamed to disk and may not pass `Upload-Length` (413, nothing kept). 204 with the
//!   new `Upload-Offset`; the last chunk also records the file and carries `Upload-CID`.
//!
//! `Tus-Resumable` is sent on every answer and not required on requests (the SDK
//! omits it). Uploads are state rows (`state::tus`) persisted with `--state-dir`, their
//! bytes partial files under the blob store ([`PartFiles`]): an upload survives a
//! restart, and bytes received before a connection dropped are kept.

mod completion;
mod creation;
mod location;
mod locks;
mod metadata;
mod part_file;
mod transfer;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::routing::{head, options};

pub(crate) use creation::{Creator, create};
pub(crate) use location::base_url;
pub(crate) use part_file::PartFiles;

use super::FILE;
use crate::state::AppState;

/// The protocol version spoken (`Tus-Resumable`, `Tus-Version`).
const TUS_VERSION: &str = "1.0.0";
/// The largest upload, in bytes (`Tus-Max-Size`): Pinata's 25 GB per upload.
pub(crate) const MAX_SIZE: u64 = 25_000_000_000;

/// `OPTIONS /files`, and `HEAD`/`PATCH` on upload locations (the v3 [`FILE`] shape;
/// handlers take its parameters by position: file id, upload token).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/files", options(discover))
        .route(FILE, head(transfer::offset).patch(transfer::chunk))
        .route_layer(map_response(with_tus_headers))
}

/// Every answer of a TUS route, refusals included, says the protocol version.
async fn with_tus_headers(mut response: Response) -> Response {
    tus_headers(response.headers_mut());
    response
}

/// `OPTIONS /files`: what the server supports.
async fn discover() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let out = response.headers_mut();
    tus_headers(out);
    out.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    out.insert("tus-extension", HeaderValue::from_static("creation"));
    out.insert("tus-max-size", HeaderValue::from(MAX_SIZE));
    response
}

/// `Tus-Resumable` on an answer.
fn tus_headers(headers: &mut HeaderMap) {
    headers.insert("tus-resumable", HeaderValue::from_static(TUS_VERSION));
}
