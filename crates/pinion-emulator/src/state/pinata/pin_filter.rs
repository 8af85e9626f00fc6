//! `pinList`'s filters over Pinata's pins, answered from the pin indexes.
//!
//! A page walks the smallest index set that holds every possible match — a CID, a
//! group, a key-value equality, a status, or all pins — within the `pinStart` /
//! `pinEnd` range, newest first, and checks every filter on each candidate. Its cost
//! is the candidates walked, not the pins stored. Filters with no index (`hashContains`,
//! `metadata[name]`'s substring, size bounds, unpin dates, key-value operators other
//! than `eq`) only narrow the candidates: alone they walk every pin. The count is the
//! chosen set's size when that set is exactly the answer; otherwise every candidate is
//! checked.

use std::collections::BTreeSet;
use std::ops::{Bound, RangeBounds};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::keyvalue::KeyValueFilter;
use super::pin_index::{PinKey, PinSet};

/// Where a page's candidates come from: an index set, or a CID's few pins.
#[derive(Clone, Copy)]
enum Candidates<'a> {
    Set(&'a PinSet),
    Few(&'a [PinKey]),
}

impl<'a> Candidates<'a> {
    fn len(&self) -> usize {
        match self {
            Candidates::Set(set) => set.len(),
            Candidates::Few(pins) => pins.len(),
        }
    }

    /// The candidates within `range`, newest first.
    fn newest_first(
        &self,
        range: (Bound<PinKey>, Bound<PinKey>),
    ) -> Box<dyn Iterator<Item = &'a PinKey> + 'a> {
        self.in_order(range, false)
    }

    /// The candidates within `range`, oldest first when `ascending`.
    fn in_order(
        &self,
        range: (Bound<PinKey>, Bound<PinKey>),
        ascending: bool,
    ) -> Box<dyn Iterator<Item = &'a PinKey> + 'a> {
        match (*self, ascending) {
            (Candidates::Set(set), false) => Box::new(set.range(range).rev()),
            (Candidates::Set(set), true) => Box::new(set.range(range)),
            (Candidates::Few(pins), false) => {
                Box::new(pins.iter().rev().filter(move |pin| range.contains(*pin)))
            }
            (Candidates::Few(pins), true) => {
                Box::new(pins.iter().filter(move |pin| range.contains(*pin)))
            }
        }
    }
}
use super::{PinIndex, PinRow, PinataData};

/// `pinList`'s `status`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PinStatus {
    #[default]
    All,
    Pinned,
    Unpinned,
}

/// The filters of `pinList`.
#[derive(Debug, Default)]
pub(crate) struct PinFilter {
    pub(crate) status: PinStatus,
    pub(crate) cid_contains: Option<String>,
    pub(crate) cid: Option<String>,
    pub(crate) group_id: Option<String>,
    pub(crate) pin_start: Option<DateTime<Utc>>,
    pub(crate) pin_end: Option<DateTime<Utc>>,
    pub(crate) unpin_start: Option<DateTime<Utc>>,
    pub(crate) unpin_end: Option<DateTime<Utc>>,
    pub(crate) size_min: Option<u64>,
    pub(crate) size_max: Option<u64>,
    /// Case-insensitive substring of the name.
    pub(crate) name: Option<String>,
    pub(crate) keyvalues: Vec<KeyValueFilter>,
    /// Exact MIME type (v3 `mimeType`).
    pub(crate) mime_type: Option<String>,
    /// Only rows outside any group (v3 `group=null`).
    pub(crate) no_group: bool,
}

/// A v3 page: rows in the asked order and whether more match after them.
pub(crate) struct FilePage<'a> {
    pub(crate) rows: Vec<&'a PinRow>,
    pub(crate) more: bool,
}

/// A page of pins, newest first, and the number of matches when asked for.
pub(crate) struct PinPage<'a> {
    pub(crate) rows: Vec<&'a PinRow>,
    pub(crate) count: Option<usize>,
}

static NO_PINS: PinSet = BTreeSet::new();

impl PinFilter {
    /// Whether `row` passes every filter.
    pub(crate) fn matches(&self, row: &PinRow) -> bool {
        let status_ok = match self.status {
            PinStatus::Pinned => row.is_pinned(),
            PinStatus::Unpinned => !row.is_pinned(),
            PinStatus::All => true,
        };
        status_ok
            && self
                .cid_contains
                .as_ref()
                .is_none_or(|part| row.cid.contains(part.as_str()))
            && self.cid.as_ref().is_none_or(|cid| row.cid == *cid)
            && self
                .group_id
                .as_ref()
                .is_none_or(|group| row.group_id.as_ref() == Some(group))
            && self.pin_start.is_none_or(|start| row.date_pinned >= start)
            && self.pin_end.is_none_or(|end| row.date_pinned <= end)
            && self
                .unpin_start
                .is_none_or(|start| row.date_unpinned.is_some_and(|d| d >= start))
            && self
                .unpin_end
                .is_none_or(|end| row.date_unpinned.is_some_and(|d| d <= end))
            && self.size_min.is_none_or(|min| row.size >= min)
            && self.size_max.is_none_or(|max| row.size <= max)
            && self.name.as_ref().is_none_or(|name| {
                row.name
                    .as_ref()
                    .is_some_and(|have| have.to_lowercase().contains(&name.to_lowercase()))
            })
            && self
                .keyvalues
                .iter()
                .all(|filter| filter.matches(&row.keyvalues))
            && self
                .mime_type
                .as_ref()
                .is_none_or(|mime| row.mime_type.as_ref() == Some(mime))
            && (!self.no_group || row.group_id.is_none())
    }

