//! Pins: `pinFileToIPFS`, `pinJSONToIPFS`, `unpin`, `hashMetadata`, the deprecated pin
//! policies, `pinList` and `userPinnedDataTotal`.
//!
//! Choices where the service is not documented:
//! * `pinJSONToIPFS` pins the content serialized compactly by `serde_json` (keys in
//!   the order received) as a file named after the metadata name (default
//!   `pinnie.json`), the bytes a client reading it back from a gateway gets.
//! * Pinning a CID that already has an active pin answers `isDuplicate: true` and
//!   keeps the existing row (its metadata is not replaced).
//! * `mime_type` is guessed from the file extension; directories have none.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use pinion_api::pinata::types as wire;
use pinion_cid::CidVersion;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Reason;
use super::common::{internal, ok_json, parse_json, parse_time};
use super::query::{KeyValueFilter, parse_keyvalue_filters};
use super::{authorize, groups::GroupRow};
use crate::blobs::IngestedFile;
use crate::content::{self, AssembleError};
use crate::service::ok_text;
use crate::state::{AppState, Data, Table, Tx};
use crate::store::Record;

/// Most key-values one pin may carry.
pub(crate) const MAX_KEYVALUES: usize = 10;

/// One pin record (`pinList` row). Unpinning keeps it with `date_unpinned`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PinRow {
    pub(crate) id: String,
    pub(crate) cid: String,
    pub(crate) size: u64,
    pub(crate) date_pinned: DateTime<Utc>,
    pub(crate) date_unpinned: Option<DateTime<Utc>>,
    pub(crate) name: Option<String>,
    pub(crate) keyvalues: Map<String, Value>,
    pub(crate) mime_type: Option<String>,
    pub(crate) number_of_files: u64,
    pub(crate) group_id: Option<String>,
    pub(crate) pin_policy: Option<wire::PinPolicy>,
}

impl Record for PinRow {
    const TABLE: &'static str = "pinata_pins";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for PinRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.pins
    }
}

impl PinRow {
    pub(crate) fn is_pinned(&self) -> bool {
        self.date_unpinned.is_none()
    }
}

/// The account-wide pin policy (`userPinPolicy`), stored as one row.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct UserPolicy {
    pub(crate) policy: wire::PinPolicy,
}

impl Record for UserPolicy {
    const TABLE: &'static str = "pinata_user_policy";
    fn key(&self) -> String {
        "policy".into()
    }
}

impl Table for UserPolicy {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.user_policy
    }
}

/// The policy new pins get: the account's, or FRA1 and NYC1 with one copy each.
pub(crate) fn account_policy(data: &Data) -> wire::PinPolicy {
    data.pinata
        .user_policy
        .get("policy")
        .map(|row| row.policy.clone())
        .unwrap_or_else(|| wire::PinPolicy {
            regions: ["FRA1", "NYC1"]
                .into_iter()
                .map(|id| wire::PinPolicyRegion {
                    id: id.into(),
                    desired_replication_count: 1,
                })
                .collect(),
            version: Some(1),
        })
}

/// The active pin of `cid`, if any.
pub(crate) fn active_pin<'a>(data: &'a Data, cid: &str) -> Option<&'a PinRow> {
    data.pinata
        .pins
        .values()
        .find(|row| row.cid == cid && row.is_pinned())
}

/// Checks and converts request metadata key-values.
pub(crate) fn keyvalues_of(
    keyvalues: &BTreeMap<String, wire::KeyValue>,
) -> Result<Map<String, Value>, Response> {
    if keyvalues.len() > MAX_KEYVALUES {
        return Err(Reason::InvalidMetadata.error(format!(
            "a pin may have at most {MAX_KEYVALUES} keyvalues, {} were given",
            keyvalues.len()
        )));
    }
    Ok(keyvalues
        .iter()
        .map(|(key, value)| {
            let value = match value {
                wire::KeyValue::String(s) => Value::String(s.clone()),
                wire::KeyValue::Number(n) => serde_json::Number::from_f64(*n)
                    .map(|n| {
                        // Integers stay integers on the way back.
                        if n.as_f64()
                            .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15)
                        {
                            Value::from(n.as_f64().unwrap_or_default() as i64)
                        } else {
                            Value::Number(n)
                        }
                    })
                    .unwrap_or(Value::Null),
                wire::KeyValue::Boolean(b) => Value::Bool(*b),
            };
            (key.clone(), value)
        })
        .collect())
}

