//! Submarine's rows: its keys and content items.

mod content_index;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub(crate) use content_index::ContentIndex;

use super::table::RowIndex;
use super::{Data, Table};
use crate::store::Record;

/// Submarine's rows.
#[derive(Default)]
pub(crate) struct SubmarineData {
    /// Submarine keys by key.
    pub(crate) keys: BTreeMap<String, SubmarineKey>,
    /// Content items by id.
    pub(crate) content: BTreeMap<String, ContentRow>,
    /// What `content` is looked up by.
    pub(crate) content_index: ContentIndex,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct FolderFile {
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) cid: String,
    pub(crate) size: u64,
}

/// One content item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

    fn rows_and_index(
        data: &mut Data,
    ) -> (&mut BTreeMap<String, Self>, Option<&mut dyn RowIndex<Self>>) {
        let submarine = &mut data.submarine;
        (&mut submarine.content, Some(&mut submarine.content_index))
    }
}

/// The item whose root is `cid` (the smallest id, should there be several).
pub(crate) fn content_of_cid<'a>(data: &'a Data, cid: &str) -> Option<&'a ContentRow> {
    let id = data.submarine.content_index.ids_of_cid(cid).first()?;
    data.submarine.content.get(&**id)
}

/// Whether `id` names an item or a file inside a folder item.
pub(crate) fn is_content_id(data: &Data, id: &str) -> bool {
    data.submarine.content.contains_key(id) || data.submarine.content_index.owns_file(id)
}

/// Ids whose access token opens `path` inside `cid`: the items whose root is `cid`
/// (and their files at `path`), and, for the root itself, folder files whose CID it is.
pub(crate) fn covering_ids(data: &Data, cid: &str, path: &str) -> Vec<String> {
    let submarine = &data.submarine;
    let rows = |ids: &[std::sync::Arc<str>]| -> Vec<&ContentRow> {
        ids.iter()
            .filter_map(|id| submarine.content.get(&**id))
            .collect()
    };
    let mut ids = Vec::new();
    for row in rows(submarine.content_index.ids_of_cid(cid)) {
        ids.push(row.id.clone());
        ids.extend(
            row.files
                .iter()
                .filter(|f| f.path == path)
                .map(|f| f.id.clone()),
        );
    }
    if path.is_empty() {
        for row in rows(submarine.content_index.ids_holding_file_cid(cid)) {
            ids.extend(
                row.files
                    .iter()
                    .filter(|f| f.cid == cid)
                    .map(|f| f.id.clone()),
            );
        }
    }
    ids
}
