//! `pinion keys create | list | revoke`.

use std::num::NonZeroU64;

use anyhow::{Context as _, Result};
use futures::StreamExt;
use pinion::scopes::Capability;
use pinion::scopes::pinata::{PinataFlag, PinataPermissions};
use pinion::scopes::pinata_v3::ResourceScope;
use pinion::scopes::w3ipfs::{W3ipfsScope, W3ipfsScopes};
use pinion::{KeyInfo, KeyManagement};
use secrecy::ExposeSecret;
use serde_json::json;

use crate::cli::{KeysCommand, KeysCreateArgs, ServiceName};
use crate::context::{Ctx, name, not_in_psa};
use crate::exit::Usage;
use crate::listing::{Layout, Rows};

pub async fn run(ctx: &Ctx, command: KeysCommand) -> Result<()> {
    match command {
        KeysCommand::Create(args) => create(ctx, args).await,
        KeysCommand::List { all: _ } => list(ctx).await,
        KeysCommand::Revoke { key } => revoke(ctx, &key).await,
    }
}

/// Parses `--capability` names (kebab-case, as `Capability` spells them).
pub fn capabilities(names: &[String]) -> Result<Vec<Capability>> {
    names
        .iter()
        .map(|name| {
            name.parse::<Capability>()
                .map_err(|error| Usage(error.to_string()).into())
        })
        .collect()
}

fn pinata_permissions(args: &KeysCreateArgs, caps: &[Capability]) -> Result<PinataPermissions> {
    if args.admin {
        return Ok(PinataPermissions::admin());
    }
    let from_caps = PinataPermissions::for_capabilities(caps)?;
    if args.scopes.is_empty() {
        return Ok(from_caps);
    }
    if from_caps.is_admin() {
        return Ok(from_caps);
    }
    let mut flags: Vec<PinataFlag> = PinataFlag::ALL
        .into_iter()
        .filter(|flag| !caps.is_empty() && from_caps.allows(*flag))
        .collect();
    for scope in &args.scopes {
        let flag = PinataFlag::ALL
            .into_iter()
            .find(|flag| flag.path() == scope || flag.path().rsplit('.').next() == Some(scope))
            .ok_or_else(|| {
                Usage(format!(
                    "unknown Pinata scope flag `{scope}`; expected one of: {}",
                    PinataFlag::ALL.map(PinataFlag::path).join(", ")
                ))
            })?;
        flags.push(flag);
    }
    Ok(PinataPermissions::from_flags(flags))
}

fn w3ipfs_scopes(args: &KeysCreateArgs, caps: &[Capability]) -> Result<W3ipfsScopes> {
    if args.admin {
        return Ok(W3ipfsScopes::admin());
    }
    let from_caps = W3ipfsScopes::for_capabilities(caps)?;
    if args.scopes.is_empty() || from_caps.is_admin() {
        return Ok(from_caps);
    }
    let mut scopes: Vec<W3ipfsScope> = W3ipfsScope::ALL
        .into_iter()
        .filter(|scope| !caps.is_empty() && from_caps.allows(*scope))
        .collect();
    for raw in &args.scopes {
        let scope = W3ipfsScope::ALL
            .into_iter()
            .find(|scope| scope.path() == raw)
            .ok_or_else(|| {
                Usage(format!(
                    "unknown W3IPFS scope `{raw}`; expected one of: {}",
                    W3ipfsScope::ALL.map(W3ipfsScope::path).join(", ")
                ))
            })?;
        scopes.push(scope);
    }
    Ok(W3ipfsScopes::from_scopes(scopes))
}

