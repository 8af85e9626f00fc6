//! `pinion files pin`: a pin-by-CID job on the public network, optionally waited for.

use anyhow::{Context as _, Result};
use pinion::pinata_v3::PinByCidOptions;
use serde_json::{Value, json};

use super::args::PinArgs;
use super::print_file;
use crate::context::Ctx;
use crate::pin::keyvalues;

/// Queues the job; with `--wait`, polls until it ends and prints the pinned file.
pub async fn pin(ctx: &Ctx, args: PinArgs) -> Result<()> {
    let mut options = PinByCidOptions {
        name: args.name,
        group_id: args.group,
        ..PinByCidOptions::default()
    };
    for (key, value) in keyvalues(&args.keyvalues)? {
        if let Value::String(value) = value {
            options.keyvalues.insert(key, value);
        }
    }
    let client = ctx.pinata_v3()?;
    let job = client
        .pin_by_cid(&args.cid, options)
        .await
        .with_context(|| format!("queueing {} for pinning", args.cid))?;
    if args.wait {
        let waited = tokio::time::timeout(
            args.wait_timeout,
            client.wait_until_pinned(&job, args.poll_interval),
        )
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "{} is not pinned yet after {} (job {}): the job goes on at the service;                  find the file later with `pinion files list --cid {}`, or wait longer with                  --wait-timeout",
                job.cid,
                humantime::format_duration(args.wait_timeout),
                job.id,
                job.cid
            )
        })?;
        let file = waited
            .with_context(|| format!("waiting for {} to be pinned (job {})", job.cid, job.id))?;
        print_file(ctx, &file);
        return Ok(());
    }
    let status = job.status.clone().unwrap_or_default();
    ctx.out.print(
        json!({ "job_id": job.id, "cid": job.cid, "status": status }),
        &[&job.id],
        || {
            format!(
                "queued {} for pinning ({status}); `--wait` waits for it\n  job id: {}\n{}",
                job.cid, job.id, job.id
            )
        },
    );
    Ok(())
}
