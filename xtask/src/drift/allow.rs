//! The committed allow-list of known differences (`spec/drift-allow.yaml`): patterns, each
//! with the reason the difference is expected.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// One allow-list entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// A pattern over a difference's key; `*` matches any run of characters (including
    /// none), everything else matches itself.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Why the difference is expected: a known upstream defect, a deliberate choice.
    pub reason: String,
}

/// Every entry of an allow-list, in file order.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    /// The entries.
    pub entries: Vec<Allowance>,
}

impl AllowList {
    /// Reads an allow-list file (a YAML list of `{match, reason}`).
    pub fn load(path: &Path) -> Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("reading {}", path.display()))
    }

    /// Parses allow-list text; every entry needs a non-empty pattern and reason.
    pub fn parse(text: &str) -> Result<Self> {
        let entries: Option<Vec<Allowance>> = serde_yaml::from_str(text)?;
        let entries = entries.unwrap_or_default();
        for entry in &entries {
            if entry.pattern.trim().is_empty() || entry.reason.trim().is_empty() {
                bail!(
                    "every entry needs a `match` and a `reason` (entry {:?})",
                    entry.pattern
                );
            }
        }
        Ok(Self { entries })
    }

    /// The index of the first entry whose pattern matches `key`.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|entry| matches(&entry.pattern, key))
    }
}

/// Whether `pattern` (with `*` wildcards) matches the whole of `text`.
pub fn matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the pattern is the text.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_any_run_and_the_rest_matches_itself() {
        let key = "pinata-v3.yaml: GET /gateways/{} operation: only upstream";
        assert!(matches(key, key));
        assert!(matches("pinata-v3.yaml: * /gateways*: only upstream", key));
        assert!(matches("*", key));
        assert!(!matches("pinata-v3.yaml: * /gateways*: only ours", key));
        assert!(!matches("pinata-v3.yaml: GET /gateways", key));
        assert!(matches("a*b*c", "abc"));
        assert!(!matches("a*bc*c", "abc"));
    }

    #[test]
    fn entries_need_a_reason() {
        assert!(AllowList::parse("- match: 'x'\n  reason: ''\n").is_err());
        assert!(AllowList::parse("- match: 'x'\n").is_err());
        let list = AllowList::parse("- match: 'a*'\n  reason: why\n").unwrap();
        assert_eq!(list.find("abc"), Some(0));
        assert_eq!(list.find("b"), None);
        assert!(AllowList::parse("").unwrap().entries.is_empty());
    }
}
