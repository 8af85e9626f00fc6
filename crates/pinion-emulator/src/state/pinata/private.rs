//! v3 private files: the same row and index as pins (a private file has every field a
//! public one has), in a table of their own so that nothing public (`pinList`, the
//! gateway's `/ipfs/`, pin totals) ever sees them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{PinIndex, PinRow};
use crate::state::Data;
use crate::state::table::{RowIndex, Table};
use crate::store::Record;

/// One private file: a [`PinRow`] stored in `pinata_private_files`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct PrivateFileRow(pub(crate) PinRow);

impl Record for PrivateFileRow {
    const TABLE: &'static str = "pinata_private_files";
    fn key(&self) -> String {
        self.0.id.clone()
    }
}

impl Table for PrivateFileRow {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.pinata.private_files
    }

    fn rows_and_index(
        data: &mut Data,
    ) -> (&mut BTreeMap<String, Self>, Option<&mut dyn RowIndex<Self>>) {
        let pinata = &mut data.pinata;
        (&mut pinata.private_files, Some(&mut pinata.private_index))
    }
}

impl RowIndex<PrivateFileRow> for PinIndex {
    fn insert(&mut self, row: &PrivateFileRow) {
        RowIndex::<PinRow>::insert(self, &row.0);
    }

    fn remove(&mut self, row: &PrivateFileRow) {
        RowIndex::<PinRow>::remove(self, &row.0);
    }
}
