//! Checks that a spec is complete, self-consistent and shaped so progenitor can generate it.
//!
//! Every problem is reported (not just the first), each naming where it is.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::Value;

use crate::schema::{SchemaChecker, resolve};
use crate::specs::{Operation, operations};

/// Marks an operation the library implements by hand (progenitor cannot generate it).
pub const HANDWRITTEN: &str = "x-pinion-handwritten";

/// Marks an operation of the TUS resumable-upload exchange (`OPTIONS`, `HEAD`, `PATCH` with
/// `application/offset+octet-stream`): described in the spec, implemented by hand.
pub const TUS: &str = "x-pinion-tus";

/// Lints one spec; returns every problem found (empty when the spec is fine).
pub fn lint(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match spec.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        other => problems.push(format!(
            "openapi version must be 3.0.x (progenitor reads only 3.0), found {other:?}"
        )),
    }
    check_refs(spec, spec, "#", &mut problems);
    check_numeric_enums(spec, "#", &mut problems);
    check_descriptions(spec, "#", &mut problems);
    check_field_names(spec, "#", &mut problems);
    check_operations(spec, &mut problems);
    check_examples(spec, &mut problems);
    problems
}

/// Every `$ref` must be local and resolve.
fn check_refs(spec: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                let resolves = reference
                    .strip_prefix('#')
                    .is_some_and(|pointer| spec.pointer(pointer).is_some());
                if !resolves {
                    problems.push(format!("{at}: $ref {reference} does not resolve"));
                }
            }
            for (key, child) in object {
                check_refs(spec, child, &format!("{at}/{}", escape(key)), problems);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_refs(spec, child, &format!("{at}/{index}"), problems);
            }
        }
        _ => {}
    }
}

/// typify 0.8 writes a hand-rolled schemars-0.8 `JsonSchema` impl for integer and number
/// enums, which does not compile against schemars 1 (nor in edition 2024). For integers,
/// `minimum`/`maximum` say the same thing and generate plain integers.
fn check_numeric_enums(value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            let numeric = matches!(
                object.get("type").and_then(Value::as_str),
                Some("integer" | "number")
            );
            if numeric && object.contains_key("enum") {
                problems.push(format!(
                    "{at}: numeric `enum` generates code that does not compile (typify 0.8); \
                     use `minimum`/`maximum` (e.g. 0 and 1 for a CID version) and list the values \
                     in the description"
                ));
            }
            for (key, child) in object {
                if key != "example" && key != "examples" {
                    check_numeric_enums(child, &format!("{at}/{}", escape(key)), problems);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_numeric_enums(child, &format!("{at}/{index}"), problems);
            }
        }
        _ => {}
    }
}

/// Descriptions become rustdoc on the generated code, where an indented block or a fence
/// without a language is compiled and run as a Rust doctest.
fn check_descriptions(value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let here = format!("{at}/{}", escape(key));
                match (key.as_str(), child) {
                    ("description" | "summary", Value::String(text)) => {
                        if let Some(problem) = doctest_hazard(text) {
                            problems.push(format!("{here}: {problem}"));
                        }
                    }
                    ("example" | "examples", _) => {}
                    _ => check_descriptions(child, &here, problems),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_descriptions(child, &format!("{at}/{index}"), problems);
            }
        }
        _ => {}
    }
}

fn doctest_hazard(text: &str) -> Option<String> {
    let mut previous_blank = true;
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !in_fence && (info.trim().is_empty() || info.trim().starts_with("rust")) {
                return Some(format!(
                    "code fence without a language (```{info}) would run as a Rust doctest; \
                     write ```text, ```json, ```sh …"
                ));
            }
            in_fence = !in_fence;
        } else if !in_fence && previous_blank && line.starts_with("    ") && !trimmed.is_empty() {
            return Some(format!(
                "indented code block `{}` would run as a Rust doctest; use a ```text fence",
                trimmed
            ));
        }
        previous_blank = line.trim().is_empty();
    }
    None
}

