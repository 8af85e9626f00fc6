//! v3 hot swaps (per network and CID, with their history) and CID signatures (one per
//! CID, account-wide): stored by the v3 API, read by the gateway.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Network;
use crate::state::{Data, Table};
use crate::store::Record;

/// One change of a swap: the target from then on, or `None` for a removal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SwapEvent {
    pub(crate) mapped_cid: Option<String>,
    pub(crate) created_at: DateTime<Utc>,
}

/// The swap of one CID on one network: its current target and every change, oldest
/// first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SwapRow {
    pub(crate) network: Network,
    pub(crate) cid: String,
    pub(crate) history: Vec<SwapEvent>,
}

impl SwapRow {
    /// The row key of `cid`'s swap on `network`.
    pub(crate) fn key_of(network: Network, cid: &str) -> String {
        format!("{network}:{cid}")
    }

    /// The current target (the last change's), if the swap is in force.
    pub(crate) fn target(&self) -> Option<&str> {
        self.history.last()?.mapped_cid.as_deref()
    }
}

impl Record for SwapRow {
    const TABLE: &'static str = "pinata_swaps";
    fn key(&self) -> String {
        Self::key_of(self.network, &self.cid)
    }
}

impl Table for SwapRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.swaps
    }
}

/// The signature attached to a CID (EIP-712, stored as given, not verified).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SignatureRow {
    pub(crate) cid: String,
    pub(crate) signature: String,
    pub(crate) address: String,
    pub(crate) created_at: DateTime<Utc>,
}

impl Record for SignatureRow {
    const TABLE: &'static str = "pinata_signatures";
    fn key(&self) -> String {
        self.cid.clone()
    }
}

impl Table for SignatureRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.signatures
    }
}

/// What `cid` is swapped for on `network` now (the gateway serves the target's
/// content, with the target as `etag`); `None` when it is not swapped.
pub(crate) fn swap_target<'a>(data: &'a Data, network: Network, cid: &str) -> Option<&'a str> {
    data.pinata
        .swaps
        .get(&SwapRow::key_of(network, cid))?
        .target()
}

/// The signature of `cid` (the gateway's `pinata-signature` header), if any.
pub(crate) fn signature_of<'a>(data: &'a Data, cid: &str) -> Option<&'a SignatureRow> {
    data.pinata.signatures.get(cid)
}
