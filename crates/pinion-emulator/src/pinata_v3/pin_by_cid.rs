//! `/files/public/pin_by_cid` (reference §4.4): requests are the legacy pin-by-CID job
//! queue (`pinByHash`), with its deterministic state machine (see `pinata::jobs`,
//! driven by `POST /_emulator/pinata/jobs/{id}`); a completed job becomes a public
//! file. The list takes `order` (`ASC`|`DESC`) or the SDK's `sort` (`ASC`|`DSC`),
//! `status`, `cid`, `limit` (default 10, at most 250), keyset `pageToken` (base64 of
//! the last job id), and ignores `includesCount`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::SecondsFormat;
use pinion_api::pinata_v3::types as wire;
use pinion_rules::host_nodes::check_host_nodes;
use pinion_rules::metadata::{MAX_KEYVALUES, check_keyvalue_count};
use serde_json::{Map, Value};

use super::{Network, V3Reason, error::internal, ok_json};
use crate::pinata::{JobRow, MAX_QUEUED, NewJob, STATUSES, advance_all, enqueue};
use crate::state::AppState;

/// Jobs per page when `limit` is not given (reference §1.4).
const DEFAULT_LIMIT: usize = 10;

fn request_of(job: &JobRow) -> wire::PinRequest {
    wire::PinRequest {
        cid: job.cid.clone(),
        date_queued: Some(job.date_queued.to_rfc3339_opts(SecondsFormat::Micros, true)),
        group_id: job.group_id.clone(),
        host_nodes: Some(job.host_nodes.clone()),
        id: job.id.clone(),
        keyvalues: Some(wire::KeyValues(job.keyvalues.clone())),
        name: job.name.clone(),
        status: Some(job.status.clone()),
    }
}

/// `POST /files/public/pin_by_cid`.
pub(crate) async fn create(State(state): State<AppState>, body: Bytes) -> Response {
    let request: wire::PinByCidRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return V3Reason::InvalidRequest.error(format!(
                "the body must be {{\"cid\", \"name\"?, \"group_id\"?, \"keyvalues\"?, \
                 \"host_nodes\"?}}: {error}"
            ));
        }
    };
    let cid = match pinion_cid::Cid::parse(&request.cid) {
        Ok(cid) => cid.to_string(),
        Err(error) => return V3Reason::InvalidRequest.error(format!("cid is not a CID: {error}")),
    };
    if let Err(error) = check_host_nodes(&request.host_nodes) {
        return V3Reason::InvalidRequest.error(format!("host_nodes: {error}"));
    }
    if check_keyvalue_count(request.keyvalues.len()).is_err() {
        return V3Reason::InvalidRequest.error(format!(
            "a file may have at most {MAX_KEYVALUES} keyvalues, {} were given",
            request.keyvalues.len()
        ));
    }
    if let Some(group) = &request.group_id {
        let known = state.read(|data| {
            data.pinata
                .groups
                .get(group)
                .is_some_and(|row| row.network == Network::Public)
        });
        if !known {
            return V3Reason::InvalidRequest.error(format!(
                "group_id: there is no group with id {group} on the public network"
            ));
        }
    }
    let keyvalues: Map<String, Value> = request
        .keyvalues
        .into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect();
    let job = NewJob {
        // The SDK names the file after its CID when no name is given.
        name: Some(request.name.unwrap_or_else(|| cid.clone())),
        cid,
        keyvalues,
        host_nodes: request.host_nodes,
        pin_policy: None,
        group_id: request.group_id,
    };
    match enqueue(&state, job) {
        Ok(Ok(job)) => ok_json(&wire::PinRequestResponse {
            data: request_of(&job),
        }),
        Ok(Err(())) => V3Reason::RateLimited.error(format!(
            "{MAX_QUEUED} pin requests are already queued; wait for some to finish"
        )),
        Err(error) => internal(error),
    }
}

/// `GET /files/public/pin_by_cid`.
pub(crate) async fn list(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let mut ascending = false;
    let mut status: Option<String> = None;
    let mut cid: Option<String> = None;
    let mut limit = DEFAULT_LIMIT;
    let mut after: Option<String> = None;
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "order" | "sort" => match value.as_ref() {
                "ASC" | "asc" => ascending = true,
                "DESC" | "DSC" | "desc" | "dsc" => ascending = false,
                other => {
                    return V3Reason::InvalidRequest.error(format!(
                        "{name} must be ASC or DESC (or DSC), not {other:?}"
                    ));
                }
            },
            "status" => {
                if !STATUSES.contains(&value.as_ref()) {
                    return V3Reason::InvalidRequest.error(format!(
                        "status must be one of {}, not {value:?}",
                        STATUSES.join(", ")
                    ));
                }
                status = Some(value.into_owned());
            }
            "cid" => cid = Some(value.into_owned()),
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_QUEUED).contains(&n) => limit = n,
                _ => {
                    return V3Reason::InvalidRequest.error(format!(
                        "limit must be an integer from 1 to {MAX_QUEUED}, not {value:?}"
                    ));
                }
            },
            "pageToken" if !value.is_empty() => {
                match STANDARD
                    .decode(value.as_bytes())
                    .ok()
                    .and_then(|id| String::from_utf8(id).ok())
                {
                    Some(id) => after = Some(id),
                    None => {
                        return V3Reason::InvalidRequest
                            .error(format!("pageToken {value:?} is not a token of this list"));
                    }
                }
            }
            // `includesCount` and anything else: ignored.
            _ => {}
        }
    }
    if let Err(error) = advance_all(&state) {
        return internal(error);
    }
    let answer = state.read(|data| {
        let mut jobs: Vec<&JobRow> = data
            .pinata
            .jobs
            .values()
            .filter(|job| status.as_ref().is_none_or(|s| job.status == *s))
            .filter(|job| cid.as_ref().is_none_or(|c| job.cid == *c))
            .collect();
        jobs.sort_by(|a, b| (a.date_queued, &a.id).cmp(&(b.date_queued, &b.id)));
        if !ascending {
            jobs.reverse();
        }
        let start = match &after {
            None => 0,
            Some(id) => match jobs.iter().position(|job| job.id == *id) {
                Some(at) => at + 1,
                None => return Err(format!("pageToken names no listed pin request: {id}")),
            },
        };
        let rest = &jobs[start..];
        let page: Vec<wire::PinRequest> =
            rest.iter().take(limit).map(|job| request_of(job)).collect();
        let next_page_token = match (rest.len() > limit, page.last()) {
            (true, Some(last)) => STANDARD.encode(&last.id),
            _ => String::new(),
        };
        Ok(wire::PinRequestListResponse {
            data: wire::PinRequestList {
                jobs: page,
                next_page_token: Some(next_page_token),
            },
        })
    });
    match answer {
        Ok(answer) => ok_json(&answer),
        Err(why) => V3Reason::InvalidRequest.error(why),
    }
}

/// `DELETE /files/public/pin_by_cid/{id}`: `{"data":null}`.
pub(crate) async fn cancel(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match state.write(|tx| tx.delete::<JobRow>(&id)) {
        Ok(Some(_)) => ok_json(&wire::NullDataResponse {
            data: Some(Value::Null),
        }),
        Ok(None) => V3Reason::NotFound.error(format!("no pin request with id {id}")),
        Err(error) => internal(error),
    }
}
