//! Listings as the CLI prints them: every row the service sent, in its order.
//!
//! A row the library could not read ([`pinion::Error::UndecodableRow`]) neither fails the
//! command nor disappears: `--json` prints it where it stood, as the JSON object the
//! service sent; the table and `-q` leave it out. Either way a warning on stderr says how
//! many rows could not be read, which ones and why, and the command still succeeds. Any
//! other error (network, authentication, a page that is not a listing at all) fails the
//! command as before.

use futures::{Stream, StreamExt};
use pinion::Listing;
use serde_json::Value;

use crate::output::{Output, table};

/// What replaces a secret-looking value in a key row printed raw.
const REDACTED: &str = "[redacted]";

/// Row reasons listed in the warning before the rest are only counted.
const MAX_REASONS: usize = 5;

/// Row numbers listed for one reason before the rest are only counted.
const MAX_POSITIONS: usize = 5;

/// One row of a listing.
#[derive(Debug)]
enum Row<T> {
    /// A row the library read.
    Read(T),
    /// A row it could not read.
    Odd(OddRow),
}

/// A row the library could not read.
#[derive(Debug)]
struct OddRow {
    /// Why, as the error's `Display` says it (which quotes no row value).
    why: String,
    /// The row as the service sent it.
    raw: Value,
}

/// Every row of a listing, the readable ones and the odd ones, in the service's order.
#[derive(Debug)]
pub struct Rows<T> {
    rows: Vec<Row<T>>,
}

/// How the readable rows are shown: a table with `header`, and with `-q` the cell of
/// column `bare`, one per line.
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    pub header: &'a [&'a str],
    pub bare: usize,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

impl<T> Rows<T> {
    /// The rows of one page.
    pub fn from_listing(listing: Listing<T>) -> Result<Self, pinion::Error> {
        let mut rows = Self::default();
        for row in listing.rows {
            rows.push(row)?;
        }
        Ok(rows)
    }

    /// The rows of a whole listing, page by page; the first error that is not an odd row
    /// (a page that failed) is returned.
    pub async fn collect(
        stream: impl Stream<Item = Result<T, pinion::Error>>,
    ) -> Result<Self, pinion::Error> {
        let mut rows = Self::default();
        let mut stream = std::pin::pin!(stream);
        while let Some(row) = stream.next().await {
            rows.push(row)?;
        }
        Ok(rows)
    }

    fn push(&mut self, row: Result<T, pinion::Error>) -> Result<(), pinion::Error> {
        let row = match row {
            Ok(row) => Row::Read(row),
            Err(error) => {
                let why = error.to_string();
                match error {
                    pinion::Error::UndecodableRow { raw, .. } => Row::Odd(OddRow {
                        why,
                        raw: raw.into_json(),
                    }),
                    other => return Err(other),
                }
            }
        };
        self.rows.push(row);
        Ok(())
    }

    /// Replaces, in the odd rows, every value whose name says it is a secret (key rows
    /// list masked or even real secrets): the readable key rows never show one, so the
    /// odd ones must not either.
    pub fn redact_secrets(mut self) -> Self {
        for row in &mut self.rows {
            if let Row::Odd(odd) = row {
                redact(&mut odd.raw);
            }
        }
        self
    }

    /// Prints the listing as `out` says, then the warning about odd rows, if any.
    pub fn print(
        &self,
        out: &Output,
        layout: Layout<'_>,
        cells: impl Fn(&T) -> Vec<String>,
        json: impl Fn(&T) -> Value,
    ) {
        let json = Value::Array(
            self.rows
                .iter()
                .map(|row| match row {
                    Row::Read(row) => json(row),
                    Row::Odd(odd) => odd.raw.clone(),
                })
                .collect(),
        );
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .filter_map(|row| match row {
                Row::Read(row) => Some(cells(row)),
                Row::Odd(_) => None,
            })
            .collect();
        let bare: Vec<&str> = cells
            .iter()
            .filter_map(|row| row.get(layout.bare).map(String::as_str))
            .collect();
        out.print(json, &bare, || table(layout.header, &cells));
        if let Some(warning) = self.warning(out) {
            eprintln!("{warning}");
        }
    }

