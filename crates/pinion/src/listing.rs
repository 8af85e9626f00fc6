//! Listings decoded row by row: a row the library cannot read comes back as an
//! [`Error::UndecodableRow`] carrying its raw JSON, between the rows that could be read.
//!
//! A page is first read as the generated type says (the fast path). When that fails, the
//! body is read again as plain JSON: the envelope (rows and total) must still have its
//! documented shape, but each row is then decoded on its own, so one odd row neither
//! fails the whole listing nor disappears from it.

use std::fmt;
use std::future::Future;

use http::{HeaderMap, StatusCode};
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;
use crate::executor::Engine;

/// One page of a listing: its rows in the service's order, each decoded on its own, and
/// the number of rows over all pages when the service says.
#[derive(Debug)]
#[non_exhaustive]
pub struct Listing<T> {
    /// The rows; one that does not have the documented shape is an
    /// [`Error::UndecodableRow`] with its raw JSON.
    pub rows: Vec<Result<T, Error>>,
    /// The number of rows over all pages, when the service says.
    pub total: Option<u64>,
}

impl<T> Listing<T> {
    /// A listing whose rows all decoded.
    pub(crate) fn of(rows: Vec<T>, total: Option<u64>) -> Self {
        Self {
            rows: rows.into_iter().map(Ok).collect(),
            total,
        }
    }

    /// The rows, or the first row that could not be read.
    pub fn into_rows(self) -> Result<Vec<T>, Error> {
        self.rows.into_iter().collect()
    }
}

/// The raw JSON of a listing row the library could not read. Its `Debug` shows only its
/// size (a row may hold a key's masked secret); [`RawRow::json`] gives it all.
#[derive(Clone, PartialEq)]
pub struct RawRow(Value);

impl RawRow {
    pub(crate) fn new(row: Value) -> Self {
        Self(row)
    }

    /// The row as the service sent it.
    pub fn json(&self) -> &Value {
        &self.0
    }

    /// The row as the service sent it.
    pub fn into_json(self) -> Value {
        self.0
    }
}

impl fmt::Debug for RawRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawRow(<{} bytes of JSON>)", self.0.to_string().len())
    }
}

/// A page as the generated type read it, or as plain JSON when that failed.
#[derive(Debug)]
pub(crate) enum Answer<P> {
    Typed(P),
    Raw(Value),
}

/// Runs a generated listing call. A success body the generated type cannot read comes
/// back as [`Answer::Raw`] when it is JSON at all; everything else is converted as
/// [`Engine::call`] does.
pub(crate) async fn fetch<P: fmt::Debug, E>(
    engine: &Engine,
    send: impl Future<Output = Result<ResponseValue<P>, progenitor_client::Error<E>>>,
) -> Result<Answer<P>, Error> {
    engine
        .call(async move {
            match send.await {
                Ok(value) => {
                    let status = value.status();
                    let headers = value.headers().clone();
                    Ok(ResponseValue::new(
                        Answer::Typed(value.into_inner()),
                        status,
                        headers,
                    ))
                }
                Err(progenitor_client::Error::InvalidResponsePayload(bytes, error)) => {
                    match serde_json::from_slice::<Value>(&bytes) {
                        Ok(raw) => Ok(ResponseValue::new(
                            Answer::Raw(raw),
                            StatusCode::OK,
                            HeaderMap::new(),
                        )),
                        Err(_) => Err(progenitor_client::Error::InvalidResponsePayload(
                            bytes, error,
                        )),
                    }
                }
                Err(other) => Err(other),
            }
        })
        .await
}

/// Where a listing's rows and total sit in its JSON envelope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// What one row is, for error messages (`pin`, `API key`).
    pub(crate) what: &'static str,
    /// JSON pointer to the array of rows; `null` there means no rows.
    pub(crate) rows: &'static str,
    /// JSON pointer to the total over all pages, when the listing has one.
    pub(crate) total: Option<&'static str>,
}

impl Shape {
    /// The listing of `answer`: the typed page through `typed` (its rows and total), or
    /// the raw page decoded row by row.
    pub(crate) fn listing<P, T: DeserializeOwned>(
        &self,
        engine: &Engine,
        answer: Answer<P>,
        typed: impl FnOnce(P) -> (Vec<T>, Option<u64>),
    ) -> Result<Listing<T>, Error> {
        let raw = match answer {
            Answer::Typed(page) => {
                let (rows, total) = typed(page);
                return Ok(Listing::of(rows, total));
            }
            Answer::Raw(raw) => raw,
        };
        let envelope_error = |why: String| Error::Decode {
            service: engine.service,
            status: StatusCode::OK,
            why,
        };
        let rows = match raw.pointer(self.rows) {
            Some(Value::Array(rows)) => rows.clone(),
            Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(envelope_error(format!(
                    "`{}` of the listing is not an array",
                    self.rows
                )));
            }
            None => {
                return Err(envelope_error(format!(
                    "the listing has no `{}`",
                    self.rows
                )));
            }
        };
        let total = match self.total {
            None => None,
            Some(pointer) => match raw.pointer(pointer) {
                None | Some(Value::Null) => None,
                Some(value) => Some(value.as_u64().ok_or_else(|| {
                    envelope_error(format!("`{pointer}` of the listing is not a count"))
                })?),
            },
        };
        let rows = rows.into_iter().map(|row| self.row(engine, row)).collect();
        Ok(Listing { rows, total })
    }

    fn row<T: DeserializeOwned>(&self, engine: &Engine, row: Value) -> Result<T, Error> {
        T::deserialize(&row).map_err(|error| Error::UndecodableRow {
            service: engine.service,
            what: self.what,
            why: engine.redact(without_values(&error.to_string())),
            raw: RawRow::new(row),
        })
    }
}

/// serde's message without the values it quotes (`invalid type: string "…"`): a row's
/// values stay in its [`RawRow`], out of the error's text.
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match (c, quoted) {
            ('"', false) => {
                quoted = true;
                out.push_str("\"…");
            }
            ('"', true) => {
                quoted = false;
                out.push('"');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_leave_the_message() {
        assert_eq!(
            without_values(r#"invalid type: string "s3cret", expected u64"#),
            r#"invalid type: string "…", expected u64"#
        );
        assert_eq!(without_values("missing field `id`"), "missing field `id`");
        let raw = RawRow::new(serde_json::json!({"secret": "s3cret"}));
        assert!(!format!("{raw:?}").contains("s3cret"));
        assert_eq!(raw.json()["secret"], "s3cret");
    }
}
