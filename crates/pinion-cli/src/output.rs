//! How results are printed: a readable form, `--json`, or `-q` (the bare value last).

use std::io::IsTerminal;

use serde_json::Value;

use crate::cli::Global;

/// The output mode chosen by `--json` and `-q`.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--json`.
    pub json: bool,
    /// `-q`.
    pub quiet: bool,
}

impl Output {
    pub fn new(global: &Global) -> Self {
        Self {
            json: global.json,
            quiet: global.quiet && !global.json,
        }
    }

    /// Prints one result: `json` with `--json`, `bare` (one value per line, the
    /// essential one last) with `-q`, else `human`.
    pub fn print(&self, json: Value, bare: &[&str], human: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&json).expect("JSON values serialise")
            );
        } else if self.quiet {
            for value in bare {
                println!("{value}");
            }
        } else {
            let text = human();
            if !text.is_empty() {
                println!("{}", text.trim_end());
            }
        }
    }

    /// Whether to draw progress bars: a terminal on stdout and stderr, no `-q`/`--json`.
    pub fn progress(&self) -> bool {
        !self.json
            && !self.quiet
            && std::io::stdout().is_terminal()
            && std::io::stderr().is_terminal()
    }
}

/// A plain-text table: a header and rows, columns padded to their widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    if rows.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

/// Serialises a value for `--json`.
pub fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A size in bytes for people.
pub fn bytes(size: Option<u64>) -> String {
    match size {
        None => "-".to_owned(),
        Some(n) if n < 1024 => format!("{n} B"),
        Some(n) if n < 1024 * 1024 => format!("{:.1} KiB", n as f64 / 1024.0),
        Some(n) if n < 1024 * 1024 * 1024 => format!("{:.1} MiB", n as f64 / 1048576.0),
        Some(n) => format!("{:.2} GiB", n as f64 / 1073741824.0),
    }
}