/// Two properties of one object that become the same Rust field (`swap_cid` and `swapCid`)
/// generate code that does not compile.
fn check_field_names(value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                for name in properties.keys() {
                    if let Some(first) = seen.insert(name.to_snake_case(), name) {
                        problems.push(format!(
                            "{at}/properties: `{first}` and `{name}` become the same Rust field; \
                             declare one and describe the other"
                        ));
                    }
                }
            }
            for (key, child) in object {
                if key != "example" && key != "examples" {
                    check_field_names(child, &format!("{at}/{}", escape(key)), problems);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_field_names(child, &format!("{at}/{index}"), problems);
            }
        }
        _ => {}
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn check_operations(spec: &Value, problems: &mut Vec<String>) {
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut error_shapes: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(spec) {
        let label = op.label();
        match op.id() {
            None => problems.push(format!("{label}: no operationId")),
            Some(id) => {
                if let Some(first) = ids.insert(id, label.clone()) {
                    problems.push(format!("{label}: operationId {id} is also used by {first}"));
                }
            }
        }
        if op
            .value
            .get("summary")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            problems.push(format!("{label}: no summary"));
        }
        check_request_body(spec, &op, problems);
        check_responses(spec, &op, &mut error_shapes, problems);
    }
    if error_shapes.len() > 1 {
        let listed: Vec<String> = error_shapes
            .iter()
            .map(|(shape, first)| format!("{shape} (first at {first})"))
            .collect();
        problems.push(format!(
            "error responses must share one schema across the spec, found: {}",
            listed.join("; ")
        ));
    }
}

fn check_request_body(spec: &Value, op: &Operation<'_>, problems: &mut Vec<String>) {
    let label = op.label();
    let handwritten = op.is_handwritten();
    if op.is_multipart() && !handwritten {
        problems.push(format!(
            "{label}: multipart request bodies cannot be generated; mark the operation `{HANDWRITTEN}: true`"
        ));
    }
    if op.is_tus() && !handwritten {
        problems.push(format!(
            "{label}: TUS operations cannot be generated; mark the operation `{HANDWRITTEN}: true`"
        ));
    }
    if handwritten && !op.is_multipart() && !op.is_tus() {
        problems.push(format!(
            "{label}: `{HANDWRITTEN}` is only for multipart or TUS (`{TUS}: true`) operations progenitor cannot generate"
        ));
    }
    let Some(body) = op.value.get("requestBody") else {
        return;
    };
    let body = match resolve(spec, body) {
        Ok(body) => body,
        Err(error) => return problems.push(format!("{label}: request body: {error}")),
    };
    let media_types = body
        .get("content")
        .and_then(Value::as_object)
        .map_or(0, |c| c.len());
    if media_types != 1 {
        problems.push(format!(
            "{label}: a request body needs exactly one media type (progenitor), found {media_types}"
        ));
    }
}

/// One success shape and one error shape per operation, no `default`; see
/// progenitor's `response_types.len() <= 1` assertion.
fn check_responses(
    spec: &Value,
    op: &Operation<'_>,
    error_shapes: &mut BTreeMap<String, String>,
    problems: &mut Vec<String>,
) {
    let label = op.label();
    let Some(responses) = op.value.get("responses").and_then(Value::as_object) else {
        return problems.push(format!("{label}: no responses"));
    };
    let mut success = BTreeSet::new();
    let mut errors = BTreeSet::new();
    for (code, response) in responses {
        if code == "default" {
            problems.push(format!(
                "{label}: `default` responses are not allowed (progenitor counts them as success and error)"
            ));
            continue;
        }
        let shape = match resolve(spec, response) {
            Ok(response) => response_shape(response),
            Err(error) => {
                problems.push(format!("{label}: response {code}: {error}"));
                continue;
            }
        };
        match code.chars().next() {
            Some('2') => {
                success.insert(shape);
            }
            Some('4' | '5') => {
                errors.insert(shape);
            }
            _ => problems.push(format!("{label}: unexpected response code {code}")),
        }
    }
    if success.is_empty() {
        problems.push(format!("{label}: no 2xx response"));
    }
    // Progenitor needs one success type; a hand-written operation is not generated, and
    // may answer different 2xx bodies (a multipart upload's record, a TUS creation's
    // empty 201).
    if success.len() > 1 && !op.is_handwritten() {
        problems.push(format!(
            "{label}: 2xx responses must share one body type, found {}",
            success.into_iter().collect::<Vec<_>>().join(" | ")
        ));
    }
    if errors.is_empty() {
        problems.push(format!("{label}: no error (4xx/5xx) response"));
    }
    if errors.len() > 1 {
        problems.push(format!(
            "{label}: error responses must share one body type, found {}",
            errors.iter().cloned().collect::<Vec<_>>().join(" | ")
        ));
    }
    for shape in errors {
        error_shapes.entry(shape).or_insert_with(|| label.clone());
    }
}

