//! Recording an assembled upload as a v3 file: a pin row on the public network (so it
//! is in `pinList` and on the gateway at once), a private file row otherwise.

use axum::response::Response;
use serde_json::{Map, Value};

use super::{find_by_cid, rules, uploaded_of};
use crate::content::{self, Assembled};
use crate::pinata_v3::{Network, V3Reason, error::internal};
use crate::state::AppState;
use crate::state::pinata::{PinRow, PrivateFileRow};
use pinion_api::pinata_v3_uploads::types::UploadedFile;

/// What a new file gets besides its content.
#[derive(Debug, Clone)]
pub(crate) struct NewFile {
    /// The id to give the file (a TUS upload's, announced in its `Location`); a new
    /// UUIDv7 when `None`.
    pub(crate) id: Option<String>,
    pub(crate) network: Network,
    pub(crate) name: Option<String>,
    pub(crate) group_id: Option<String>,
    /// At most `pinion_rules::metadata::MAX_KEYVALUES` (checked by the caller).
    pub(crate) keyvalues: Map<String, Value>,
    pub(crate) mime_type: Option<String>,
    /// Unix seconds, in the future (checked by the caller).
    pub(crate) expires_at: Option<i64>,
}

/// Records `assembled` as a file on `new.network` and answers with its upload record.
///
/// The CID already a file on that network (`is_duplicate`, per network and CID, the
/// emulator's reading of reference §15.6) answers the existing record with its own
/// name and key-values, `is_duplicate: true`. The record is visible to every later
/// request at once (`GET /files/{network}?cid=` finds it). A `group_id` must be a group
/// of the same network (400 otherwise).
pub(crate) fn record_file(
    state: &AppState,
    assembled: Assembled,
    new: NewFile,
) -> Result<UploadedFile, Response> {
    let network = new.network;
    let now = state.clock.now();
    let user_id = state.meta().pinata_user_id;
    let outcome = state.write(|tx| {
        if let Some(group) = &new.group_id {
            rules::check_group(tx.data(), group, network)
                .map_err(|why| V3Reason::InvalidRequest.error(why))?;
        }
        let root = &assembled.root;
        match network {
            Network::Public => content::store(tx, &assembled),
            Network::Private => content::store_private(tx, &assembled),
        }
        if let Some(existing) = find_by_cid(tx.data(), network, &root.cid) {
            return Ok(uploaded_of(existing, network, &user_id, true));
        }
        let row = PinRow {
            id: new
                .id
                .clone()
                .unwrap_or_else(|| crate::secrets::uuid_v7(now)),
            cid: root.cid.clone(),
            size: root.pin_size,
            date_pinned: now,
            date_unpinned: None,
            name: new.name.clone(),
            keyvalues: new.keyvalues.clone(),
            mime_type: new.mime_type.clone(),
            number_of_files: root.file_count(),
            group_id: new.group_id.clone(),
            pin_policy: None,
            expires_at: new.expires_at,
            vectorized: false,
        };
        let answer = uploaded_of(&row, network, &user_id, false);
        match network {
            Network::Public => {
                tx.put(row);
                content::add_public_pin(tx, &root.cid);
            }
            Network::Private => tx.put(PrivateFileRow(row)),
        }
        Ok(answer)
    });
    match outcome {
        Ok(answer) => answer,
        Err(error) => Err(internal(error)),
    }
}
