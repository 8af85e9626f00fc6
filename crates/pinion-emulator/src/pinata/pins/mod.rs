//! Pins: `pinFileToIPFS`, `pinJSONToIPFS`, `unpin`, `hashMetadata`, the deprecated pin
//! policies, `pinList` and `userPinnedDataTotal`, one file each; the pin rows and
//! their lookups live in [`crate::state::pinata`].
//!
//! Choices where the service is not documented:
//! * `pinJSONToIPFS` pins the content as Node.js's `JSON.stringify` writes it (array
//!   index keys first, then the others in the order received; JavaScript's numbers),
//!   see [`node_json`], as a file named after the metadata name (default
//!   `pinnie.json`), the bytes a client reading it back from a gateway gets.
//! * Pinning a CID that already has an active pin answers `isDuplicate: true` and
//!   keeps the existing row (its metadata is not replaced).
//! * `mime_type` is guessed from the file extension; directories have none.

mod json;
mod list;
mod metadata;
mod node_json;
mod policies;
mod totals;
mod unpin;
mod upload;

pub(crate) use json::pin_json;
pub(crate) use list::pin_list;
pub(crate) use metadata::{hash_metadata, keyvalues_of};
pub(crate) use policies::{hash_pin_policy, user_pin_policy};
pub(crate) use totals::pinned_data_total;
pub(crate) use unpin::unpin;
pub(crate) use upload::pin_file;

pub(crate) use crate::state::pinata::{PinRow, account_policy, active_pin, set_group};
