//! IPFS Pinning Service API (PSA) requests, for Pinata's `/psa` and W3IPFS's `/api/psa`.
//!
//! A request does not keep a status of its own: it is a view of the service's own pin
//! state, so the PSA and the service's API can never disagree. On Pinata the request id
//! is the id of the pin-by-CID job it queued (`pinJobs`), and once the job completes
//! the request holds the account's `pinList` row of the CID (`pin_id`). On W3IPFS the
//! request id is the id of the pin row it created (`/pinning/pins`). See
//! [`status_of`] for how a status is read from them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::table::{RowIndex, Table};
use super::{Data, Tx};
use crate::store::Record;

/// Which service a PSA request was made to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PsaService {
    /// Pinata's `/psa`.
    Pinata,
    /// W3IPFS's `/api/psa`.
    W3ipfs,
}

impl PsaService {
    /// Its name in paths and rows.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PsaService::Pinata => "pinata",
            PsaService::W3ipfs => "w3ipfs",
        }
    }
}

/// The PSA's four statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PsaStatus {
    Queued,
    Pinning,
    Pinned,
    Failed,
}

impl PsaStatus {
    /// Every status, in the standard's order.
    pub(crate) const ALL: [PsaStatus; 4] = [
        PsaStatus::Queued,
        PsaStatus::Pinning,
        PsaStatus::Pinned,
        PsaStatus::Failed,
    ];

    /// Its wire name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PsaStatus::Queued => "queued",
            PsaStatus::Pinning => "pinning",
            PsaStatus::Pinned => "pinned",
            PsaStatus::Failed => "failed",
        }
    }

    /// The status of a wire name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.name() == name)
    }
}

/// One PSA pin request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct PsaRow {
    /// The request id (see the module docs); the row's key.
    pub(crate) requestid: String,
    pub(crate) service: PsaService,
    /// Unique per service and strictly increasing ([`next_created`]).
    pub(crate) created: DateTime<Utc>,
    pub(crate) cid: String,
    pub(crate) name: Option<String>,
    pub(crate) origins: Vec<String>,
    pub(crate) meta: BTreeMap<String, String>,
    /// Pinata: the `pinList` row the request holds once its job completed.
    pub(crate) pin_id: Option<String>,
}

impl Record for PsaRow {
    const TABLE: &'static str = "psa_requests";
    fn key(&self) -> String {
        self.requestid.clone()
    }
}

impl Table for PsaRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.psa.requests
    }

    fn rows_and_index(
        data: &mut Data,
    ) -> (&mut BTreeMap<String, Self>, Option<&mut dyn RowIndex<Self>>) {
        let psa = &mut data.psa;
        (&mut psa.requests, Some(&mut psa.order))
    }
}

/// The latest `created` a service handed out, kept so a new request is always later
/// than every earlier one, deleted ones included.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PsaClock {
    pub(crate) service: PsaService,
    pub(crate) last: DateTime<Utc>,
}

impl Record for PsaClock {
    const TABLE: &'static str = "psa_clock";
    fn key(&self) -> String {
        self.service.name().to_owned()
    }
}

impl Table for PsaClock {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.psa.clocks
    }
}

/// A request's place in its service's creation order: `created` in microseconds, id.
pub(crate) type Created = (i64, Arc<str>);

/// Each service's requests in creation order.
#[derive(Default)]
pub(crate) struct PsaOrder {
    pinata: BTreeSet<Created>,
    w3ipfs: BTreeSet<Created>,
}

impl PsaOrder {
    /// The requests of `service`, oldest first.
    pub(crate) fn of(&self, service: PsaService) -> &BTreeSet<Created> {
        match service {
            PsaService::Pinata => &self.pinata,
            PsaService::W3ipfs => &self.w3ipfs,
        }
    }

    fn of_mut(&mut self, service: PsaService) -> &mut BTreeSet<Created> {
        match service {
            PsaService::Pinata => &mut self.pinata,
            PsaService::W3ipfs => &mut self.w3ipfs,
        }
    }
}

fn place(row: &PsaRow) -> Created {
    (
        row.created.timestamp_micros(),
        Arc::from(row.requestid.as_str()),
    )
}

