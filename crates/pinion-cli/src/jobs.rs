//! `pinion jobs`: Pinata's pin-by-CID queue.

use anyhow::Result;
use futures::TryStreamExt;
use pinion::pinata;

use crate::cli::{JobsArgs, ServiceName};
use crate::context::Ctx;
use crate::exit::Usage;
use crate::output::{table, to_json};

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
