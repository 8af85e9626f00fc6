//! Pinata's rows: pins (with their indexes), the account's pin policy, and the tables
//! the key, job and group handlers define; plus the lookups every handler shares.

mod keyvalue;
mod pin_filter;
mod pin_index;
mod private;
mod swaps;
mod tables;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use pinion_api::pinata::types as wire;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub(crate) use keyvalue::{KeyValueFilter, parse_keyvalue_filters, parse_time};
pub(crate) use pin_filter::{PinFilter, PinStatus};
pub(crate) use pin_index::{PinIndex, PinKey};
pub(crate) use private::PrivateFileRow;
pub(crate) use swaps::{SignatureRow, SwapEvent, SwapRow, signature_of, swap_target};
pub(crate) use tables::{GroupRow, JobRow, Network, PinataKey};

use super::table::{RowIndex, Table};
use super::{Data, Tx};
use crate::store::Record;

/// Pinata's rows.
#[derive(Default)]
pub(crate) struct PinataData {
    /// API keys by their 20-hex key.
    pub(crate) keys: BTreeMap<String, PinataKey>,
    /// Pin rows by id (unpinned rows stay, with `date_unpinned`).
    pub(crate) pins: BTreeMap<String, PinRow>,
    /// What `pins` is looked up by.
    pub(crate) pin_index: PinIndex,
    /// Queued pin-by-CID jobs by id.
    pub(crate) jobs: BTreeMap<String, JobRow>,
    /// Groups by id.
    pub(crate) groups: BTreeMap<String, GroupRow>,
    /// The account's pin policy (one row, when set).
    pub(crate) user_policy: BTreeMap<String, UserPolicy>,
    /// v3 private files by id (deleted ones stay, with `date_unpinned`, like pins).
    pub(crate) private_files: BTreeMap<String, PrivateFileRow>,
    /// What `private_files` is looked up by: the same index as the pins'.
    pub(crate) private_index: PinIndex,
    /// v3 hot swaps by `<network>:<cid>`.
    pub(crate) swaps: BTreeMap<String, SwapRow>,
    /// v3 CID signatures by CID.
    pub(crate) signatures: BTreeMap<String, SignatureRow>,
}

/// One pin record (`pinList` row). Unpinning keeps it with `date_unpinned`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// v3 `expires_at` (Unix seconds): when the file is due to be deleted. Rows stored
    /// before v3 have none.
    #[serde(default)]
    pub(crate) expires_at: Option<i64>,
    /// Whether v3 `vectorize` ran on the file.
    #[serde(default)]
    pub(crate) vectorized: bool,
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

    fn rows_and_index(
        data: &mut Data,
    ) -> (&mut BTreeMap<String, Self>, Option<&mut dyn RowIndex<Self>>) {
        let pinata = &mut data.pinata;
        (&mut pinata.pins, Some(&mut pinata.pin_index))
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

/// How many copies `policy` keeps (at least one).
pub(crate) fn copies(policy: &wire::PinPolicy) -> u64 {
    let copies: i64 = policy
        .regions
        .iter()
        .map(|region| region.desired_replication_count)
        .sum();
    copies.max(1) as u64
}

/// The active pin of `cid`, if any.
pub(crate) fn active_pin<'a>(data: &'a Data, cid: &str) -> Option<&'a PinRow> {
    let id = data.pinata.pin_index.active_pin_id(cid)?;
    data.pinata.pins.get(id)
}

/// The pin of `cid` with the smallest id, unpinned or not.
pub(crate) fn any_pin_of_cid<'a>(data: &'a Data, cid: &str) -> Option<&'a PinRow> {
    let pins = data.pinata.pin_index.of_cid(cid)?;
    let id = pins.all.iter().map(|(_, id)| id).min()?;
    data.pinata.pins.get(&**id)
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

/// The ids of the pins in group `id`.
pub(crate) fn group_members(data: &Data, id: &str) -> Vec<String> {
    data.pinata.pin_index.group_member_ids(id)
}
