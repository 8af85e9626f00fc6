//! `pinion files link`: a signed download link to a private file.

use anyhow::{Context as _, Result};
use serde_json::json;

use super::args::LinkArgs;
use crate::context::Ctx;
use crate::exit::Usage;

/// How to give the gateway, when none is known.
const NO_GATEWAY: &str = "a download link is a URL on your dedicated gateway, and none is set: \
pass --gateway https://<name>.mypinata.cloud, set PINATA_GATEWAY_URL, or add \
gateway_url = \"https://<name>.mypinata.cloud\" to the profile in config.toml";

/// Prints the signed URL (`-q`: the bare URL) and when it stops working.
pub async fn link(ctx: &Ctx, args: LinkArgs) -> Result<()> {
    let client = ctx.pinata_v3()?;
    let gateway = match args.gateway.as_deref().or(client.gateway_url()) {
        Some(gateway) => gateway.to_owned(),
        None => return Err(Usage(NO_GATEWAY.to_owned()).into()),
    };
    let link = client
        .download_link_on(&gateway, &args.cid, args.expires)
        .await
        .with_context(|| format!("signing a download link to {}", args.cid))?;
    let url = link.expose_url();
    let expires_at = humantime::format_rfc3339_seconds(link.expires_at()).to_string();
    ctx.out.print(
        json!({ "cid": link.cid(), "url": url, "expires_at": expires_at }),
        &[url],
        || format!("{url}\n  expires at {expires_at}"),
    );
    Ok(())
}