async fn create(ctx: &Ctx, args: KeysCreateArgs) -> Result<()> {
    let caps = capabilities(&args.capabilities)?;
    if caps.is_empty() && args.scopes.is_empty() && args.resources.is_empty() && !args.admin {
        return Err(Usage(format!(
            "say what the key may do: --capability NAME (repeatable; one of {}), --scope FLAG, --resource SCOPE or --admin",
            Capability::ALL.map(Capability::name).join(", ")
        ))
        .into());
    }
    let cap_names: Vec<&str> = caps.iter().map(|c| c.name()).collect();
    let v3 = args.v3 || !args.resources.is_empty();
    if v3 && ctx.service()? != ServiceName::Pinata {
        return Err(Usage(
            "--resource and --v3 make Pinata v3 keys; run them with --service pinata".to_owned(),
        )
        .into());
    }
    match ctx.service()? {
        ServiceName::Psa => return Err(not_in_psa("`pinion keys`")),
        ServiceName::Pinata if v3 => create_v3(ctx, &args, &caps).await?,
        ServiceName::Pinata => {
            let permissions = pinata_permissions(&args, &caps)?;
            let key = ctx
                .pinata()?
                .generate_api_key(&args.name, permissions, args.max_uses)
                .await
                .with_context(|| format!("creating the Pinata key `{}`", args.name))?;
            let (api_key, secret, jwt) = (
                key.api_key(),
                key.api_secret().expose_secret(),
                key.jwt().expose_secret(),
            );
            ctx.out.print(
                json!({
                    "service": "pinata",
                    "name": args.name,
                    "capabilities": cap_names,
                    "max_uses": args.max_uses,
                    "api_key": api_key,
                    "api_secret": secret,
                    "jwt": jwt,
                }),
                &[jwt],
                || {
                    format!(
                        "created Pinata key `{}`{}{}\n  API key:    {api_key}\n  API secret: {secret}\n  JWT:        {jwt}\nStore them now: the secret and the JWT are shown only once.",
                        args.name,
                        if cap_names.is_empty() { String::new() } else { format!(" ({})", cap_names.join(", ")) },
                        args.max_uses.map(|n| format!(", {n} uses")).unwrap_or_default(),
                    )
                },
            );
        }
        ServiceName::W3ipfs => {
            if args.max_uses.is_some() {
                return Err(Usage(
                    "--max-uses is a Pinata feature: W3IPFS keys have no use limit".to_owned(),
                )
                .into());
            }
            let scopes = w3ipfs_scopes(&args, &caps)?;
            let key = ctx
                .w3ipfs_admin()?
                .create_api_key(&args.name, scopes)
                .await
                .with_context(|| format!("creating the W3IPFS key `{}`", args.name))?;
            let (api_key, secret) = (key.api_key(), key.secret_key().expose_secret());
            ctx.out.print(
                json!({
                    "service": "w3ipfs",
                    "name": key.name(),
                    "capabilities": cap_names,
                    "api_key": api_key,
                    "secret_key": secret,
                }),
                &[api_key, secret],
                || {
                    format!(
                        "created W3IPFS key `{}`\n  API key:    {api_key}\n  secret key: {secret}\nStore the secret key now: it is shown only once.",
                        key.name()
                    )
                },
            );
        }
    }
    Ok(())
}

/// The permissions of a v3 key: admin, or the least scopes of the capabilities plus
/// the `--resource` scopes given.
fn v3_permissions(args: &KeysCreateArgs, caps: &[Capability]) -> Result<PinataPermissions> {
    if args.admin {
        return Ok(PinataPermissions::admin());
    }
    let mut resources: Vec<ResourceScope> = if caps.is_empty() {
        Vec::new()
    } else {
        PinataPermissions::for_capabilities_v3(caps)?
            .resources()
            .to_vec()
    };
    for raw in &args.resources {
        let scope = raw.parse::<ResourceScope>().map_err(|_| {
            Usage(format!(
                "unknown v3 resource scope `{raw}`; expected one of: {}",
                ResourceScope::expected()
            ))
        })?;
        if !resources.contains(&scope) {
            resources.push(scope);
        }
    }
    // The least set: a scope another one already grants (read under write) goes.
    let least: Vec<ResourceScope> = resources
        .iter()
        .copied()
        .filter(|scope| {
            !resources
                .iter()
                .any(|other| other != scope && other.grants(*scope))
        })
        .collect();
    Ok(PinataPermissions::from_resources(least)?)
}

