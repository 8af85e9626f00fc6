//! `pinion content upload | list | get | update | delete` (Submarine).

use anyhow::{Context as _, Result};
use pinion::submarine::{ContentFilter, types::ContentItem};
use pinion::upload::{UploadOptions, UploadSource};
use serde_json::json;

use crate::cli::ContentCommand;
use crate::context::Ctx;
use crate::exit::Usage;
use crate::listing::{Layout, Rows};
use crate::output::{bytes, to_json};

fn uuid(id: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim()).map_err(|_| {
        Usage(format!(
            "`{id}` is not a content id: Submarine content ids are UUIDs (the `id` printed by `pinion content upload`)"
        ))
        .into()
    })
}

pub async fn run(ctx: &Ctx, command: ContentCommand) -> Result<()> {
    let client = ctx.submarine(None)?;
    match command {
        ContentCommand::Upload { path, name, hidden } => {
            let meta = std::fs::metadata(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let source = if meta.is_dir() {
                UploadSource::Directory(path.clone())
            } else {
                UploadSource::File(path.clone())
            };
            let mut options = UploadOptions::default().include_hidden(hidden);
            if let Some(name) = name {
                options = options.name(name);
            }
            let bar = crate::pin::progress(ctx, &path);
            if let Some(bar) = &bar {
                options = bar.attach(options);
            }
            let uploaded = client
                .upload(source, options, false)
                .await
                .with_context(|| format!("uploading {}", path.display()));
            if let Some(bar) = bar {
                bar.finish();
            }
            let uploaded = uploaded?;
            crate::pin::warn_skipped_links(&uploaded.skipped_links);
            let id = uploaded.id.clone().unwrap_or_default();
            ctx.out.print(
                json!({
                    "id": uploaded.id,
                    "cid": uploaded.cid,
                    "size": uploaded.size,
                    "duplicate": uploaded.duplicate,
                    "verified": uploaded.verified,
                }),
                &[&id],
                || {
                    format!(
                        "uploaded {} as private content\n  id:  {id}\n  CID: {}\nShare it with: pinion token create {id} --ttl 1h",
                        path.display(),
                        uploaded.cid
                    )
                },
            );
        }
        ContentCommand::List { name, all } => {
            let filter = ContentFilter {
                name,
                page_size: Some(if all { 100 } else { 10 }),
                ..ContentFilter::default()
            };
            let items: Rows<ContentItem> = if all {
                Rows::collect(client.content(filter)).await?
            } else {
                Rows::from_listing(client.content_page(&filter, 0).await?)?
            };
            let layout = Layout {
                header: &["ID", "CID", "NAME", "CREATED"],
                bare: 0,
            };
            items.print(
                &ctx.out,
                layout,
                |i| {
                    vec![
                        i.id.to_string(),
                        i.cid.clone(),
                        i.name.clone(),
                        i.created_at.to_rfc3339(),
                    ]
                },
                to_json,
            );
        }
        ContentCommand::Get { id } => {
            let item = client.get_content(uuid(&id)?).await?;
            show(ctx, &item);
        }
        ContentCommand::Update { id, name, public } => {
            if name.is_none() && !public {
                return Err(Usage(
                    "nothing to change: give --name NAME and/or --public".to_owned(),
                )
                .into());
            }
            let item = client
                .update_content(uuid(&id)?, name.as_deref(), public.then_some(true))
                .await?;
            show(ctx, &item);
        }
        ContentCommand::Delete { id } => {
            client.delete_content(uuid(&id)?).await?;
            ctx.out
                .print(json!({ "id": id, "deleted": true }), &[&id], || {
                    format!("deleted {id}")
                });
        }
    }
    Ok(())
}

fn show(ctx: &Ctx, item: &ContentItem) {
    let id = item.id.to_string();
    ctx.out.print(to_json(item), &[&id], || {
        format!(
            "id:      {id}\nCID:     {}\nname:    {}\nsize:    {}\ncreated: {}",
            item.cid,
            item.name.clone(),
            bytes(item_size(item)),
            item.created_at.to_rfc3339()
        )
    });
}

fn item_size(item: &ContentItem) -> Option<u64> {
    to_json(item)
        .get("size")
        .and_then(serde_json::Value::as_u64)
}
