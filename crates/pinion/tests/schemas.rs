//! The scope and token schemas: proptest round trips (value → JSON → value, and
//! spec-valid JSON → value → JSON), and the schemars schema of each hand-written wire
//! type against the component schema of the same name in `spec/`, so the types and the
//! spec cannot drift apart.

use std::collections::BTreeSet;

use pinion::scopes::pinata::{KeyPermissionsWire, PinataFlag, PinataPermissions};
use pinion::scopes::w3ipfs::{ScopesWire, W3ipfsScope, W3ipfsScopes};
use pinion::token::{ContentTokenRequest, ContentTokenRequestWire};
use proptest::prelude::*;
use serde_json::Value;

fn pinata_flags() -> impl Strategy<Value = Vec<PinataFlag>> {
    proptest::sample::subsequence(PinataFlag::ALL.to_vec(), 0..=PinataFlag::ALL.len())
}

fn w3ipfs_scopes() -> impl Strategy<Value = Vec<W3ipfsScope>> {
    proptest::sample::subsequence(W3ipfsScope::ALL.to_vec(), 0..=W3ipfsScope::ALL.len())
}

proptest! {
    #[test]
    fn pinata_permissions_round_trip(flags in pinata_flags(), admin in any::<bool>()) {
        let value = if admin { PinataPermissions::admin() } else { PinataPermissions::from_flags(flags) };
        let json = serde_json::to_value(&value).unwrap();
        let back: PinataPermissions = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &value);
        // And the JSON form survives the trip back.
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
    }

    #[test]
    fn w3ipfs_scopes_round_trip(scopes in w3ipfs_scopes(), admin in any::<bool>()) {
        let value = if admin { W3ipfsScopes::admin() } else { W3ipfsScopes::from_scopes(scopes) };
        let json = serde_json::to_value(&value).unwrap();
        let back: W3ipfsScopes = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &value);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
    }

    /// Arbitrary spec-valid JSON (every endpoint flag present) → value → the same JSON.
    #[test]
    fn spec_valid_pinata_json_round_trips(bits in proptest::collection::vec(any::<bool>(), 10)) {
        let json = serde_json::json!({"endpoints": {
            "data": {"pinList": bits[0], "userPinnedDataTotal": bits[1]},
            "pinning": {
                "hashMetadata": bits[2], "hashPinPolicy": bits[3], "pinByHash": bits[4],
                "pinFileToIPFS": bits[5], "pinJSONToIPFS": bits[6], "pinJobs": bits[7],
                "unpin": bits[8], "userPinPolicy": bits[9]
            }
        }});
        let value: PinataPermissions = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&value).unwrap(), json);
    }

    #[test]
    fn spec_valid_w3ipfs_json_round_trips(bits in proptest::collection::vec(any::<bool>(), 7), admin in any::<bool>()) {
        let json = serde_json::json!({
            "admin": admin,
            "data": {"pin_list": bits[0], "nft_list": bits[1]},
            "pinning": {"unpin": bits[2], "pin_by_hash": bits[3], "pin_file_to_ipfs": bits[4]},
            "pin_nft": {"unpin_nft": bits[5], "pin_nft_to_ipfs": bits[6]}
        });
        let value: W3ipfsScopes = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&value).unwrap(), json);
    }

    #[test]
    fn content_token_requests_round_trip(seconds in 1u64..=31_536_000, ids in proptest::collection::vec(any::<u128>(), 1..5)) {
        let ids: Vec<uuid::Uuid> = ids.into_iter().map(uuid::Uuid::from_u128).collect();
        let value = ContentTokenRequest::new(std::time::Duration::from_secs(seconds), ids.clone()).unwrap();
        let json = serde_json::to_value(&value).unwrap();
        let back: ContentTokenRequest = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &value);
        prop_assert_eq!(json["timeoutSeconds"].as_u64(), Some(seconds));
        prop_assert_eq!(back.content_ids(), ids.as_slice());
    }

    /// Invalid requests never deserialize: a zero lifetime or no content ids.
    #[test]
    fn invalid_token_requests_are_refused(ids in proptest::collection::vec(any::<u128>(), 0..3)) {
        let ids: Vec<String> = ids.into_iter().map(|i| uuid::Uuid::from_u128(i).to_string()).collect();
        let zero = serde_json::json!({"timeoutSeconds": 0, "contentIds": ids});
        prop_assert!(serde_json::from_value::<ContentTokenRequest>(zero).is_err());
        let none = serde_json::json!({"timeoutSeconds": 60, "contentIds": []});
        prop_assert!(serde_json::from_value::<ContentTokenRequest>(none).is_err());
    }
}

/// A schema reduced to what must agree: property names, required names and, per
/// property, its type or the name of the schema it refers to.
fn shape(schema: &Value, resolve: &dyn Fn(&str) -> Value) -> Value {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(reference.rsplit('/').next().unwrap()),
        None => schema.clone(),
    };
    let properties = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let required: BTreeSet<String> = schema["required"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .map(|n| n.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut reduced = serde_json::Map::new();
    for (name, property) in properties {
        // `Option<T>` is `anyOf: [T, null]` in schemars; the spec says `nullable` or
        // nothing: compare the non-null alternative.
        let property = ["anyOf", "oneOf"]
            .iter()
            .find_map(|key| property.get(*key).and_then(Value::as_array))
            .and_then(|alternatives| alternatives.iter().find(|a| a["type"] != "null").cloned())
            .unwrap_or(property);
        let property = match property.get("$ref").and_then(Value::as_str) {
            Some(reference) => resolve(reference.rsplit('/').next().unwrap()),
            None => property,
        };
        let kind = match &property["type"] {
            Value::Array(types) => types
                .iter()
                .find(|t| *t != "null")
                .cloned()
                .unwrap_or(Value::Null),
            other => other.clone(),
        };
        let nested = if property.get("properties").is_some() {
            shape(&property, resolve)
        } else {
            Value::Null
        };
        reduced.insert(name, serde_json::json!({"type": kind, "nested": nested}));
    }
    serde_json::json!({"properties": reduced, "required": required})
}

fn spec_component(file: &str, name: &str) -> (Value, serde_json::Map<String, Value>) {
    let path = format!("{}/../../spec/{file}", env!("CARGO_MANIFEST_DIR"));
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let schemas = spec["components"]["schemas"].as_object().unwrap().clone();
    (schemas[name].clone(), schemas)
}

fn assert_matches_spec<T: schemars::JsonSchema>(file: &str, component: &str) {
    let generated = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    let definitions = generated["$defs"].as_object().cloned().unwrap_or_default();
    let ours = shape(&generated, &|name| definitions[name].clone());
    let (theirs, components) = spec_component(file, component);
    let theirs = shape(&theirs, &|name| components[name].clone());
    assert_eq!(
        ours,
        theirs,
        "{} drifted from spec/{file} components.schemas.{component}",
        std::any::type_name::<T>()
    );
}

#[test]
fn hand_written_wire_types_match_the_spec() {
    assert_matches_spec::<KeyPermissionsWire>("pinata.yaml", "KeyPermissions");
    assert_matches_spec::<ScopesWire>("w3ipfs.yaml", "Scopes");
    assert_matches_spec::<ContentTokenRequestWire>(
        "pinata-submarine.yaml",
        "ContentAccessTokenRequest",
    );
}
