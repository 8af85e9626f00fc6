//! `pinion-emulator`: serves the local stand-in for Pinata, Submarine and W3IPFS.
//!
//! ```text
//! cargo run -p pinion-emulator -- --port 8080 --credentials-out creds.json
//! ```

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use pinion_emulator::{AdminCredentials, Emulator, Faults};

/// A faithful local stand-in for Pinata (with Submarine and a dedicated gateway) and
/// W3IPFS. Prints each service's base URL and admin credentials once it accepts
/// connections.
#[derive(Debug, Parser)]
#[command(name = "pinion-emulator", version)]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Keep keys, pins and content in this directory across restarts (default: in
    /// memory, gone when the process ends).
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Write the base URLs and admin credentials as JSON to FILE (mode 0600) once the
    /// server accepts connections.
    #[arg(long, value_name = "FILE")]
    credentials_out: Option<PathBuf>,
    /// Answer 429 with Retry-After once a client has sent N requests to one service in
    /// the current minute.
    #[arg(long, value_name = "N")]
    rate_limit: Option<u32>,
    /// Fraction of requests answered 429 (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    fault_429: f64,
    /// Fraction of requests answered 500 (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    fault_500: f64,
    /// Fraction of requests answered 503 (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    fault_503: f64,
    /// Fraction of answers whose connection is dropped half-way through the body.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    fault_drop: f64,
    /// Milliseconds added before every answer.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Print only the base URLs, not the admin credentials.
    #[arg(long)]
    quiet_credentials: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "pinion_emulator=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let faults = Faults {
        error_rate_429: args.fault_429,
        error_rate_500: args.fault_500,
        error_rate_503: args.fault_503,
        latency: Duration::from_millis(args.latency_ms),
        drop_connection_rate: args.fault_drop,
    };
    let mut builder = Emulator::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .faults(faults);
    if let Some(dir) = &args.state_dir {
        builder = builder.state_dir(dir);
    }
    if let Some(limit) = args.rate_limit {
        builder = builder.rate_limit_per_minute(limit);
    }
    let emulator = builder.start().await.context("starting the emulator")?;
    let credentials = emulator.credentials();
    if let Some(path) = &args.credentials_out {
        credentials
            .write_to(path)
            .with_context(|| format!("writing the credentials to {}", path.display()))?;
    }
    print_summary(emulator.origin(), credentials, !args.quiet_credentials)?;

    emulator
        .run_until(pinion_emulator::stop_requested())
        .await
        .context("serving")
}

fn print_summary(origin: &str, c: &AdminCredentials, secrets: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "pinion emulator listening on {origin}")?;
    writeln!(out, "  Pinata     {}", c.pinata.base_url)?;
    writeln!(out, "  Pinata v3  {}", c.pinata.v3_base_url)?;
    writeln!(out, "  v3 uploads {}", c.pinata.uploads_url)?;
    writeln!(out, "  Submarine  {}", c.submarine.base_url)?;
    writeln!(out, "  Gateway    {}/ipfs/<cid>", c.submarine.gateway_url)?;
    writeln!(out, "  W3IPFS     {}", c.w3ipfs.base_url)?;
    if secrets {
        writeln!(out, "admin credentials (local to this emulator):")?;
        writeln!(out, "  PINATA_JWT={}", c.pinata.jwt)?;
        writeln!(out, "  PINATA_API_KEY={}", c.pinata.api_key)?;
        writeln!(out, "  PINATA_API_SECRET={}", c.pinata.api_secret)?;
        writeln!(out, "  PINATA_SUBMARINE_KEY={}", c.submarine.api_key)?;
        writeln!(out, "  W3IPFS_API_KEY={}", c.w3ipfs.api_key)?;
        writeln!(out, "  W3IPFS_SECRET_KEY={}", c.w3ipfs.secret_key)?;
        writeln!(out, "  W3IPFS_JWT={}", c.w3ipfs.jwt)?;
    }
    out.flush()
}