/// Creates a Pinata v3 key (`resources` scopes); prints it like a legacy one, with
/// its scopes.
async fn create_v3(ctx: &Ctx, args: &KeysCreateArgs, caps: &[Capability]) -> Result<()> {
    let permissions = v3_permissions(args, caps)?;
    let max_uses = args
        .max_uses
        .map(|n| {
            NonZeroU64::new(n).ok_or_else(|| Usage("--max-uses must be at least 1".to_owned()))
        })
        .transpose()?;
    let key = ctx
        .pinata_v3()?
        .create_api_key(&args.name, &permissions, max_uses)
        .await
        .with_context(|| format!("creating the Pinata v3 key `{}`", args.name))?;
    let resources: Vec<&str> = permissions.resources().iter().map(|r| r.name()).collect();
    let cap_names: Vec<&str> = caps.iter().map(|c| c.name()).collect();
    let (api_key, secret, jwt) = (
        key.api_key(),
        key.api_secret().expose_secret(),
        key.jwt().expose_secret(),
    );
    ctx.out.print(
        json!({
            "service": "pinata",
            "api": "v3",
            "name": args.name,
            "capabilities": cap_names,
            "resources": resources,
            "admin": permissions.is_admin(),
            "max_uses": args.max_uses,
            "api_key": api_key,
            "api_secret": secret,
            "jwt": jwt,
        }),
        &[jwt],
        || {
            let what = if permissions.is_admin() {
                "admin".to_owned()
            } else {
                resources.join(", ")
            };
            format!(
                "created Pinata v3 key `{}` ({what})\n  API key:    {api_key}\n  API secret: {secret}\n  JWT:        {jwt}\nStore them now: the secret and the JWT are shown only once.",
                args.name
            )
        },
    );
    Ok(())
}

/// Every key, page by page. A row that does not have the documented shape is still
/// listed when it has the fields a [`KeyInfo`] needs; one that does not is kept as its
/// raw JSON, with its secrets redacted.
async fn list(ctx: &Ctx) -> Result<()> {
    let keys = match ctx.service()? {
        ServiceName::Psa => return Err(not_in_psa("`pinion keys`")),
        ServiceName::Pinata => {
            let client = ctx.pinata()?;
            Rows::collect(client.api_keys().map(KeyInfo::from_pinata_row)).await
        }
        ServiceName::W3ipfs => {
            let client = ctx.w3ipfs_admin()?;
            Rows::collect(client.api_keys().map(KeyInfo::from_w3ipfs_row)).await
        }
    }
    .context("listing the keys")?
    .redact_secrets();
    let layout = Layout {
        header: &["KEY", "NAME", "STATE"],
        bare: 0,
    };
    keys.print(
        &ctx.out,
        layout,
        |k| {
            vec![
                k.handle.clone(),
                k.name.clone(),
                if k.revoked { "revoked" } else { "active" }.to_owned(),
            ]
        },
        |k| json!({ "key": k.handle, "name": k.name, "revoked": k.revoked }),
    );
    Ok(())
}

async fn revoke(ctx: &Ctx, key: &str) -> Result<()> {
    let service = ctx.service()?;
    match service {
        ServiceName::Psa => return Err(not_in_psa("`pinion keys`")),
        ServiceName::Pinata => ctx.pinata()?.revoke_key(key).await,
        ServiceName::W3ipfs => ctx.w3ipfs_admin()?.revoke_key(key).await,
    }
    .with_context(|| format!("revoking key {key}"))?;
    ctx.out.print(
        json!({ "service": name(service), "key": key, "revoked": true }),
        &[key],
        || format!("revoked {key}"),
    );
    Ok(())
}
