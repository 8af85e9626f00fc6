//! Validating JSON values against the schemas of an OpenAPI 3.0 document.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few keywords; the one that changes
//! meaning is `nullable`, which is rewritten here into draft-4 terms. `$ref`s of the form
//! `#/components/...` resolve against the whole document, which is kept as the root.

use anyhow::{Result, anyhow};
use jsonschema::Draft;
use serde_json::{Map, Value, json};

/// Validates values against schemas taken from one OpenAPI document.
pub struct SchemaChecker {
    /// The spec with `nullable` rewritten; `components` is reused as the `$ref` target.
    components: Value,
}

impl SchemaChecker {
    /// Prepares a checker for one spec (its `components` are the `$ref` targets).
    pub fn new(spec: &Value) -> Self {
        let components = spec.get("components").cloned().unwrap_or_else(|| json!({}));
        Self {
            components: to_json_schema(&components),
        }
    }

    /// Validates `instance` against an OpenAPI schema object (inline or a `$ref`).
    /// Returns every violation, each with the JSON pointer of the offending value.
    pub fn validate(&self, schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
        let root = json!({
            "allOf": [to_json_schema(schema)],
            "components": self.components,
        });
        let validator = match jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .with_format("uuid", is_uuid)
            .build(&root)
        {
            Ok(validator) => validator,
            Err(error) => return Err(vec![format!("the schema itself is invalid: {error}")]),
        };
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|error| {
                let at = error.instance_path.to_string();
                let at = if at.is_empty() { "/".to_string() } else { at };
                format!("at {at}: {error}")
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Validates against the named component schema (`components.schemas.<name>`).
    pub fn validate_named(&self, name: &str, instance: &Value) -> Result<(), Vec<String>> {
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        self.validate(&schema, instance)
    }
}

/// OpenAPI's `format: uuid` (draft 4 does not define it): 8-4-4-4-12 hex digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Rewrites OpenAPI 3.0 `nullable: true` into draft-4 JSON Schema, recursively.
pub fn to_json_schema(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(object) => {
            let mut out: Map<String, Value> = object
                .iter()
                .map(|(key, value)| (key.clone(), to_json_schema(value)))
                .collect();
            if out.remove("nullable") == Some(Value::Bool(true)) {
                make_nullable(out)
            } else {
                Value::Object(out)
            }
        }
        other => other.clone(),
    }
}

fn make_nullable(mut schema: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(ty)) => {
            schema.insert("type".into(), json!([ty, "null"]));
            Value::Object(schema)
        }
        // No single type (a $ref, oneOf, ...): allow null beside the whole schema.
        _ => json!({ "anyOf": [Value::Object(schema), { "type": "null" }] }),
    }
}

/// Resolves a local `$ref` (`#/a/b`) against the document, following chains of refs.
pub fn resolve<'a>(spec: &'a Value, value: &'a Value) -> Result<&'a Value> {
    let mut current = value;
    for _ in 0..32 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference
                    .strip_prefix('#')
                    .ok_or_else(|| anyhow!("only local $refs are supported, found {reference}"))?;
                current = spec
                    .pointer(pointer)
                    .ok_or_else(|| anyhow!("$ref {reference} does not resolve"))?;
            }
            None => return Ok(current),
        }
    }
    Err(anyhow!("$ref chain too long (a cycle?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({
            "components": { "schemas": {
                "Name": { "type": "string", "nullable": true },
                "Thing": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": { "type": "string", "format": "uuid" },
                        "name": { "$ref": "#/components/schemas/Name" },
                        "kind": { "type": "string", "enum": ["a", "b"], "nullable": true }
                    }
                }
            }}
        })
    }

    #[test]
    fn nullable_fields_accept_null_and_their_type() {
        let checker = SchemaChecker::new(&spec());
        let ok =
            json!({ "id": "95c904a0-4d61-4598-a4c8-fb5f0793c7ab", "name": null, "kind": null });
        assert_eq!(checker.validate_named("Thing", &ok), Ok(()));
        let ok = json!({ "id": "95c904a0-4d61-4598-a4c8-fb5f0793c7ab", "name": "x", "kind": "a" });
        assert_eq!(checker.validate_named("Thing", &ok), Ok(()));
    }

    #[test]
    fn violations_name_the_offending_value() {
        let checker = SchemaChecker::new(&spec());
        let errors = checker
            .validate_named("Thing", &json!({ "id": "not-a-uuid", "kind": "c" }))
            .unwrap_err();
        assert!(errors.iter().any(|e| e.starts_with("at /id")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.starts_with("at /kind")),
            "{errors:?}"
        );
        let errors = checker.validate_named("Thing", &json!({})).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("id")), "{errors:?}");
    }

    #[test]
    fn resolve_follows_chains_and_reports_dangling_refs() {
        let spec = spec();
        let by_ref = json!({ "$ref": "#/components/schemas/Name" });
        assert_eq!(resolve(&spec, &by_ref).unwrap()["type"], "string");
        let dangling = json!({ "$ref": "#/components/schemas/Missing" });
        assert!(resolve(&spec, &dangling).is_err());
    }
}
