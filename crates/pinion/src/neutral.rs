//! The service-neutral views of listed rows ([`PinInfo`], [`KeyInfo`]): from the typed
//! row, or, for a row the typed decode refused, from the few fields of its raw JSON the
//! view needs, so such a row is still listed.

use serde_json::Value;

use crate::service::{KeyInfo, PinInfo};
use crate::{Error, pinata, w3ipfs};

/// `read` applied to the raw JSON of an [`Error::UndecodableRow`]; any other error, or a
/// row without the fields `read` needs, stays an error.
fn from_raw<T>(error: Error, read: impl FnOnce(&Value) -> Option<T>) -> Result<T, Error> {
    if let Error::UndecodableRow { raw, .. } = &error
        && let Some(view) = read(raw.json())
    {
        return Ok(view);
    }
    Err(error)
}

fn text(raw: &Value, pointer: &str) -> Option<String> {
    raw.pointer(pointer)?.as_str().map(str::to_owned)
}

/// A Pinata pin record (handle: its CID).
pub(crate) fn pinata_pin(row: Result<pinata::types::PinListItem, Error>) -> Result<PinInfo, Error> {
    match row {
        Ok(item) => Ok(PinInfo {
            handle: item.ipfs_pin_hash.clone(),
            cid: item.ipfs_pin_hash,
            name: item.metadata.name,
            size: u64::try_from(item.size).ok(),
            pinned: item.date_unpinned.is_none(),
        }),
        Err(error) => from_raw(error, |raw| {
            let cid = text(raw, "/ipfs_pin_hash")?;
            Some(PinInfo {
                handle: cid.clone(),
                cid,
                name: text(raw, "/metadata/name"),
                size: raw.pointer("/size").and_then(Value::as_u64),
                pinned: raw.pointer("/date_unpinned").is_none_or(Value::is_null),
            })
        }),
    }
}

/// A W3IPFS pin (handle: its pin id).
pub(crate) fn w3ipfs_pin(row: Result<w3ipfs::types::Pin, Error>) -> Result<PinInfo, Error> {
    match row {
        Ok(pin) => Ok(PinInfo {
            handle: pin.id.to_string(),
            cid: pin.cid,
            name: pin.metadata.name,
            size: pin.size.and_then(|s| u64::try_from(s).ok()),
            pinned: pin.pinned,
        }),
        Err(error) => from_raw(error, |raw| {
            Some(PinInfo {
                handle: text(raw, "/id")?,
                cid: text(raw, "/cid")?,
                name: text(raw, "/metadata/name"),
                size: raw.pointer("/size").and_then(Value::as_u64),
                pinned: raw.pointer("/pinned")?.as_bool()?,
            })
        }),
    }
}

/// A Pinata key (handle: its public key).
pub(crate) fn pinata_key(row: Result<pinata::types::ApiKey, Error>) -> Result<KeyInfo, Error> {
    match row {
        Ok(key) => Ok(KeyInfo {
            handle: key.key,
            name: key.name,
            revoked: key.revoked,
        }),
        Err(error) => from_raw(error, |raw| {
            Some(KeyInfo {
                handle: text(raw, "/key")?,
                name: text(raw, "/name").unwrap_or_default(),
                revoked: raw.pointer("/revoked")?.as_bool()?,
            })
        }),
    }
}

/// A W3IPFS key (handle: its id; W3IPFS deletes keys rather than revoking them).
pub(crate) fn w3ipfs_key(row: Result<w3ipfs::types::ApiKey, Error>) -> Result<KeyInfo, Error> {
    match row {
        Ok(key) => Ok(KeyInfo {
            handle: key.id.to_string(),
            name: key.name,
            revoked: false,
        }),
        Err(error) => from_raw(error, |raw| {
            Some(KeyInfo {
                handle: text(raw, "/id")?,
                name: text(raw, "/name").unwrap_or_default(),
                revoked: false,
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::RawRow;
    use crate::scopes::Service;
    use serde_json::json;

    fn odd(service: Service, row: Value) -> Error {
        Error::UndecodableRow {
            service,
            what: "row",
            why: "test".to_owned(),
            raw: RawRow::new(row),
        }
    }

    #[test]
    fn odd_rows_give_their_view_when_the_needed_fields_are_there() {
        let pin = json!({"id": "p1", "cid": "bafy", "pinned": true, "size": "big"});
        let info = w3ipfs_pin(Err(odd(Service::W3ipfs, pin))).unwrap();
        assert_eq!((info.handle.as_str(), info.cid.as_str()), ("p1", "bafy"));
        assert_eq!(info.size, None);
        let key = json!({"key": "k1", "name": "ci", "revoked": true, "scopes": 7});
        let info = pinata_key(Err(odd(Service::Pinata, key))).unwrap();
        assert!(info.revoked && info.handle == "k1");
        let info = w3ipfs_key(Err(odd(Service::W3ipfs, json!({"id": "k2"})))).unwrap();
        assert_eq!((info.handle.as_str(), info.name.as_str()), ("k2", ""));

        // Without the fields the view needs, the row stays an error; so do other errors.
        let error = pinata_pin(Err(odd(Service::Pinata, json!({"size": 1})))).unwrap_err();
        assert!(matches!(error, Error::UndecodableRow { .. }));
        let error = w3ipfs_key(Err(Error::invalid_input("page", "gone"))).unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }));
    }
}
