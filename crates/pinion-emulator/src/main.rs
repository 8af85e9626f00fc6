//! `pinion-emulator`: serves the local stand-in for Pinata, Submarine and W3IPFS.
//!
//! ```text
//! cargo run -p pinion-emulator -- --port 8080 --credentials-out creds.json
//! ```

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
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
    /// Fraction of requests with a body of at least 64 KiB whose connection is cut
    /// (reset) after a random part of the body was received (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    fault_cut_rate: f64,
    /// Cut the connections of the next N requests with a body of at least 64 KiB, each
    /// after a random part of the body.
    #[arg(long, default_value_t = 0, value_name = "N")]
    fault_cut_requests: u32,
    /// Milliseconds added before every answer.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Start the TLS front: answer `CONNECT host:443` for the emulated hosts (TLS
    /// terminated with certificates of a local CA, never a connection out; set
    /// HTTPS_PROXY to this emulator) and open a direct TLS port. The CA is kept in the
    /// state directory; its certificate is written as ca.pem beside --credentials-out.
    #[arg(long)]
    tls: bool,
    /// The direct TLS port (with --tls); 0 picks a free one.
    #[arg(long, value_name = "PORT", requires = "tls")]
    tls_port: Option<u16>,
    /// Count an IPFS Pinning Service API pin (Pinata's /psa, W3IPFS's /api/psa) of
    /// content the emulator does not hold as retrieved from the network, instead of
    /// leaving it queued.
    #[arg(long)]
    psa_retrievable: bool,
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
        cut_request_rate: args.fault_cut_rate,
        cut_requests: args.fault_cut_requests,
    };
    let mut builder = Emulator::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .faults(faults)
        .psa_retrievable(args.psa_retrievable);
    if let Some(dir) = &args.state_dir {
        builder = builder.state_dir(dir);
    }
    if let Some(limit) = args.rate_limit {
        builder = builder.rate_limit_per_minute(limit);
    }
    if args.tls {
        builder = builder.tls_port(args.tls_port.unwrap_or(0));
    }
    let emulator = builder.start().await.context("starting the emulator")?;
    let mut credentials = emulator.credentials().clone();
    if let Some(path) = &args.credentials_out {
        if let Some(tls) = &mut credentials.tls {
            tls.ca_pem = copy_ca_beside(&tls.ca_pem, path)?;
        }
        credentials
            .write_to(path)
            .with_context(|| format!("writing the credentials to {}", path.display()))?;
    }
    print_summary(emulator.origin(), &credentials, !args.quiet_credentials)?;

    emulator
        .run_until(pinion_emulator::stop_requested())
        .await
        .context("serving")
}

/// Writes the CA certificate as `ca.pem` in the directory of the credentials file
/// (atomically, so a script polling for it never reads half), returning its path.
fn copy_ca_beside(ca: &Path, credentials: &Path) -> anyhow::Result<PathBuf> {
    let dir = credentials
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let target = std::path::absolute(dir.join("ca.pem"))?;
    anyhow::ensure!(
        target != std::path::absolute(credentials)?,
        "--credentials-out cannot be named ca.pem: the CA certificate is written there"
    );
    let pem = std::fs::read(ca).with_context(|| format!("reading {}", ca.display()))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("writing the CA certificate in {}", dir.display()))?;
    temp.write_all(&pem)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    temp.as_file().sync_all()?;
    temp.persist(&target)
        .map_err(|error| error.error)
        .with_context(|| format!("writing {}", target.display()))?;
    Ok(target)
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
    writeln!(
        out,
        "  PSA        {}/psa (Pinata JWT), {}/psa (W3IPFS JWT)",
        c.pinata.base_url, c.w3ipfs.base_url
    )?;
    if let Some(tls) = &c.tls {
        writeln!(out, "TLS front (trust {}):", tls.ca_pem.display())?;
        writeln!(out, "  HTTPS      {}", tls.https_origin)?;
        writeln!(
            out,
            "  Proxy      HTTPS_PROXY={} (CONNECT to the real hosts)",
            tls.proxy_url
        )?;
    }
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
