//! `JSON.stringify` of a parsed document, without indentation.

use super::number::to_js_string;
use super::{JsObject, JsValue};

/// Largest array index (2^32 - 2): keys that are canonical decimal integers up to it
/// are listed first, in ascending order (ECMA-262 `OrdinaryOwnPropertyKeys`; V8 agrees,
/// and lists `"4294967295"` with the other keys in creation order).
const MAX_ARRAY_INDEX: u64 = 4_294_967_294;

pub(super) fn write_value(value: &JsValue, out: &mut Vec<u8>) {
    match value {
        JsValue::Null => out.extend_from_slice(b"null"),
        JsValue::Bool(true) => out.extend_from_slice(b"true"),
        JsValue::Bool(false) => out.extend_from_slice(b"false"),
        // `JSON.stringify` writes infinities (`1e400` parses to one) as `null`.
        JsValue::Number(x) if !x.is_finite() => out.extend_from_slice(b"null"),
        JsValue::Number(x) => out.extend_from_slice(to_js_string(*x).as_bytes()),
        JsValue::String(units) => write_string(units, out),
        JsValue::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        JsValue::Object(object) => write_object(object, out),
    }
}

fn write_object(object: &JsObject, out: &mut Vec<u8>) {
    let mut indexed: Vec<(u64, &(Vec<u16>, JsValue))> = object
        .members
        .iter()
        .filter_map(|member| array_index(&member.0).map(|index| (index, member)))
        .collect();
    indexed.sort_by_key(|(index, _)| *index);
    let named = object
        .members
        .iter()
        .filter(|(key, _)| array_index(key).is_none());
    out.push(b'{');
    for (i, (key, value)) in indexed
        .into_iter()
        .map(|(_, member)| member)
        .chain(named)
        .enumerate()
    {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        write_value(value, out);
    }
    out.push(b'}');
}

/// The index a key names when it is an array index: `0`, or digits without a leading
/// zero, up to [`MAX_ARRAY_INDEX`].
fn array_index(key: &[u16]) -> Option<u64> {
    if key.is_empty() || key.len() > 10 || (key.len() > 1 && key[0] == u16::from(b'0')) {
        return None;
    }
    let mut index: u64 = 0;
    for &unit in key {
        let digit = char::from_u32(u32::from(unit))?.to_digit(10)?;
        index = index * 10 + u64::from(digit);
    }
    (index <= MAX_ARRAY_INDEX).then_some(index)
}

/// A string as `JSON.stringify` quotes it (ECMA-262 `QuoteJSONString`): `"` and `\`
/// and the control characters escaped, lone surrogates as `\udXXX`, everything else
/// (`/`, non-ASCII, U+2028) written as UTF-8.
fn write_string(units: &[u16], out: &mut Vec<u8>) {
    out.push(b'"');
    for decoded in char::decode_utf16(units.iter().copied()) {
        match decoded {
            Ok('"') => out.extend_from_slice(b"\\\""),
            Ok('\\') => out.extend_from_slice(b"\\\\"),
            Ok('\u{8}') => out.extend_from_slice(b"\\b"),
            Ok('\u{c}') => out.extend_from_slice(b"\\f"),
            Ok('\n') => out.extend_from_slice(b"\\n"),
            Ok('\r') => out.extend_from_slice(b"\\r"),
            Ok('\t') => out.extend_from_slice(b"\\t"),
            Ok(c) if u32::from(c) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes());
            }
            Ok(c) => {
                let mut buffer = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            }
            Err(lone) => {
                out.extend_from_slice(format!("\\u{:04x}", lone.unpaired_surrogate()).as_bytes());
            }
        }
    }
    out.push(b'"');
}
