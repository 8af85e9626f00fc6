//! `metadata[keyvalues]` filters of `pinList` (and Submarine's content list):
//! `{"<key>": {"value", "op", "secondValue"}}` with the operators gt, gte, lt, lte, ne,
//! eq, between, notBetween, like, notLike, iLike, notILike, regexp and iRegexp.
//!
//! Values compare as numbers when both sides are numbers, as instants when both parse
//! as dates, and as strings otherwise. `like` patterns use SQL's `%` and `_`.
//! [`Canonical`] is the same rule as a hashable key, for the equality index.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use regex::Regex;
use serde_json::{Map, Value};

/// Parses a timestamp as Pinata accepts it: RFC 3339 or `2018-01-01 00:00:00.000+00`.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDate, NaiveDateTime};
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%#z"] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time.with_timezone(&Utc));
        }
    }
    if let Ok(time) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f") {
        return Some(time.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
}

/// A key-value's value as the comparison rule sees it: two values compare equal only
/// if their canonical forms are equal, so an index by canonical form finds every row
/// an `eq` filter matches.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Canonical {
    /// A number (bits of the `f64`, `-0` as `0`).
    Number(u64),
    /// A date.
    Instant(DateTime<Utc>),
    /// Anything else, as text.
    Text(String),
}

impl Canonical {
    /// The canonical form of `value`; `None` for a value equal to nothing (NaN).
    pub(crate) fn of(value: &Value) -> Option<Canonical> {
        if let Some(n) = number(value) {
            if n.is_nan() {
                return None;
            }
            let n = if n == 0.0 { 0.0 } else { n };
            return Some(Canonical::Number(n.to_bits()));
        }
        let text = value_text(value);
        Some(match parse_time(&text) {
            Some(time) => Canonical::Instant(time),
            None => Canonical::Text(text),
        })
    }
}

/// One condition on one key.
#[derive(Debug)]
pub(crate) struct KeyValueFilter {
    key: String,
    op: Op,
}

impl KeyValueFilter {
    /// `key` equal to `value`: v3's key-value filters, whose only operator is equality.
    pub(crate) fn equals(key: String, value: Value) -> Self {
        KeyValueFilter {
            key,
            op: Op::Compare(value, Comparison::Eq),
        }
    }
}

#[derive(Debug)]
enum Op {
    Compare(Value, Comparison),
    Between(Value, Value, bool),
    Pattern(Regex, bool),
}

/// The operators that compare one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Gt,
    Gte,
    Lt,
    Lte,
    Ne,
    Eq,
}

impl Comparison {
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Comparison::Gt => ordering.is_gt(),
            Comparison::Gte => ordering.is_ge(),
            Comparison::Lt => ordering.is_lt(),
            Comparison::Lte => ordering.is_le(),
            Comparison::Ne => ordering.is_ne(),
            Comparison::Eq => ordering.is_eq(),
        }
    }
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
            op: Op::Compare(condition.clone(), Comparison::Eq),
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
        "gt" => Op::Compare(value, Comparison::Gt),
        "gte" => Op::Compare(value, Comparison::Gte),
        "lt" => Op::Compare(value, Comparison::Lt),
        "lte" => Op::Compare(value, Comparison::Lte),
        "ne" => Op::Compare(value, Comparison::Ne),
        "eq" => Op::Compare(value, Comparison::Eq),
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
    /// The key and canonical value when this is an equality condition (an index can
    /// answer it); `None` for every other operator.
    pub(crate) fn equality(&self) -> Option<(&str, Canonical)> {
        match &self.op {
            Op::Compare(value, Comparison::Eq) => Some((&self.key, Canonical::of(value)?)),
            _ => None,
        }
    }

    /// Whether a pin's key-values satisfy the condition (a missing key never does).
    pub(crate) fn matches(&self, keyvalues: &Map<String, Value>) -> bool {
        let Some(have) = keyvalues.get(&self.key) else {
            return false;
        };
        match &self.op {
            Op::Compare(want, comparison) => {
                compare(have, want).is_some_and(|ordering| comparison.accepts(ordering))
            }
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
    fn times_in_every_accepted_form() {
        for text in [
            "2018-01-01T00:00:00Z",
            "2018-01-01T00:00:00.000+00:00",
            "2018-01-01 00:00:00.000+00",
            "2018-01-01 00:00:00",
            "2018-01-01",
        ] {
            assert_eq!(
                parse_time(text).map(|t| t.timestamp()),
                Some(1_514_764_800),
                "{text}"
            );
        }
        assert_eq!(parse_time("yesterday"), None);
    }

    fn values() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        prop_oneof![
            (-3i64..3).prop_map(Value::from),
            (-3i64..3).prop_map(|n| Value::from(format!(" {n}.0"))),
            Just(Value::from(0.0)),
            Just(Value::from("-0")),
            Just(Value::from("NaN")),
            Just(Value::from("inf")),
            Just(Value::from(true)),
            Just(Value::from("true")),
            Just(Value::from("2024-01-01")),
            Just(Value::from("2024-01-01T00:00:00Z")),
            Just(Value::from("2024-01-01 00:00:00+00")),
            "[a-c1 ]{0,3}".prop_map(Value::from),
        ]
    }

    proptest::proptest! {
        /// The equality index is only right if every pair the rule calls equal has
        /// one canonical form.
        #[test]
        fn equal_values_share_a_canonical_form(have in values(), want in values()) {
            let filters = parse_keyvalue_filters(
                &[json!({"k": {"value": want.clone(), "op": "eq"}}).to_string()],
                &[],
            ).unwrap();
            let (key, canonical) = match filters[0].equality() {
                Some(found) => found,
                None => {
                    // A value equal to nothing: no row may match.
                    let row = kv(json!({"k": have}));
                    proptest::prop_assert!(!filters[0].matches(&row));
                    return Ok(());
                }
            };
            proptest::prop_assert_eq!(key, "k");
            let row = kv(json!({"k": have.clone()}));
            if filters[0].matches(&row) {
                proptest::prop_assert_eq!(Canonical::of(&have), Some(canonical));
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
