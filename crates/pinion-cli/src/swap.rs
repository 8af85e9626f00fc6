//! `pinion swap …`: hot swaps on Pinata's v3 API (a gateway with the Hot Swaps plugin
//! serves another CID in place of one).

use anyhow::{Context as _, Result};
use clap::Subcommand;
use pinion::pinata_v3::types;
use serde_json::{Value, json};

use crate::cli::ServiceName;
use crate::context::Ctx;
use crate::files::NetworkArg;
use crate::output::table;

/// `pinion swap …`.
#[derive(Debug, Subcommand)]
pub enum SwapCommand {
    /// Serve NEW_CID in place of CID.
    Add {
        /// The CID requested on the gateway.
        cid: String,
        /// The CID served instead.
        new_cid: String,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// The swaps of CID seen on a gateway domain.
    History {
        /// The CID.
        cid: String,
        /// The gateway domain (e.g. example.mypinata.cloud).
        #[arg(long, value_name = "DOMAIN")]
        domain: String,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Stop swapping CID.
    Remove {
        /// The CID.
        cid: String,
        #[command(flatten)]
        network: NetworkArg,
    },
}

/// The `--json` object of a swap.
fn swap_json(swap: &types::Swap) -> Value {
    json!({ "mapped_cid": swap.mapped_cid, "created_at": swap.created_at })
}

/// Runs one `swap` command.
pub async fn run(ctx: &Ctx, command: SwapCommand) -> Result<()> {
    ctx.require(ServiceName::Pinata, "`pinion swap` (Pinata's v3 API)")?;
    let client = ctx.pinata_v3()?;
    match command {
        SwapCommand::Add {
            cid,
            new_cid,
            network,
        } => {
            let swap = client
                .add_swap(network.network(), &cid, &new_cid)
                .await
                .with_context(|| format!("swapping {cid} for {new_cid}"))?;
            let mapped = swap.mapped_cid.clone().unwrap_or(new_cid);
            let mut value = swap_json(&swap);
            value["cid"] = json!(cid);
            ctx.out.print(value, &[&mapped], || {
                format!("{cid} is now served as {mapped}\n{mapped}")
            });
        }
        SwapCommand::History {
            cid,
            domain,
            network,
        } => {
            let swaps = client
                .swap_history(network.network(), &cid, &domain)
                .await
                .with_context(|| format!("getting the swap history of {cid}"))?;
            let bare: Vec<&str> = swaps
                .iter()
                .filter_map(|s| s.mapped_cid.as_deref())
                .collect();
            ctx.out.print(
                Value::Array(swaps.iter().map(swap_json).collect()),
                &bare,
                || {
                    let rows: Vec<Vec<String>> = swaps
                        .iter()
                        .map(|s| {
                            vec![
                                s.mapped_cid.clone().unwrap_or_default(),
                                s.created_at.clone().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    table(&["MAPPED CID", "CREATED"], &rows)
                },
            );
        }
        SwapCommand::Remove { cid, network } => {
            client
                .remove_swap(network.network(), &cid)
                .await
                .with_context(|| format!("removing the swap of {cid}"))?;
            ctx.out
                .print(json!({ "cid": cid, "removed": true }), &[&cid], || {
                    format!("{cid} is no longer swapped")
                });
        }
    }
    Ok(())
}
