//! What W3IPFS's pins are looked up by, kept in step with every write: the pin list's
//! three orders (creation, size, name), `pinned`, each metadata pair, active pins by
//! CID (the duplicate check of `pinByHash`) and the pins still waiting for content
//! (what a read settles). Each filtering set carries its total size, for the list's
//! `totals`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::PinRow;
use crate::state::table::RowIndex;

/// A pin's place in creation order: `created_at` in microseconds, then id.
pub(crate) type Created = (i64, Arc<str>);

/// Pins in creation order, with their total size.
#[derive(Default)]
pub(crate) struct Ordered {
    pub(crate) pins: BTreeSet<Created>,
    pub(crate) size: u128,
}

impl Ordered {
    fn add(&mut self, pin: &Created, size: u64) {
        if self.pins.insert(pin.clone()) {
            self.size += u128::from(size);
        }
    }

    fn take(&mut self, pin: &Created, size: u64) {
        if self.pins.remove(pin) {
            self.size -= u128::from(size);
        }
    }
}

/// The key a metadata pair is indexed by: the key and the value's JSON text (equal
/// JSON values have equal text).
fn pair(key: &str, value: &serde_json::Value) -> (String, String) {
    (key.to_owned(), value.to_string())
}

/// The name order's key, exactly as the list sorts: name, NUL, id.
pub(crate) fn name_key(row: &PinRow) -> String {
    format!("{}\u{0}{}", row.name.as_deref().unwrap_or_default(), row.id)
}

/// The indexes of W3IPFS's pin table.
#[derive(Default)]
pub(crate) struct W3ipfsPinIndex {
    all: Ordered,
    pinned: Ordered,
    unpinned: Ordered,
    by_size: BTreeSet<(u64, Arc<str>)>,
    by_name: BTreeSet<(String, Arc<str>)>,
    by_pair: HashMap<(String, String), Ordered>,
    /// Ids of every pin of a CID, smallest first.
    by_cid: HashMap<String, Vec<Arc<str>>>,
    /// How many pins of a CID are not unpinned.
    active_by_cid: HashMap<String, usize>,
    pending: BTreeSet<Arc<str>>,
}

impl RowIndex<PinRow> for W3ipfsPinIndex {
    fn insert(&mut self, row: &PinRow) {
        let id: Arc<str> = Arc::from(row.id.as_str());
        let pin: Created = (row.created_at.timestamp_micros(), id.clone());
        self.all.add(&pin, row.size);
        let by_pinned = if row.pinned {
            &mut self.pinned
        } else {
            &mut self.unpinned
        };
        by_pinned.add(&pin, row.size);
        self.by_size.insert((row.size, id.clone()));
        self.by_name.insert((name_key(row), id.clone()));
        for (key, value) in row.keyvalues.iter().flatten() {
            self.by_pair
                .entry(pair(key, value))
                .or_default()
                .add(&pin, row.size);
        }
        let of_cid = self.by_cid.entry(row.cid.clone()).or_default();
        if let Err(at) = of_cid.binary_search(&id) {
            of_cid.insert(at, id.clone());
        }
        if row.date_unpinned.is_none() {
            *self.active_by_cid.entry(row.cid.clone()).or_default() += 1;
        }
        if row.is_pending() {
            self.pending.insert(id);
        }
    }

    fn remove(&mut self, row: &PinRow) {
        let id: Arc<str> = Arc::from(row.id.as_str());
        let pin: Created = (row.created_at.timestamp_micros(), id.clone());
        self.all.take(&pin, row.size);
        let by_pinned = if row.pinned {
            &mut self.pinned
        } else {
            &mut self.unpinned
        };
        by_pinned.take(&pin, row.size);
        self.by_size.remove(&(row.size, id.clone()));
        self.by_name.remove(&(name_key(row), id.clone()));
        for (key, value) in row.keyvalues.iter().flatten() {
            let pair = pair(key, value);
            if let Some(set) = self.by_pair.get_mut(&pair) {
                set.take(&pin, row.size);
                if set.pins.is_empty() {
                    self.by_pair.remove(&pair);
                }
            }
        }
        if let Some(of_cid) = self.by_cid.get_mut(row.cid.as_str()) {
            if let Ok(at) = of_cid.binary_search(&id) {
                of_cid.remove(at);
            }
            if of_cid.is_empty() {
                self.by_cid.remove(row.cid.as_str());
            }
        }
        if row.date_unpinned.is_none()
            && let Some(count) = self.active_by_cid.get_mut(row.cid.as_str())
        {
            *count -= 1;
            if *count == 0 {
                self.active_by_cid.remove(row.cid.as_str());
            }
        }
        self.pending.remove(&id);
    }
}

impl W3ipfsPinIndex {
    /// Whether a pin of `cid` that is not unpinned exists.
    pub(crate) fn has_active(&self, cid: &str) -> bool {
        self.active_by_cid.contains_key(cid)
    }

    /// The smallest id of a pin of `cid` (unpinned or not).
    pub(crate) fn first_of_cid(&self, cid: &str) -> Option<&str> {
        self.by_cid.get(cid)?.first().map(|id| &**id)
    }

    /// Ids of the pins still waiting for content.
    pub(crate) fn pending_ids(&self) -> Vec<String> {
        self.pending.iter().map(|id| id.to_string()).collect()
    }

    /// Every pin.
    pub(crate) fn all(&self) -> &Ordered {
        &self.all
    }

    /// Pins with `pinned` equal to `pinned`.
    pub(crate) fn with_pinned(&self, pinned: bool) -> &Ordered {
        if pinned { &self.pinned } else { &self.unpinned }
    }

    /// Pins whose metadata has `key` equal to `value`, if any.
    pub(crate) fn with_pair(&self, key: &str, value: &serde_json::Value) -> Option<&Ordered> {
        self.by_pair.get(&pair(key, value))
    }

    /// Every pin by size, smallest first (ties by id).
    pub(crate) fn by_size(&self) -> impl DoubleEndedIterator<Item = &Arc<str>> {
        self.by_size.iter().map(|(_, id)| id)
    }

    /// Every pin by name (then id).
    pub(crate) fn by_name(&self) -> impl DoubleEndedIterator<Item = &Arc<str>> {
        self.by_name.iter().map(|(_, id)| id)
    }
}
