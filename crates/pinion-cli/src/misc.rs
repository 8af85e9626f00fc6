//! Commands that need no service besides `cid`: `man`, `emulator`.

use std::path::Path;

use anyhow::{Context as _, Result};
use clap::CommandFactory;
use serde_json::json;

use crate::cli::{Cli, EmulatorArgs, Global};
use crate::config::Paths;
use crate::output::Output;

/// `pinion man --out-dir DIR`: one page per command.
pub fn man(out: &Output, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let command = Cli::command();
    clap_mangen::generate_to(command, dir)
        .with_context(|| format!("writing man pages into {}", dir.display()))?;
    let mut pages: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pinion") && n.ends_with(".1"))
        .collect();
    pages.sort();
    let dir_text = dir.display().to_string();
    out.print(
        json!({ "dir": dir_text, "pages": pages }),
        &[&dir_text],
        || format!("wrote {} man pages into {dir_text}", pages.len()),
    );
    Ok(())
}

/// `pinion emulator`: serves the emulator in the foreground until Ctrl-C.
pub async fn emulator(global: &Global, args: EmulatorArgs) -> Result<()> {
    let out = Output::new(global);
    let mut builder = pinion_emulator::Emulator::builder()
        .bind(std::net::SocketAddr::from(([127, 0, 0, 1], args.port)));
    if !args.memory {
        let dir = match args.state_dir {
            Some(dir) => dir,
            None => crate::local::state_dir(&Paths::from_env()?),
        };
        builder = builder.state_dir(dir);
    }
    let emulator = builder.start().await.context("starting the emulator")?;
    let c = emulator.credentials().clone();
    if let Some(path) = &args.credentials_out {
        c.write_to(path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let origin = emulator.origin().to_owned();
    out.print(
        json!({
            "origin": origin,
            "pinata": c.pinata.base_url,
            "submarine": c.submarine.base_url,
            "gateway": c.submarine.gateway_url,
            "w3ipfs": c.w3ipfs.base_url,
        }),
        &[&origin],
        || {
            format!(
                "pinion emulator listening on {origin}\n  Pinata     {}\n  Submarine  {}\n  Gateway    {}/ipfs/<cid>\n  W3IPFS     {}\nadmin credentials: --credentials-out FILE writes them (mode 0600). Ctrl-C stops.",
                c.pinata.base_url, c.submarine.base_url, c.submarine.gateway_url, c.w3ipfs.base_url
            )
        },
    );
    emulator
        .run_until(pinion_emulator::stop_requested())
        .await
        .context("serving")
}
