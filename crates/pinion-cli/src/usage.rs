//! `pinion usage`: what the account uses.

use anyhow::Result;

use crate::cli::ServiceName;
use crate::context::Ctx;
use crate::output::{bytes, to_json};

pub async fn usage(ctx: &Ctx) -> Result<()> {
    match ctx.service()? {
        ServiceName::Psa => return Err(crate::context::not_in_psa("`pinion usage`")),
        ServiceName::Pinata => {
            let usage = ctx.pinata()?.usage().await?;
            let json = to_json(&usage);
            let count = usage.pin_count.to_string();
            ctx.out.print(json.clone(), &[&count], || {
                format!(
                    "pins:  {count}\nsize:  {}\nwith replications: {}",
                    bytes(json["pin_size_total"].as_u64()),
                    bytes(json["pin_size_with_replications_total"].as_u64())
                )
            });
        }
        ServiceName::W3ipfs => {
            let totals = ctx.w3ipfs()?.usage().await?;
            let json = to_json(&totals);
            let count = totals.files.to_string();
            ctx.out.print(json.clone(), &[&count], || {
                format!("pins:  {count}\nsize:  {}", bytes(json["size"].as_u64()))
            });
        }
    }
    Ok(())
}
