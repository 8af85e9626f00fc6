//! `pinion pin file | dir | json | cid`, `pins list | get`, `unpin`, `jobs`,
//! `metadata set`, `usage`.

use std::path::Path;

use anyhow::{Context as _, Result};
use futures::TryStreamExt;
use pinion::PinningService;
use pinion::cid::CidVersion;
use pinion::upload::{UploadOptions, Uploaded};
use pinion::{pinata, w3ipfs};
use serde_json::{Map, Value, json};

use crate::cli::{
    JobsArgs, MetadataCommand, PinCommand, PinOptions, PinsCommand, PinsListArgs, ServiceName,
};
use crate::context::{Ctx, name};
use crate::exit::Usage;
use crate::output::{bytes, table, to_json};

/// Parses `key=value` pairs; values stay strings.
pub fn keyvalues(pairs: &[String]) -> Result<Map<String, Value>> {
    let mut map = Map::new();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| Usage(format!("`{pair}` is not KEY=VALUE")))?;
        map.insert(key.to_owned(), Value::String(value.to_owned()));
    }
    Ok(map)
}

fn version(v: Option<u8>) -> Option<CidVersion> {
    v.map(|v| {
        if v == 0 {
            CidVersion::V0
        } else {
            CidVersion::V1
        }
    })
}

fn upload_options(options: &PinOptions, hidden: bool) -> Result<UploadOptions> {
    let mut out = UploadOptions::default()
        .wrap_with_directory(options.wrap)
        .include_hidden(hidden)
        .skip_if_pinned(options.skip_existing)
        // The returned CID is always checked against the local one (--verify is kept
        // for scripts that spell it out).
        .verify(true);
    if let Some(name) = &options.name {
        out = out.name(name);
    }
    for (key, value) in keyvalues(&options.keyvalues)? {
        out = out.keyvalue(key, value);
    }
    if let Some(v) = version(options.cid_version) {
        out = out.cid_version(v);
    }
    if let Some(group) = &options.group {
        out = out.group(group);
    }
    Ok(out)
}

/// A progress bar on stderr for an upload, when stdout and stderr are terminals.
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    pub fn attach(&self, options: UploadOptions) -> UploadOptions {
        let bar = self.0.clone();
        options.on_progress(move |p| {
            if let Some(total) = p.total {
                bar.set_length(total);
            }
            bar.set_position(p.sent);
        })
    }

    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}

/// A bar for uploading `path`, or none when output is not a terminal.
pub fn progress(ctx: &Ctx, path: &Path) -> Option<Bar> {
    if !ctx.out.progress() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    Some(Bar(bar))
}

fn print_uploaded(ctx: &Ctx, path: &Path, uploaded: &Uploaded) {
    let service = ctx.service().map(name).unwrap_or("pinata");
    ctx.out.print(
        json!({
            "service": service,
            "cid": uploaded.cid,
            "size": uploaded.size,
            "id": uploaded.id,
            "duplicate": uploaded.duplicate,
            "verified": uploaded.verified,
            "skipped": uploaded.skipped,
        }),
        &[&uploaded.cid],
        || {
            let what = if uploaded.skipped {
                "already pinned (nothing uploaded)"
            } else {
                "pinned"
            };
            let mut text = format!(
                "{what} {} on {service} ({})",
                path.display(),
                bytes(uploaded.size)
            );
            if let Some(id) = &uploaded.id {
                text.push_str(&format!("\n  pin id: {id}"));
            }
            text.push_str(&format!("\n{}", uploaded.cid));
            text
        },
    );
}

