//! W3IPFS's rows: pins (with their indexes), and the tables the key and NFT handlers
//! define.

mod pin_index;
mod pin_list;
mod tables;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub(crate) use pin_index::W3ipfsPinIndex;
pub(crate) use pin_list::{PinListQuery, PinSort, has_metadata};
pub(crate) use tables::{NftRow, W3ipfsKey};

use super::Data;
use super::table::{RowIndex, Table};
use crate::store::Record;

/// W3IPFS's rows.
#[derive(Default)]
pub(crate) struct W3ipfsData {
    /// API keys by id.
    pub(crate) keys: BTreeMap<String, W3ipfsKey>,
    /// Pins by id.
    pub(crate) pins: BTreeMap<String, PinRow>,
    /// What `pins` is looked up by.
    pub(crate) pin_index: W3ipfsPinIndex,
    /// NFTs by id.
    pub(crate) nfts: BTreeMap<String, NftRow>,
}

/// One pin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct PinRow {
    pub(crate) id: String,
    pub(crate) cid: String,
    pub(crate) size: u64,
    pub(crate) file_record_id: Option<String>,
    pub(crate) date_pinned: DateTime<Utc>,
    pub(crate) date_unpinned: Option<DateTime<Utc>>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) pinned: bool,
    pub(crate) is_pin_by_hash: bool,
    pub(crate) is_dir: bool,
    pub(crate) name: Option<String>,
    pub(crate) mime_type: Option<String>,
    pub(crate) keyvalues: Option<Map<String, Value>>,
    pub(crate) status: String,
}

impl Record for PinRow {
    const TABLE: &'static str = "w3ipfs_pins";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for PinRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.w3ipfs.pins
    }

    fn rows_and_index(
        data: &mut Data,
    ) -> (&mut BTreeMap<String, Self>, Option<&mut dyn RowIndex<Self>>) {
        let w3ipfs = &mut data.w3ipfs;
        (&mut w3ipfs.pins, Some(&mut w3ipfs.pin_index))
    }
}

impl PinRow {
    /// Whether the pin still waits for its content (uploaded, or pinned by CID).
    pub(crate) fn is_pending(&self) -> bool {
        self.date_unpinned.is_none() && (self.status == "PENDING" || self.status == "RETRIEVAL")
    }
}

/// Whether an active (not unpinned) pin of `cid` exists.
pub(crate) fn has_active_pin(data: &Data, cid: &str) -> bool {
    data.w3ipfs.pin_index.has_active(cid)
}

/// Ids of the pins still waiting for their content.
pub(crate) fn pending_pins(data: &Data) -> Vec<String> {
    data.w3ipfs.pin_index.pending_ids()
}

/// The pin of `cid` with the smallest id, unpinned or not.
pub(crate) fn any_pin_of_cid<'a>(data: &'a Data, cid: &str) -> Option<&'a PinRow> {
    let id = data.w3ipfs.pin_index.first_of_cid(cid)?;
    data.w3ipfs.pins.get(id)
}
