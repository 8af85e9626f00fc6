//! `pinion pin file | dir | json | cid`: uploads and pins.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use pinion::FileUpload;
use pinion::cid::{CidVersion, SkippedLink};
use pinion::pinata;
use pinion::upload::{UploadOptions, Uploaded};
use serde_json::{Map, Value, json};

use crate::cli::{PinCommand, PinOptions, ServiceName};
use crate::context::{Ctx, name};
use crate::exit::Usage;
use crate::output::{bytes, to_json};

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

pub fn version(v: Option<u8>) -> Option<CidVersion> {
    v.map(|v| {
        if v == 0 {
            CidVersion::V0
        } else {
            CidVersion::V1
        }
    })
}

/// What a directory upload reads: hidden entries, symbolic links.
#[derive(Clone, Copy, Default)]
struct DirectoryChoices {
    hidden: bool,
    follow_symlinks: bool,
}

fn upload_options(options: &PinOptions, directory: DirectoryChoices) -> Result<UploadOptions> {
    let mut out = UploadOptions::default()
        .wrap_with_directory(options.wrap)
        .include_hidden(directory.hidden)
        .follow_symlinks(directory.follow_symlinks)
        .skip_if_pinned(options.skip_existing)
        // On unless --no-verify (--verify spells out the default).
        .verify(!options.no_verify);
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
            "skipped_links": uploaded.skipped_links.iter().map(|s| s.path.display().to_string()).collect::<Vec<_>>(),
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

/// Uploads and pins the file or directory at `path`, with a progress bar on a terminal.
async fn pin_path(ctx: &Ctx, path: PathBuf, opts: UploadOptions, directory: bool) -> Result<()> {
    let bar = progress(ctx, &path);
    let opts = match &bar {
        Some(bar) => bar.attach(opts),
        None => opts,
    };
    let client = ctx.any()?;
    let result = if directory {
        client.pin_directory(path.clone(), opts).await
    } else {
        client.pin_file(path.clone(), opts).await
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    let uploaded = result.with_context(|| format!("pinning {}", path.display()))?;
    warn_skipped_links(&uploaded.skipped_links);
    print_uploaded(ctx, &path, &uploaded);
    Ok(())
}

/// Tells on stderr which symbolic links were left out of a directory, and why.
pub fn warn_skipped_links(links: &[SkippedLink]) {
    if links.is_empty() {
        return;
    }
    let list: Vec<String> = links.iter().map(ToString::to_string).collect();
    eprintln!(
        "warning: left out {} symbolic link(s): {}",
        links.len(),
        list.join(", ")
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
            let opts = upload_options(&options, DirectoryChoices::default())?;
            pin_path(ctx, path, opts, false).await?;
        }
        PinCommand::Dir {
            path,
            hidden,
            follow_symlinks,
            options,
        } => {
            if !path.is_dir() {
                return Err(Usage(format!(
                    "{} is not a directory: use `pinion pin file`",
                    path.display()
                ))
                .into());
            }
            let choices = DirectoryChoices {
                hidden,
                follow_symlinks,
            };
            let opts = upload_options(&options, choices)?;
            pin_path(ctx, path, opts, true).await?;
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
            wait,
        } => {
            let service = ctx.service()?;
            if wait.wait && service != ServiceName::Psa {
                return Err(Usage(
                    "--wait follows a Pinning Service API request: run it with --service psa (on Pinata, `pinion jobs` shows pin-by-CID jobs)"
                        .to_owned(),
                )
                .into());
            }
            match service {
                ServiceName::Psa => {
                    crate::psa::pin_cid(ctx, &cid, pin_name, &kv, &host_nodes, &wait).await?;
                }
                ServiceName::Pinata => {
                    let kv = keyvalues(&kv)?;
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
                        .pin_by_hash(&cid, pin_name.as_deref(), keyvalues(&kv)?)
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
