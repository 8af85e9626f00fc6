//! What Submarine's content items are looked up by, kept in step with every write:
//! root CID (upload's duplicate check, gateway), folder files by CID and by id (gateway,
//! access tokens), and creation order per publication state (the content list).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::ContentRow;
use crate::state::table::RowIndex;

/// An item's place in the list's order: created, then id.
pub(crate) type Created = (DateTime<Utc>, Arc<str>);

fn add_sorted(ids: &mut Vec<Arc<str>>, id: &Arc<str>) {
    if let Err(at) = ids.binary_search(id) {
        ids.insert(at, id.clone());
    }
}

fn take_sorted(map: &mut HashMap<String, Vec<Arc<str>>>, key: &str, id: &Arc<str>) {
    if let Some(ids) = map.get_mut(key) {
        if let Ok(at) = ids.binary_search(id) {
            ids.remove(at);
        }
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

/// The indexes of Submarine's content table.
#[derive(Default)]
pub(crate) struct ContentIndex {
    /// Item ids by root CID, smallest first.
    by_cid: HashMap<String, Vec<Arc<str>>>,
    /// Ids of the folder items holding a file, by the file's CID.
    by_file_cid: HashMap<String, Vec<Arc<str>>>,
    /// The folder item of each file, by file id.
    file_owner: HashMap<String, Arc<str>>,
    all: BTreeSet<Created>,
    published: BTreeSet<Created>,
    unpublished: BTreeSet<Created>,
}

impl RowIndex<ContentRow> for ContentIndex {
    fn insert(&mut self, row: &ContentRow) {
        let id: Arc<str> = Arc::from(row.id.as_str());
        add_sorted(self.by_cid.entry(row.cid.clone()).or_default(), &id);
        for file in &row.files {
            add_sorted(self.by_file_cid.entry(file.cid.clone()).or_default(), &id);
            self.file_owner.insert(file.id.clone(), id.clone());
        }
        self.all.insert((row.created_at, id.clone()));
        self.with_published_mut(row.pin_to_ipfs)
            .insert((row.created_at, id));
    }

    fn remove(&mut self, row: &ContentRow) {
        let id: Arc<str> = Arc::from(row.id.as_str());
        take_sorted(&mut self.by_cid, &row.cid, &id);
        for file in &row.files {
            take_sorted(&mut self.by_file_cid, &file.cid, &id);
            if self.file_owner.get(&file.id) == Some(&id) {
                self.file_owner.remove(&file.id);
            }
        }
        let created = (row.created_at, id);
        self.all.remove(&created);
        self.with_published_mut(row.pin_to_ipfs).remove(&created);
    }
}

impl ContentIndex {
    fn with_published_mut(&mut self, published: bool) -> &mut BTreeSet<Created> {
        if published {
            &mut self.published
        } else {
            &mut self.unpublished
        }
    }

    /// Ids of the items whose root is `cid`, smallest first.
    pub(crate) fn ids_of_cid(&self, cid: &str) -> &[Arc<str>] {
        self.by_cid.get(cid).map_or(&[], Vec::as_slice)
    }

    /// Ids of the folder items holding a file of `cid`.
    pub(crate) fn ids_holding_file_cid(&self, cid: &str) -> &[Arc<str>] {
        self.by_file_cid.get(cid).map_or(&[], Vec::as_slice)
    }

    /// Whether `id` is a file inside a folder item.
    pub(crate) fn owns_file(&self, id: &str) -> bool {
        self.file_owner.contains_key(id)
    }

    /// Every item, in creation order.
    pub(crate) fn all(&self) -> &BTreeSet<Created> {
        &self.all
    }

    /// Items published to IPFS (or not), in creation order.
    pub(crate) fn with_published(&self, published: bool) -> &BTreeSet<Created> {
        if published {
            &self.published
        } else {
            &self.unpublished
        }
    }
}