/// What a new pin gets from an upload's metadata and options.
struct PinRequest {
    name: Option<String>,
    keyvalues: Map<String, Value>,
    version: CidVersion,
    wrap: bool,
    group_id: Option<String>,
    policy: Option<wire::PinPolicy>,
}

fn pin_request(
    metadata: Option<wire::PinataMetadata>,
    options: Option<wire::PinataOptions>,
) -> Result<PinRequest, Response> {
    let metadata = metadata.unwrap_or(wire::PinataMetadata {
        keyvalues: BTreeMap::new(),
        name: None,
    });
    let options = options.unwrap_or(wire::PinataOptions {
        cid_version: None,
        custom_pin_policy: None,
        group_id: None,
        wrap_with_directory: None,
    });
    let version = match options.cid_version {
        None | Some(0) => CidVersion::V0,
        Some(1) => CidVersion::V1,
        Some(other) => {
            return Err(Reason::InvalidOptions.error(format!(
                "pinataOptions.cidVersion must be 0 or 1, not {other}"
            )));
        }
    };
    Ok(PinRequest {
        name: metadata.name,
        keyvalues: keyvalues_of(&metadata.keyvalues)?,
        version,
        wrap: options.wrap_with_directory.unwrap_or(false),
        group_id: options.group_id,
        policy: options.custom_pin_policy,
    })
}

/// Records an assembled upload as a pin (or finds it already pinned).
fn record_pin(
    state: &AppState,
    assembled: content::Assembled,
    request: PinRequest,
    default_name: Option<String>,
    mime_type: Option<String>,
) -> Result<wire::PinResponse, Response> {
    if let Some(group) = &request.group_id {
        let known = state.read(|data| data.pinata.groups.contains_key(group));
        if !known {
            // 400, not 404: the spec documents no 404 for uploads.
            return Err(Reason::InvalidGroup.error(format!(
                "pinataOptions.groupId: there is no group with id {group}"
            )));
        }
    }
    let now = state.clock.now();
    state
        .write(|tx| {
            content::store(tx, &assembled);
            let root = &assembled.root;
            if let Some(existing) = active_pin(tx.data(), &root.cid).cloned() {
                return pin_response(&existing, Some(true));
            }
            let row = PinRow {
                id: crate::secrets::uuid(),
                cid: root.cid.clone(),
                size: root.pin_size,
                date_pinned: now,
                date_unpinned: None,
                name: request.name.clone().or(default_name),
                keyvalues: request.keyvalues.clone(),
                mime_type,
                number_of_files: root.file_count(),
                group_id: request.group_id.clone(),
                pin_policy: request.policy.clone(),
            };
            let answer = pin_response(&row, None);
            tx.put(row);
            content::add_public_pin(tx, &root.cid);
            answer
        })
        .map_err(internal)
}

/// The upload answer for a pin: the legacy fields, plus the PascalCase ones the v3 SDK's
/// folder upload reads (`ID`, `Name`, `NumberOfFiles`, `MimeType`, `GroupId`, `Keyvalues`).
fn pin_response(row: &PinRow, is_duplicate: Option<bool>) -> wire::PinResponse {
    wire::PinResponse {
        ipfs_hash: row.cid.clone(),
        is_duplicate,
        pin_size: row.size as i64,
        timestamp: row.date_pinned,
        id: Some(row.id.clone()),
        name: row.name.clone(),
        number_of_files: Some(row.number_of_files as i64),
        mime_type: row.mime_type.clone(),
        group_id: row.group_id.clone(),
        keyvalues: Some(row.keyvalues.clone()),
    }
}

fn assemble_error(error: AssembleError) -> Response {
    match error {
        AssembleError::NoFiles => Reason::NoFiles.error(
            "no file was provided: send the content in one or more multipart parts named `file`",
        ),
        AssembleError::Io(why) => internal(crate::EmulatorError::Store(why)),
        other => Reason::InvalidRequest.error(other.to_string()),
    }
}

