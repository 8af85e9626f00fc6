//! Submarine's rows: its keys and content items.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Data, Table};
use crate::store::Record;

/// Submarine's rows.
#[derive(Default)]
pub(crate) struct SubmarineData {
    /// Submarine keys by key.
    pub(crate) keys: BTreeMap<String, SubmarineKey>,
    /// Content items by id.
    pub(crate) content: BTreeMap<String, ContentRow>,
}

/// A Submarine ("PRIVATE API") key.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SubmarineKey {
    /// 32 lowercase hex characters; the row's key.
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) revoked: bool,
    pub(crate) created_at: DateTime<Utc>,
}

impl Record for SubmarineKey {
    const TABLE: &'static str = "submarine_keys";
    fn key(&self) -> String {
        self.key.clone()
    }
}

impl Table for SubmarineKey {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.submarine.keys
    }
}

/// One file inside a folder item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct FolderFile {
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) cid: String,
    pub(crate) size: u64,
}

/// One content item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ContentRow {
    pub(crate) id: String,
    pub(crate) cid: String,
    pub(crate) name: String,
    pub(crate) originalname: String,
    pub(crate) size: u64,
    pub(crate) mime_type: Option<String>,
    pub(crate) metadata: Map<String, Value>,
    pub(crate) pin_to_ipfs: bool,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) files: Vec<FolderFile>,
}

impl Record for ContentRow {
    const TABLE: &'static str = "submarine_content";
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Table for ContentRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.submarine.content
    }
}
