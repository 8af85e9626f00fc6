//! v3 files: one account's public files (the legacy pins: a public file IS a pin row,
//! its v3 id the row's id) and private files (their own table, never public), looked
//! up by network, recorded from uploads, and turned into the spec's wire types.

mod list;
mod one;
mod record;
pub(crate) mod rules;
mod upload;

use chrono::SecondsFormat;
use pinion_api::pinata_v3::types as wire;
use pinion_api::pinata_v3_uploads::types as uploads_wire;

pub(crate) use list::list;
pub(crate) use one::{delete, get, update};
pub(crate) use record::{NewFile, record_file};
pub(crate) use upload::upload;

use super::Network;
use crate::state::pinata::{PinIndex, PinRow, PrivateFileRow, active_pin};
use crate::state::{Data, Tx};

/// The file `id` on `network`, unless deleted (a deleted public file is an unpinned pin).
pub(crate) fn find_by_id<'a>(data: &'a Data, network: Network, id: &str) -> Option<&'a PinRow> {
    let row = match network {
        Network::Public => data.pinata.pins.get(id),
        Network::Private => data.pinata.private_files.get(id).map(|row| &row.0),
    };
    row.filter(|row| row.is_pinned())
}

/// The (undeleted) file with `cid` on `network`.
pub(crate) fn find_by_cid<'a>(data: &'a Data, network: Network, cid: &str) -> Option<&'a PinRow> {
    match network {
        Network::Public => active_pin(data, cid),
        Network::Private => {
            let id = data.pinata.private_index.active_pin_id(cid)?;
            data.pinata.private_files.get(id).map(|row| &row.0)
        }
    }
}

/// The index of `network`'s files.
pub(crate) fn index(data: &Data, network: Network) -> &PinIndex {
    match network {
        Network::Public => &data.pinata.pin_index,
        Network::Private => &data.pinata.private_index,
    }
}

/// Every row of `network` by id, deleted ones included (for keyset paging).
pub(crate) fn any_row<'a>(data: &'a Data, network: Network, id: &str) -> Option<&'a PinRow> {
    match network {
        Network::Public => data.pinata.pins.get(id),
        Network::Private => data.pinata.private_files.get(id).map(|row| &row.0),
    }
}

/// Deletes the files whose `expires_at` has passed (reference §3.1 "Expiration"), on
/// both networks, as `DELETE` would: run before every read of files, so an expired
/// file is gone from every list, the legacy `pinList` included. The expiry index makes
/// this cost the expired rows, not the stored ones.
pub(crate) fn expire_due(state: &crate::state::AppState) -> Result<(), crate::EmulatorError> {
    let now = state.clock.now();
    let due = |data: &Data| {
        [Network::Public, Network::Private]
            .into_iter()
            .any(|network| !index(data, network).expired_ids(now.timestamp()).is_empty())
    };
    if !state.read(due) {
        return Ok(());
    }
    state.write(|tx| {
        for network in [Network::Public, Network::Private] {
            for id in index(tx.data(), network).expired_ids(now.timestamp()) {
                let Some(row) = update_row(tx, network, &id, |row| row.date_unpinned = Some(now))
                else {
                    continue;
                };
                if network == Network::Public {
                    crate::content::remove_public_pin(tx, &row.cid);
                }
            }
        }
    })
}

/// Changes the row `id` of `network` in place and returns the new row.
pub(crate) fn update_row(
    tx: &mut Tx<'_>,
    network: Network,
    id: &str,
    change: impl FnOnce(&mut PinRow),
) -> Option<PinRow> {
    match network {
        Network::Public => tx.update::<PinRow>(id, change),
        Network::Private => tx
            .update::<PrivateFileRow>(id, |row| change(&mut row.0))
            .map(|row| row.0),
    }
}

fn created_at(row: &PinRow) -> String {
    row.date_pinned.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The v3 file object of a row.
pub(crate) fn file_of(row: &PinRow, network: Network) -> wire::File {
    wire::File {
        cid: row.cid.clone(),
        created_at: Some(created_at(row)),
        expires_at: row.expires_at,
        group_id: row.group_id.clone(),
        id: row.id.clone(),
        keyvalues: Some(wire::KeyValues(row.keyvalues.clone())),
        mime_type: row.mime_type.clone(),
        name: row.name.clone(),
        network: Some(network.to_string()),
        number_of_files: Some(row.number_of_files as i64),
        size: Some(row.size as i64),
        vectorized: Some(row.vectorized),
    }
}

/// The upload answer of a row.
pub(crate) fn uploaded_of(
    row: &PinRow,
    network: Network,
    user_id: &str,
    is_duplicate: bool,
) -> uploads_wire::UploadedFile {
    uploads_wire::UploadedFile {
        cid: row.cid.clone(),
        created_at: Some(created_at(row)),
        group_id: row.group_id.clone(),
        id: row.id.clone(),
        is_duplicate: Some(is_duplicate),
        keyvalues: row.keyvalues.clone(),
        mime_type: row.mime_type.clone(),
        name: row.name.clone(),
        network: Some(network.to_string()),
        number_of_files: Some(row.number_of_files as i64),
        size: Some(row.size as i64),
        user_id: Some(user_id.to_owned()),
        vectorized: Some(row.vectorized),
    }
}
