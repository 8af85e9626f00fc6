//! `metadata[keyvalues]` filters of `pinList`: `{"<key>": {"value", "op", "secondValue"}}`
//! with the operators gt, gte, lt, lte, ne, eq, between, notBetween, like, notLike,
//! iLike, notILike, regexp and iRegexp.
//!
//! Values compare as numbers when both sides are numbers, as instants when both parse
//! as dates, and as strings otherwise. `like` patterns use SQL's `%` and `_`.

use std::cmp::Ordering;

use regex::Regex;
use serde_json::{Map, Value};

use super::common::parse_time;

/// One condition on one key.
#[derive(Debug)]
pub(crate) struct KeyValueFilter {
    key: String,
    op: Op,
}

#[derive(Debug)]
enum Op {
    Compare(Value, fn(Ordering) -> bool),
    Between(Value, Value, bool),
    Pattern(Regex, bool),
}

const OPS: &str = "gt, gte, lt, lte, ne, eq, between, notBetween, like, notLike, iLike, notILike, regexp, iRegexp";

/// Parses the JSON forms (`metadata[keyvalues]={...}`) and the single-key forms
/// (`metadata[keyvalues][key]={"value":..,"op":..}`).
pub(crate) fn parse_keyvalue_filters(
    json: &[String],
    single: &[(String, String)],
) -> Result<Vec<KeyValueFilter>, String> {
    let mut filters = Vec::new();
    for text in json {
        let object: Map<String, Value> = serde_json::from_str(text).map_err(|error| {
            format!(
                "metadata[keyvalues] must be a JSON object like {{\"key\":{{\"value\":\"v\",\"op\":\"eq\"}}}}: {error}"
            )
        })?;
        for (key, condition) in object {
            filters.push(parse_condition(key, &condition)?);
        }
    }
    for (key, text) in single {
        let condition: Value = serde_json::from_str(text)
            .unwrap_or_else(|_| serde_json::json!({ "value": text, "op": "eq" }));
        filters.push(parse_condition(key.clone(), &condition)?);
    }
    Ok(filters)
}

fn parse_condition(key: String, condition: &Value) -> Result<KeyValueFilter, String> {
    let Some(object) = condition.as_object() else {
        // A bare value means equality.
        return Ok(KeyValueFilter {
            key,
            op: Op::Compare(condition.clone(), Ordering::is_eq),
        });
    };
    let value = object
        .get("value")
        .cloned()
        .ok_or_else(|| format!("the condition on {key:?} has no \"value\""))?;
    let op = object.get("op").and_then(Value::as_str).unwrap_or("eq");
    let second = || {
        object
            .get("secondValue")
            .cloned()
            .ok_or_else(|| format!("the {op} condition on {key:?} needs a \"secondValue\""))
    };
    let pattern = |case_insensitive: bool, like: bool| -> Result<Regex, String> {
        let text = value_text(&value);
        let source = if like { like_to_regex(&text) } else { text };
        regex::RegexBuilder::new(&source)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|error| format!("the {op} pattern on {key:?} is not valid: {error}"))
    };
    let op = match op {
        "gt" => Op::Compare(value, Ordering::is_gt),
        "gte" => Op::Compare(value, Ordering::is_ge),
        "lt" => Op::Compare(value, Ordering::is_lt),
        "lte" => Op::Compare(value, Ordering::is_le),
        "ne" => Op::Compare(value, Ordering::is_ne),
        "eq" => Op::Compare(value, Ordering::is_eq),
        "between" => Op::Between(value.clone(), second()?, true),
        "notBetween" => Op::Between(value.clone(), second()?, false),
        "like" => Op::Pattern(pattern(false, true)?, true),
        "notLike" => Op::Pattern(pattern(false, true)?, false),
        "iLike" => Op::Pattern(pattern(true, true)?, true),
        "notILike" => Op::Pattern(pattern(true, true)?, false),
        "regexp" => Op::Pattern(pattern(false, false)?, true),
        "iRegexp" => Op::Pattern(pattern(true, false)?, true),
        other => return Err(format!("unknown op {other:?} on {key:?}: use one of {OPS}")),
    };
    Ok(KeyValueFilter { key, op })
}

