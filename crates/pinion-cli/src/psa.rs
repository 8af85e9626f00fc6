//! `--service psa`: `pin cid`, `pins list | get | replace` and `unpin` on an IPFS
//! Pinning Service API endpoint.

use anyhow::{Context as _, Result};
use pinion::psa::{self, ListFilter, NameMatch, PinRequest, Status, Wait, types};

use crate::cli::{PinsListArgs, PinsReplaceArgs, WaitArgs};
use crate::context::Ctx;
use crate::exit::Usage;
use crate::listing::{Layout, Rows};
use crate::output::to_json;

/// `key=value` pairs as a pin's `meta` (string values).
fn meta(pairs: &[String]) -> Result<PinRequest> {
    let mut request = PinRequest::default();
    for (key, value) in crate::pin::keyvalues(pairs)? {
        let value = value.as_str().unwrap_or_default().to_owned();
        request = request.meta(key, value);
    }
    Ok(request)
}

fn request(
    cid: &str,
    name: Option<String>,
    pairs: &[String],
    origins: &[String],
) -> Result<PinRequest> {
    let mut request = meta(pairs)?;
    request.cid = cid.to_owned();
    request.name = name;
    request.origins = origins.to_vec();
    Ok(request)
}

/// Waits for `pin` when `--wait` says so; the pin as it stands otherwise.
async fn waited(
    client: &psa::Client,
    pin: types::PinStatus,
    wait: &WaitArgs,
) -> Result<types::PinStatus> {
    if !wait.wait {
        return Ok(pin);
    }
    let id = pin.requestid.clone();
    client
        .wait_until_pinned(&id, Wait::default().timeout(wait.wait_timeout))
        .await
        .with_context(|| format!("waiting for pin request {id}"))
}

fn show(ctx: &Ctx, pin: &types::PinStatus, what: &str) {
    let id = &pin.requestid;
    ctx.out.print(to_json(pin), &[id], || {
        let mut text = format!(
            "{what} {}\n  request id: {id}\n  status:     {}\n  created:    {}",
            pin.pin.cid,
            pin.status.as_str(),
            pin.created.to_rfc3339()
        );
        if let Some(name) = &pin.pin.name {
            text.push_str(&format!("\n  name:       {}", name.as_str()));
        }
        for (key, value) in pin.info.iter().flat_map(|info| info.0.iter()) {
            text.push_str(&format!("\n  {key}: {value}"));
        }
        text.push_str(&format!("\n{id}"));
        text
    });
}

/// `pin cid CID` on a PSA endpoint.
pub async fn pin_cid(
    ctx: &Ctx,
    cid: &str,
    name: Option<String>,
    pairs: &[String],
    origins: &[String],
    wait: &WaitArgs,
) -> Result<()> {
    let client = ctx.psa()?;
    let added = client
        .add(&request(cid, name, pairs, origins)?)
        .await
        .with_context(|| format!("asking to pin {cid}"))?;
    let pin = waited(&client, added, wait).await?;
    show(ctx, &pin, if wait.wait { "pinned" } else { "asked to pin" });
    Ok(())
}

/// `pins get REQUESTID`.
pub async fn get(ctx: &Ctx, id: &str) -> Result<()> {
    let pin = ctx.psa()?.get(id).await?;
    show(ctx, &pin, "pin of");
    Ok(())
}

/// `pins replace REQUESTID CID`.
pub async fn replace(ctx: &Ctx, args: PinsReplaceArgs) -> Result<()> {
    let client = ctx.psa()?;
    let request = request(&args.cid, args.name, &args.meta, &args.origins)?;
    let replaced = client
        .replace(&args.requestid, &request)
        .await
        .with_context(|| format!("replacing pin request {}", args.requestid))?;
    let pin = waited(&client, replaced, &args.wait).await?;
    show(ctx, &pin, "replaced by");
    Ok(())
}

fn date(value: Option<&str>, flag: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    value
        .map(|text| {
            chrono::DateTime::parse_from_rfc3339(text)
                .map(|date| date.with_timezone(&chrono::Utc))
                .map_err(|_| {
                    Usage(format!(
                        "--{flag} `{text}` is not an RFC 3339 date such as 2024-05-01T00:00:00Z"
                    ))
                    .into()
                })
        })
        .transpose()
}

/// The filters of `pins list` as a PSA listing's.
fn filter(args: &PinsListArgs) -> Result<ListFilter> {
    let unsupported = [
        (args.pinned_after.is_some(), "--pinned-after (PSA: --after)"),
        (
            args.pinned_before.is_some(),
            "--pinned-before (PSA: --before)",
        ),
        (args.min_size.is_some(), "--min-size"),
        (args.max_size.is_some(), "--max-size"),
        (args.group.is_some(), "--group"),
    ];
    if let Some((_, flag)) = unsupported.iter().find(|(given, _)| *given) {
        return Err(Usage(format!("{flag} is not a Pinning Service API filter")).into());
    }
    let mut filter = ListFilter::default();
    for cid in &args.cid {
        filter = filter.cid(cid);
    }
    if let Some(name) = &args.name {
        let how = args
            .name_match
            .as_deref()
            .map(str::parse::<NameMatch>)
            .transpose()
            .map_err(|error| Usage(format!("--match: {error}")))?
            .unwrap_or_default();
        filter = filter.name(name, how);
    }
    match args.status.as_deref() {
        None => {}
        Some("all") => filter = filter.any_status(),
        Some(list) => {
            for status in list.split(',') {
                let status = status
                    .parse::<Status>()
                    .map_err(|_| Usage(format!("--status: `{status}` is not one of queued, pinning, pinned, failed (comma-separated), or all")))?;
                filter = filter.status(status);
            }
        }
    }
    for (key, value) in crate::pin::keyvalues(&args.keyvalues)? {
        filter = filter.meta(key, value.as_str().unwrap_or_default());
    }
    filter.before = date(args.before.as_deref(), "before")?;
    filter.after = date(args.after.as_deref(), "after")?;
    if !args.all {
        filter = filter.limit(args.limit);
    }
    Ok(filter)
}

/// `pins list` on a PSA endpoint: one page, or every page with `--all`.
pub async fn list(ctx: &Ctx, args: PinsListArgs) -> Result<()> {
    let filter = filter(&args)?;
    let client = ctx.psa()?;
    let rows = if args.all {
        Rows::collect(client.list(filter)).await?
    } else {
        Rows::from_listing(client.list_page(&filter).await?)?
    };
    let layout = Layout {
        header: &["REQUEST ID", "STATUS", "CID", "NAME", "CREATED"],
        bare: 0,
    };
    rows.print(
        &ctx.out,
        layout,
        |pin: &types::PinStatus| {
            vec![
                pin.requestid.clone(),
                pin.status.as_str().to_owned(),
                pin.pin.cid.clone(),
                pin.pin
                    .name
                    .as_ref()
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
                pin.created.to_rfc3339(),
            ]
        },
        to_json,
    );
    Ok(())
}