    /// The warning about the odd rows, worded for the output mode; `None` when every
    /// row was read.
    fn warning(&self, out: &Output) -> Option<String> {
        // (why, row numbers counted from 1), in the order the reasons first appear.
        let mut reasons: Vec<(&str, Vec<usize>)> = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            if let Row::Odd(odd) = row {
                match reasons.iter_mut().find(|(why, _)| *why == odd.why) {
                    Some((_, positions)) => positions.push(index + 1),
                    None => reasons.push((&odd.why, vec![index + 1])),
                }
            }
        }
        let odd: usize = reasons.iter().map(|(_, positions)| positions.len()).sum();
        if odd == 0 {
            return None;
        }
        let (they, are, them) = if odd == 1 {
            ("it", "is", "it")
        } else {
            ("they", "are", "them")
        };
        let whereabouts = if out.json {
            format!("{they} {are} in the JSON as the service sent {them}")
        } else if out.quiet {
            format!("{they} {are} left out; `--json` prints {them} as the service sent {them}")
        } else {
            format!(
                "{they} {are} left out of the table; `--json` prints {them} as the service sent {them}"
            )
        };
        let mut warning = format!(
            "warning: {odd} of {} rows could not be read ({whereabouts}):",
            self.rows.len()
        );
        for (why, positions) in reasons.iter().take(MAX_REASONS) {
            let mut numbers: Vec<String> = positions
                .iter()
                .take(MAX_POSITIONS)
                .map(ToString::to_string)
                .collect();
            if positions.len() > MAX_POSITIONS {
                numbers.push(format!("and {} more", positions.len() - MAX_POSITIONS));
            }
            let label = if positions.len() == 1 { "row" } else { "rows" };
            warning.push_str(&format!("\n  {label} {}: {why}", numbers.join(", ")));
        }
        if reasons.len() > MAX_REASONS {
            let rest: usize = reasons[MAX_REASONS..].iter().map(|(_, p)| p.len()).sum();
            warning.push_str(&format!(
                "\n  {rest} more rows, for {} other reasons",
                reasons.len() - MAX_REASONS
            ));
        }
        Some(warning)
    }
}

/// Whether a member with this name holds a secret (`secret`, `secret_key`, `JWT`,
/// `access_token`, `password`, …).
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "jwt", "token", "password"]
        .iter()
        .any(|word| name.contains(word))
}

/// Replaces the value of every secret-named member, at any depth.
fn redact(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if is_secret_name(name) {
                    *member = Value::String(REDACTED.to_owned());
                } else {
                    redact(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn odd(why: &str, raw: Value) -> Row<u32> {
        Row::Odd(OddRow {
            why: why.to_owned(),
            raw,
        })
    }

    fn mode(json: bool, quiet: bool) -> Output {
        Output { json, quiet }
    }

    #[test]
    fn no_warning_when_every_row_was_read() {
        let rows = Rows {
            rows: vec![Row::Read(1), Row::Read(2)],
        };
        assert_eq!(rows.warning(&mode(false, false)), None);
    }

    #[test]
    fn the_warning_counts_the_odd_rows_and_groups_them_by_reason() {
        let rows = Rows {
            rows: vec![
                Row::Read(1),
                odd("missing field `id`", json!({})),
                Row::Read(3),
                odd("invalid type", json!({})),
                odd("missing field `id`", json!({})),
            ],
        };
        let table = rows.warning(&mode(false, false)).unwrap();
        assert_eq!(
            table,
            "warning: 3 of 5 rows could not be read (they are left out of the table; `--json` prints them as the service sent them):\n  rows 2, 5: missing field `id`\n  row 4: invalid type"
        );
        let json = rows.warning(&mode(true, false)).unwrap();
        assert!(
            json.contains("in the JSON as the service sent them"),
            "{json}"
        );
        let quiet = rows.warning(&mode(false, true)).unwrap();
        assert!(quiet.contains("left out; `--json` prints them"), "{quiet}");
    }

    #[test]
    fn the_warning_stays_short_however_many_rows_are_odd() {
        let mut all = Vec::new();
        for i in 0..40 {
            all.push(odd(&format!("reason {}", i % 8), json!({})));
        }
        let warning = Rows { rows: all }.warning(&mode(false, false)).unwrap();
        assert!(warning.starts_with("warning: 40 of 40 rows"), "{warning}");
        assert!(
            warning.contains("rows 1, 9, 17, 25, 33: reason 0"),
            "{warning}"
        );
        assert!(
            warning.contains("15 more rows, for 3 other reasons"),
            "{warning}"
        );
        assert_eq!(warning.lines().count(), 1 + MAX_REASONS + 1);
    }

    #[test]
    fn secrets_in_odd_key_rows_are_redacted_and_the_rest_kept() {
        let raw = json!({
            "key": "k1",
            "secret": "s3cret",
            "nested": [{"secret_key": "4t40...CXQ=", "JWT": "eyJ", "uses": 3}],
        });
        let rows = Rows {
            rows: vec![Row::<u32>::Read(1), odd("why", raw)],
        }
        .redact_secrets();
        let Row::Odd(odd) = &rows.rows[1] else {
            panic!("the odd row stays odd")
        };
        assert_eq!(
            odd.raw,
            json!({
                "key": "k1",
                "secret": REDACTED,
                "nested": [{"secret_key": REDACTED, "JWT": REDACTED, "uses": 3}],
            })
        );
    }
}
