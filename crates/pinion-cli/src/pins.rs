//! `pinion pins list | get` and `pinion unpin`.

use anyhow::{Context as _, Result};
use pinion::PinningService;
use pinion::{pinata, w3ipfs};
use serde_json::json;

use crate::cli::{PinsCommand, PinsListArgs, ServiceName};
use crate::context::Ctx;
use crate::exit::Usage;
use crate::listing::{Layout, Rows};
use crate::output::{bytes, to_json};
use crate::pin::keyvalues;

fn date(value: &Option<String>, what: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    value
        .as_deref()
        .map(|v| {
            chrono::DateTime::parse_from_rfc3339(v)
                .map(|d| d.with_timezone(&chrono::Utc))
                .map_err(|_| {
                    Usage(format!(
                        "--{what} `{v}` is not an RFC 3339 date such as 2024-05-01T00:00:00Z"
                    ))
                    .into()
                })
        })
        .transpose()
}

pub async fn pins(ctx: &Ctx, command: PinsCommand) -> Result<()> {
    let psa = ctx.service()? == ServiceName::Psa;
    match command {
        PinsCommand::Get { target } if psa => crate::psa::get(ctx, &target).await,
        PinsCommand::Replace(args) if psa => crate::psa::replace(ctx, args).await,
        PinsCommand::Replace(_) => Err(Usage(
            "`pins replace` replaces a Pinning Service API request: run it with --service psa"
                .to_owned(),
        )
        .into()),
        PinsCommand::List(args) => list(ctx, args).await,
        PinsCommand::Get { target } => {
            let pin = ctx.any()?.get_pin(&target).await?;
            ctx.out.print(
                json!({ "id": pin.handle, "cid": pin.cid, "name": pin.name, "size": pin.size, "pinned": pin.pinned }),
                &[&pin.cid],
                || {
                    format!(
                        "CID:    {}\nid:     {}\nname:   {}\nsize:   {}\npinned: {}",
                        pin.cid,
                        pin.handle,
                        pin.name.clone().unwrap_or_default(),
                        bytes(pin.size),
                        pin.pinned
                    )
                },
            );
            Ok(())
        }
    }
}

/// Refuses the filters only a Pinning Service API endpoint has, and more than one CID.
fn psa_only_filters(args: &PinsListArgs) -> Result<()> {
    let psa_only = [
        (args.name_match.is_some(), "--match"),
        (args.before.is_some(), "--before (Pinata: --pinned-before)"),
        (args.after.is_some(), "--after (Pinata: --pinned-after)"),
        (args.cid.len() > 1, "more than one --cid"),
    ];
    if let Some((_, flag)) = psa_only.iter().find(|(given, _)| *given) {
        return Err(Usage(format!(
            "{flag} is a Pinning Service API filter (--service psa)"
        ))
        .into());
    }
    Ok(())
}

async fn list(ctx: &Ctx, args: PinsListArgs) -> Result<()> {
    match ctx.service()? {
        ServiceName::Psa => return crate::psa::list(ctx, args).await,
        ServiceName::Pinata => {
            psa_only_filters(&args)?;
            let status = args
                .status
                .as_deref()
                .unwrap_or("pinned")
                .parse::<pinata::types::PinListStatus>()
                .map_err(|_| Usage("--status takes pinned, unpinned or all".to_owned()))?;
            let keyvalues = if args.keyvalues.is_empty() {
                None
            } else {
                Some(
                    keyvalues(&args.keyvalues)?
                        .into_iter()
                        .map(|(k, v)| (k, json!({ "value": v, "op": "eq" })))
                        .collect(),
                )
            };
            let filter = pinata::PinListFilter {
                cid: args.cid.into_iter().next(),
                name: args.name,
                status: Some(status),
                keyvalues,
                pin_start: date(&args.pinned_after, "pinned-after")?,
                pin_end: date(&args.pinned_before, "pinned-before")?,
                size_min: args.min_size,
                size_max: args.max_size,
                group_id: args.group,
                page_size: Some(if args.all {
                    1000
                } else {
                    u64::from(args.limit)
                }),
                ..pinata::PinListFilter::default()
            };
            let client = ctx.pinata()?;
            let rows = if args.all {
                Rows::collect(client.pins(filter)).await?
            } else {
                Rows::from_listing(client.pins_page(&filter, 0).await?)?
            };
            let layout = Layout {
                header: &["CID", "NAME", "SIZE", "PINNED"],
                bare: 0,
            };
            rows.print(
                &ctx.out,
                layout,
                |r| {
                    vec![
                        r.ipfs_pin_hash.clone(),
                        r.metadata.name.clone().unwrap_or_default(),
                        bytes(u64::try_from(r.size).ok()),
                        r.date_pinned.to_rfc3339(),
                    ]
                },
                to_json,
            );
        }
        ServiceName::W3ipfs => {
            psa_only_filters(&args)?;
            let unsupported = [
                (!args.cid.is_empty(), "--cid"),
                (args.name.is_some(), "--name"),
                (args.pinned_after.is_some(), "--pinned-after"),
                (args.pinned_before.is_some(), "--pinned-before"),
                (args.min_size.is_some(), "--min-size"),
                (args.max_size.is_some(), "--max-size"),
                (args.group.is_some(), "--group"),
            ];
            if let Some((_, flag)) = unsupported.iter().find(|(given, _)| *given) {
                return Err(Usage(format!(
                    "{flag} is a Pinata filter; W3IPFS filters by --status and --keyvalue"
                ))
                .into());
            }
            let pinned = match args.status.as_deref() {
                None | Some("pinned") => "true",
                Some("unpinned") => "false",
                Some("all") => "all",
                Some(_) => {
                    return Err(Usage("--status takes pinned, unpinned or all".to_owned()).into());
                }
            }
            .parse::<w3ipfs::types::PinnedFilter>()
            .map_err(|_| Usage("bad --status".to_owned()))?;
            let filter = w3ipfs::ListFilter {
                pinned: Some(pinned),
                metadata: if args.keyvalues.is_empty() {
                    None
                } else {
                    Some(keyvalues(&args.keyvalues)?)
                },
                page_size: Some(if args.all { 100 } else { u64::from(args.limit) }),
                ..w3ipfs::ListFilter::default()
            };
            let client = ctx.w3ipfs()?;
            let pins = if args.all {
                Rows::collect(client.pins(filter)).await?
            } else {
                Rows::from_listing(client.pins_page(&filter, 0).await?)?
            };
            let layout = Layout {
                header: &["ID", "CID", "NAME", "SIZE"],
                bare: 1,
            };
            pins.print(
                &ctx.out,
                layout,
                |p| {
                    vec![
                        p.id.to_string(),
                        p.cid.clone(),
                        p.metadata.name.clone().unwrap_or_default(),
                        bytes(p.size.and_then(|s| u64::try_from(s).ok())),
                    ]
                },
                to_json,
            );
        }
    }
    Ok(())
}

pub async fn unpin(ctx: &Ctx, target: &str) -> Result<()> {
    ctx.any()?
        .unpin(target)
        .await
        .with_context(|| format!("unpinning {target}"))?;
    ctx.out.print(json!({ "unpinned": target }), &[target], || {
        format!("unpinned {target}")
    });
    Ok(())
}
