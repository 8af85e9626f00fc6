//! The account's dedicated gateway as a row: its id and domain label (what
//! `GET /v3/gateways` lists), its access tokens (gateway keys) and whether the Hot Swaps
//! plugin is installed. Created on first use; persisted with `--state-dir` like every
//! other table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

use super::{Data, Table, Tx, load_table};
use crate::store::{Record, Store};
use crate::{EmulatorError, clock, secrets};

/// Loads the stored gateway.
pub(crate) fn load(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    load_table::<GatewayRow>(store, data)
}

/// The gateway rows (one: the account's dedicated gateway).
#[derive(Default)]
pub(crate) struct GatewayData {
    /// By gateway id.
    pub(crate) gateways: BTreeMap<String, GatewayRow>,
}

/// The account's dedicated gateway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct GatewayRow {
    /// Its id (a UUID).
    pub(crate) id: String,
    /// The subdomain label: the gateway is `https://<domain>.mypinata.cloud`.
    pub(crate) domain: String,
    /// Creation time, ISO-8601.
    pub(crate) created_at: String,
    /// Gateway keys; once there is one, `/ipfs/` needs one of them.
    #[serde(default)]
    pub(crate) access_tokens: Vec<GatewayToken>,
    /// Whether the Hot Swaps plugin is installed: then `/ipfs/<cid>` serves the CID's
    /// current swap target.
    #[serde(default)]
    pub(crate) hot_swaps: bool,
}

/// A gateway key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct GatewayToken {
    /// Its id (a UUID), used to delete it.
    pub(crate) id: String,
    /// The secret clients send as `pinataGatewayToken` or `x-pinata-gateway-token`.
    pub(crate) value: String,
    /// Creation time, RFC 3339 with nanoseconds as Pinata shows it.
    pub(crate) created_at: String,
}

impl std::fmt::Debug for GatewayToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayToken")
            .field("id", &self.id)
            .field("value", &"[redacted]")
            .field("created_at", &self.created_at)
            .finish()
    }
}

impl Record for GatewayRow {
    const TABLE: &'static str = "pinata_v3_gateways";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for GatewayRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.gateway.gateways
    }
}

/// The account's gateway, if it was created yet.
pub(crate) fn the_gateway(data: &Data) -> Option<&GatewayRow> {
    data.gateway.gateways.values().next()
}

/// The account's gateway, created (with a fresh id and domain label) if it does not
/// exist yet.
pub(crate) fn ensure_gateway(tx: &mut Tx<'_>, now: DateTime<Utc>) -> GatewayRow {
    if let Some(gateway) = the_gateway(tx.data()) {
        return gateway.clone();
    }
    let gateway = GatewayRow {
        id: secrets::uuid(),
        domain: format!("pinion-{}", secrets::hex_string(8)),
        created_at: clock::iso(now),
        access_tokens: Vec::new(),
        hot_swaps: false,
    };
    tx.put(gateway.clone());
    gateway
}