/// `POST /pinning/pinFileToIPFS` (multipart).
pub(crate) async fn pin_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinFileToIPFS") {
        return refused;
    }
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(rejection) => {
            return Reason::InvalidRequest.error(format!(
                "the body must be multipart/form-data with `file` parts: {}",
                rejection.body_text()
            ));
        }
    };
    let mut files: Vec<(String, IngestedFile)> = Vec::new();
    let mut metadata: Option<wire::PinataMetadata> = None;
    let mut options: Option<wire::PinataOptions> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                return Reason::InvalidRequest.error(format!("malformed multipart body: {error}"));
            }
        };
        match field.name().unwrap_or_default() {
            "file" => {
                let path = field.file_name().unwrap_or("file").to_owned();
                match state.blobs.ingest(field.map_err(|e| e.to_string())).await {
                    Ok(file) => files.push((path, file)),
                    Err(error) => return Reason::InvalidRequest.error(error.to_string()),
                }
            }
            "pinataMetadata" => {
                let text = match field.text().await {
                    Ok(text) => text,
                    Err(error) => return Reason::InvalidRequest.error(error.to_string()),
                };
                match parse_json(text.as_bytes(), "pinataMetadata JSON object") {
                    Ok(parsed) => metadata = Some(parsed),
                    Err(refused) => return refused,
                }
            }
            "pinataOptions" => {
                let text = match field.text().await {
                    Ok(text) => text,
                    Err(error) => return Reason::InvalidRequest.error(error.to_string()),
                };
                match parse_json(text.as_bytes(), "pinataOptions JSON object") {
                    Ok(parsed) => options = Some(parsed),
                    Err(refused) => return refused,
                }
            }
            // Unknown parts are ignored, as the service does.
            _ => {}
        }
    }
    let request = match pin_request(metadata, options) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let single = files.len() == 1 && !files[0].0.trim_matches('/').contains('/');
    let default_name = files.first().map(|(path, _)| {
        let trimmed = path.trim_matches('/');
        if single {
            trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned()
        } else {
            trimmed.split('/').next().unwrap_or(trimmed).to_owned()
        }
    });
    let mime = if single && !request.wrap {
        default_name
            .as_deref()
            .and_then(content::mime_for)
            .map(str::to_owned)
    } else {
        None
    };
    let version = request.version;
    let wrap = request.wrap;
    let assembled = match content::assemble(files, version, wrap, &state.blobs) {
        Ok(assembled) => assembled,
        Err(error) => return assemble_error(error),
    };
    match record_pin(&state, assembled, request, default_name, mime) {
        Ok(answer) => ok_json(&answer),
        Err(refused) => refused,
    }
}

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
        .unwrap_or_else(|| "pinnie.json".to_owned());
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

/// `DELETE /pinning/unpin/{cid}`: keeps the row with `date_unpinned`, cancels queued
/// pin-by-CID jobs of the CID.
pub(crate) async fn unpin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(cid): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "unpin") {
        return refused;
    }
    let now = state.clock.now();
    let result = state.write(|tx| {
        let pin = active_pin(tx.data(), &cid).map(|row| row.id.clone());
        let jobs: Vec<String> = tx
            .data()
            .pinata
            .jobs
            .values()
            .filter(|job| job.cid == cid)
            .map(|job| job.id.clone())
            .collect();
        for job in &jobs {
            tx.delete::<super::jobs::JobRow>(job);
        }
        match pin {
            Some(id) => {
                tx.update::<PinRow>(&id, |row| row.date_unpinned = Some(now));
                content::remove_public_pin(tx, &cid);
                true
            }
            None => !jobs.is_empty(),
        }
    });
    match result {
        Ok(true) => ok_text(),
        Ok(false) => Reason::ObjectNotFound.error(format!(
            "Your account does not currently have any record associated with this ID: no active pin of {cid}"
        )),
        Err(error) => internal(error),
    }
}

