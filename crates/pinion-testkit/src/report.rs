//! Benchmark rows for the table `cargo xtask bench` prints and writes to
//! `BENCHMARKS.md`. A benchmark prints its own detailed figures and [`record`]s one
//! row per claim; `cargo xtask bench` collects them through the file named by
//! [`REPORT_ENV`].

use serde::{Deserialize, Serialize};

use crate::process::Measured;

/// The environment variable naming the file rows are appended to (JSON lines).
pub const REPORT_ENV: &str = "PINION_BENCH_REPORT";

/// Whether a row's goal was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The goal holds in this run.
    Met,
    /// The goal was missed in this run.
    Missed,
    /// No goal: the figure is reported for information.
    Reported,
}

/// One row of the benchmark table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// Which item of the benchmark plan (issue 6) it answers, such as `"1"` or `"4b"`.
    pub item: String,
    /// What was measured, in a few words.
    pub what: String,
    /// pinion's figures.
    pub pinion: String,
    /// The baseline's figures, measured in the same run.
    pub baseline: String,
    /// The goal, in words.
    pub goal: String,
    /// Whether it was met.
    pub verdict: Verdict,
}

impl Row {
    /// A row whose verdict is `met` (met or missed).
    pub fn judged(
        item: &str,
        what: &str,
        pinion: String,
        baseline: String,
        goal: &str,
        met: bool,
    ) -> Self {
        Self {
            item: item.into(),
            what: what.into(),
            pinion,
            baseline,
            goal: goal.into(),
            verdict: if met { Verdict::Met } else { Verdict::Missed },
        }
    }

    /// A row comparing two measured client runs: pinion's against curl's, judged by
    /// wall-time ratio and pinion's peak RSS.
    pub fn client_versus_curl(
        item: &str,
        what: &str,
        pinion: &Measured,
        curl: &Measured,
        max_ratio: f64,
        max_rss_mib: f64,
    ) -> Self {
        let ratio = pinion.wall.as_secs_f64() / curl.wall.as_secs_f64();
        Self::judged(
            item,
            what,
            format!(
                "{:.2} s, {:.1} MiB peak RSS ({ratio:.2}× curl)",
                pinion.wall.as_secs_f64(),
                pinion.peak_rss_mib
            ),
            format!(
                "curl {:.2} s, {:.1} MiB",
                curl.wall.as_secs_f64(),
                curl.peak_rss_mib
            ),
            &format!("RSS ≤ {max_rss_mib} MiB, wall ≤ {max_ratio}× curl"),
            pinion.peak_rss_mib <= max_rss_mib && ratio <= max_ratio,
        )
    }

    /// A row reported without a goal.
    pub fn reported(item: &str, what: &str, pinion: String, baseline: String) -> Self {
        Self {
            item: item.into(),
            what: what.into(),
            pinion,
            baseline,
            goal: "—".into(),
            verdict: Verdict::Reported,
        }
    }
}

/// Prints client runs measured on the same task side by side: wall time, peak RSS and
/// wall time as a multiple of the last run's (the baseline).
pub fn print_clients(runs: &[(&str, &Measured)]) {
    let Some((baseline_name, baseline)) = runs.last() else {
        return;
    };
    println!("  client              wall     peak RSS   wall vs {baseline_name}");
    for (name, run) in runs {
        println!(
            "  {name:<16} {:6.2} s  {:6.1} MiB   {:5.2}×",
            run.wall.as_secs_f64(),
            run.peak_rss_mib,
            run.wall.as_secs_f64() / baseline.wall.as_secs_f64()
        );
    }
}

/// Records `row` for `cargo xtask bench` (appends it to the file [`REPORT_ENV`]
/// names; nothing when it is unset), and prints it.
pub fn record(row: &Row) {
    println!(
        "  row {}: {} | pinion {} | baseline {} | goal {} | {:?}",
        row.item, row.what, row.pinion, row.baseline, row.goal, row.verdict
    );
    let Some(path) = std::env::var_os(REPORT_ENV) else {
        return;
    };
    use std::io::Write;
    let line = serde_json::to_string(row).expect("a row serialises");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("cannot append to {}: {e}", path.to_string_lossy()));
    writeln!(file, "{line}").expect("the row is written");
}

/// Exits non-zero, naming them, when any of `rows` missed its goal.
pub fn exit_on_missed(rows: &[Row]) {
    let missed: Vec<_> = rows
        .iter()
        .filter(|row| row.verdict == Verdict::Missed)
        .map(|row| {
            format!(
                "{} ({}: {} vs {})",
                row.what, row.goal, row.pinion, row.baseline
            )
        })
        .collect();
    if !missed.is_empty() {
        eprintln!("FAILED: missed goal: {}", missed.join("; "));
        std::process::exit(1);
    }
}
