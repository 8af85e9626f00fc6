//! `pinion jobs`: Pinata's pin-by-CID queue.

use anyhow::Result;
use pinion::pinata;

use crate::cli::{JobsArgs, ServiceName};
use crate::context::Ctx;
use crate::exit::Usage;
use crate::listing::{Layout, Rows};
use crate::output::to_json;

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
        Rows::collect(client.pin_jobs(filter)).await?
    } else {
        Rows::from_listing(client.pin_jobs_page(&filter, 0).await?)?
    };
    let layout = Layout {
        header: &["CID", "STATUS", "QUEUED"],
        bare: 0,
    };
    jobs.print(
        &ctx.out,
        layout,
        |job| {
            let job = to_json(job);
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
        },
        to_json,
    );
    Ok(())
}