/// `PUT /pinning/hashMetadata`: the name is replaced when given; key-values are merged,
/// a `null` value removing its key.
pub(crate) async fn hash_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateHashMetadata") {
        return refused;
    }
    let request: wire::HashMetadataRequest = match parse_json(&body, "hashMetadata request") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    for (key, value) in &request.keyvalues {
        if !(value.is_string() || value.is_number() || value.is_boolean() || value.is_null()) {
            return Reason::InvalidMetadata.error(format!(
                "keyvalue {key:?} must be a string, a number, a boolean or null (to remove it)"
            ));
        }
    }
    let result = state.write(|tx| {
        let Some(id) = active_pin(tx.data(), &request.ipfs_pin_hash).map(|row| row.id.clone())
        else {
            return Ok(false);
        };
        let mut merged = tx.data().pinata.pins[&id].keyvalues.clone();
        for (key, value) in &request.keyvalues {
            if value.is_null() {
                merged.remove(key);
            } else {
                merged.insert(key.clone(), value.clone());
            }
        }
        if merged.len() > MAX_KEYVALUES {
            return Err(merged.len());
        }
        tx.update::<PinRow>(&id, |row| {
            if let Some(name) = &request.name {
                row.name = Some(name.clone());
            }
            row.keyvalues = merged;
        });
        Ok(true)
    });
    match result {
        Ok(Ok(true)) => ok_text(),
        Ok(Ok(false)) => Reason::ObjectNotFound.error(format!(
            "Your account does not currently have any record associated with this ID: no active pin of {}",
            request.ipfs_pin_hash
        )),
        Ok(Err(count)) => Reason::InvalidMetadata.error(format!(
                "a pin may have at most {MAX_KEYVALUES} keyvalues; this change would leave {count}"
            ),
        ),
        Err(error) => internal(error),
    }
}

fn check_policy(policy: &wire::PinPolicy) -> Result<(), Response> {
    const REGIONS: [&str; 2] = ["FRA1", "NYC1"];
    for region in &policy.regions {
        if !REGIONS.contains(&region.id.as_str()) {
            return Err(Reason::InvalidPinPolicy.error(format!(
                "unknown region {:?}: the regions are FRA1 and NYC1",
                region.id
            )));
        }
        if !(0..=2).contains(&region.desired_replication_count) {
            return Err(Reason::InvalidPinPolicy.error(format!(
                "desiredReplicationCount of {} must be between 0 and 2, not {}",
                region.id, region.desired_replication_count
            )));
        }
    }
    Ok(())
}

/// `PUT /pinning/hashPinPolicy` (deprecated).
pub(crate) async fn hash_pin_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateHashPinPolicy") {
        return refused;
    }
    let request: wire::HashPinPolicyRequest = match parse_json(&body, "hashPinPolicy request") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    if let Err(refused) = check_policy(&request.new_pin_policy) {
        return refused;
    }
    let result = state.write(|tx| {
        let id = active_pin(tx.data(), &request.ipfs_pin_hash).map(|row| row.id.clone())?;
        tx.update::<PinRow>(&id, |row| {
            row.pin_policy = Some(request.new_pin_policy.clone())
        })
    });
    match result {
        Ok(Some(_)) => ok_text(),
        Ok(None) => {
            Reason::ObjectNotFound.error(format!("no active pin of {}", request.ipfs_pin_hash))
        }
        Err(error) => internal(error),
    }
}

/// `PUT /pinning/userPinPolicy` (deprecated).
pub(crate) async fn user_pin_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "updateUserPinPolicy") {
        return refused;
    }
    let request: wire::UserPinPolicyRequest = match parse_json(&body, "userPinPolicy request") {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    if let Err(refused) = check_policy(&request.new_pin_policy) {
        return refused;
    }
    match state.write(|tx| {
        tx.put(UserPolicy {
            policy: request.new_pin_policy.clone(),
        })
    }) {
        Ok(()) => ok_text(),
        Err(error) => internal(error),
    }
}

