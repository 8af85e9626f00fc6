//! Pin-by-CID jobs still in Pinata's queue (`GET /pinning/pinJobs`).

use futures::Stream;

use super::{Client, types};
use crate::Error;
use crate::args::{page_limit, to_i64};
use crate::listing::{self, Listing, Shape};
use crate::paginate::paginate;

/// Where the rows and count of `listPinJobs` are.
const JOBS: Shape = Shape {
    what: "pin job",
    rows: "/rows",
    total: Some("/count"),
};

/// Filters of [`Client::pin_jobs`] (`GET /pinning/pinJobs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PinJobsFilter {
    /// Oldest or newest first.
    pub sort: Option<types::ListPinJobsSort>,
    /// Only jobs in this status.
    pub status: Option<types::ListPinJobsStatus>,
    /// Only jobs for this CID.
    pub cid: Option<String>,
    /// Page size (1 to 1000; default 5).
    pub page_size: Option<u64>,
}

impl Client {
    /// One page of pin-by-CID jobs (`GET /pinning/pinJobs`).
    pub async fn pin_jobs_page(
        &self,
        filter: &PinJobsFilter,
        offset: u64,
    ) -> Result<Listing<types::PinJob>, Error> {
        let mut request = self.api().list_pin_jobs().offset(to_i64("offset", offset)?);
        if let Some(limit) = page_limit(filter.page_size)? {
            request = request.limit(limit);
        }
        if let Some(sort) = filter.sort {
            request = request.sort(sort);
        }
        if let Some(status) = filter.status {
            request = request.status(status);
        }
        if let Some(cid) = &filter.cid {
            request = request.ipfs_pin_hash(crate::cid::parse_input(cid)?.to_string());
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        JOBS.listing(self.engine(), answer, |page| {
            (page.rows, u64::try_from(page.count).ok())
        })
    }

    /// Every pin-by-CID job, page by page.
    pub fn pin_jobs(
        &self,
        filter: PinJobsFilter,
    ) -> impl Stream<Item = Result<types::PinJob, Error>> + Send + '_ {
        let size = filter.page_size;
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move { self.pin_jobs_page(&filter, offset).await }
        })
    }
}
