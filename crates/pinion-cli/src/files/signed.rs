//! Signed URLs: `pinion files link` (a download link to a private file) and
//! `pinion files sign-upload` (a presigned upload URL). Both grant access: they are
//! printed, since that is what the commands are for, and never logged.

use anyhow::{Context as _, Result};
use serde_json::json;

use std::collections::BTreeMap;

use pinion::pinata_v3::SignedUploadOptions;
use serde_json::Value;

use super::args::{LinkArgs, SignUploadArgs};
use crate::context::Ctx;
use crate::exit::Usage;
use crate::pin::keyvalues;

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

/// Prints a presigned upload URL (`-q`: the bare URL).
pub async fn sign_upload(ctx: &Ctx, args: SignUploadArgs) -> Result<()> {
    let mut kv = BTreeMap::new();
    for (key, value) in keyvalues(&args.keyvalues)? {
        if let Value::String(value) = value {
            kv.insert(key, value);
        }
    }
    let network = args.network.network();
    let options = SignedUploadOptions {
        name: args.name,
        group_id: args.group,
        keyvalues: kv,
        max_file_size: args.max_size,
        allow_mime_types: args.mime_types.clone(),
        for_directory: false,
    };
    let signed = ctx
        .pinata_v3()?
        .create_signed_upload_url(network, args.expires, options)
        .await
        .context("signing an upload URL")?;
    let url = signed.expose_url();
    let expires_in = humantime::format_duration(args.expires).to_string();
    ctx.out.print(
        json!({
            "url": url,
            "network": network.to_string(),
            "expires_in_seconds": args.expires.as_secs(),
            "max_size": args.max_size,
            "mime_types": args.mime_types,
        }),
        &[url],
        || {
            format!(
                "{url}\n  upload one file to it (POST multipart, field `file`) within {expires_in}"
            )
        },
    );
    Ok(())
}
