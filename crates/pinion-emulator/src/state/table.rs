//! Tables of rows in memory, and the secondary indexes some of them keep.
//!
//! Every change to a table goes through [`insert`] or [`remove`], which keep the
//! table's index (if it has one) in step with its rows; nothing else mutates a table.

use std::collections::BTreeMap;

use super::Data;
use crate::store::Record;

/// Secondary lookups of a table, kept in step with its rows.
pub(crate) trait RowIndex<T>: Send {
    /// `row` was added to the table.
    fn insert(&mut self, row: &T);
    /// `row` left the table.
    fn remove(&mut self, row: &T);
}

/// A record type together with where its rows (and index) live in [`Data`].
pub(crate) trait Table: Record {
    /// The rows by primary key.
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self>;

    /// The rows and the index that must follow them, borrowed together; tables
    /// without an index keep the default.
    fn rows_and_index(
        data: &mut Data,
    ) -> (&mut BTreeMap<String, Self>, Option<&mut dyn RowIndex<Self>>) {
        (Self::rows_mut(data), None)
    }
}

/// Inserts or replaces `row`, returning the row it replaced.
pub(crate) fn insert<T: Table>(data: &mut Data, row: T) -> Option<T> {
    let key = row.key();
    let (rows, index) = T::rows_and_index(data);
    let old = rows.insert(key.clone(), row);
    if let Some(index) = index {
        if let Some(old) = &old {
            index.remove(old);
        }
        index.insert(&rows[&key]);
    }
    old
}

/// Removes the row with `key`, returning it.
pub(crate) fn remove<T: Table>(data: &mut Data, key: &str) -> Option<T> {
    let (rows, index) = T::rows_and_index(data);
    let old = rows.remove(key)?;
    if let Some(index) = index {
        index.remove(&old);
    }
    Some(old)
}

/// Puts back what a key held before a change: `old` again, or nothing.
pub(crate) fn restore<T: Table>(data: &mut Data, key: &str, old: Option<T>) {
    match old {
        Some(old) => {
            insert(data, old);
        }
        None => {
            remove::<T>(data, key);
        }
    }
}
