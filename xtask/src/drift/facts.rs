//! The facts a drift check compares, extracted the same way from Pinata's published OpenAPI
//! files and from our specs: operations, their query and header parameters, and the field
//! names and types of their request bodies and success responses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::schema::resolve;
use crate::specs::operations;

/// How deep nested fields are followed (upstream files have no cycles, but a `$ref` loop
/// must not hang the extraction).
const MAX_DEPTH: usize = 12;

/// The type recorded for an object with no declared properties (a map, or a schema given by
/// an example only). Its fields are unknown, so neither side's fields below it are compared.
pub const OPEN_OBJECT: &str = "map";

/// The facts of one document, keyed by [`operation_key`].
pub type DocumentFacts = BTreeMap<String, OperationFacts>;

/// What a drift check knows about one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationFacts {
    /// The operationId, when the document gives one (for reading; never compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// Query parameters (`query NAME`) and header parameters (`header name`) with their
    /// types. Path parameters are left out: their names never reach the wire.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Request body fields (`(body)` for the body itself, then `a.b[].c`) with their types.
    #[serde(default)]
    pub request: BTreeMap<String, String>,
    /// Fields of every 2xx response body, with their types.
    #[serde(default)]
    pub response: BTreeMap<String, String>,
}

/// `METHOD /path` with every path parameter written `{}`: parameter names are not part of
/// the wire, so `/files/{id}` and `/files/{file_id}` are one operation.
pub fn operation_key(method: &str, path: &str) -> String {
    let mut normalized = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                normalized.push_str("{}");
            }
            '}' => in_parameter = false,
            _ if in_parameter => {}
            _ => normalized.push(c),
        }
    }
    format!("{} {normalized}", method.to_uppercase())
}

/// Extracts the facts of every operation of an OpenAPI 3.0 document.
pub fn extract(document: &Value) -> DocumentFacts {
    let mut facts = DocumentFacts::new();
    for op in operations(document) {
        let path_item = document.pointer(&format!("/paths/{}", escape(op.path)));
        let mut found = OperationFacts {
            operation_id: op.id().map(str::to_string),
            ..OperationFacts::default()
        };
        let shared = path_item.and_then(|item| item.get("parameters"));
        for list in [shared, op.value.get("parameters")].into_iter().flatten() {
            for parameter in list.as_array().into_iter().flatten() {
                add_parameter(document, parameter, &mut found.parameters);
            }
        }
        if let Some(body) = op.value.get("requestBody") {
            let body = resolve(document, body).unwrap_or(body);
            add_content(document, body, &mut found.request);
        }
        if let Some(responses) = op.value.get("responses").and_then(Value::as_object) {
            for (code, response) in responses {
                if code.starts_with('2') {
                    let response = resolve(document, response).unwrap_or(response);
                    add_content(document, response, &mut found.response);
                }
            }
        }
        facts.insert(operation_key(op.method, op.path), found);
    }
    facts
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn add_parameter(document: &Value, parameter: &Value, into: &mut BTreeMap<String, String>) {
    let parameter = resolve(document, parameter).unwrap_or(parameter);
    let (Some(location), Some(name)) = (
        parameter.get("in").and_then(Value::as_str),
        parameter.get("name").and_then(Value::as_str),
    ) else {
        return;
    };
    let name = match location {
        "query" => name.to_string(),
        // Header names are case-insensitive on the wire.
        "header" => name.to_ascii_lowercase(),
        _ => return,
    };
    let kind = parameter
        .get("schema")
        .map(|schema| type_of(document, schema, 0))
        .unwrap_or_else(|| "any".to_string());
    into.insert(format!("{location} {name}"), kind);
}

/// Adds the fields of every media type of a request body or response.
fn add_content(document: &Value, holder: &Value, into: &mut BTreeMap<String, String>) {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return;
    };
    for media in content.values() {
        if let Some(schema) = media.get("schema") {
            let mut fields = BTreeMap::new();
            add_fields(document, schema, "", 0, &mut fields);
            for (field, kind) in fields {
                into.entry(field).or_insert(kind);
            }
        }
    }
}

/// Records `schema` at `prefix` (the root is `(body)`) and, for objects and arrays, its
/// fields below.
fn add_fields(
    document: &Value,
    schema: &Value,
    prefix: &str,
    depth: usize,
    into: &mut BTreeMap<String, String>,
) {
    let kind = type_of(document, schema, depth);
    let root = prefix.is_empty();
    let name = if root { "(body)" } else { prefix };
    into.insert(name.to_string(), kind.clone());
    if depth >= MAX_DEPTH {
        return;
    }
    let schema = resolve(document, schema).unwrap_or(schema);
    if kind == "array" {
        if let Some(items) = schema.get("items") {
            let name = if root {
                "[]".to_string()
            } else {
                format!("{prefix}[]")
            };
            add_fields(document, items, &name, depth + 1, into);
        }
        return;
    }
    for (name, property) in properties(document, schema, depth) {
        let path = if root {
            name
        } else {
            format!("{prefix}.{name}")
        };
        add_fields(document, &property, &path, depth + 1, into);
    }
}

