//! Pin-by-CID jobs: `pinByHash`, `pinJobs`, and the control route that drives them.
//!
//! A job is queued as `prechecking`. Every read of `pinJobs` or `pinList`, and every
//! request to `/psa` (whose pin requests are jobs, `crate::psa`), moves each job one
//! step, deterministically: `prechecking` → `retrieving` when the emulator
//! has the CID's content (it was uploaded to any service) or `searching` when not;
//! `searching` stays until the content appears, or becomes `expired` once the job is
//! [`EXPIRES_AFTER_HOURS`] old by the emulator's clock (`POST /_emulator/clock/advance`
//! ages jobs); `retrieving` → pinned (the job leaves `pinJobs` and a row appears in
//! `pinList`). Jobs that ended in a failure stay listed but no longer count against
//! the queue limit. Tests and users force any state with
//! `POST /_emulator/pinata/jobs/{id}` and a body `{"status": "<status>"}`, where the
//! status is one of the job statuses or `pinned`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use pinion_api::pinata::types as wire;
use pinion_rules::RuleError;
use pinion_rules::host_nodes::{MAX_HOST_NODES, check_host_nodes};
use pinion_rules::paging::{MAX_PAGE_LIMIT, MIN_PAGE_LIMIT, check_page_limit};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::Reason;
use super::authorize;
use super::common::{internal, ok_json, parse_json};
use super::pins::{PinRow, active_pin, keyvalues_of};
use crate::content;
use crate::service::plain;
pub(crate) use crate::state::pinata::JobRow;
use crate::state::{AppState, Tx, psa};

/// The statuses a queued job can be in.
pub(crate) const STATUSES: [&str; 9] = [
    "prechecking",
    "searching",
    "retrieving",
    "expired",
    "over_free_limit",
    "over_max_size",
    "invalid_object",
    "bad_host_node",
    "backfilled",
];

/// The statuses of a job still in the queue; every other status is a final failure.
const IN_QUEUE: [&str; 3] = ["prechecking", "searching", "retrieving"];

/// Most jobs an account may have in the queue (still in one of [`IN_QUEUE`]).
pub(crate) const MAX_QUEUED: usize = 250;

/// How long a job searches for content it cannot find before it ends as `expired`
/// ("not found after about a day", reference §2.5).
pub(crate) const EXPIRES_AFTER_HOURS: i64 = 24;

/// The emulator's refusal of `hostNodes` the shared rule rejects (its wire text, as
/// observed, rather than the rule's own wording).
fn host_nodes_refused(error: &RuleError) -> Response {
    let details = match error {
        RuleError::TooManyHostNodes { given } => {
            format!("at most {MAX_HOST_NODES} hostNodes may be given, not {given}")
        }
        RuleError::HostNodeNotMultiaddr { given } => format!(
            "hostNodes must be multiaddrs such as /ip4/1.2.3.4/tcp/4001/p2p/Qm…, not {given:?}"
        ),
        other => format!("hostNodes: {other}"),
    };
    Reason::BadHostNode.error(details)
}

/// What a new pin-by-CID job asks for (legacy `pinByHash` and v3 `pin_by_cid`).
pub(crate) struct NewJob {
    pub(crate) cid: String,
    pub(crate) name: Option<String>,
    pub(crate) keyvalues: Map<String, serde_json::Value>,
    pub(crate) host_nodes: Vec<String>,
    pub(crate) pin_policy: Option<wire::PinPolicy>,
    pub(crate) group_id: Option<String>,
}

/// Queues `job` as `prechecking`, unless [`MAX_QUEUED`] jobs are already in the queue
/// (`Ok(Err(()))`).
pub(crate) fn enqueue(
    state: &AppState,
    job: NewJob,
) -> Result<Result<JobRow, ()>, crate::EmulatorError> {
    let now = state.clock.now();
    state.write(|tx| enqueue_in(tx, job, now))
}

/// [`enqueue`] within a write (a PSA request queues its job with its own row).
pub(crate) fn enqueue_in(tx: &mut Tx<'_>, job: NewJob, now: DateTime<Utc>) -> Result<JobRow, ()> {
    let queued = tx
        .data()
        .pinata
        .jobs
        .values()
        .filter(|job| IN_QUEUE.contains(&job.status.as_str()))
        .count();
    if queued >= MAX_QUEUED {
        return Err(());
    }
    let row = JobRow {
        id: crate::secrets::uuid(),
        cid: job.cid,
        date_queued: now,
        status: "prechecking".into(),
        name: job.name,
        keyvalues: job.keyvalues,
        host_nodes: job.host_nodes,
        pin_policy: job.pin_policy,
        group_id: job.group_id,
    };
    tx.put(row.clone());
    Ok(row)
}

