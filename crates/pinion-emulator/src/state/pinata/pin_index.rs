//! What Pinata's pins are looked up by, kept in step with every insert, change and
//! removal, so that a lookup by CID and a `pinList` page cost about the same with a
//! thousand pins as with a million.
//!
//! Every ordered set holds [`PinKey`]s — `(date_pinned, id)`, `pinList`'s order read
//! backwards — so a page is a walk of one set from its newest end, and a `pinStart` /
//! `pinEnd` range is a range of it. Running totals answer `userPinnedDataTotal`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::keyvalue::Canonical;
use super::{PinRow, copies};
use crate::state::table::RowIndex;

/// A pin's place in `pinList`'s order (oldest first): date pinned, then id.
pub(crate) type PinKey = (DateTime<Utc>, Arc<str>);

/// Ordered pins of one index entry.
pub(crate) type PinSet = BTreeSet<PinKey>;

/// The pins of one CID: few (one, unless unpinned and pinned again), so sorted
/// vectors, far smaller than a set per CID.
#[derive(Default)]
pub(crate) struct CidPins {
    /// Every pin of the CID, oldest first.
    pub(crate) all: Vec<PinKey>,
    /// Ids of its active pins (normally one), smallest first.
    active: Vec<Arc<str>>,
}

/// Sums over the active pins.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PinTotals {
    /// Active pins.
    pub(crate) count: u64,
    /// Their sizes.
    pub(crate) size: u128,
    /// Sizes of active pins that follow the account's policy (no policy of their own).
    pub(crate) size_on_account_policy: u128,
    /// Size × copies of active pins with a policy of their own.
    pub(crate) replicated_own_policy: u128,
}

/// The indexes of Pinata's pin table.
#[derive(Default)]
pub(crate) struct PinIndex {
    all: PinSet,
    pinned: PinSet,
    unpinned: PinSet,
    /// Every pin (active or not) of a CID.
    by_cid: HashMap<String, CidPins>,
    by_group: HashMap<String, PinSet>,
    /// Pins by key-value: key, then the value's canonical form.
    by_keyvalue: HashMap<String, HashMap<Canonical, PinSet>>,
    /// Active rows with a v3 `expires_at`, soonest first.
    expiring: BTreeSet<(i64, Arc<str>)>,
    totals: PinTotals,
}

fn add<K: std::hash::Hash + Eq>(map: &mut HashMap<K, PinSet>, key: K, pin: &PinKey) {
    map.entry(key).or_default().insert(pin.clone());
}

