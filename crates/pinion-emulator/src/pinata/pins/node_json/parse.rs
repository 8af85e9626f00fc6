//! `JSON.parse`: the JSON grammar read into [`JsValue`]s.

use std::collections::HashMap;

use super::{JsObject, JsValue};

/// Deepest nesting accepted, as `serde_json`'s own limit (the route parses the body
/// with it first, so a deeper document never gets here).
const MAX_DEPTH: usize = 128;

/// Why a body is not a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum ParseError {
    /// The body is not UTF-8.
    #[error("the document is not UTF-8")]
    NotUtf8,
    /// The grammar does not allow what is at this byte offset.
    #[error("unexpected input at byte {0}")]
    Unexpected(usize),
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("the document nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// Parses one JSON document, as `JSON.parse` does (whitespace around it allowed).
pub(crate) fn parse(body: &[u8]) -> Result<JsValue, ParseError> {
    let text = std::str::from_utf8(body).map_err(|_| ParseError::NotUtf8)?;
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at != text.len() {
        return Err(ParseError::Unexpected(parser.at));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn unexpected(&self) -> ParseError {
        ParseError::Unexpected(self.at)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), ParseError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn literal(&mut self, word: &str, value: JsValue) -> Result<JsValue, ParseError> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.unexpected())
        }
    }

    fn value(&mut self, depth: usize) -> Result<JsValue, ParseError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(JsValue::String),
            Some(b't') => self.literal("true", JsValue::Bool(true)),
            Some(b'f') => self.literal("false", JsValue::Bool(false)),
            Some(b'n') => self.literal("null", JsValue::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected()),
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsValue, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        self.at += 1; // '{'
        let mut object = JsObject::default();
        // Where each key sits, so a repeated key is found without a scan (a hostile body
        // may hold many thousands of members).
        let mut places: HashMap<Vec<u16>, usize> = HashMap::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(JsValue::Object(object));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key = self.string()?;
            self.expect(b':')?;
            let value = self.value(depth)?;
            match places.get(&key) {
                Some(&place) => object.members[place].1 = value,
                None => {
                    places.insert(key.clone(), object.members.len());
                    object.members.push((key, value));
                }
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(JsValue::Object(object));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsValue, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        self.at += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(JsValue::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(JsValue::Array(items));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    /// A number token, read to the nearest double (what `JSON.parse` does; Rust's float
    /// parsing is correctly rounded too, and overflows to infinity the same way).
    fn number(&mut self) -> Result<JsValue, ParseError> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let mut at = self.at;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => {
                digits(&mut at);
            }
            _ => return Err(ParseError::Unexpected(at)),
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                return Err(ParseError::Unexpected(at));
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if digits(&mut at) == 0 {
                return Err(ParseError::Unexpected(at));
            }
        }
        self.at = at;
        self.text[start..at]
            .parse::<f64>()
            .map(JsValue::Number)
            .map_err(|_| ParseError::Unexpected(start))
    }

    /// A string token as UTF-16 code units; `\uXXXX` escapes may leave lone surrogates.
    fn string(&mut self) -> Result<Vec<u16>, ParseError> {
        self.at += 1; // '"'
        let mut units = Vec::new();
        loop {
            let rest = &self.text[self.at..];
            let Some(c) = rest.chars().next() else {
                return Err(self.unexpected());
            };
            match c {
                '"' => {
                    self.at += 1;
                    return Ok(units);
                }
                '\\' => {
                    self.at += 1;
                    self.escape(&mut units)?;
                }
                '\u{0}'..='\u{1f}' => return Err(self.unexpected()),
                c => {
                    let mut buffer = [0u16; 2];
                    units.extend_from_slice(c.encode_utf16(&mut buffer));
                    self.at += c.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self, units: &mut Vec<u16>) -> Result<(), ParseError> {
        let unit = match self.peek() {
            Some(b'"') => u16::from(b'"'),
            Some(b'\\') => u16::from(b'\\'),
            Some(b'/') => u16::from(b'/'),
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => u16::from(b'\n'),
            Some(b'r') => u16::from(b'\r'),
            Some(b't') => u16::from(b'\t'),
            Some(b'u') => {
                let hex = self
                    .text
                    .get(self.at + 1..self.at + 5)
                    .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
                    .ok_or_else(|| self.unexpected())?;
                let unit = u16::from_str_radix(hex, 16).map_err(|_| self.unexpected())?;
                self.at += 5;
                units.push(unit);
                return Ok(());
            }
            _ => return Err(self.unexpected()),
        };
        self.at += 1;
        units.push(unit);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{JsValue, ParseError, parse};

    #[test]
    fn refuses_what_json_parse_refuses() {
        for body in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "+1",
            "'a'",
            "\"\t\"",
            "\"\\x\"",
            "\"\\u12\"",
            "nul",
            "[1] 2",
            "{\"a\" 1}",
            "{1:2}",
        ] {
            assert!(
                parse(body.as_bytes()).is_err(),
                "{body:?} should be refused"
            );
        }
        assert_eq!(parse(b"\"\xff\""), Err(ParseError::NotUtf8));
    }

    #[test]
    fn deep_nesting_is_refused_without_recursing_further() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(deep.as_bytes()), Err(ParseError::TooDeep));
        let fine = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(fine.as_bytes()).is_ok());
    }

    #[test]
    fn keeps_lone_surrogates_and_huge_numbers() {
        assert_eq!(
            parse(br#"["\ud800", 1e400]"#),
            Ok(JsValue::Array(vec![
                JsValue::String(vec![0xd800]),
                JsValue::Number(f64::INFINITY)
            ]))
        );
    }
}
