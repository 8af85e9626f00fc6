//! Pinata's tables besides pins: API keys, queued pin-by-CID jobs and groups.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use pinion_api::pinata::types as wire;
pub(crate) use pinion_api::pinata_v3::types::Network;
use pinion_scopes::pinata::PinataPermissions;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::state::{Data, Table};
use crate::store::Record;

/// One API key of the emulated account.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PinataKey {
    /// UUID of the key row.
    pub(crate) id: String,
    pub(crate) name: String,
    /// 20 lowercase hex characters; the row's key.
    pub(crate) key: String,
    /// 64 lowercase hex characters.
    pub(crate) secret: String,
    /// The HS256 JWT handed out with the key.
    pub(crate) jwt: String,
    /// `None` for a key created through a v3 route without permissions (the v3 spec
    /// no longer requires them): such a key may call nothing.
    pub(crate) permissions: Option<PinataPermissions>,
    pub(crate) max_uses: Option<u64>,
    pub(crate) uses: u64,
    pub(crate) revoked: bool,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl Record for PinataKey {
    const TABLE: &'static str = "pinata_keys";
    fn key(&self) -> String {
        self.key.clone()
    }
}

impl Table for PinataKey {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.keys
    }
}

/// A group: one set for the legacy `/groups` (the public network's groups) and v3's
/// `/groups/{network}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct GroupRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    /// The v3 network the group lives in; groups stored before v3 are public.
    #[serde(default = "public_network")]
    pub(crate) network: Network,
    /// v3's `is_public` flag: stored and filtered on, no effect on access.
    #[serde(default)]
    pub(crate) is_public: bool,
}

fn public_network() -> Network {
    Network::Public
}

impl Record for GroupRow {
    const TABLE: &'static str = "pinata_groups";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for GroupRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.groups
    }
}

/// A queued pin-by-CID job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct JobRow {
    pub(crate) id: String,
    pub(crate) cid: String,
    pub(crate) date_queued: DateTime<Utc>,
    pub(crate) status: String,
    pub(crate) name: Option<String>,
    pub(crate) keyvalues: Map<String, Value>,
    pub(crate) host_nodes: Vec<String>,
    pub(crate) pin_policy: Option<wire::PinPolicy>,
    pub(crate) group_id: Option<String>,
}

impl Record for JobRow {
    const TABLE: &'static str = "pinata_jobs";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for JobRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.jobs
    }
}