/// Reads a `pinByHash` body. `pinataOptions.hostNodes` may be the empty string, meaning
/// no host nodes: pinata-web3 sends `""` whenever it is given none, and Pinata accepts it.
/// Any other value that is not a list of strings is still refused.
fn pin_by_hash_request(body: &[u8]) -> Result<wire::PinByHashRequest, Response> {
    let mut value: Value = parse_json(body, "pinByHash request")?;
    if let Some(options) = value
        .get_mut("pinataOptions")
        .and_then(Value::as_object_mut)
        && options.get("hostNodes").and_then(Value::as_str) == Some("")
    {
        options.remove("hostNodes");
    }
    serde_json::from_value(value).map_err(|error| {
        Reason::InvalidRequest.error(format!(
            "the body is not a valid pinByHash request: {error}"
        ))
    })
}

/// `POST /pinning/pinByHash`.
pub(crate) async fn pin_by_hash(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "pinByHash") {
        return refused;
    }
    let request = match pin_by_hash_request(&body) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let cid = match pinion_cid::Cid::parse(&request.hash_to_pin) {
        Ok(cid) => cid.to_string(),
        Err(error) => {
            return Reason::InvalidCid.error(format!("hashToPin is not a valid CID: {error}"));
        }
    };
    let options = request.pinata_options.unwrap_or(wire::PinByHashOptions {
        custom_pin_policy: None,
        group_id: None,
        host_nodes: Vec::new(),
    });
    if let Err(error) = check_host_nodes(&options.host_nodes) {
        return host_nodes_refused(&error);
    }
    let (name, keyvalues) = match request.pinata_metadata {
        Some(metadata) => match keyvalues_of(&metadata.keyvalues) {
            Ok(keyvalues) => (metadata.name, keyvalues),
            Err(refused) => return refused,
        },
        None => (None, Map::new()),
    };
    let job = NewJob {
        cid,
        name,
        keyvalues,
        host_nodes: options.host_nodes.clone(),
        pin_policy: options.custom_pin_policy.clone(),
        group_id: options.group_id.clone(),
    };
    let result = enqueue(&state, job);
    match result {
        Ok(Ok(job)) => ok_json(&wire::PinByHashResponse {
            id: job.id.parse().expect("job ids are UUIDs"),
            ipfs_hash: job.cid,
            name: job.name,
            status: job.status,
            updated: None,
        }),
        Ok(Err(())) => Reason::TooManyPinJobs
            .error("250 pin-by-CID jobs are already queued; wait for some to finish"),
        Err(error) => internal(error),
    }
}

/// Turns a job into a pin row (or, when the CID is already pinned, lets the job join
/// that pin), and tells the PSA request the job is, if it is one, which pin it holds.
pub(crate) fn complete(tx: &mut Tx<'_>, job: &JobRow, now: DateTime<Utc>) {
    tx.delete::<JobRow>(&job.id);
    let pin_id = match active_pin(tx.data(), &job.cid) {
        Some(pin) => pin.id.clone(),
        None => {
            let object = content::published(tx.data(), &job.cid).cloned();
            let id = crate::secrets::uuid_v7(now);
            tx.put(PinRow {
                id: id.clone(),
                cid: job.cid.clone(),
                size: object.as_ref().map_or(0, |o| o.pin_size),
                date_pinned: now,
                date_unpinned: None,
                name: job.name.clone(),
                keyvalues: job.keyvalues.clone(),
                mime_type: None,
                number_of_files: object.as_ref().map_or(1, |o| o.file_count()),
                group_id: job.group_id.clone(),
                pin_policy: job.pin_policy.clone(),
                expires_at: None,
                vectorized: false,
            });
            content::add_public_pin(tx, &job.cid);
            id
        }
    };
    psa::job_completed(tx, &job.id, &pin_id);
}

