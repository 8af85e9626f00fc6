//! `pinion auth test | login | logout`.

use std::io::IsTerminal;

use anyhow::{Context as _, Result};
use pinion::PinningService;
use serde_json::json;

use crate::cli::{AuthCommand, LoginArgs, SecretKind};
use crate::config;
use crate::context::{Ctx, name};
use crate::exit::Usage;
use crate::secret_input::{self, Source};

pub async fn run(ctx: &Ctx, command: AuthCommand) -> Result<()> {
    match command {
        AuthCommand::Test => test(ctx).await,
        AuthCommand::Login(args) => login(ctx, args),
        AuthCommand::Logout => logout(ctx),
    }
}

async fn test(ctx: &Ctx) -> Result<()> {
    let service = ctx.service()?;
    let client = ctx.any()?;
    let message = client
        .test_authentication()
        .await
        .with_context(|| format!("testing the {} credentials", name(service)))?;
    ctx.out.print(
        json!({ "service": name(service), "ok": true, "message": message, "local": ctx.global.local }),
        &["ok"],
        || format!("{}: credentials work ({message})", name(service)),
    );
    Ok(())
}

/// The refusal of a secret given on the command line.
pub fn refuse_secret_argument() -> anyhow::Error {
    Usage(
        "refusing a secret given on the command line (it would stay in your shell history and be visible in `ps`): \
         pipe it with --stdin, read it with --from-file FILE, type it at the prompt, \
         or set it in the environment (PINATA_JWT, PINATA_API_SECRET, PINATA_SUBMARINE_KEY, W3IPFS_SECRET_KEY, W3IPFS_JWT, PSA_TOKEN)"
            .to_owned(),
    )
    .into()
}

fn login(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    if args.secret_argument.is_some() || args.secret_option.is_some() {
        return Err(refuse_secret_argument());
    }
    let needs_key = matches!(args.kind, SecretKind::PinataKey | SecretKind::W3ipfsKey);
    if needs_key && args.api_key.is_none() {
        return Err(Usage("this kind of credential is a key pair: give the (public) key with --api-key KEY; the secret is read from --stdin, --from-file or the prompt".to_owned()).into());
    }
    if !needs_key && args.api_key.is_some() {
        return Err(Usage("--api-key is only for pinata-key and w3ipfs-key".to_owned()).into());
    }
    let source = if let Some(path) = &args.from_file {
        Source::File(path)
    } else if args.stdin {
        Source::Stdin
    } else if std::io::stdin().is_terminal() {
        Source::Prompt("secret (not echoed): ")
    } else {
        return Err(Usage(
            "no terminal to prompt on: give the secret with --stdin or --from-file FILE".to_owned(),
        )
        .into());
    };
    let secret = secret_input::read(source)?;
    let mut file = config::load_credentials(&ctx.paths)?;
    let stored = file.profiles.entry(ctx.profile_name.clone()).or_default();
    let service = match args.kind {
        SecretKind::PinataJwt => {
            stored.pinata_jwt = Some(secret);
            "pinata"
        }
        SecretKind::PinataKey => {
            stored.pinata_api_key = args.api_key;
            stored.pinata_api_secret = Some(secret);
            "pinata"
        }
        SecretKind::SubmarineKey => {
            stored.submarine_key = Some(secret);
            "pinata"
        }
        SecretKind::W3ipfsKey => {
            stored.w3ipfs_api_key = args.api_key;
            stored.w3ipfs_secret_key = Some(secret);
            "w3ipfs"
        }
        SecretKind::W3ipfsJwt => {
            stored.w3ipfs_jwt = Some(secret);
            "w3ipfs"
        }
        SecretKind::PsaToken => {
            stored.psa_token = Some(secret);
            "psa"
        }
    };
    config::save_credentials(&ctx.paths, &file)?;
    // Remember the service and base URL given with this login in the profile.
    if ctx.global.service.is_some() || ctx.global.base_url.is_some() {
        let mut config_file = config::load_config(&ctx.paths)?;
        let profile = config_file
            .profiles
            .entry(ctx.profile_name.clone())
            .or_default();
        if let Some(service) = ctx.global.service {
            profile.service = Some(name(service).to_owned());
        }
        if let Some(url) = &ctx.global.base_url {
            match args.kind {
                SecretKind::PinataJwt | SecretKind::PinataKey => {
                    profile.pinata_base_url = Some(url.clone())
                }
                SecretKind::SubmarineKey => profile.submarine_base_url = Some(url.clone()),
                SecretKind::W3ipfsKey | SecretKind::W3ipfsJwt => {
                    profile.w3ipfs_base_url = Some(url.clone())
                }
                SecretKind::PsaToken => profile.psa_base_url = Some(url.clone()),
            }
        }
        config::save_config(&ctx.paths, &config_file)?;
    }
    let path = ctx.paths.credentials_file();
    ctx.out.print(
        json!({ "profile": ctx.profile_name, "service": service, "stored": true, "file": path }),
        &[&ctx.profile_name],
        || {
            format!(
                "stored {service} credentials in profile `{}` ({}, mode 0600)",
                ctx.profile_name,
                path.display()
            )
        },
    );
    Ok(())
}

fn logout(ctx: &Ctx) -> Result<()> {
    let mut file = config::load_credentials(&ctx.paths)?;
    let removed = file
        .profiles
        .remove(&ctx.profile_name)
        .is_some_and(|stored| !stored.is_empty());
    if removed {
        config::save_credentials(&ctx.paths, &file)?;
    }
    ctx.out.print(
        json!({ "profile": ctx.profile_name, "removed": removed }),
        &[&ctx.profile_name],
        || {
            if removed {
                format!("removed the credentials of profile `{}`", ctx.profile_name)
            } else {
                format!("profile `{}` had no stored credentials", ctx.profile_name)
            }
        },
    );
    Ok(())
}
