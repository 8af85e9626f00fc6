//! Comparing our specs' facts with upstream's: every difference, named by a stable key that
//! allow-list patterns match.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::facts::{DocumentFacts, OPEN_OBJECT, OperationFacts};

/// One difference between one of our specs and the upstream file it follows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// `<spec>: <METHOD> <path> <where> <name>: <what>`, for example
    /// `pinata-v3.yaml: PUT /files/{}/swap/{} request swapCid: only upstream (string)`.
    /// Allow-list patterns are matched against this text.
    pub key: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// Every difference between `ours` and `upstream` for the spec file `spec`.
pub fn compare(spec: &str, ours: &DocumentFacts, upstream: &DocumentFacts) -> Vec<Difference> {
    let mut found = Vec::new();
    let keys: BTreeSet<&String> = ours.keys().chain(upstream.keys()).collect();
    for key in keys {
        let at = format!("{spec}: {key}");
        match (ours.get(key), upstream.get(key)) {
            (Some(_), None) => found.push(difference(&at, "operation", "", "only ours")),
            (None, Some(_)) => found.push(difference(&at, "operation", "", "only upstream")),
            (Some(ours), Some(upstream)) => compare_operation(&at, ours, upstream, &mut found),
            (None, None) => {}
        }
    }
    found.sort();
    found
}

fn difference(at: &str, part: &str, name: &str, what: &str) -> Difference {
    let name = if name.is_empty() {
        String::new()
    } else {
        format!(" {name}")
    };
    Difference {
        key: format!("{at} {part}{name}: {what}"),
    }
}

fn compare_operation(
    at: &str,
    ours: &OperationFacts,
    upstream: &OperationFacts,
    found: &mut Vec<Difference>,
) {
    compare_fields(at, "", &ours.parameters, &upstream.parameters, found);
    compare_fields(at, "request", &ours.request, &upstream.request, found);
    compare_fields(at, "response", &ours.response, &upstream.response, found);
}

/// Compares two field maps. A field below one that the other side declares as an open
/// object ([`OPEN_OBJECT`]) is not a difference: that side says nothing about it.
fn compare_fields(
    at: &str,
    part: &str,
    ours: &BTreeMap<String, String>,
    upstream: &BTreeMap<String, String>,
    found: &mut Vec<Difference>,
) {
    let (part, parameters) = if part.is_empty() {
        ("", true)
    } else {
        (part, false)
    };
    let names: BTreeSet<&String> = ours.keys().chain(upstream.keys()).collect();
    for name in names {
        // Parameters carry their location in their name (`query limit`).
        let (part, name_shown) = if parameters {
            match name.split_once(' ') {
                Some((location, rest)) => (location, rest),
                None => ("parameter", name.as_str()),
            }
        } else {
            (part, name.as_str())
        };
        // A field whose parent is missing on one side is implied by the parent's report.
        if !parameters && (parent_missing(name, ours) || parent_missing(name, upstream)) {
            continue;
        }
        match (ours.get(name), upstream.get(name)) {
            (Some(kind), None) if !under_open_object(name, upstream) => found.push(difference(
                at,
                part,
                name_shown,
                &format!("only ours ({kind})"),
            )),
            (None, Some(kind)) if !under_open_object(name, ours) => found.push(difference(
                at,
                part,
                name_shown,
                &format!("only upstream ({kind})"),
            )),
            (Some(mine), Some(theirs)) if !same_type(mine, theirs) => found.push(difference(
                at,
                part,
                name_shown,
                &format!("type ours {mine}, upstream {theirs}"),
            )),
            _ => {}
        }
    }
}

/// Whether the direct parent of the field `name` (not the body) is absent from `fields`.
fn parent_missing(name: &str, fields: &BTreeMap<String, String>) -> bool {
    match name.rfind(['.', '[']) {
        Some(0) | None => false,
        Some(cut) => !fields.contains_key(&name[..cut]),
    }
}

/// Whether an ancestor of the field `name` is an open object in `fields`.
fn under_open_object(name: &str, fields: &BTreeMap<String, String>) -> bool {
    if fields.get("(body)").is_some_and(|kind| kind == OPEN_OBJECT) {
        return true;
    }
    let mut end = name.len();
    while let Some(cut) = name[..end].rfind(['.', '[']) {
        let ancestor = &name[..cut];
        if fields.get(ancestor).is_some_and(|kind| kind == OPEN_OBJECT) {
            return true;
        }
        end = cut;
    }
    false
}

/// An object with declared properties and an open object are the same wire type.
fn same_type(a: &str, b: &str) -> bool {
    let objectish = |kind: &str| kind == "object" || kind == OPEN_OBJECT;
    a == b || (objectish(a) && objectish(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(request: &[(&str, &str)], response: &[(&str, &str)]) -> OperationFacts {
        let map = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        OperationFacts {
            operation_id: None,
            parameters: map(&[("query limit", "integer")]),
            request: map(request),
            response: map(response),
        }
    }

    #[test]
    fn renamed_fields_retyped_fields_and_missing_operations_are_named() {
        let mut ours = DocumentFacts::new();
        let mut upstream = DocumentFacts::new();
        ours.insert(
            "PUT /swap/{}".into(),
            op(
                &[("swap_cid", "string")],
                &[("data", "object"), ("data.created_at", "string")],
            ),
        );
        upstream.insert(
            "PUT /swap/{}".into(),
            op(
                &[("swapCid", "string")],
                &[("data", "object"), ("data.created_at", "integer")],
            ),
        );
        upstream.insert("GET /gateways".into(), op(&[], &[]));
        let keys: Vec<String> = compare("x.yaml", &ours, &upstream)
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(
            keys,
            [
                "x.yaml: GET /gateways operation: only upstream",
                "x.yaml: PUT /swap/{} request swapCid: only upstream (string)",
                "x.yaml: PUT /swap/{} request swap_cid: only ours (string)",
                "x.yaml: PUT /swap/{} response data.created_at: type ours string, upstream integer",
            ]
        );
    }

    #[test]
    fn the_fields_of_a_missing_field_are_not_reported_again() {
        let mut ours = DocumentFacts::new();
        let mut upstream = DocumentFacts::new();
        ours.insert(
            "GET /k".into(),
            op(
                &[],
                &[("a", "object"), ("a.b", "object"), ("a.b.c", "string")],
            ),
        );
        upstream.insert("GET /k".into(), op(&[], &[("a", "object")]));
        let keys: Vec<String> = compare("x.yaml", &ours, &upstream)
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(keys, ["x.yaml: GET /k response a.b: only ours (object)"]);
    }

    #[test]
    fn fields_below_an_open_object_are_not_differences() {
        let mut ours = DocumentFacts::new();
        let mut upstream = DocumentFacts::new();
        ours.insert(
            "GET /k".into(),
            op(&[], &[("data", "object"), ("data.id", "string")]),
        );
        upstream.insert("GET /k".into(), op(&[], &[("data", OPEN_OBJECT)]));
        assert_eq!(compare("x.yaml", &ours, &upstream), Vec::new());
    }
}
