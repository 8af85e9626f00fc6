//! `cargo xtask`: pinion's project automation.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::{bench, codegen, drift, lint, specs};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "pinion project automation")]
struct Cli {
    /// Repository root to work on (default: this checkout).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint the specs and generate `crates/pinion-api` from them with progenitor.
    Codegen {
        /// Generate in memory only and fail, naming the stale files, when the committed
        /// code differs from what the specs produce.
        #[arg(long)]
        check: bool,
    },
    /// Lint the specs only: refs, operationIds, response shapes, examples.
    Lint,
    /// Compare the specs with the facts of the published OpenAPI files they follow in
    /// spec/upstream.json; fails on a difference spec/drift-allow.yaml does not explain.
    Drift {
        /// First extract the facts of these upstream files (e.g.
        /// ../shared/reference/upstream/pinata-api-v3.yaml) into spec/upstream.json.
        #[arg(long, num_args = 1.., value_name = "FILE")]
        refresh: Vec<std::path::PathBuf>,
    },
    /// Build every benchmark in release mode, run them, print one table of their
    /// figures and write it with the machine's description into BENCHMARKS.md; fails
    /// when a benchmark misses a goal.
    Bench {
        /// Run only these bench targets (BENCHMARKS.md is then left alone).
        only: Vec<String>,
        /// Print the table without writing BENCHMARKS.md.
        #[arg(long)]
        no_write: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = cli.root.unwrap_or_else(specs::repo_root);
    match cli.command {
        Command::Bench { only, no_write } => {
            let outcome = bench::run(&root, &only)?;
            let table = bench::table(&outcome.rows);
            println!("\n{table}");
            if only.is_empty() && !no_write {
                let path = root.join("BENCHMARKS.md");
                let document = std::fs::read_to_string(&path)?;
                std::fs::write(&path, bench::splice(&document, &table, &bench::machine())?)?;
                println!("wrote {}", path.display());
            }
            if outcome.failed.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "benchmarks that missed a goal or failed: {}",
                    outcome.failed.join(", ")
                );
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Drift { refresh } => {
            if !refresh.is_empty() {
                for name in drift::refresh(&root, &refresh)? {
                    println!("refreshed {name} in spec/upstream.json");
                }
            }
            let report = drift::check(&root)?;
            print!("{}", report.render());
            Ok(if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Lint => {
            let mut failed = false;
            for target in specs::SPECS {
                let problems = match target.load_value(&root) {
                    Ok(spec) => lint::lint(&spec),
                    Err(error) => vec![format!("{error:#}")],
                };
                if problems.is_empty() {
                    println!("spec/{}: ok", target.file);
                } else {
                    failed = true;
                    println!("spec/{}: {} problem(s)", target.file, problems.len());
                    for problem in problems {
                        println!("  {problem}");
                    }
                }
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Codegen { check } => {
            let generated = codegen::generate_all(&root)?;
            for module in &generated {
                println!("{}", module.summary());
            }
            if check {
                let stale = codegen::check(&root, &generated)?;
                if stale.is_empty() {
                    println!("generated code is up to date");
                    return Ok(ExitCode::SUCCESS);
                }
                for file in &stale {
                    eprintln!("stale: {}\n{}", file.path.display(), file.diff);
                }
                eprintln!(
                    "{} generated file(s) are out of date with spec/: run `cargo xtask codegen` and commit the result",
                    stale.len()
                );
                Ok(ExitCode::FAILURE)
            } else {
                let changed = codegen::write(&generated)?;
                if changed.is_empty() {
                    println!("generated code was already up to date");
                }
                for path in changed {
                    println!("wrote {}", path.display());
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}
