//! What a request looks like on the wire (`PinStatus`), the delegates the emulator
//! names, and the list walk.

use std::sync::Arc;

use super::query::ListQuery;
use crate::state::Data;
use crate::state::psa::{PsaRow, PsaService, PsaState, status_of};
use pinion_api::psa::types::{Delegates, Pin, PinName, PinResults, PinStatus, StatusInfo};

/// The port the delegate multiaddr names (IPFS's swarm port).
const DELEGATE_PORT: u16 = 4001;

/// The one delegate every `PinStatus` names: a loopback multiaddr, so nothing the
/// emulator answers can lead a client (kubo connects to delegates) to dial out. Its peer
/// id is derived from the state's signing secret: stable across restarts of one state
/// directory, and of the form kubo parses (an Ed25519 `12D3KooW…` id).
pub(crate) fn delegate(secret: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        &[b"pinion emulator PSA peer".as_slice(), secret].concat(),
    );
    // The protobuf of an Ed25519 public key (type 1, 32 bytes) under an identity
    // multihash: what a libp2p peer id of an Ed25519 key is.
    let mut id = vec![0x00, 36, 0x08, 0x01, 0x12, 0x20];
    id.extend_from_slice(digest.as_ref());
    let text = pinion_cid::cid_crate::multibase::encode(
        pinion_cid::cid_crate::multibase::Base::Base58Btc,
        id,
    );
    let peer = text.strip_prefix('z').unwrap_or(&text);
    format!("/ip4/127.0.0.1/tcp/{DELEGATE_PORT}/p2p/{peer}")
}

/// The `PinStatus` of `row` in `state`: `origins` and `meta` always present (empty
/// when none were given), as Pinata answers.
pub(crate) fn pin_status(row: &PsaRow, state: PsaState, delegate: &str) -> PinStatus {
    PinStatus {
        requestid: row.requestid.clone(),
        status: state.status.name().to_owned().into(),
        created: row.created,
        pin: Pin {
            cid: row.cid.clone(),
            name: row
                .name
                .clone()
                .and_then(|name| PinName::try_from(name).ok()),
            origins: Some(row.origins.clone().into()),
            meta: Some(row.meta.clone().into()),
        },
        delegates: Delegates(vec![delegate.to_owned()]),
        info: (!state.info.is_empty()).then_some(StatusInfo(state.info)),
    }
}

/// The live request `requestid` of `service` with its state, if there is one.
pub(crate) fn live<'a>(
    data: &'a Data,
    service: PsaService,
    requestid: &str,
) -> Option<(&'a PsaRow, PsaState)> {
    let row = data
        .psa
        .requests
        .get(requestid)
        .filter(|row| row.service == service)?;
    Some((row, status_of(data, row)?))
}

/// The requests of `service` matching `query`: newest first, at most `query.limit`,
/// with the count of all that match.
pub(crate) fn list(
    data: &Data,
    service: PsaService,
    query: &ListQuery,
    delegate: &str,
) -> PinResults {
    let order = data.psa.order.of(service);
    let newest_first = match query.before {
        // Every place of a time before `before` sorts below (its µs, "").
        Some(before) => order
            .range(..(before.timestamp_micros(), Arc::from("")))
            .rev(),
        None => order.range(..).rev(),
    };
    let after = query.after.map(|after| after.timestamp_micros());
    let mut count = 0u64;
    let mut results = Vec::new();
    for (created, id) in newest_first {
        if after.is_some_and(|after| *created <= after) {
            break;
        }
        let Some(row) = data.psa.requests.get(&**id) else {
            continue;
        };
        let Some(state) = status_of(data, row) else {
            continue;
        };
        if !query.accepts(row, state.status) {
            continue;
        }
        count += 1;
        if results.len() < query.limit {
            results.push(pin_status(row, state, delegate));
        }
    }
    PinResults {
        count: i32::try_from(count).unwrap_or(i32::MAX),
        results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delegate_is_a_loopback_multiaddr_with_an_ed25519_peer_id() {
        let delegate = delegate(b"secret");
        assert!(
            delegate.starts_with("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW"),
            "{delegate}"
        );
        assert_eq!(pinion_rules::psa::check_multiaddr(&delegate), Ok(()));
        assert_eq!(delegate, super::delegate(b"secret"));
        assert_ne!(delegate, super::delegate(b"other"));
    }
}