impl KeyValueFilter {
    /// Whether a pin's key-values satisfy the condition (a missing key never does).
    pub(crate) fn matches(&self, keyvalues: &Map<String, Value>) -> bool {
        let Some(have) = keyvalues.get(&self.key) else {
            return false;
        };
        match &self.op {
            Op::Compare(want, accept) => compare(have, want).is_some_and(accept),
            Op::Between(low, high, inside) => {
                let within = compare(have, low).is_some_and(Ordering::is_ge)
                    && compare(have, high).is_some_and(Ordering::is_le);
                within == *inside
            }
            Op::Pattern(regex, wanted) => regex.is_match(&value_text(have)) == *wanted,
        }
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn compare(have: &Value, want: &Value) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (number(have), number(want)) {
        return a.partial_cmp(&b);
    }
    let (a, b) = (value_text(have), value_text(want));
    if let (Some(a), Some(b)) = (parse_time(&a), parse_time(&b)) {
        return Some(a.cmp(&b));
    }
    Some(a.cmp(&b))
}

/// SQL `LIKE` pattern → anchored regex (`%` any run, `_` one character).
fn like_to_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    for c in pattern.chars() {
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            other => out.push_str(&regex::escape(&other.to_string())),
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kv(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn check(filter: Value, row: &Map<String, Value>) -> bool {
        let filters = parse_keyvalue_filters(&[filter.to_string()], &[]).unwrap();
        filters.iter().all(|f| f.matches(row))
    }

    #[test]
    fn every_operator() {
        let row = kv(json!({"n": 5, "s": "Hello World", "d": "2024-03-01T00:00:00Z"}));
        let cases = [
            (json!({"n": {"value": 4, "op": "gt"}}), true),
            (json!({"n": {"value": 5, "op": "gte"}}), true),
            (json!({"n": {"value": 5, "op": "lt"}}), false),
            (json!({"n": {"value": "5", "op": "lte"}}), true),
            (json!({"n": {"value": 5, "op": "ne"}}), false),
            (json!({"s": {"value": "Hello World", "op": "eq"}}), true),
            (
                json!({"n": {"value": 1, "op": "between", "secondValue": 5}}),
                true,
            ),
            (
                json!({"n": {"value": 1, "op": "notBetween", "secondValue": 5}}),
                false,
            ),
            (json!({"s": {"value": "Hello%", "op": "like"}}), true),
            (json!({"s": {"value": "hello%", "op": "like"}}), false),
            (json!({"s": {"value": "hello%", "op": "iLike"}}), true),
            (json!({"s": {"value": "%xyz%", "op": "notLike"}}), true),
            (
                json!({"s": {"value": "HELLO_WORLD", "op": "notILike"}}),
                false,
            ),
            (json!({"s": {"value": "^Hel+o", "op": "regexp"}}), true),
            (json!({"s": {"value": "^hel+o", "op": "iRegexp"}}), true),
            (json!({"d": {"value": "2024-01-01", "op": "gt"}}), true),
            (json!({"missing": {"value": 1, "op": "ne"}}), false),
        ];
        for (filter, expected) in cases {
            assert_eq!(check(filter.clone(), &row), expected, "{filter}");
        }
    }

    #[test]
    fn clear_errors() {
        let error =
            parse_keyvalue_filters(&[r#"{"n":{"value":1,"op":"near"}}"#.into()], &[]).unwrap_err();
        assert!(
            error.contains("unknown op \"near\"") && error.contains("notBetween"),
            "{error}"
        );
        let error = parse_keyvalue_filters(&[r#"{"n":{"value":1,"op":"between"}}"#.into()], &[])
            .unwrap_err();
        assert!(error.contains("secondValue"), "{error}");
        assert!(parse_keyvalue_filters(&["{nope".into()], &[]).is_err());
    }

    proptest::proptest! {
        /// Whatever a client sends as `metadata[keyvalues]`, parsing answers Ok or a
        /// reason, never panics, and a parsed filter evaluates on any row.
        #[test]
        fn arbitrary_filters_never_panic(text in ".{0,200}", key in "[a-z]{0,8}", value in ".{0,40}") {
            let rows = kv(json!({"a": 1, "b": "x", "c": true}));
            if let Ok(filters) = parse_keyvalue_filters(&[text], &[(key, value)]) {
                for filter in &filters {
                    let _ = filter.matches(&rows);
                }
            }
        }

        /// Structured conditions with any op and values parse or give a reason.
        #[test]
        fn arbitrary_conditions(op in "[a-zA-Z]{0,12}", value in proptest::prelude::any::<i64>(), pattern in ".{0,30}") {
            let numeric = json!({"n": {"value": value, "op": op, "secondValue": value}}).to_string();
            let textual = json!({"s": {"value": pattern, "op": op}}).to_string();
            for text in [numeric, textual] {
                match parse_keyvalue_filters(&[text], &[]) {
                    Ok(filters) => {
                        let _ = filters[0].matches(&kv(json!({"n": 5, "s": "abc"})));
                    }
                    Err(reason) => proptest::prop_assert!(!reason.is_empty()),
                }
            }
        }
    }

    #[test]
    fn single_key_form() {
        let filters =
            parse_keyvalue_filters(&[], &[("s".into(), r#"{"value":"x","op":"eq"}"#.into())])
                .unwrap();
        assert!(filters[0].matches(&kv(json!({"s": "x"}))));
        let bare = parse_keyvalue_filters(&[], &[("s".into(), "x".into())]).unwrap();
        assert!(bare[0].matches(&kv(json!({"s": "x"}))));
    }
}
