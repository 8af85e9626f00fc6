//! `pinJSONToIPFS`: a JSON document pinned as a file.
//!
//! The pinned bytes are those Node.js's `JSON.stringify(JSON.parse(body).pinataContent)`
//! gives (or of the whole body when it is not wrapped): Pinata runs on Node.js, so a
//! client computing the CID of the same `JSON.stringify` output gets the CID Pinata
//! answers ([`super::node_json`]; an inference, UNCERTAIN in `spec/pinata.sources.md`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;
use pinion_rules::upload::PINATA_JSON_NAME;
use serde::Deserialize;

use super::super::Reason;
use super::super::authorize;
use super::super::common::{internal, ok_json};
use super::node_json::{self, JsValue};
use super::upload::{assemble_error, pin_request, record_pin};
use crate::content;
use crate::state::AppState;

/// The metadata and options of a wrapped `pinJSONToIPFS` body (its `pinataContent` is
/// taken from the [`JsValue`] reading of the body).
#[derive(Deserialize)]
struct WrappedJson {
    #[serde(rename = "pinataMetadata", default)]
    metadata: Option<wire::PinataMetadata>,
    #[serde(rename = "pinataOptions", default)]
    options: Option<wire::PinataOptions>,
}

/// `POST /pinning/pinJSONToIPFS` (the body limit, 10 MB as documented, is the guard's).
pub(crate) async fn pin_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinJSONToIPFS") {
        return refused;
    }
    // The body read as JavaScript reads it: member order and the exact numbers decide
    // the bytes pinned, and `JSON.parse` takes documents `serde_json` refuses (`1e400`,
    // lone surrogates).
    let document = match node_json::parse(&body) {
        Ok(document) => document,
        Err(error) => {
            return Reason::InvalidRequest
                .error(format!("the body is not a valid JSON document: {error}"));
        }
    };
    let (pinned, metadata, options) = match document {
        JsValue::Object(mut object) => match object.remove("pinataContent") {
            Some(pinned) => {
                match serde_json::from_value::<WrappedJson>(JsValue::Object(object).to_serde()) {
                    Ok(w) => (pinned, w.metadata, w.options),
                    Err(error) => {
                        return Reason::InvalidRequest.error(format!(
                            "pinataMetadata or pinataOptions is malformed: {error}"
                        ));
                    }
                }
            }
            None => (JsValue::Object(object), None, None),
        },
        bare => (bare, None, None),
    };
    let request = match pin_request(metadata, options) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let bytes = Bytes::from(pinned.stringify());
    let file = match state.blobs.ingest_bytes(bytes).await {
        Ok(file) => file,
        Err(error) => return internal(crate::EmulatorError::Store(error.to_string())),
    };
    let name = request
        .name
        .clone()
        .unwrap_or_else(|| PINATA_JSON_NAME.to_owned());
    let assembled = match content::assemble(
        vec![(name.clone(), file)],
        request.version,
        request.wrap,
        &state.blobs,
    ) {
        Ok(assembled) => assembled,
        Err(error) => return assemble_error(error),
    };
    match record_pin(
        &state,
        assembled,
        request,
        Some(name),
        Some("application/json".into()),
    ) {
        Ok(answer) => ok_json(&answer),
        Err(refused) => refused,
    }
}
