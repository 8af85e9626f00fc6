//! W3IPFS's tables besides pins: API keys and NFTs.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use pinion_scopes::w3ipfs::W3ipfsScopes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::state::{Data, Table};
use crate::store::Record;

/// One API key pair of the emulated user.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct W3ipfsKey {
    /// UUID of the key row; the row's key.
    pub(crate) id: String,
    pub(crate) name: String,
    /// Base64 of 16 random bytes.
    pub(crate) api_key: String,
    /// Base64 of 32 random bytes.
    pub(crate) secret_key: String,
    pub(crate) scopes: W3ipfsScopes,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl Record for W3ipfsKey {
    const TABLE: &'static str = "w3ipfs_keys";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for W3ipfsKey {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.w3ipfs.keys
    }
}

/// One NFT.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct NftRow {
    pub(crate) id: String,
    pub(crate) asset_cid: String,
    pub(crate) asset_pin_id: Option<String>,
    pub(crate) metadata_cid: String,
    pub(crate) metadata_pin_id: String,
    pub(crate) name: Option<String>,
    pub(crate) mime_type: Option<String>,
    pub(crate) metadata: Map<String, Value>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl Record for NftRow {
    const TABLE: &'static str = "w3ipfs_nfts";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for NftRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.w3ipfs.nfts
    }
}