    /// How many filters other than the `pinStart`/`pinEnd` range there are.
    fn constraints(&self) -> usize {
        usize::from(self.status != PinStatus::All)
            + usize::from(self.cid_contains.is_some())
            + usize::from(self.cid.is_some())
            + usize::from(self.group_id.is_some())
            + usize::from(self.unpin_start.is_some())
            + usize::from(self.unpin_end.is_some())
            + usize::from(self.size_min.is_some())
            + usize::from(self.size_max.is_some())
            + usize::from(self.name.is_some())
            + self.keyvalues.len()
            + usize::from(self.mime_type.is_some())
            + usize::from(self.no_group)
    }

    /// The smallest index set holding every match, and whether it holds nothing else
    /// (before the date range).
    fn candidates<'a>(&self, index: &'a PinIndex) -> (Candidates<'a>, bool) {
        let set = |set: Option<&'a PinSet>| Candidates::Set(set.unwrap_or(&NO_PINS));
        let mut sources: Vec<Candidates<'a>> = Vec::new();
        if let Some(cid) = &self.cid {
            sources.push(Candidates::Few(
                index.of_cid(cid).map_or(&[][..], |pins| &pins.all),
            ));
        }
        if let Some(group) = &self.group_id {
            sources.push(set(index.in_group(group)));
        }
        for filter in &self.keyvalues {
            if let Some((key, value)) = filter.equality() {
                sources.push(set(index.with_keyvalue(key, &value)));
            }
        }
        match self.status {
            PinStatus::Pinned => sources.push(set(Some(index.with_status(true)))),
            PinStatus::Unpinned => sources.push(set(Some(index.with_status(false)))),
            PinStatus::All => {}
        }
        let constraints = self.constraints();
        match sources.into_iter().min_by_key(Candidates::len) {
            Some(source) => (source, constraints == 1),
            None => (Candidates::Set(index.all()), constraints == 0),
        }
    }

    /// The `pinStart` / `pinEnd` range as bounds on [`PinKey`]s; `None` when empty.
    fn date_range(&self) -> Option<(Bound<PinKey>, Bound<PinKey>)> {
        if let (Some(start), Some(end)) = (self.pin_start, self.pin_end)
            && start > end
        {
            return None;
        }
        let lowest: Arc<str> = Arc::from("");
        let low = match self.pin_start {
            Some(start) => Bound::Included((start, lowest.clone())),
            None => Bound::Unbounded,
        };
        let high = match self
            .pin_end
            .map(|end| end.checked_add_signed(chrono::Duration::nanoseconds(1)))
        {
            Some(Some(after)) => Bound::Excluded((after, lowest)),
            Some(None) | None => Bound::Unbounded,
        };
        Some((low, high))
    }

    /// The page after `offset` matches, at most `limit` long, newest first; with the
    /// number of matches when `count` is asked for.
    pub(crate) fn page<'a>(
        &self,
        pins: &'a PinataData,
        offset: usize,
        limit: usize,
        count: bool,
    ) -> PinPage<'a> {
        let Some(range) = self.date_range() else {
            return PinPage {
                rows: Vec::new(),
                count: count.then_some(0),
            };
        };
        let (source, exact) = self.candidates(&pins.pin_index);
        let counted_by_index = exact && self.pin_start.is_none() && self.pin_end.is_none();
        let walk_all = count && !counted_by_index;
        let candidates = source
            .newest_first(range)
            .filter_map(|(_, id)| pins.pins.get(&**id));
        let mut rows = Vec::new();
        let mut matches = 0usize;
        for row in candidates {
            if !walk_all && rows.len() == limit {
                break;
            }
            if !self.matches(row) {
                continue;
            }
            if matches >= offset && rows.len() < limit {
                rows.push(row);
            }
            matches += 1;
        }
        let count = count.then_some(if counted_by_index {
            source.len()
        } else {
            matches
        });
        PinPage { rows, count }
    }
}

impl PinFilter {
    /// A v3 keyset page of the rows `index` indexes (looked up with `row`): the matches
    /// strictly after `after` in the asked order (oldest first when `ascending`), at
    /// most `limit` of them, and whether more follow.
    pub(crate) fn keyset_page<'a>(
        &self,
        index: &'a PinIndex,
        row: impl Fn(&str) -> Option<&'a PinRow>,
        after: Option<PinKey>,
        ascending: bool,
        limit: usize,
    ) -> FilePage<'a> {
        let range = match (after, ascending) {
            (None, _) => (Bound::Unbounded, Bound::Unbounded),
            (Some(key), true) => (Bound::Excluded(key), Bound::Unbounded),
            (Some(key), false) => (Bound::Unbounded, Bound::Excluded(key)),
        };
        let (source, _) = self.candidates(index);
        let mut rows = Vec::new();
        let mut more = false;
        for found in source
            .in_order(range, ascending)
            .filter_map(|(_, id)| row(id))
            .filter(|found| self.matches(found))
        {
            if rows.len() == limit {
                more = true;
                break;
            }
            rows.push(found);
        }
        FilePage { rows, more }
    }
}