/// The wire form of a pin row.
pub(crate) fn pin_item(data: &Data, row: &PinRow, user_id: &str) -> wire::PinListItem {
    let policy = row
        .pin_policy
        .clone()
        .unwrap_or_else(|| account_policy(data));
    wire::PinListItem {
        date_pinned: row.date_pinned,
        date_unpinned: row.date_unpinned,
        id: row.id.parse().expect("pin ids are UUIDs"),
        ipfs_pin_hash: row.cid.clone(),
        metadata: wire::PinListMetadata {
            keyvalues: (!row.keyvalues.is_empty()).then(|| row.keyvalues.clone()),
            name: row.name.clone(),
        },
        mime_type: row.mime_type.clone(),
        number_of_files: Some(row.number_of_files as i64),
        regions: policy
            .regions
            .iter()
            .map(|region| wire::PinRegion {
                current_replication_count: if row.is_pinned() {
                    region.desired_replication_count
                } else {
                    0
                },
                desired_replication_count: region.desired_replication_count,
                region_id: region.id.clone(),
            })
            .collect(),
        size: row.size as i64,
        user_id: user_id.parse().expect("user ids are UUIDs"),
    }
}

/// The filters of `pinList`.
#[derive(Default)]
struct PinListQuery {
    include_count: bool,
    cid_contains: Option<String>,
    cid: Option<String>,
    group_id: Option<String>,
    pin_start: Option<DateTime<Utc>>,
    pin_end: Option<DateTime<Utc>>,
    unpin_start: Option<DateTime<Utc>>,
    unpin_end: Option<DateTime<Utc>>,
    size_min: Option<u64>,
    size_max: Option<u64>,
    status: String,
    limit: usize,
    offset: usize,
    name: Option<String>,
    keyvalues: Vec<KeyValueFilter>,
}

fn parse_pin_list_query(raw: Option<&str>) -> Result<PinListQuery, Response> {
    let mut query = PinListQuery {
        include_count: true,
        status: "all".into(),
        limit: 10,
        ..PinListQuery::default()
    };
    let mut keyvalue_json: Vec<String> = Vec::new();
    let mut keyvalue_single: Vec<(String, String)> = Vec::new();
    let time = |name: &str, value: &str| {
        parse_time(value).ok_or_else(|| {
            Reason::InvalidQuery.error(format!(
                "{name} must be a date such as 2024-01-31T00:00:00Z, not {value:?}"
            ))
        })
    };
    let number = |name: &str, value: &str| {
        value.parse::<u64>().map_err(|_| {
            Reason::InvalidQuery.error(format!(
                "{name} must be a non-negative integer, not {value:?}"
            ))
        })
    };
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "includeCount" => query.include_count = value != "false",
            "hashContains" => query.cid_contains = Some(value),
            "cid" => query.cid = Some(value),
            "groupId" => query.group_id = Some(value),
            "pinStart" => query.pin_start = Some(time("pinStart", &value)?),
            "pinEnd" => query.pin_end = Some(time("pinEnd", &value)?),
            "unpinStart" => query.unpin_start = Some(time("unpinStart", &value)?),
            "unpinEnd" => query.unpin_end = Some(time("unpinEnd", &value)?),
            "pinSizeMin" => query.size_min = Some(number("pinSizeMin", &value)?),
            "pinSizeMax" => query.size_max = Some(number("pinSizeMax", &value)?),
            "status" => {
                if !["all", "pinned", "unpinned"].contains(&value.as_str()) {
                    return Err(Reason::InvalidQuery.error(format!(
                        "status must be all, pinned or unpinned, not {value:?}"
                    )));
                }
                query.status = value;
            }
            "pageLimit" => {
                let limit = number("pageLimit", &value)?;
                if !(1..=1000).contains(&limit) {
                    return Err(Reason::InvalidQuery
                        .error(format!("pageLimit must be between 1 and 1000, not {limit}")));
                }
                query.limit = limit as usize;
            }
            "pageOffset" => query.offset = number("pageOffset", &value)? as usize,
            "metadata[name]" => query.name = Some(value),
            "metadata[keyvalues]" => keyvalue_json.push(value),
            other => {
                if let Some(key) = other
                    .strip_prefix("metadata[keyvalues][")
                    .and_then(|rest| rest.strip_suffix(']'))
                {
                    keyvalue_single.push((key.to_owned(), value));
                }
                // Any other parameter is ignored, as the service does.
            }
        }
    }
    query.keyvalues = parse_keyvalue_filters(&keyvalue_json, &keyvalue_single)
        .map_err(|why| Reason::InvalidQuery.error(why))?;
    Ok(query)
}

