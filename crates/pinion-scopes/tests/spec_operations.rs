//! Every operation of the committed specs has its rule here: the legacy spec's in
//! `pinata::requirement`, the v3 specs' in the `V3Operation` table (same method, host and
//! path). A spec operation added without its scope fails this test.

use std::path::PathBuf;

use pinion_scopes::pinata;
use pinion_scopes::pinata_v3::{V3Host, V3Operation};

/// One operation as a spec file lists it.
struct SpecOperation {
    method: String,
    path: String,
    operation_id: String,
}

fn spec_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec")
        .join(name)
}

/// The operations of an OpenAPI file, read from its `paths` block by indentation (the
/// specs are hand-written with two-space indents: path keys at 2, methods at 4).
fn operations(text: &str) -> Vec<SpecOperation> {
    const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];
    let (mut path, mut method) = (String::new(), String::new());
    let mut found = Vec::new();
    for line in text.lines() {
        if let Some(key) = line.strip_prefix("  /") {
            path = format!("/{}", key.trim_end().trim_end_matches(':'));
        } else if let Some(key) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':')) {
            if METHODS.contains(&key) {
                method = key.to_ascii_uppercase();
            }
        } else if let Some(id) = line.trim_start().strip_prefix("operationId:") {
            found.push(SpecOperation {
                method: method.clone(),
                path: path.clone(),
                operation_id: id.trim().trim_matches(['\'', '"']).to_owned(),
            });
        }
    }
    found
}

#[test]
fn every_legacy_operation_has_a_requirement() {
    let text = std::fs::read_to_string(spec_file("pinata.yaml")).unwrap();
    let found = operations(&text);
    assert!(found.len() > 20, "the scanner found too few operations");
    for operation in found {
        assert!(
            pinata::requirement(&operation.operation_id).is_some(),
            "{} {} ({}) has no rule in pinata::requirement",
            operation.method,
            operation.path,
            operation.operation_id
        );
    }
}

#[test]
fn every_v3_operation_is_in_the_table() {
    for (file, host) in [
        ("pinata-v3.yaml", V3Host::Api),
        ("pinata-v3-uploads.yaml", V3Host::Uploads),
    ] {
        // The v3 specs come from a parallel branch; until it is merged there is nothing
        // to check against here (tests/pinata_v3_table.rs holds the same list by hand).
        let Ok(text) = std::fs::read_to_string(spec_file(file)) else {
            eprintln!("spec/{file} is not there yet: skipped");
            continue;
        };
        let found = operations(&text);
        assert!(!found.is_empty(), "no operation found in spec/{file}");
        for spec in found {
            let operation =
                V3Operation::from_operation_id(&spec.operation_id).unwrap_or_else(|| {
                    panic!("{} of spec/{file} is not in the table", spec.operation_id)
                });
            assert_eq!(
                (operation.host(), operation.method(), operation.path()),
                (host, spec.method.as_str(), spec.path.as_str()),
                "{}",
                spec.operation_id
            );
        }
    }
}
