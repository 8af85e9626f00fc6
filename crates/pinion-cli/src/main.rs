//! `pinion`: Pinata (with Submarine) and W3IPFS from the shell, safely; offline with
//! `--local`. A thin layer over the `pinion` library: this crate makes no HTTP request
//! of its own.

mod auth;
mod cid;
mod cli;
mod config;
mod content;
mod context;
mod exit;
mod files;
mod groups;
mod jobs;
mod keys;
mod listing;
mod local;
mod metadata;
mod misc;
mod nft;
mod output;
mod pin;
mod pins;
mod psa;
mod secret_input;
mod swap;
mod token;
mod usage;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command};
use crate::context::Ctx;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.global.verbose);
    let json = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return exit::report(&anyhow::Error::from(error), json),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit::report(&error, json),
    }
}

fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PINION_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::env::var_os("NO_COLOR").is_none())
        .try_init();
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let Cli { global, command } = cli;
    // Commands that need no service (and so no credentials or emulator).
    match command {
        Command::Cid(args) => return cid::cid(&output::Output::new(&global), &args),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "pinion", &mut std::io::stdout());
            return Ok(());
        }
        Command::Man { out_dir } => return misc::man(&output::Output::new(&global), &out_dir),
        Command::Emulator(args) => return misc::emulator(&global, args).await,
        _ => {}
    }
    let ctx = Ctx::new(global).await?;
    let result = dispatch(&ctx, command).await;
    ctx.shutdown().await;
    result
}

/// The commands a Pinning Service API endpoint does not have (its standard pins CIDs
/// only: no uploads, keys, jobs, metadata, usage or the services' own features).
fn outside_psa(command: &Command) -> Option<&'static str> {
    use crate::cli::PinCommand;
    match command {
        Command::Keys(_) => Some("`pinion keys`"),
        Command::Token(_) => Some("`pinion token`"),
        Command::Pin(PinCommand::File { .. } | PinCommand::Dir { .. }) => Some("uploading"),
        Command::Pin(PinCommand::Json { .. }) => Some("`pinion pin json`"),
        Command::Jobs(_) => Some("`pinion jobs`"),
        Command::Metadata(_) => Some("`pinion metadata`"),
        Command::Usage => Some("`pinion usage`"),
        Command::Nft(_) => Some("`pinion nft`"),
        Command::Content(_) => Some("`pinion content`"),
        Command::Files(_) => Some("`pinion files`"),
        Command::Groups(_) => Some("`pinion groups`"),
        Command::Swap(_) => Some("`pinion swap`"),
        _ => None,
    }
}

async fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<()> {
    if let Some(what) = outside_psa(&command) {
        ctx.refuse_psa(what)?;
    }
    if ctx.global.token_stdin && ctx.service()? != cli::ServiceName::Psa {
        return Err(exit::Usage(
            "--token-stdin reads a Pinning Service API token: use it with --service psa".to_owned(),
        )
        .into());
    }
    match command {
        Command::Auth(command) => auth::run(ctx, command).await,
        Command::Keys(command) => keys::run(ctx, command).await,
        Command::Token(command) => token::run(ctx, command).await,
        Command::Pin(command) => pin::pin(ctx, command).await,
        Command::Pins(command) => pins::pins(ctx, command).await,
        Command::Unpin { target } => pins::unpin(ctx, &target).await,
        Command::Jobs(args) => jobs::jobs(ctx, args).await,
        Command::Metadata(command) => metadata::metadata(ctx, command).await,
        Command::Usage => usage::usage(ctx).await,
        Command::Nft(command) => nft::run(ctx, command).await,
        Command::Content(command) => content::run(ctx, command).await,
        Command::Files(command) => files::run(ctx, command).await,
        Command::Groups(command) => groups::run(ctx, command).await,
        Command::Swap(command) => swap::run(ctx, command).await,
        Command::Cid(_)
        | Command::Completions { .. }
        | Command::Man { .. }
        | Command::Emulator(_) => {
            unreachable!("handled before the context is built")
        }
    }
}