fn matches(row: &PinRow, query: &PinListQuery) -> bool {
    let status_ok = match query.status.as_str() {
        "pinned" => row.is_pinned(),
        "unpinned" => !row.is_pinned(),
        _ => true,
    };
    status_ok
        && query
            .cid_contains
            .as_ref()
            .is_none_or(|part| row.cid.contains(part.as_str()))
        && query.cid.as_ref().is_none_or(|cid| row.cid == *cid)
        && query
            .group_id
            .as_ref()
            .is_none_or(|group| row.group_id.as_ref() == Some(group))
        && query.pin_start.is_none_or(|start| row.date_pinned >= start)
        && query.pin_end.is_none_or(|end| row.date_pinned <= end)
        && query
            .unpin_start
            .is_none_or(|start| row.date_unpinned.is_some_and(|d| d >= start))
        && query
            .unpin_end
            .is_none_or(|end| row.date_unpinned.is_some_and(|d| d <= end))
        && query.size_min.is_none_or(|min| row.size >= min)
        && query.size_max.is_none_or(|max| row.size <= max)
        && query.name.as_ref().is_none_or(|name| {
            row.name
                .as_ref()
                .is_some_and(|have| have.to_lowercase().contains(&name.to_lowercase()))
        })
        && query
            .keyvalues
            .iter()
            .all(|filter| filter.matches(&row.keyvalues))
}

/// `GET /data/pinList`: newest first.
pub(crate) async fn pin_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinList") {
        return refused;
    }
    let query = match parse_pin_list_query(raw.as_deref()) {
        Ok(query) => query,
        Err(refused) => return refused,
    };
    if let Err(error) = super::jobs::advance_all(&state) {
        return internal(error);
    }
    let user_id = state.meta().pinata_user_id;
    let answer = state.read(|data| {
        let mut rows: Vec<&PinRow> = data
            .pinata
            .pins
            .values()
            .filter(|row| matches(row, &query))
            .collect();
        rows.sort_by(|a, b| b.date_pinned.cmp(&a.date_pinned).then(b.id.cmp(&a.id)));
        let count = rows.len();
        wire::PinList {
            count: query.include_count.then_some(count as i64),
            rows: rows
                .into_iter()
                .skip(query.offset)
                .take(query.limit)
                .map(|row| pin_item(data, row, &user_id))
                .collect(),
        }
    });
    ok_json(&answer)
}

/// `GET /data/userPinnedDataTotal`: over active pins; replications per the policies.
pub(crate) async fn pinned_data_total(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "userPinnedDataTotal") {
        return refused;
    }
    let answer = state.read(|data| {
        let mut count = 0i64;
        let mut size = 0i64;
        let mut replicated = 0i64;
        for row in data.pinata.pins.values().filter(|row| row.is_pinned()) {
            let policy = row
                .pin_policy
                .clone()
                .unwrap_or_else(|| account_policy(data));
            let copies: i64 = policy
                .regions
                .iter()
                .map(|r| r.desired_replication_count)
                .sum();
            count += 1;
            size += row.size as i64;
            replicated += row.size as i64 * copies.max(1);
        }
        wire::PinnedDataTotal {
            pin_count: count,
            pin_size_total: wire::ByteCount::Int64(size),
            pin_size_with_replications_total: wire::ByteCount::Int64(replicated),
        }
    });
    ok_json(&answer)
}

/// Pins added to or removed from a group.
pub(crate) fn set_group(tx: &mut Tx<'_>, cids: &[String], group: Option<&GroupRow>) -> Vec<String> {
    let mut missing = Vec::new();
    for cid in cids {
        match active_pin(tx.data(), cid).map(|row| row.id.clone()) {
            Some(id) => {
                tx.update::<PinRow>(&id, |row| row.group_id = group.map(|g| g.id.clone()));
            }
            None => missing.push(cid.clone()),
        }
    }
    missing
}
