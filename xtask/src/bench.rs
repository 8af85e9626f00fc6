//! `cargo xtask bench`: builds every benchmark once in release mode, runs them one after
//! another, collects the rows they report ([`pinion_testkit::report`]) and prints one
//! table; writes it, with the machine it ran on, into `BENCHMARKS.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use pinion_testkit::report::{REPORT_ENV, Row, Verdict};

/// Every benchmark, in the order they run: (package, bench target). Target names are
/// unique across the workspace.
pub const BENCHMARKS: &[(&str, &str)] = &[
    ("pinion-cid", "cid_vs_sha256sum"),
    ("pinion-emulator", "upload_memory"),
    ("pinion-emulator", "tus_memory"),
    ("pinion", "upload_vs_curl"),
    ("pinion", "tus_upload"),
    ("pinion", "small_calls"),
    ("pinion-cli", "cli"),
    ("pinion-emulator", "load"),
    ("pinion-emulator", "state_scale"),
];

/// Where `BENCHMARKS.md`'s generated part starts and ends.
pub const TABLE_START: &str = "<!-- cargo xtask bench: start -->";
/// See [`TABLE_START`].
pub const TABLE_END: &str = "<!-- cargo xtask bench: end -->";

/// What a run produced.
pub struct Outcome {
    /// Every row reported, in run order.
    pub rows: Vec<Row>,
    /// Benchmarks that failed to run or missed a goal.
    pub failed: Vec<String>,
}

/// Builds the benchmarks (one cargo invocation) and returns each one's executable and
/// package directory, by target name.
fn build(root: &Path, selected: &[(&str, &str)]) -> Result<BTreeMap<String, (PathBuf, PathBuf)>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args([
        "bench",
        "--locked",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]);
    for (package, _) in selected {
        command.args(["-p", package]);
    }
    for (_, bench) in selected {
        command.args(["--bench", bench]);
    }
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running cargo bench --no-run")?;
    if !output.status.success() {
        bail!("the benchmarks did not build");
    }
    let mut built = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_bench = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bench"));
        if message["reason"] != "compiler-artifact" || !is_bench {
            continue;
        }
        let (Some(name), Some(executable), Some(manifest)) = (
            message["target"]["name"].as_str(),
            message["executable"].as_str(),
            message["manifest_path"].as_str(),
        ) else {
            continue;
        };
        let package_dir = Path::new(manifest).parent().unwrap_or(root).to_owned();
        built.insert(name.to_owned(), (PathBuf::from(executable), package_dir));
    }
    Ok(built)
}

/// Runs the benchmarks named in `only` (all when empty).
pub fn run(root: &Path, only: &[String]) -> Result<Outcome> {
    let selected: Vec<(&str, &str)> = BENCHMARKS
        .iter()
        .copied()
        .filter(|(_, bench)| only.is_empty() || only.iter().any(|name| name == bench))
        .collect();
    if selected.is_empty() {
        let names: Vec<_> = BENCHMARKS.iter().map(|(_, bench)| *bench).collect();
        bail!(
            "no benchmark is named {only:?}; they are: {}",
            names.join(", ")
        );
    }
    let built = build(root, &selected)?;
    let report = root.join("target").join("bench-report.jsonl");
    std::fs::create_dir_all(root.join("target"))?;
    let _ = std::fs::remove_file(&report);
    let mut failed = Vec::new();
    for (package, bench) in &selected {
        println!("\n::: {package} / {bench}");
        let Some((executable, dir)) = built.get(*bench) else {
            bail!("cargo built no executable for the bench target {package}/{bench}");
        };
        let status = Command::new(executable)
            .arg("--bench")
            .current_dir(dir)
            .env(REPORT_ENV, &report)
            .status()
            .with_context(|| format!("running {}", executable.display()))?;
        if !status.success() {
            failed.push(format!("{package}/{bench}"));
        }
    }
    let rows = match std::fs::read_to_string(&report) {
        Ok(text) => text
            .lines()
            .map(|line| serde_json::from_str(line).with_context(|| format!("a report row: {line}")))
            .collect::<Result<Vec<Row>>>()?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(error) => return Err(error).context("reading the benchmark rows"),
    };
    Ok(Outcome { rows, failed })
}