/// The declared properties of a schema, through `allOf`, `oneOf` and `anyOf`.
fn properties(document: &Value, schema: &Value, depth: usize) -> Vec<(String, Value)> {
    let schema = resolve(document, schema).unwrap_or(schema);
    let mut found: Vec<(String, Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    if depth < MAX_DEPTH {
        for combinator in ["allOf", "oneOf", "anyOf"] {
            for part in schema
                .get(combinator)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for (name, property) in properties(document, part, depth + 1) {
                    if !found.iter().any(|(known, _)| *known == name) {
                        found.push((name, property));
                    }
                }
            }
        }
    }
    found
}

/// A schema's type: `string`, `integer`, `number`, `boolean`, `array`, `object` (with
/// declared properties), [`OPEN_OBJECT`], `any`, or `a|b` for a union of different types.
/// Formats and `nullable` are not part of it.
fn type_of(document: &Value, schema: &Value, depth: usize) -> String {
    let schema = resolve(document, schema).unwrap_or(schema);
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        if kind == "object" && properties(document, schema, depth).is_empty() {
            return OPEN_OBJECT.to_string();
        }
        return kind.to_string();
    }
    if depth < MAX_DEPTH {
        for combinator in ["allOf", "oneOf", "anyOf"] {
            if let Some(parts) = schema.get(combinator).and_then(Value::as_array) {
                let mut kinds: Vec<String> = parts
                    .iter()
                    .map(|part| type_of(document, part, depth + 1))
                    .collect();
                kinds.sort();
                kinds.dedup();
                if kinds.len() > 1 && kinds.iter().any(|k| k == "object") {
                    kinds.retain(|k| k != OPEN_OBJECT);
                }
                return kinds.join("|");
            }
        }
    }
    if schema.get("properties").is_some() {
        "object".to_string()
    } else {
        "any".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_parameter_names_do_not_matter() {
        assert_eq!(
            operation_key("get", "/files/{network}/{id}"),
            operation_key("GET", "/files/{net}/{file_id}")
        );
        assert_eq!(operation_key("put", "/a/{b}/c"), "PUT /a/{}/c");
    }

    #[test]
    fn fields_types_and_parameters_are_extracted_through_refs() {
        let document = json!({
            "paths": { "/files/{id}": {
                "parameters": [{ "name": "id", "in": "path", "schema": { "type": "string" } }],
                "put": {
                    "operationId": "updateFile",
                    "parameters": [
                        { "$ref": "#/components/parameters/Limit" },
                        { "name": "X-Thing", "in": "header", "schema": { "type": "string" } }
                    ],
                    "requestBody": { "content": { "application/json": { "schema": {
                        "type": "object",
                        "properties": { "name": { "type": "string" },
                                        "keyvalues": { "type": "object" } } } } } },
                    "responses": {
                        "200": { "content": { "application/json": { "schema": {
                            "$ref": "#/components/schemas/Wrapped" } } } },
                        "500": { "content": { "application/json": { "schema": {
                            "type": "object", "properties": { "error": { "type": "string" } } } } } }
                    }
                }
            } },
            "components": {
                "parameters": { "Limit": { "name": "limit", "in": "query",
                                           "schema": { "type": "integer" } } },
                "schemas": { "Wrapped": { "type": "object", "properties": {
                    "data": { "type": "array", "items": { "allOf": [
                        { "type": "object", "properties": { "id": { "type": "string" } } }
                    ] } } } } }
            }
        });
        let facts = extract(&document);
        let op = &facts["PUT /files/{}"];
        assert_eq!(op.operation_id.as_deref(), Some("updateFile"));
        let parameters: Vec<_> = op.parameters.iter().collect();
        assert_eq!(
            parameters,
            [
                (&"header x-thing".to_string(), &"string".to_string()),
                (&"query limit".to_string(), &"integer".to_string())
            ]
        );
        assert_eq!(op.request["name"], "string");
        assert_eq!(op.request["keyvalues"], OPEN_OBJECT);
        assert_eq!(op.response["data"], "array");
        assert_eq!(op.response["data[].id"], "string");
        assert!(
            !op.response.contains_key("error"),
            "error responses are not facts"
        );
    }

    #[test]
    fn a_non_object_body_is_recorded_as_the_body() {
        let document = json!({ "paths": { "/k": { "delete": { "responses": { "200": {
            "content": { "application/json": { "schema": { "type": "string" } } } } } } } } });
        assert_eq!(extract(&document)["DELETE /k"].response["(body)"], "string");
    }
}
