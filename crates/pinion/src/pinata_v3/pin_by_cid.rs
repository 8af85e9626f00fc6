//! Pins of content already on IPFS (`/files/public/pin_by_cid`): queue, list, cancel,
//! and wait until the job ends.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{Client, types};
use crate::Error;
use crate::args::{non_empty, page_limit, rule};
use crate::scopes::Service;

/// Options of [`Client::pin_by_cid`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PinByCidOptions {
    /// The file's name (the service defaults it to the CID).
    pub name: Option<String>,
    /// Put the file in this public group.
    pub group_id: Option<String>,
    /// Key-values (at most 10).
    pub keyvalues: BTreeMap<String, String>,
    /// Peers that hold the content (at most 5 multiaddrs).
    pub host_nodes: Vec<String>,
}

/// Filters of [`Client::pin_by_cid_requests`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PinByCidFilter {
    /// Only jobs of this CID.
    pub cid: Option<String>,
    /// Only jobs in this status (`searching`, `retrieving`, `expired`, …).
    pub status: Option<String>,
    /// Page size (1 to 250).
    pub limit: Option<u64>,
    /// Oldest first or newest first.
    pub order: Option<types::SortOrder>,
    /// The page to read (from the previous page's `next_page_token`).
    pub page_token: Option<String>,
}

/// Where a pin-by-CID job stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PinByCidStatus {
    /// Still queued or working (`prechecking`, `searching`, `retrieving`, `backfilled`).
    Working(String),
    /// The job is done: the CID is a public file, and no longer in the queue.
    Pinned,
    /// The job ended without pinning (`expired`, `over_free_limit`, `over_max_size`,
    /// `invalid_object`, `bad_host_node`, or a status pinion does not know).
    Failed(String),
}

impl PinByCidStatus {
    /// The status of a job the queue lists.
    pub fn of(status: &str) -> Self {
        match status {
            "prechecking" | "searching" | "retrieving" | "retreiving" | "backfilled" => {
                Self::Working(status.to_owned())
            }
            other => Self::Failed(other.to_owned()),
        }
    }
}

impl Client {
    /// Queues a job that pins `cid` to the public network
    /// (`POST /files/public/pin_by_cid`); sent once (a second send would queue a
    /// second job).
    ///
    /// ```no_run
    /// # async fn run(client: pinion::pinata_v3::Client) -> Result<(), pinion::Error> {
    /// use std::time::Duration;
    /// use pinion::pinata_v3::PinByCidOptions;
    /// let job = client.pin_by_cid("bafy…", PinByCidOptions::default()).await?;
    /// // Ends with Error::PinJobFailed if the job expires or fails otherwise.
    /// let file = tokio::time::timeout(
    ///     Duration::from_secs(600),
    ///     client.wait_until_pinned(&job, Duration::from_secs(5)),
    /// )
    /// .await
    /// .map_err(|_| pinion::Error::invalid_input("pin", "still not pinned after 10 minutes"))??;
    /// println!("pinned as file {}", file.id);
    /// # Ok(()) }
    /// ```
    pub async fn pin_by_cid(
        &self,
        cid: &str,
        options: PinByCidOptions,
    ) -> Result<types::PinRequest, Error> {
        let cid = crate::cid::parse_input(cid)?;
        pinion_rules::host_nodes::check_host_nodes(&options.host_nodes).map_err(rule)?;
        if options.keyvalues.len() > pinion_rules::metadata::MAX_KEYVALUES {
            return Err(Error::invalid_input(
                "keyvalues",
                format!(
                    "{} given: at most {}",
                    options.keyvalues.len(),
                    pinion_rules::metadata::MAX_KEYVALUES
                ),
            ));
        }
        if let Some(group) = &options.group_id {
            non_empty("group id", group)?;
        }
        let body = types::PinByCidRequest {
            cid: cid.to_string(),
            group_id: options.group_id,
            host_nodes: options.host_nodes,
            keyvalues: options.keyvalues,
            name: options.name,
        };
        let answer = self
            .engine()
            .call(self.api().pin_by_cid().body(body).send())
            .await?;
        Ok(answer.data)
    }

    /// One page of the pin-by-CID queue (`GET /files/public/pin_by_cid`) and the next
    /// page's token.
    pub async fn pin_by_cid_requests(
        &self,
        filter: &PinByCidFilter,
    ) -> Result<(Vec<types::PinRequest>, Option<String>), Error> {
        let mut request = self.api().list_pin_by_cid_requests();
        if let Some(cid) = &filter.cid {
            request = request.cid(crate::cid::parse_input(cid)?.to_string());
        }
        if let Some(status) = &filter.status {
            non_empty("status", status)?;
            request = request.status(status.clone());
        }
        if let Some(limit) = page_limit(filter.limit)? {
            request = request.limit(limit);
        }
        if let Some(order) = filter.order {
            request = request.order(order);
        }
        if let Some(token) = filter.page_token.as_deref().filter(|t| !t.is_empty()) {
            request = request.page_token(token.to_owned());
        }
        let answer = self.engine().call(request.send()).await?;
        let next = answer.data.next_page_token.filter(|t| !t.is_empty());
        Ok((answer.data.jobs, next))
    }

    /// Cancels a queued job (`DELETE /files/public/pin_by_cid/{id}`).
    pub async fn cancel_pin_by_cid(&self, id: &str) -> Result<(), Error> {
        non_empty("job id", id)?;
        self.engine()
            .call_removal(self.api().cancel_pin_by_cid().id(id.trim()).send())
            .await
    }

    /// Where the job `id` of `cid` stands: in the queue (its status), or gone from it
    /// with `cid` a public file ([`PinByCidStatus::Pinned`]).
    pub async fn pin_by_cid_status(&self, id: &str, cid: &str) -> Result<PinByCidStatus, Error> {
        let filter = PinByCidFilter {
            cid: Some(cid.to_owned()),
            limit: Some(250),
            ..PinByCidFilter::default()
        };
        let (jobs, _) = self.pin_by_cid_requests(&filter).await?;
        if let Some(job) = jobs.into_iter().find(|job| job.id == id) {
            return Ok(PinByCidStatus::of(job.status.as_deref().unwrap_or("")));
        }
        match self.file_by_cid(super::Network::Public, cid).await? {
            Some(_) => Ok(PinByCidStatus::Pinned),
            None => Err(Error::NotFound {
                service: Service::Pinata,
                what: format!("pin-by-CID job {id} (not queued, and {cid} is not a public file)"),
            }),
        }
    }

    /// Polls the job every `interval` until it ends: the public file it pinned, or
    /// [`Error::PinJobFailed`] as soon as the job reports a failure status (`expired`,
    /// `over_max_size`, …). It waits as long as the job works (the service gives up
    /// after a day): bound it with `tokio::time::timeout` where that is too long.
    pub async fn wait_until_pinned(
        &self,
        job: &types::PinRequest,
        interval: Duration,
    ) -> Result<types::File, Error> {
        loop {
            match self.pin_by_cid_status(&job.id, &job.cid).await? {
                PinByCidStatus::Pinned => {
                    return self
                        .file_by_cid(super::Network::Public, &job.cid)
                        .await?
                        .ok_or_else(|| Error::NotFound {
                            service: Service::Pinata,
                            what: format!("public file of {}", job.cid),
                        });
                }
                PinByCidStatus::Failed(status) => {
                    return Err(Error::PinJobFailed {
                        service: Service::Pinata,
                        cid: job.cid.clone(),
                        status,
                    });
                }
                PinByCidStatus::Working(_) => tokio::time::sleep(interval).await,
            }
        }
    }
}
