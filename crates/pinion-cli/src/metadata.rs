//! `pinion metadata set`: a pin's name and key-values (Pinata).

use anyhow::{Context as _, Result};
use serde_json::{Value, json};

use crate::cli::{MetadataCommand, ServiceName};
use crate::context::Ctx;
use crate::pin::keyvalues;

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
