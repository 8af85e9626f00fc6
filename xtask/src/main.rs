//! `cargo xtask`: pinion's project automation.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::{codegen, lint, specs};

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
    /// Run every benchmark (release builds) and print their figures; fails when a
    /// benchmark misses its target.
    Bench,
}

/// Every benchmark `cargo xtask bench` runs: (package, bench target).
const BENCHMARKS: &[(&str, &str)] = &[
    ("pinion-cid", "cid_vs_sha256sum"),
    ("pinion-emulator", "upload_memory"),
    ("pinion", "upload_vs_curl"),
    ("pinion-cli", "cli_upload"),
];

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
        Command::Bench => {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut failed = Vec::new();
            for (package, bench) in BENCHMARKS {
                println!("::: {package} / {bench}");
                // Only the named bench targets: `--benches` would also build every
                // library's unit tests in release mode.
                let status = std::process::Command::new(&cargo)
                    .current_dir(&root)
                    .args(["bench", "--locked", "-p", package, "--bench", bench])
                    .status()?;
                if !status.success() {
                    failed.push(format!("{package}/{bench}"));
                }
            }
            if failed.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "benchmarks that missed their target or failed: {}",
                    failed.join(", ")
                );
                Ok(ExitCode::FAILURE)
            }
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