impl RowIndex<PsaRow> for PsaOrder {
    fn insert(&mut self, row: &PsaRow) {
        self.of_mut(row.service).insert(place(row));
    }

    fn remove(&mut self, row: &PsaRow) {
        self.of_mut(row.service).remove(&place(row));
    }
}

/// The PSA's rows, and how the emulator was started for it.
#[derive(Default)]
pub(crate) struct PsaData {
    /// Requests by request id.
    pub(crate) requests: BTreeMap<String, PsaRow>,
    /// What `requests` is listed by.
    pub(crate) order: PsaOrder,
    /// The last `created` per service.
    pub(crate) clocks: BTreeMap<String, PsaClock>,
    /// `--psa-retrievable`: content the emulator does not hold at all counts as
    /// retrieved from the network. A start-up setting, not a row.
    pub(crate) retrievable: bool,
}

/// The `created` of a new request of `service` at `now`: `now` to the millisecond (the
/// precision the wire shows), or one millisecond after the service's last one when that
/// is not earlier, so that every request of a service has its own, later timestamp
/// (the standard pages by `created`).
pub(crate) fn next_created(
    tx: &mut Tx<'_>,
    service: PsaService,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let now = DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
    let created = match tx.data().psa.clocks.get(service.name()) {
        Some(clock) if clock.last >= now => clock.last + chrono::Duration::milliseconds(1),
        _ => now,
    };
    tx.put(PsaClock {
        service,
        last: created,
    });
    created
}

/// Whether retrieving `cid` for the request `requestid` succeeds only because of
/// `--psa-retrievable`: a PSA request of content the emulator does not hold at all.
/// Content held only privately is held, so it never counts (it is not on the network).
pub(crate) fn retrievable_unknown(data: &Data, requestid: &str, cid: &str) -> bool {
    data.psa.retrievable
        && data.psa.requests.contains_key(requestid)
        && !data.objects.contains_key(cid)
}

/// What a request shows: its status and the service's own details (`info`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PsaState {
    pub(crate) status: PsaStatus,
    pub(crate) info: BTreeMap<String, String>,
}

/// The statuses of a Pinata job still in the queue, and the one of a job that found
/// its content; every other job status is a final failure.
const PINATA_QUEUED: [&str; 2] = ["prechecking", "searching"];
const PINATA_PINNING: &str = "retrieving";

/// The W3IPFS pin status of a pin that failed: an emulator status (the service has no
/// documented one); only the control route sets it.
pub(crate) const W3IPFS_FAILED: &str = "FAILED";

/// A request's state, read from the service's pin state; `None` when the request no
/// longer exists there (its pin was unpinned, or its job cancelled, through the
/// service's own API).
///
/// Pinata: a job `prechecking` or `searching` is `queued`, `retrieving` is `pinning`,
/// any other job status (`expired`, `invalid_object`, …) is `failed`; `info` carries the
/// job status as `pinata_pinjob_status` (as Pinata does). A completed job is `pinned`
/// while the `pinList` row it holds is. W3IPFS: `RETRIEVAL` is `queued`, `PENDING`
/// `pinning`, `DONE` `pinned`, [`W3IPFS_FAILED`] `failed`; an unpinned row is gone.
pub(crate) fn status_of(data: &Data, row: &PsaRow) -> Option<PsaState> {
    let state = |status| PsaState {
        status,
        info: BTreeMap::new(),
    };
    match row.service {
        PsaService::Pinata => {
            if let Some(job) = data.pinata.jobs.get(&row.requestid) {
                let status = if PINATA_QUEUED.contains(&job.status.as_str()) {
                    PsaStatus::Queued
                } else if job.status == PINATA_PINNING {
                    PsaStatus::Pinning
                } else {
                    PsaStatus::Failed
                };
                let info = BTreeMap::from([("pinata_pinjob_status".into(), job.status.clone())]);
                return Some(PsaState { status, info });
            }
            let pin = data.pinata.pins.get(row.pin_id.as_deref()?)?;
            pin.is_pinned().then(|| state(PsaStatus::Pinned))
        }
        PsaService::W3ipfs => {
            let pin = data.w3ipfs.pins.get(&row.requestid)?;
            if pin.date_unpinned.is_some() {
                return None;
            }
            Some(state(match pin.status.as_str() {
                "DONE" => PsaStatus::Pinned,
                "PENDING" => PsaStatus::Pinning,
                W3IPFS_FAILED => PsaStatus::Failed,
                _ => PsaStatus::Queued,
            }))
        }
    }
}

