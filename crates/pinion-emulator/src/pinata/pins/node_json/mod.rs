//! A JSON document as Node.js sees it: `JSON.parse` into JavaScript values, then
//! `JSON.stringify` back to bytes.
//!
//! Pinata's API runs on Node.js, so the bytes `pinJSONToIPFS` pins are (by inference,
//! recorded as UNCERTAIN in `spec/pinata.sources.md`) `JSON.stringify` of the parsed
//! `pinataContent`. That differs from `serde_json` round trips in three ways this module
//! reproduces: object members keep the order they were sent in, except that keys which
//! are array indices come first in ascending numeric order; numbers are IEEE doubles
//! printed in JavaScript's shortest form; strings are UTF-16 and escaped as
//! `JSON.stringify` escapes them. Used by that route only, so the rest of the emulator
//! keeps `serde_json`'s behaviour.

mod number;
mod parse;
mod stringify;

pub(crate) use parse::parse;

/// A JavaScript value produced by `JSON.parse`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: always a double in JavaScript (`1e400` parses to infinity).
    Number(f64),
    /// A string as UTF-16 code units (it may hold lone surrogates from `\ud800` escapes).
    String(Vec<u16>),
    /// An array.
    Array(Vec<JsValue>),
    /// An object: its members in the order `JSON.parse` created them.
    Object(JsObject),
}

/// An object's members in creation order; a repeated key replaces the value of the first
/// member with that key but keeps its place, as a JavaScript property assignment does.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct JsObject {
    members: Vec<(Vec<u16>, JsValue)>,
}

impl JsObject {
    /// Takes the value of the member named `key` out of the object.
    pub(crate) fn remove(&mut self, key: &str) -> Option<JsValue> {
        let key: Vec<u16> = key.encode_utf16().collect();
        let at = self.members.iter().position(|(name, _)| *name == key)?;
        Some(self.members.remove(at).1)
    }
}

impl JsValue {
    /// The bytes `JSON.stringify` produces for this value (`undefined` cannot occur in a
    /// parsed document, so there always are some).
    pub(crate) fn stringify(&self) -> Vec<u8> {
        let mut out = Vec::new();
        stringify::write_value(self, &mut out);
        out
    }
}

impl JsValue {
    /// The value as a `serde_json` [`Value`](serde_json::Value), for the members read
    /// into typed requests (`pinataMetadata`, `pinataOptions`): integral numbers become
    /// integers (so `1` reads as a `u8`), infinities `null`, lone surrogates U+FFFD.
    pub(crate) fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            JsValue::Null => Value::Null,
            JsValue::Bool(b) => Value::Bool(*b),
            JsValue::Number(x) => integral(*x)
                .map(Value::from)
                .or_else(|| serde_json::Number::from_f64(*x).map(Value::Number))
                .unwrap_or(Value::Null),
            JsValue::String(units) => Value::String(String::from_utf16_lossy(units)),
            JsValue::Array(items) => Value::Array(items.iter().map(JsValue::to_serde).collect()),
            JsValue::Object(object) => Value::Object(
                object
                    .members
                    .iter()
                    .map(|(key, value)| (String::from_utf16_lossy(key), value.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// `x` as an integer when it is one that a double holds exactly.
fn integral(x: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    (x.fract() == 0.0 && x.abs() <= EXACT).then_some(x as i64)
}
