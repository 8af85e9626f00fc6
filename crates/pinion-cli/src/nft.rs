//! `pinion nft create | list | get | unpin` (W3IPFS).

use anyhow::{Context as _, Result};
use pinion::w3ipfs::{self, types::Nft};
use serde_json::{Map, Value, json};

use crate::cli::{NftCommand, ServiceName};
use crate::context::Ctx;
use crate::exit::Usage;
use crate::listing::{Layout, Rows};
use crate::output::to_json;

fn uuid(id: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim())
        .map_err(|_| Usage(format!("`{id}` is not an NFT id (a UUID)")).into())
}

pub async fn run(ctx: &Ctx, command: NftCommand) -> Result<()> {
    // NFTs exist on W3IPFS only: no --service w3ipfs needed.
    if ctx.global.service == Some(ServiceName::Pinata) {
        return Err(Usage("NFTs are a W3IPFS feature: drop --service pinata".to_owned()).into());
    }
    let client = ctx.w3ipfs()?;
    match command {
        NftCommand::Create { asset, metadata } => {
            let text = std::fs::read_to_string(&metadata)
                .with_context(|| format!("reading {}", metadata.display()))?;
            let metadata: Map<String, Value> = serde_json::from_str(&text)
                .map_err(|e| Usage(format!("the NFT metadata is not a JSON object: {e}")))?;
            let nft = client
                .create_nft(asset.clone(), &metadata)
                .await
                .with_context(|| format!("creating an NFT from {}", asset.display()))?;
            show(ctx, &nft);
        }
        NftCommand::List { all } => {
            let filter = w3ipfs::ListFilter {
                page_size: Some(if all { 100 } else { 10 }),
                ..w3ipfs::ListFilter::default()
            };
            let nfts = if all {
                Rows::collect(client.nfts(filter)).await?
            } else {
                Rows::from_listing(client.nfts_page(&filter, 0).await?)?
            };
            let layout = Layout {
                header: &["ID", "ASSET CID", "METADATA CID", "PINNED"],
                bare: 0,
            };
            nfts.print(
                &ctx.out,
                layout,
                |n| {
                    vec![
                        n.id.to_string(),
                        n.asset_cid.clone(),
                        n.metadata_cid.clone(),
                        n.pinned.to_string(),
                    ]
                },
                to_json,
            );
        }
        NftCommand::Get { id } => {
            let nft = client.get_nft(uuid(&id)?).await?;
            show(ctx, &nft);
        }
        NftCommand::Unpin { id } => {
            client.unpin_nft(uuid(&id)?).await?;
            ctx.out
                .print(json!({ "id": id, "unpinned": true }), &[&id], || {
                    format!("unpinned NFT {id}")
                });
        }
    }
    Ok(())
}

fn show(ctx: &Ctx, nft: &Nft) {
    let id = nft.id.to_string();
    ctx.out.print(to_json(nft), &[&id], || {
        format!(
            "id:           {id}\nasset CID:    {}\nmetadata CID: {}\npinned:       {}",
            nft.asset_cid, nft.metadata_cid, nft.pinned
        )
    });
}