fn take<K, Q>(map: &mut HashMap<K, PinSet>, key: &Q, pin: &PinKey)
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    if let Some(set) = map.get_mut(key) {
        set.remove(pin);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

impl RowIndex<PinRow> for PinIndex {
    fn insert(&mut self, row: &PinRow) {
        let pin: PinKey = (row.date_pinned, Arc::from(row.id.as_str()));
        self.all.insert(pin.clone());
        let of_cid = self.by_cid.entry(row.cid.clone()).or_default();
        if let Err(at) = of_cid.all.binary_search(&pin) {
            // Most CIDs have one pin: no room for four.
            of_cid.all.reserve_exact(1);
            of_cid.all.insert(at, pin.clone());
        }
        if row.is_pinned() {
            if let Err(at) = of_cid.active.binary_search(&pin.1) {
                of_cid.active.reserve_exact(1);
                of_cid.active.insert(at, pin.1.clone());
            }
            self.pinned.insert(pin.clone());
        } else {
            self.unpinned.insert(pin.clone());
        }
        if let Some(group) = &row.group_id {
            add(&mut self.by_group, group.clone(), &pin);
        }
        for (key, value) in &row.keyvalues {
            if let Some(canonical) = Canonical::of(value) {
                let values = self.by_keyvalue.entry(key.clone()).or_default();
                add(values, canonical, &pin);
            }
        }
        if let (true, Some(at)) = (row.is_pinned(), row.expires_at) {
            self.expiring.insert((at, pin.1.clone()));
        }
        self.count(row, true);
    }

    fn remove(&mut self, row: &PinRow) {
        let pin: PinKey = (row.date_pinned, Arc::from(row.id.as_str()));
        self.all.remove(&pin);
        if let Some(of_cid) = self.by_cid.get_mut(row.cid.as_str()) {
            if let Ok(at) = of_cid.all.binary_search(&pin) {
                of_cid.all.remove(at);
            }
            if let Ok(at) = of_cid.active.binary_search(&pin.1) {
                of_cid.active.remove(at);
            }
            if of_cid.all.is_empty() {
                self.by_cid.remove(row.cid.as_str());
            }
        }
        if row.is_pinned() {
            self.pinned.remove(&pin);
        } else {
            self.unpinned.remove(&pin);
        }
        if let Some(group) = &row.group_id {
            take(&mut self.by_group, group.as_str(), &pin);
        }
        for (key, value) in &row.keyvalues {
            if let Some(canonical) = Canonical::of(value)
                && let Some(values) = self.by_keyvalue.get_mut(key.as_str())
            {
                take(values, &canonical, &pin);
                if values.is_empty() {
                    self.by_keyvalue.remove(key.as_str());
                }
            }
        }
        if let Some(at) = row.expires_at {
            self.expiring.remove(&(at, pin.1.clone()));
        }
        self.count(row, false);
    }
}

impl PinIndex {
    fn count(&mut self, row: &PinRow, add: bool) {
        if !row.is_pinned() {
            return;
        }
        let size = u128::from(row.size);
        let (on_account, own) = match &row.pin_policy {
            None => (size, 0),
            Some(policy) => (0, size * u128::from(copies(policy))),
        };
        let totals = &mut self.totals;
        if add {
            totals.count += 1;
            totals.size += size;
            totals.size_on_account_policy += on_account;
            totals.replicated_own_policy += own;
        } else {
            totals.count -= 1;
            totals.size -= size;
            totals.size_on_account_policy -= on_account;
            totals.replicated_own_policy -= own;
        }
    }

    /// The id of the active pin of `cid` (the smallest, should there be several).
    pub(crate) fn active_pin_id(&self, cid: &str) -> Option<&str> {
        self.by_cid
            .get(cid)
            .and_then(|pins| pins.active.first())
            .map(|id| &**id)
    }

    /// Ids of the active rows whose `expires_at` is at or before `now` (Unix seconds).
    pub(crate) fn expired_ids(&self, now: i64) -> Vec<String> {
        self.expiring
            .iter()
            .take_while(|(at, _)| *at <= now)
            .map(|(_, id)| id.to_string())
            .collect()
    }

    /// Sums over the active pins.
    pub(crate) fn totals(&self) -> PinTotals {
        self.totals
    }

    /// Every pin.
    pub(crate) fn all(&self) -> &PinSet {
        &self.all
    }

    /// Active or unpinned pins.
    pub(crate) fn with_status(&self, pinned: bool) -> &PinSet {
        if pinned { &self.pinned } else { &self.unpinned }
    }

    /// Pins of `cid`, if any.
    pub(crate) fn of_cid(&self, cid: &str) -> Option<&CidPins> {
        self.by_cid.get(cid)
    }

    /// Pins in group `id`, if any.
    pub(crate) fn in_group(&self, id: &str) -> Option<&PinSet> {
        self.by_group.get(id)
    }

    /// Pins whose `key` equals `value` (canonically), if any.
    pub(crate) fn with_keyvalue(&self, key: &str, value: &Canonical) -> Option<&PinSet> {
        self.by_keyvalue.get(key)?.get(value)
    }

    /// Ids of the pins in group `id`.
    pub(crate) fn group_member_ids(&self, id: &str) -> Vec<String> {
        self.in_group(id)
            .map(|set| set.iter().map(|(_, id)| id.to_string()).collect())
            .unwrap_or_default()
    }
}
