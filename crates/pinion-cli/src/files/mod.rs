//! `pinion files …`: files on Pinata's v3 API, public or private (`--private`).

mod args;
mod journal;
mod pin;
mod signed;
mod size;
mod upload;
mod upload_lock;

use anyhow::{Context as _, Result};
use pinion::pinata_v3::{FileFilter, FileUpdate, types};
use serde_json::{Value, json};

use self::args::ListArgs;
pub use self::args::{FilesCommand, NetworkArg};
use crate::cli::ServiceName;
use crate::context::Ctx;
use crate::listing::{Layout, Rows};
use crate::output::bytes;
use crate::pin::keyvalues;

/// Runs one `files` command.
pub async fn run(ctx: &Ctx, command: FilesCommand) -> Result<()> {
    ctx.require(ServiceName::Pinata, "`pinion files` (Pinata's v3 API)")?;
    match command {
        FilesCommand::Upload(args) => upload::upload(ctx, args).await,
        FilesCommand::List(args) => list(ctx, args).await,
        FilesCommand::Get { id, network } => {
            let file = ctx
                .pinata_v3()?
                .file(network.network(), &id)
                .await
                .with_context(|| format!("getting file {id}"))?;
            print_file(ctx, &file);
            Ok(())
        }
        FilesCommand::Update {
            id,
            name,
            keyvalues: kv,
            remove,
            network,
        } => {
            let mut update = FileUpdate::default();
            for key in remove {
                update = update.remove_keyvalue(key);
            }
            if let Some(name) = name {
                update = update.name(name);
            }
            for (key, value) in keyvalues(&kv)? {
                if let Value::String(value) = value {
                    update = update.keyvalue(key, value);
                }
            }
            let file = ctx
                .pinata_v3()?
                .update_file(network.network(), &id, update)
                .await
                .with_context(|| format!("updating file {id}"))?;
            print_file(ctx, &file);
            Ok(())
        }
        FilesCommand::Delete { ids, network } => {
            let client = ctx.pinata_v3()?;
            for id in &ids {
                client
                    .delete_file(network.network(), id)
                    .await
                    .with_context(|| format!("deleting file {id}"))?;
                ctx.out
                    .print(json!({ "id": id, "deleted": true }), &[id], || {
                        format!("deleted {id}")
                    });
            }
            Ok(())
        }
        FilesCommand::Link(args) => signed::link(ctx, args).await,
        FilesCommand::Pin(args) => pin::pin(ctx, args).await,
        FilesCommand::SignUpload(args) => signed::sign_upload(ctx, args).await,
    }
}

/// The `--json` object of one file (`files get`, `update`, and each row of `list`).
pub(crate) fn file_json(file: &types::File) -> Value {
    json!({
        "id": file.id,
        "cid": file.cid,
        "name": file.name,
        "size": file.size,
        "network": file.network,
        "group_id": file.group_id,
        "mime_type": file.mime_type,
        "keyvalues": file.keyvalues.as_ref().map(|kv| Value::Object(kv.0.clone())).unwrap_or_else(|| json!({})),
        "created_at": file.created_at,
    })
}

pub(crate) fn print_file(ctx: &Ctx, file: &types::File) {
    ctx.out.print(file_json(file), &[&file.id], || {
        let mut text = format!(
            "{}  {}\n  cid:     {}\n  size:    {}",
            file.id,
            file.name.as_deref().unwrap_or("(unnamed)"),
            file.cid,
            bytes(file.size.and_then(|s| u64::try_from(s).ok())),
        );
        if let Some(group) = &file.group_id {
            text.push_str(&format!("\n  group:   {group}"));
        }
        if let Some(kv) = file.keyvalues.as_ref().filter(|kv| !kv.is_empty()) {
            let pairs: Vec<String> = kv
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{k}={}",
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                    )
                })
                .collect();
            text.push_str(&format!("\n  keyvalues: {}", pairs.join(", ")));
        }
        text
    });
}

async fn list(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let mut filter = FileFilter::default();
    if let Some(name) = args.name {
        filter = filter.name(name);
    }
    if let Some(cid) = args.cid {
        filter = filter.cid(cid);
    }
    if let Some(group) = args.group {
        filter = filter.group(group);
    }
    for (key, value) in keyvalues(&args.keyvalues)? {
        if let Value::String(value) = value {
            filter = filter.keyvalue(key, value);
        }
    }
    let network = args.network.network();
    let client = ctx.pinata_v3()?;
    let rows = if args.all {
        Rows::collect(client.files(network, filter)).await
    } else {
        client
            .files_page(network, &filter, None)
            .await
            .and_then(|page| Rows::from_listing(page.files))
    }
    .context("listing files")?;
    let layout = Layout {
        header: &["ID", "CID", "NAME", "SIZE"],
        bare: 0,
    };
    rows.print(
        &ctx.out,
        layout,
        |f| {
            vec![
                f.id.clone(),
                f.cid.clone(),
                f.name.clone().unwrap_or_default(),
                bytes(f.size.and_then(|s| u64::try_from(s).ok())),
            ]
        },
        file_json,
    );
    Ok(())
}
