//! `cargo xtask drift`: what changed between the published OpenAPI files pinion follows
//! (Pinata's, and the IPFS Pinning Service API standard) and our specs.
//!
//! `--refresh FILE...` extracts the facts of upstream files ([`facts`]) into the committed
//! `spec/upstream.json`; the check compares each of our specs with the facts of the upstream
//! file it follows ([`compare`]) and sorts every difference into explained (matched by an
//! entry of `spec/drift-allow.yaml`, [`allow`]) or new. The check needs only the committed
//! files, never the upstream documents themselves.

pub mod allow;
pub mod compare;
pub mod facts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::specs::load_yaml;
use allow::AllowList;
use compare::Difference;
use facts::DocumentFacts;

/// Each upstream file pinion follows, and the spec of ours that follows it.
pub const UPSTREAM_FILES: &[(&str, &str)] = &[
    ("pinata-api-ipfs.yaml", "pinata.yaml"),
    ("pinata-api-v3.yaml", "pinata-v3.yaml"),
    ("pinata-api-v3-uploads.yaml", "pinata-v3-uploads.yaml"),
    ("ipfs-pinning-service.yaml", "psa.yaml"),
];

/// The committed facts, `spec/upstream.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Upstream {
    /// What this file is (kept in the file for readers).
    #[serde(default)]
    pub note: String,
    /// Facts per upstream file name.
    #[serde(default)]
    pub files: BTreeMap<String, UpstreamFile>,
}

/// The facts of one upstream file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UpstreamFile {
    /// Our spec that follows it (a file name under `spec/`).
    pub spec: String,
    /// Its operations.
    pub operations: DocumentFacts,
}

const NOTE: &str = "Facts (operations, query and header parameters, request and 2xx response \
field names and types) that `cargo xtask drift --refresh` extracted from the published OpenAPI \
files pinion follows (Pinata's, and the IPFS Pinning Service API standard); `cargo xtask drift` \
compares spec/*.yaml with them. Not their text.";

/// `spec/upstream.json` below `root`.
pub fn upstream_path(root: &Path) -> PathBuf {
    root.join("spec").join("upstream.json")
}

/// `spec/drift-allow.yaml` below `root`.
pub fn allow_path(root: &Path) -> PathBuf {
    root.join("spec").join("drift-allow.yaml")
}

/// Reads the committed facts (an empty set when the file does not exist yet).
pub fn load_upstream(root: &Path) -> Result<Upstream> {
    let path = upstream_path(root);
    if !path.exists() {
        return Ok(Upstream::default());
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Extracts the facts of each upstream file into `spec/upstream.json`, replacing what it
/// held for those files; returns the file names refreshed.
pub fn refresh(root: &Path, files: &[PathBuf]) -> Result<Vec<String>> {
    let mut upstream = load_upstream(root)?;
    let mut refreshed = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .and_then(|name| name.to_str())
            .with_context(|| format!("{} has no file name", file.display()))?;
        let Some((_, spec)) = UPSTREAM_FILES.iter().find(|(known, _)| *known == name) else {
            let known: Vec<&str> = UPSTREAM_FILES.iter().map(|(known, _)| *known).collect();
            bail!(
                "{}: not an upstream file pinion follows (known: {})",
                file.display(),
                known.join(", ")
            );
        };
        let document = load_yaml(file)?;
        upstream.files.insert(
            name.to_string(),
            UpstreamFile {
                spec: spec.to_string(),
                operations: facts::extract(&document),
            },
        );
        refreshed.push(name.to_string());
    }
    upstream.note = NOTE.to_string();
    let mut text = serde_json::to_string_pretty(&upstream)?;
    text.push('\n');
    let path = upstream_path(root);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(refreshed)
}

/// The outcome of a drift check.
#[derive(Debug, Default)]
pub struct Report {
    /// Differences matched by an allow-list entry (with the entry's index).
    pub explained: Vec<(Difference, usize)>,
    /// Differences no entry explains.
    pub new: Vec<Difference>,
    /// Indices of allow-list entries that matched nothing (stale explanations).
    pub unused: Vec<usize>,
    /// The allow-list the differences were sorted with.
    pub allow: AllowList,
}

impl Report {
    /// Whether every difference is explained and every explanation is still needed.
    pub fn is_clean(&self) -> bool {
        self.new.is_empty() && self.unused.is_empty()
    }

    /// The report as printed by `cargo xtask drift`: every difference, then a summary.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (difference, entry) in &self.explained {
            out.push_str(&format!(
                "explained  {difference}\n           ({})\n",
                self.allow.entries[*entry].reason
            ));
        }
        for difference in &self.new {
            out.push_str(&format!("NEW        {difference}\n"));
        }
        for entry in &self.unused {
            out.push_str(&format!(
                "UNUSED     allow-list entry `{}` matches no difference; remove it\n",
                self.allow.entries[*entry].pattern
            ));
        }
        out.push_str(&format!(
            "{} difference(s): {} explained by spec/drift-allow.yaml, {} new; {} allow-list entries unused\n",
            self.explained.len() + self.new.len(),
            self.explained.len(),
            self.new.len(),
            self.unused.len()
        ));
        out
    }
}

/// Compares every spec that follows an upstream file with the committed facts.
pub fn check(root: &Path) -> Result<Report> {
    let upstream = load_upstream(root)?;
    if upstream.files.is_empty() {
        bail!(
            "{} holds no upstream facts; run `cargo xtask drift --refresh FILE...`",
            upstream_path(root).display()
        );
    }
    let allow_file = allow_path(root);
    let allow = if allow_file.exists() {
        AllowList::load(&allow_file)?
    } else {
        AllowList::default()
    };
    let mut differences = Vec::new();
    for file in upstream.files.values() {
        let ours = load_yaml(&root.join("spec").join(&file.spec))?;
        differences.extend(compare::compare(
            &file.spec,
            &facts::extract(&ours),
            &file.operations,
        ));
    }
    let mut used = vec![false; allow.entries.len()];
    let mut report = Report::default();
    for difference in differences {
        match allow.find(&difference.key) {
            Some(entry) => {
                used[entry] = true;
                report.explained.push((difference, entry));
            }
            None => report.new.push(difference),
        }
    }
    report.unused = (0..used.len()).filter(|&entry| !used[entry]).collect();
    report.allow = allow;
    Ok(report)
}