/// Records that the Pinata job `job_id` completed as the `pinList` row `pin_id`, on
/// the PSA request it is (if it is one).
pub(crate) fn job_completed(tx: &mut Tx<'_>, job_id: &str, pin_id: &str) {
    tx.update::<PsaRow>(job_id, |row| row.pin_id = Some(pin_id.to_owned()));
}

/// Whether another live Pinata request than `requestid` holds the `pinList` row
/// `pin_id`.
pub(crate) fn pin_held_by_another(data: &Data, requestid: &str, pin_id: &str) -> bool {
    data.psa
        .order
        .of(PsaService::Pinata)
        .iter()
        .filter(|(_, id)| &**id != requestid)
        .filter_map(|(_, id)| data.psa.requests.get(&**id))
        .any(|row| {
            row.pin_id.as_deref() == Some(pin_id) && !data.pinata.jobs.contains_key(&row.requestid)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::pinata::JobRow;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn created_is_strictly_increasing_whatever_the_clock_does() {
        let mut data = Data::default();
        let mut tx = Tx {
            data: &mut data,
            journal: None,
        };
        let now = at("2024-05-01T00:00:00.123456Z");
        let first = next_created(&mut tx, PsaService::Pinata, now);
        assert_eq!(first, at("2024-05-01T00:00:00.123Z"), "to the millisecond");
        let second = next_created(&mut tx, PsaService::Pinata, now);
        let third = next_created(&mut tx, PsaService::Pinata, at("2024-04-01T00:00:00Z"));
        assert_eq!(second, at("2024-05-01T00:00:00.124Z"));
        assert_eq!(third, at("2024-05-01T00:00:00.125Z"), "the clock went back");
        // Each service keeps its own.
        assert_eq!(next_created(&mut tx, PsaService::W3ipfs, now), first);
        let later = at("2024-06-01T00:00:00Z");
        assert_eq!(next_created(&mut tx, PsaService::Pinata, later), later);
    }

    fn row(service: PsaService, requestid: &str) -> PsaRow {
        PsaRow {
            requestid: requestid.into(),
            service,
            created: at("2024-05-01T00:00:00Z"),
            cid: "bafkreihbuc7yg6u3u55dsky6wqnccx6cvmwwuoeeh77bwgrvo3zofqtkdy".into(),
            name: None,
            origins: Vec::new(),
            meta: BTreeMap::new(),
            pin_id: None,
        }
    }

    #[test]
    fn pinata_job_statuses_map_to_the_standards() {
        let mut data = Data::default();
        let request = row(PsaService::Pinata, "job");
        for (job_status, status) in [
            ("prechecking", PsaStatus::Queued),
            ("searching", PsaStatus::Queued),
            ("retrieving", PsaStatus::Pinning),
            ("expired", PsaStatus::Failed),
            ("invalid_object", PsaStatus::Failed),
            ("bad_host_node", PsaStatus::Failed),
            ("backfilled", PsaStatus::Failed),
        ] {
            crate::state::table::insert(
                &mut data,
                JobRow {
                    id: "job".into(),
                    cid: request.cid.clone(),
                    date_queued: request.created,
                    status: job_status.into(),
                    name: None,
                    keyvalues: serde_json::Map::new(),
                    host_nodes: Vec::new(),
                    pin_policy: None,
                    group_id: None,
                },
            );
            let state = status_of(&data, &request).unwrap();
            assert_eq!(state.status, status, "{job_status}");
            assert_eq!(state.info["pinata_pinjob_status"], job_status);
        }
        crate::state::table::remove::<JobRow>(&mut data, "job");
        // A completed job without a pin it holds: the request is gone.
        assert_eq!(status_of(&data, &request), None);
    }
}