/// The rows as a Markdown table, ordered by plan item.
pub fn table(rows: &[Row]) -> String {
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| a.item.cmp(&b.item));
    let mut out = String::from(
        "| # | benchmark | pinion | baseline, same run | goal | verdict |\n|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let verdict = match row.verdict {
            Verdict::Met => "met",
            Verdict::Missed => "**missed**",
            Verdict::Reported => "reported",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {verdict} |",
            row.item,
            cell(&row.what),
            cell(&row.pinion),
            cell(&row.baseline),
            cell(&row.goal)
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One line each: what the machine is (CPU, cores, memory, OS, toolchain, curl).
pub fn machine() -> Vec<String> {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let command = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|output| {
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .unwrap_or_else(|| format!("{program}: not found"))
    };
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = read("/proc/meminfo")
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(
            || "unknown".into(),
            |kib| format!("{:.0} GiB", kib as f64 / 1024.0 / 1024.0),
        );
    let os = read("/etc/os-release")
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|name| name.trim_matches('"').to_owned())
        .unwrap_or_else(|| "unknown OS".into());
    vec![
        format!("CPU: {cpu}, {cores} cores available; memory {memory}"),
        format!("OS: {os}, kernel {}", command("uname", &["-r"])),
        format!("toolchain: {}", command("rustc", &["--version"])),
        format!(
            "baselines: {}; {}",
            command("curl", &["--version"]),
            command("sha256sum", &["--version"])
        ),
        format!(
            "date: {} (UTC)",
            command("date", &["-u", "+%Y-%m-%d %H:%M"])
        ),
    ]
}

/// `document` with its generated part replaced by `table` and `machine`.
pub fn splice(document: &str, table: &str, machine: &[String]) -> Result<String> {
    let (Some(start), Some(end)) = (document.find(TABLE_START), document.find(TABLE_END)) else {
        bail!("BENCHMARKS.md lacks the markers {TABLE_START} … {TABLE_END}");
    };
    if end < start {
        bail!("BENCHMARKS.md has {TABLE_END} before {TABLE_START}");
    }
    let mut generated = String::new();
    generated.push_str(TABLE_START);
    generated.push_str("\n\nThe last full run of `cargo xtask bench`:\n\n");
    for line in machine {
        let _ = writeln!(generated, "- {line}");
    }
    generated.push('\n');
    generated.push_str(table);
    generated.push('\n');
    Ok(format!(
        "{}{generated}{}",
        &document[..start],
        &document[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(item: &str, verdict: Verdict) -> Row {
        Row {
            item: item.into(),
            what: "a | b".into(),
            pinion: "1 s".into(),
            baseline: "2 s".into(),
            goal: "≤ 1×".into(),
            verdict,
        }
    }

    #[test]
    fn the_table_is_ordered_by_item_and_escapes_pipes() {
        let text = table(&[row("4b", Verdict::Missed), row("1", Verdict::Met)]);
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[2].starts_with("| 1 | a \\| b |"), "{text}");
        assert!(lines[3].ends_with("| **missed** |"), "{text}");
    }

    #[test]
    fn splice_replaces_only_the_generated_part() {
        let document = format!("intro\n{TABLE_START}\nold\n{TABLE_END}\noutro\n");
        let spliced = splice(&document, "TABLE\n", &["CPU: x".into()]).unwrap();
        assert!(spliced.starts_with("intro\n"));
        assert!(spliced.ends_with(&format!("{TABLE_END}\noutro\n")));
        assert!(spliced.contains("- CPU: x\n\nTABLE\n"));
        assert!(!spliced.contains("old"));
        assert!(splice("no markers", "", &[]).is_err());
    }

    #[test]
    fn every_benchmark_target_exists() {
        let root = crate::specs::repo_root();
        for (package, bench) in BENCHMARKS {
            let dir = root.join("crates").join(package);
            let file = dir.join("benches").join(format!("{bench}.rs"));
            assert!(file.exists(), "{} is missing", file.display());
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
            assert!(
                manifest.contains(&format!("name = \"{bench}\"")),
                "{package}'s Cargo.toml declares no [[bench]] {bench}"
            );
        }
    }
}