/// Moves every queued job one step (see the module docs).
pub(crate) fn advance_all(state: &AppState) -> Result<(), crate::EmulatorError> {
    let now = state.clock.now();
    state.write(|tx| {
        let jobs: Vec<JobRow> = tx.data().pinata.jobs.values().cloned().collect();
        for job in jobs {
            let known = content::published(tx.data(), &job.cid).is_some()
                || psa::retrievable_unknown(tx.data(), &job.id, &job.cid);
            let expired = now - job.date_queued >= chrono::Duration::hours(EXPIRES_AFTER_HOURS);
            match job.status.as_str() {
                "prechecking" | "searching" if known => {
                    tx.update::<JobRow>(&job.id, |row| row.status = "retrieving".into());
                }
                "prechecking" | "searching" if expired => {
                    tx.update::<JobRow>(&job.id, |row| row.status = "expired".into());
                }
                "prechecking" => {
                    tx.update::<JobRow>(&job.id, |row| row.status = "searching".into());
                }
                "retrieving" => complete(tx, &job, now),
                _ => {}
            }
        }
    })
}

/// `GET /pinning/pinJobs`.
pub(crate) async fn list_jobs(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(refused) = authorize(&state, &headers, "listPinJobs") {
        return refused;
    }
    let mut ascending = true;
    let mut status = None;
    let mut cid = None;
    let mut limit = 5usize;
    let mut offset = 0usize;
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "sort" => match value.as_ref() {
                "ASC" => ascending = true,
                "DESC" => ascending = false,
                other => {
                    return Reason::InvalidQuery
                        .error(format!("sort must be ASC or DESC, not {other:?}"));
                }
            },
            "status" => {
                if !STATUSES.contains(&value.as_ref()) {
                    return Reason::InvalidQuery.error(format!(
                        "status must be one of {}, not {value:?}",
                        STATUSES.join(", ")
                    ));
                }
                status = Some(value.into_owned());
            }
            "ipfs_pin_hash" => cid = Some(value.into_owned()),
            "limit" => match value.parse::<u64>().map(check_page_limit) {
                Ok(Ok(n)) => limit = n as usize,
                _ => {
                    return Reason::InvalidQuery.error(format!(
                        "limit must be between {MIN_PAGE_LIMIT} and {MAX_PAGE_LIMIT}, not {value:?}"
                    ));
                }
            },
            "offset" => match value.parse::<usize>() {
                Ok(n) => offset = n,
                Err(_) => {
                    return Reason::InvalidQuery.error(format!(
                        "offset must be a non-negative integer, not {value:?}"
                    ));
                }
            },
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
        jobs.sort_by(|a, b| a.date_queued.cmp(&b.date_queued).then(a.id.cmp(&b.id)));
        if !ascending {
            jobs.reverse();
        }
        wire::PinJobList {
            count: jobs.len() as i64,
            rows: jobs
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|job| wire::PinJob {
                    date_queued: job.date_queued,
                    host_nodes: Some(job.host_nodes.clone()),
                    id: job.id.parse().expect("job ids are UUIDs"),
                    ipfs_pin_hash: job.cid.clone(),
                    keyvalues: Some(job.keyvalues.clone()),
                    name: job.name.clone(),
                    pin_policy: Some(
                        job.pin_policy
                            .clone()
                            .unwrap_or_else(|| super::pins::account_policy(data)),
                    ),
                    status: job.status.clone(),
                })
                .collect(),
        }
    });
    ok_json(&answer)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Drive {
    status: String,
}

/// `POST /_emulator/pinata/jobs/{id}` with `{"status": "..."}`: forces a job's state;
/// `pinned` completes it.
pub(crate) async fn drive_job(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let drive: Drive = match serde_json::from_slice(&body) {
        Ok(drive) => drive,
        Err(error) => {
            return plain(
                StatusCode::BAD_REQUEST,
                &format!("the body must be JSON like {{\"status\": \"pinned\"}}: {error}"),
            );
        }
    };
    if drive.status != "pinned" && !STATUSES.contains(&drive.status.as_str()) {
        return plain(
            StatusCode::BAD_REQUEST,
            &format!("status must be pinned or one of {}", STATUSES.join(", ")),
        );
    }
    let now = state.clock.now();
    let result = state.write(|tx| {
        let job = tx.data().pinata.jobs.get(&id).cloned()?;
        if drive.status == "pinned" {
            complete(tx, &job, now);
        } else {
            tx.update::<JobRow>(&id, |row| row.status = drive.status.clone());
        }
        Some(())
    });
    match result {
        Ok(Some(())) => plain(StatusCode::OK, &drive.status),
        Ok(None) => plain(
            StatusCode::NOT_FOUND,
            &format!("there is no queued job with id {id}"),
        ),
        Err(error) => internal(error),
    }
}