pub async fn pin(ctx: &Ctx, command: PinCommand) -> Result<()> {
    match command {
        PinCommand::File { path, options } => {
            if path.is_dir() {
                return Err(Usage(format!(
                    "{} is a directory: use `pinion pin dir`",
                    path.display()
                ))
                .into());
            }
            let mut opts = upload_options(&options, false)?;
            let bar = progress(ctx, &path);
            if let Some(bar) = &bar {
                opts = bar.attach(opts);
            }
            let result = ctx.any()?.pin_file(path.clone(), opts).await;
            if let Some(bar) = bar {
                bar.finish();
            }
            let uploaded = result.with_context(|| format!("pinning {}", path.display()))?;
            print_uploaded(ctx, &path, &uploaded);
        }
        PinCommand::Dir {
            path,
            hidden,
            options,
        } => {
            if !path.is_dir() {
                return Err(Usage(format!(
                    "{} is not a directory: use `pinion pin file`",
                    path.display()
                ))
                .into());
            }
            let mut opts = upload_options(&options, hidden)?;
            let bar = progress(ctx, &path);
            if let Some(bar) = &bar {
                opts = bar.attach(opts);
            }
            let result = ctx.any()?.pin_directory(path.clone(), opts).await;
            if let Some(bar) = bar {
                bar.finish();
            }
            let uploaded = result.with_context(|| format!("pinning {}", path.display()))?;
            print_uploaded(ctx, &path, &uploaded);
        }
        PinCommand::Json { path, options } => {
            ctx.require(ServiceName::Pinata, "pin json")?;
            let text = if path.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).context("reading JSON from stdin")?
            } else {
                std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?
            };
            let content: Map<String, Value> = serde_json::from_str(&text)
                .map_err(|e| Usage(format!("{} is not a JSON object: {e}", path.display())))?;
            // As for files: the file's name unless --name says otherwise (stdin has none,
            // and Pinata then names it `pinnie.json`).
            let name = options.name.clone().or_else(|| {
                (path.as_os_str() != "-")
                    .then(|| path.file_name()?.to_str().map(str::to_owned))
                    .flatten()
            });
            let pin_options = pinata::PinOptions {
                name,
                keyvalues: keyvalues(&options.keyvalues)?,
                cid_version: version(options.cid_version),
                group_id: options.group.clone(),
                ..pinata::PinOptions::default()
            };
            let answer = ctx
                .pinata()?
                .pin_json(content, pin_options)
                .await
                .context("pinning JSON")?;
            let cid = answer.ipfs_hash.clone();
            ctx.out.print(to_json(&answer), &[&cid], || {
                format!("pinned JSON ({} bytes)\n{cid}", answer.pin_size)
            });
        }
        PinCommand::Cid {
            cid,
            name: pin_name,
            keyvalues: kv,
            host_nodes,
        } => {
            let kv = keyvalues(&kv)?;
            match ctx.service()? {
                ServiceName::Pinata => {
                    let options = pinata::PinOptions {
                        name: pin_name,
                        keyvalues: kv,
                        host_nodes,
                        ..pinata::PinOptions::default()
                    };
                    let answer = ctx.pinata()?.pin_by_hash(&cid, options).await?;
                    ctx.out.print(to_json(&answer), &[&cid], || {
                        format!("queued {cid} for pinning (see `pinion jobs`)\n{cid}")
                    });
                }
                ServiceName::W3ipfs => {
                    if !host_nodes.is_empty() {
                        return Err(Usage("--host-node is a Pinata feature".to_owned()).into());
                    }
                    let pin = ctx
                        .w3ipfs()?
                        .pin_by_hash(&cid, pin_name.as_deref(), kv)
                        .await?;
                    let id = pin.id.to_string();
                    ctx.out.print(to_json(&pin), &[&id], || {
                        format!("queued {cid} for pinning\n  pin id: {id}\n{id}")
                    });
                }
            }
        }
    }
    Ok(())
}

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
    match command {
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

async fn list(ctx: &Ctx, args: PinsListArgs) -> Result<()> {
    match ctx.service()? {
        ServiceName::Pinata => {
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
                cid: args.cid,
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
                client.pins(filter).try_collect::<Vec<_>>().await?
            } else {
                client.pins_page(&filter, 0).await?.into_rows()?
            };
            let cids: Vec<&str> = rows.iter().map(|r| r.ipfs_pin_hash.as_str()).collect();
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.ipfs_pin_hash.clone(),
                        r.metadata.name.clone().unwrap_or_default(),
                        bytes(u64::try_from(r.size).ok()),
                        r.date_pinned.to_rfc3339(),
                    ]
                })
                .collect();
            ctx.out.print(to_json(&rows), &cids, || {
                table(&["CID", "NAME", "SIZE", "PINNED"], &table_rows)
            });
        }
        ServiceName::W3ipfs => {
            let unsupported = [
                (args.cid.is_some(), "--cid"),
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
                client.pins(filter).try_collect::<Vec<_>>().await?
            } else {
                client.pins_page(&filter, 0).await?.into_rows()?
            };
            let cids: Vec<&str> = pins.iter().map(|p| p.cid.as_str()).collect();
            let rows: Vec<Vec<String>> = pins
                .iter()
                .map(|p| {
                    vec![
                        p.id.to_string(),
                        p.cid.clone(),
                        p.metadata.name.clone().unwrap_or_default(),
                        bytes(p.size.and_then(|s| u64::try_from(s).ok())),
                    ]
                })
                .collect();
            ctx.out.print(to_json(&pins), &cids, || {
                table(&["ID", "CID", "NAME", "SIZE"], &rows)
            });
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

pub async fn jobs(ctx: &Ctx, args: JobsArgs) -> Result<()> {
    ctx.require(ServiceName::Pinata, "jobs")?;
    let status = args
        .status
        .as_deref()
        .map(|s| {
            s.parse::<pinata::types::ListPinJobsStatus>()
                .map_err(|_| Usage(format!("unknown job status `{s}`")))
        })
        .transpose()?;
    let filter = pinata::PinJobsFilter {
        status,
        cid: args.cid,
        page_size: Some(100),
        ..pinata::PinJobsFilter::default()
    };
    let client = ctx.pinata()?;
    let jobs = if args.all {
        client.pin_jobs(filter).try_collect::<Vec<_>>().await?
    } else {
        client.pin_jobs_page(&filter, 0).await?.into_rows()?
    };
    let json = to_json(&jobs);
    let rows: Vec<Vec<String>> = json
        .as_array()
        .into_iter()
        .flatten()
        .map(|job| {
            let field = |k: &str| {
                job.get(k)
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .unwrap_or_default()
            };
            vec![
                field("ipfs_pin_hash"),
                field("status"),
                field("date_queued"),
            ]
        })
        .collect();
    let cids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    ctx.out.print(json.clone(), &cids, || {
        table(&["CID", "STATUS", "QUEUED"], &rows)
    });
    Ok(())
}

pub async fn metadata(ctx: &Ctx, command: MetadataCommand) -> Result<()> {
    let MetadataCommand::Set {
        cid,
        name: new_name,
        keyvalues: kv,
        remove,
    } = command;
    ctx.require(ServiceName::Pinata, "metadata set")?;
    let mut map = keyvalues(&kv)?;
    for key in remove {
        map.insert(key, Value::Null);
    }
    ctx.pinata()?
        .update_metadata(&cid, new_name.as_deref(), map)
        .await
        .with_context(|| format!("updating the metadata of {cid}"))?;
    ctx.out
        .print(json!({ "cid": cid, "updated": true }), &[&cid], || {
            format!("updated the metadata of {cid}")
        });
    Ok(())
}

pub async fn usage(ctx: &Ctx) -> Result<()> {
    match ctx.service()? {
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
