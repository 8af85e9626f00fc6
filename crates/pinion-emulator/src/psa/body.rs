//! The body of `POST /pins` and `POST /pins/{requestid}`: a `Pin`, checked against the
//! standard's limits (`pinion_rules::psa`) and, on Pinata, its key-value limit (a PSA
//! pin's `meta` becomes the pin's `keyvalues` there).

use std::collections::BTreeMap;

use pinion_rules::metadata::check_keyvalue_count;
use pinion_rules::psa::{check_meta_count, check_name, check_origins};

use super::errors::PsaError;
use crate::state::psa::PsaService;
use pinion_api::psa::types::Pin;

/// A checked `Pin`.
#[derive(Clone, Debug)]
pub(crate) struct PinRequest {
    /// The CID in its canonical text (`Qm…` for v0, base32 for v1).
    pub(crate) cid: String,
    pub(crate) name: Option<String>,
    pub(crate) origins: Vec<String>,
    pub(crate) meta: BTreeMap<String, String>,
}

/// Parses and checks a `Pin` body for `service`.
pub(crate) fn parse_pin(service: PsaService, body: &[u8]) -> Result<PinRequest, PsaError> {
    let pin: Pin = serde_json::from_slice(body).map_err(|error| {
        PsaError::Body(format!(
            "the body must be a Pin object ({{\"cid\", \"name\"?, \"origins\"?, \"meta\"?}}) \
             with string meta values: {error}"
        ))
    })?;
    let name = pin.name.map(String::from);
    let origins: Vec<String> = pin.origins.map(Vec::from).unwrap_or_default();
    let meta: BTreeMap<String, String> = pin.meta.map(BTreeMap::from).unwrap_or_default();
    let cid = pinion_cid::Cid::parse(&pin.cid)
        .map_err(|error| PsaError::Cid(format!("cid is not a valid CID: {error}")))?
        .to_string();
    if let Some(name) = &name {
        check_name(name).map_err(|error| PsaError::Body(format!("name: {error}")))?;
    }
    check_origins(&origins).map_err(|error| PsaError::Body(format!("origins: {error}")))?;
    if let Some(repeated) = origins
        .iter()
        .enumerate()
        .find(|(i, origin)| origins[..*i].contains(origin))
        .map(|(_, origin)| origin)
    {
        return Err(PsaError::Body(format!(
            "origins must be unique: {repeated} is given twice"
        )));
    }
    let meta_limit = match service {
        PsaService::Pinata => check_keyvalue_count(meta.len()),
        PsaService::W3ipfs => check_meta_count(meta.len()),
    };
    meta_limit.map_err(|error| PsaError::Body(format!("meta: {error}")))?;
    Ok(PinRequest {
        cid,
        name,
        origins,
        meta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(service: PsaService, body: serde_json::Value) -> Result<PinRequest, String> {
        parse_pin(service, body.to_string().as_bytes()).map_err(|error| format!("{error:?}"))
    }

    const CID: &str = "bafkreihbuc7yg6u3u55dsky6wqnccx6cvmwwuoeeh77bwgrvo3zofqtkdy";

    proptest::proptest! {
        /// Any body is a pin or a refusal, never a panic.
        #[test]
        fn arbitrary_bodies_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let _ = parse_pin(PsaService::Pinata, &body);
        }

        /// Structured pins with arbitrary field values too.
        #[test]
        fn arbitrary_pins_never_panic(cid in ".{0,70}", name in ".{0,300}", origin in ".{0,40}", key in ".{0,10}", value in ".{0,10}") {
            let body = serde_json::json!({"cid": cid, "name": name, "origins": [origin], "meta": {key: value}});
            for service in [PsaService::Pinata, PsaService::W3ipfs] {
                let _ = parse_pin(service, body.to_string().as_bytes());
            }
        }
    }

    #[test]
    fn a_full_pin_passes_and_each_limit_is_enforced() {
        let ok = parse(
            PsaService::W3ipfs,
            serde_json::json!({"cid": CID, "name": "n", "origins": ["/ip4/127.0.0.1/tcp/4001/p2p/QmPeer"], "meta": {"a": "b"}}),
        )
        .unwrap();
        assert_eq!(ok.cid, CID);
        let cases = [
            serde_json::json!({"cid": "nope"}),
            serde_json::json!({"name": "no cid"}),
            serde_json::json!({"cid": CID, "name": "x".repeat(256)}),
            serde_json::json!({"cid": CID, "origins": ["1.2.3.4:4001"]}),
            serde_json::json!({"cid": CID, "origins": vec!["/ip4/1.2.3.4/tcp/1"; 21]}),
            serde_json::json!({"cid": CID, "origins": ["/ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/tcp/1"]}),
            serde_json::json!({"cid": CID, "meta": {"n": 1}}),
            serde_json::json!({"cid": CID, "meta": "text"}),
        ];
        for body in cases {
            assert!(parse(PsaService::W3ipfs, body.clone()).is_err(), "{body}");
        }
        let eleven: serde_json::Map<String, serde_json::Value> = (0..11)
            .map(|i| (format!("k{i}"), serde_json::Value::from("v")))
            .collect();
        let many = serde_json::json!({"cid": CID, "meta": eleven});
        assert!(parse(PsaService::Pinata, many.clone()).is_err());
        assert!(parse(PsaService::W3ipfs, many).is_ok());
    }
}
