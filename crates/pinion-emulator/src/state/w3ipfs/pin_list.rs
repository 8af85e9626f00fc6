//! W3IPFS's pin list (`GET /pinning/pins/`), answered from the pin indexes.
//!
//! The candidates are the smallest index set holding every match: one metadata pair,
//! the `pinned` flag, or every pin. In creation order (the default) a page walks that
//! set from the requested end. By size or name it walks the global order, unless the
//! candidates are a small share of the pins: then they are sorted. `totals` are the
//! set's own count and size when it holds exactly the matches; otherwise every
//! candidate is checked.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::pin_index::{Ordered, name_key};
use super::{PinRow, W3ipfsData};

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PinSort {
    Created,
    Size,
    Name,
}

/// What the list asks for.
#[derive(Debug)]
pub(crate) struct PinListQuery<'q> {
    pub(crate) pinned: Option<bool>,
    /// Pairs every listed pin's metadata has.
    pub(crate) metadata: &'q Map<String, Value>,
    pub(crate) sort: PinSort,
    pub(crate) ascending: bool,
    pub(crate) offset: usize,
    pub(crate) limit: usize,
}

/// A page of the list, and the number and total size of every match.
#[derive(Debug)]
pub(crate) struct PinListPage<'a> {
    pub(crate) rows: Vec<&'a PinRow>,
    pub(crate) files: usize,
    pub(crate) size: u128,
}

/// Whether `keyvalues` carries every pair of `wanted`.
pub(crate) fn has_metadata(
    keyvalues: Option<&Map<String, Value>>,
    wanted: &Map<String, Value>,
) -> bool {
    wanted
        .iter()
        .all(|(key, value)| keyvalues.and_then(|kv| kv.get(key)) == Some(value))
}

static NO_PINS: Ordered = Ordered {
    pins: BTreeSet::new(),
    size: 0,
};

/// Candidates a small share of all pins (below 1 in this many) are sorted rather
/// than found by walking a global order.
const SORT_BELOW_SHARE: usize = 8;

impl PinListQuery<'_> {
    /// Whether `row` is listed.
    pub(crate) fn matches(&self, row: &PinRow) -> bool {
        self.pinned.is_none_or(|pinned| row.pinned == pinned)
            && has_metadata(row.keyvalues.as_ref(), self.metadata)
    }

    fn candidates<'a>(&self, pins: &'a W3ipfsData) -> (&'a Ordered, bool) {
        let index = &pins.pin_index;
        let mut sources: Vec<&Ordered> = self
            .metadata
            .iter()
            .map(|(key, value)| index.with_pair(key, value).unwrap_or(&NO_PINS))
            .collect();
        if let Some(pinned) = self.pinned {
            sources.push(index.with_pinned(pinned));
        }
        let constraints = sources.len();
        match sources.into_iter().min_by_key(|set| set.pins.len()) {
            Some(set) => (set, constraints == 1),
            None => (index.all(), true),
        }
    }

    /// The page and the totals.
    pub(crate) fn page<'a>(&self, pins: &'a W3ipfsData) -> PinListPage<'a> {
        let (source, exact) = self.candidates(pins);
        let row = |id: &Arc<str>| pins.pins.get(&**id);
        let (files, size) = if exact {
            (source.pins.len(), source.size)
        } else {
            source
                .pins
                .iter()
                .filter_map(|(_, id)| row(id))
                .filter(|pin| self.matches(pin))
                .fold((0, 0), |(files, size), pin| {
                    (files + 1, size + u128::from(pin.size))
                })
        };
        let walk = |ids: Box<dyn Iterator<Item = &'a Arc<str>> + 'a>| -> Vec<&'a PinRow> {
            ids.filter_map(row)
                .filter(|pin| self.matches(pin))
                .skip(self.offset)
                .take(self.limit)
                .collect()
        };
        let ordered = |ids: Box<dyn DoubleEndedIterator<Item = &'a Arc<str>> + 'a>| {
            if self.ascending {
                walk(ids)
            } else {
                walk(Box::new(ids.rev()))
            }
        };
        let share_is_small =
            source.pins.len().saturating_mul(SORT_BELOW_SHARE) < pins.pin_index.all().pins.len();
        let rows = match self.sort {
            PinSort::Created => ordered(Box::new(source.pins.iter().map(|(_, id)| id))),
            PinSort::Size if !share_is_small => ordered(Box::new(pins.pin_index.by_size())),
            PinSort::Name if !share_is_small => ordered(Box::new(pins.pin_index.by_name())),
            PinSort::Size | PinSort::Name => self.sorted(source, pins),
        };
        PinListPage { rows, files, size }
    }

    /// The page from a small candidate set, sorted here.
    fn sorted<'a>(&self, source: &'a Ordered, pins: &'a W3ipfsData) -> Vec<&'a PinRow> {
        let mut rows: Vec<&PinRow> = source
            .pins
            .iter()
            .filter_map(|(_, id)| pins.pins.get(&**id))
            .filter(|pin| self.matches(pin))
            .collect();
        match self.sort {
            PinSort::Size => rows.sort_by(|a, b| a.size.cmp(&b.size).then(a.id.cmp(&b.id))),
            _ => rows.sort_by_cached_key(|pin| name_key(pin)),
        }
        if !self.ascending {
            rows.reverse();
        }
        rows.into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect()
    }
}
