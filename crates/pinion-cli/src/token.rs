//! `pinion token create`.

use anyhow::{Context as _, Result};
use pinion::token::ContentTokenRequest;
use secrecy::ExposeSecret;
use serde_json::json;

use crate::cli::{TokenCommand, TokenCreateArgs};
use crate::context::Ctx;
use crate::exit::Usage;

pub async fn run(ctx: &Ctx, command: TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Create(args) => create(ctx, args).await,
    }
}

async fn create(ctx: &Ctx, args: TokenCreateArgs) -> Result<()> {
    if args.ttl.subsec_nanos() != 0 || args.ttl.as_secs() == 0 {
        return Err(Usage(format!(
            "--ttl {} is not a whole number of seconds (at least 1s): Submarine counts in seconds",
            humantime::format_duration(args.ttl)
        ))
        .into());
    }
    let request = ContentTokenRequest::from_strings(args.ttl.as_secs(), &args.content_ids)?;
    let client = ctx.submarine(args.gateway.as_deref())?;
    let token = client
        .create_access_token(&request)
        .await
        .context("creating the access token")?;
    let mut links = Vec::new();
    for id in request.content_ids() {
        let item = client
            .get_content(*id)
            .await
            .with_context(|| format!("looking up content {id}"))?;
        let url = client.access_link(&item.cid, None, &token).ok();
        links.push((id.to_string(), item.cid, url.map(|u| u.to_string())));
    }
    let secret = token.secret().expose_secret();
    let expires = token.expires_at().map(|t| t.to_rfc3339());
    ctx.out.print(
        json!({
            "token": secret,
            "expires_at": expires,
            "ttl_seconds": args.ttl.as_secs(),
            "links": links.iter().map(|(id, cid, url)| json!({ "content_id": id, "cid": cid, "url": url })).collect::<Vec<_>>(),
        }),
        &[secret],
        || {
            let mut text = format!(
                "access token (valid {}{}):\n{secret}\n",
                humantime::format_duration(args.ttl),
                expires.as_deref().map(|e| format!(", until {e}")).unwrap_or_default()
            );
            if ctx.local().is_some() {
                text.push_str("(the --local emulator stops with this command: serve the links with `pinion emulator`)\n");
            }
            for (id, cid, url) in &links {
                match url {
                    Some(url) => text.push_str(&format!("{id}  {url}\n")),
                    None => text.push_str(&format!(
                        "{id}  {cid} (no gateway configured: pass --gateway https://<name>.mypinata.cloud or set PINATA_GATEWAY_URL)\n"
                    )),
                }
            }
            text
        },
    );
    Ok(())
}
