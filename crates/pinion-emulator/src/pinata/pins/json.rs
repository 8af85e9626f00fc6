//! `pinJSONToIPFS`: a JSON document pinned as a file.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use pinion_api::pinata::types as wire;
use pinion_rules::upload::PINATA_JSON_NAME;
use serde::Deserialize;
use serde_json::Value;

use super::super::Reason;
use super::super::authorize;
use super::super::common::{internal, ok_json, parse_json};
use super::upload::{assemble_error, pin_request, record_pin};
use crate::content;
use crate::state::AppState;

/// The body of `pinJSONToIPFS`: wrapped, or any bare JSON value.
#[derive(Deserialize)]
struct WrappedJson {
    #[serde(rename = "pinataContent")]
    content: Value,
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
    let value: Value = match parse_json(&body, "JSON document") {
        Ok(value) => value,
        Err(refused) => return refused,
    };
    let wrapped = value
        .as_object()
        .filter(|object| object.contains_key("pinataContent"))
        .is_some();
    let (content_value, metadata, options) = if wrapped {
        match serde_json::from_value::<WrappedJson>(value) {
            Ok(w) => (w.content, w.metadata, w.options),
            Err(error) => {
                return Reason::InvalidRequest.error(format!(
                    "pinataMetadata or pinataOptions is malformed: {error}"
                ));
            }
        }
    } else {
        (value, None, None)
    };
    let request = match pin_request(metadata, options) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let bytes = Bytes::from(serde_json::to_vec(&content_value).expect("a JSON value serializes"));
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