/// A response's body kind: its media types with their schemas, or "(no body)".
fn response_shape(response: &Value) -> String {
    match response.get("content").and_then(Value::as_object) {
        Some(content) if !content.is_empty() => content
            .iter()
            .map(|(media, body)| {
                let schema = body.get("schema").map(Value::to_string).unwrap_or_default();
                format!("{media} {schema}")
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => "(no body)".to_string(),
    }
}

/// Every example (media types, parameters, headers and schemas) validates against its schema.
fn check_examples(spec: &Value, problems: &mut Vec<String>) {
    let checker = SchemaChecker::new(spec);
    walk_examples(spec, spec, "#", &checker, problems);
}

const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "$ref",
    "enum",
];

fn walk_examples(
    spec: &Value,
    value: &Value,
    at: &str,
    checker: &SchemaChecker,
    problems: &mut Vec<String>,
) {
    match value {
        Value::Object(object) => {
            if let Some(schema) = object.get("schema") {
                // A media type, parameter or header object: examples sit beside `schema`.
                if let Some(example) = object.get("example") {
                    report(
                        checker.validate(schema, example),
                        &format!("{at}/example"),
                        problems,
                    );
                }
                if let Some(examples) = object.get("examples").and_then(Value::as_object) {
                    for (name, example) in examples {
                        let where_ = format!("{at}/examples/{}", escape(name));
                        match resolve(spec, example) {
                            Ok(example) => match example.get("value") {
                                Some(value) => {
                                    report(checker.validate(schema, value), &where_, problems)
                                }
                                None => problems.push(format!("{where_}: example has no value")),
                            },
                            Err(error) => problems.push(format!("{where_}: {error}")),
                        }
                    }
                }
            } else if let Some(example) = object.get("example")
                && SCHEMA_KEYWORDS.iter().any(|k| object.contains_key(*k))
            {
                // A schema object with its own example.
                let mut schema = object.clone();
                schema.remove("example");
                report(
                    checker.validate(&Value::Object(schema), example),
                    &format!("{at}/example"),
                    problems,
                );
            }
            for (key, child) in object {
                // Example values are data, not schemas: do not look inside them.
                if key != "example" && key != "examples" {
                    walk_examples(
                        spec,
                        child,
                        &format!("{at}/{}", escape(key)),
                        checker,
                        problems,
                    );
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk_examples(spec, child, &format!("{at}/{index}"), checker, problems);
            }
        }
        _ => {}
    }
}

fn report(result: Result<(), Vec<String>>, at: &str, problems: &mut Vec<String>) {
    if let Err(errors) = result {
        for error in errors {
            problems.push(format!("{at}: example does not match its schema: {error}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal(op: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": { "/things/{id}": { "get": op } },
            "components": {
                "schemas": {
                    "Thing": { "type": "object", "required": ["id"],
                               "properties": { "id": { "type": "string" } } },
                    "Error": { "type": "object", "properties": { "message": { "type": "string" } } }
                },
                "responses": {
                    "NotFound": { "description": "missing", "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
            }
        })
    }

    fn good_op() -> Value {
        json!({
            "operationId": "getThing",
            "summary": "Get a thing",
            "responses": {
                "200": { "description": "ok", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Thing" },
                    "example": { "id": "1" } } } },
                "404": { "$ref": "#/components/responses/NotFound" }
            }
        })
    }

    #[test]
    fn a_well_shaped_spec_passes() {
        assert_eq!(lint(&minimal(good_op())), Vec::<String>::new());
    }

    #[test]
    fn each_problem_is_reported() {
        let mut op = good_op();
        op["responses"]["200"]["content"]["application/json"]["example"] = json!({ "name": 1 });
        op["responses"]["default"] = json!({ "description": "other" });
        op["responses"]["500"] = json!({ "$ref": "#/components/responses/Missing" });
        op["responses"]["401"] = json!({ "description": "text",
            "content": { "text/plain": { "schema": { "type": "string" } } } });
        op.as_object_mut().unwrap().remove("operationId");
        let problems = lint(&minimal(op));
        let text = problems.join("\n");
        for expected in [
            "no operationId",
            "`default` responses are not allowed",
            "$ref #/components/responses/Missing does not resolve",
            "error responses must share one body type",
            "example does not match its schema",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
    }

    #[test]
    fn multipart_operations_must_be_marked_handwritten() {
        let mut op = good_op();
        op["requestBody"] = json!({ "content": { "multipart/form-data": {
            "schema": { "type": "object" } } } });
        let problems = lint(&minimal(op.clone()));
        assert!(
            problems.iter().any(|p| p.contains("mark the operation")),
            "{problems:?}"
        );
        op[HANDWRITTEN] = json!(true);
        assert_eq!(lint(&minimal(op)), Vec::<String>::new());
    }

    #[test]
    fn tus_operations_must_be_marked_handwritten_and_only_they_may_be() {
        let mut op = good_op();
        op[TUS] = json!(true);
        let problems = lint(&minimal(op.clone()));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("TUS operations cannot be generated")),
            "{problems:?}"
        );
        op[HANDWRITTEN] = json!(true);
        assert_eq!(lint(&minimal(op)), Vec::<String>::new());

        let mut plain = good_op();
        plain[HANDWRITTEN] = json!(true);
        let problems = lint(&minimal(plain));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("only for multipart or TUS")),
            "{problems:?}"
        );
    }

    #[test]
    fn only_hand_written_operations_may_answer_several_success_bodies() {
        let mut op = good_op();
        op["responses"]["201"] = json!({ "description": "created, no body" });
        let problems = lint(&minimal(op.clone()));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("2xx responses must share one body type")),
            "{problems:?}"
        );
        op[TUS] = json!(true);
        op[HANDWRITTEN] = json!(true);
        assert_eq!(lint(&minimal(op)), Vec::<String>::new());
    }

    #[test]
    fn properties_that_become_the_same_rust_field_are_refused() {
        let mut spec = minimal(good_op());
        spec["components"]["schemas"]["Swap"] = json!({ "type": "object", "properties": {
            "swap_cid": { "type": "string" }, "swapCid": { "type": "string" } } });
        let problems = lint(&spec);
        assert!(
            problems.iter().any(|p| p
                .contains("`swapCid` and `swap_cid` become the same Rust field")
                || p.contains("`swap_cid` and `swapCid` become the same Rust field")),
            "{problems:?}"
        );
    }

    #[test]
    fn descriptions_that_would_become_doctests_are_refused() {
        for text in [
            "Use:\n\n    GET /x\n",
            "```\nlet x = 1;\n```",
            "```rust\nx\n```",
        ] {
            let mut op = good_op();
            op["description"] = json!(text);
            let problems = lint(&minimal(op));
            assert!(
                problems.iter().any(|p| p.contains("doctest")),
                "{text:?}: {problems:?}"
            );
        }
        let mut op = good_op();
        op["description"] = json!("Fine:\n\n```text\nGET /x\n```\n- item\n  continued");
        assert_eq!(lint(&minimal(op)), Vec::<String>::new());
    }

    #[test]
    fn numeric_enums_are_refused() {
        let mut spec = minimal(good_op());
        spec["components"]["schemas"]["Version"] = json!({ "type": "integer", "enum": [0, 1] });
        let problems = lint(&spec);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("use `minimum`/`maximum`")),
            "{problems:?}"
        );
    }

    #[test]
    fn mixed_success_bodies_are_refused() {
        let mut op = good_op();
        op["responses"]["204"] = json!({ "description": "empty" });
        let problems = lint(&minimal(op));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("2xx responses must share")),
            "{problems:?}"
        );
    }
}
