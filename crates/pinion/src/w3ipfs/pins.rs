//! Pinning on W3IPFS: uploads that are never pinned twice, pins of CIDs, the pin
//! listing and its totals (the account's usage), metadata and unpinning.

use chrono::Datelike;
use futures::{Stream, TryStreamExt};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Client, ListFilter, page_limit, pin_metadata, types};
use crate::Error;
use crate::args::to_i64;
use crate::cid::{Cid, CidVersion};
use crate::listing::{self, Answer, Listing, Shape};
use crate::operations;
use crate::paginate::paginate;
use crate::scopes::Service;
use crate::upload::{self, Multipart, UploadOptions, UploadSource, Uploaded};

/// Where the rows and count of `listPins` are.
const PINS: Shape = Shape {
    what: "pin",
    rows: "/data/pins",
    total: Some("/data/totals/files"),
};

/// Whether a failed upload may still have created a pin: the request may have reached
/// the service (a cut connection, a timeout, a server error) or the service answered
/// success with a body that could not be read.
fn may_have_pinned(error: &Error) -> bool {
    match error {
        Error::Transport { .. } | Error::Timeout { .. } | Error::Decode { .. } => true,
        Error::Api { status, .. } => {
            status.is_server_error() || *status == http::StatusCode::REQUEST_TIMEOUT
        }
        _ => false,
    }
}

/// Whether `pin` was never unpinned (W3IPFS sends Go's zero time, year 1, until then).
fn never_unpinned(pin: &types::Pin) -> bool {
    pin.date_unpinned.year() <= 1
}

fn uploaded(pin: types::Pin, duplicate: Option<bool>, skipped: bool) -> Uploaded {
    let size = pin.size.and_then(|s| u64::try_from(s).ok());
    let id = Some(pin.id.to_string());
    if skipped {
        Uploaded::already_pinned(pin.cid, size, id)
    } else {
        Uploaded::pinned(pin.cid, size, id, duplicate)
    }
}

impl Client {
    /// Uploads and pins `source` (`POST /pinning/`), streamed. W3IPFS always answers
    /// with a CIDv1 and has no wrapping or groups.
    ///
    /// W3IPFS makes a new pin for every upload, even of content it already pins, so an
    /// upload is not simply sent again when its answer is lost: the content's CID is
    /// looked up first, and a pin the lost attempt made is returned instead.
    pub async fn upload(
        &self,
        source: UploadSource,
        options: UploadOptions,
    ) -> Result<Uploaded, Error> {
        if options.cid_version == Some(CidVersion::V0) {
            return Err(Error::invalid_input(
                "CID version",
                "W3IPFS uploads are always CIDv1: leave cid_version unset or use V1",
            ));
        }
        if options.wrap_with_directory || options.group_id.is_some() {
            return Err(Error::invalid_input(
                "upload options",
                "W3IPFS has no wrap_with_directory or groups: leave them unset",
            ));
        }
        options.refuse_tus("W3IPFS's upload")?;
        let prepared = upload::prepare(source, &options).await?;
        if options.skip_if_pinned {
            let expected = prepared.local_cids(&[CidVersion::V1]).await?;
            if let Some(cid) = expected.v1
                && let Some(pin) = self.find_pinned(&cid.to_string()).await?
            {
                return Ok(uploaded(pin, Some(true), true));
            }
        }
        let keyvalues = options.checked_keyvalues(None)?;
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| prepared.name.clone());
        let metadata = pin_metadata(Some(&name), keyvalues)?;
        let mut multipart = Multipart::new(prepared, "file");
        multipart.field(
            "metadata",
            serde_json::to_string(&metadata)
                .map_err(|e| Error::invalid_input("metadata", e.to_string()))?,
        );
        let versions = upload::versions_to_hash(&options, Some(CidVersion::V1));
        let url = format!("{}/pinning/", self.inner.base_url);
        // Not resend-safe in the operation table: the retries after an attempt the
        // service may have seen are made here, each after a lookup.
        let operation = operations::lookup(Service::W3ipfs, "pin_file");
        let policy = self.engine().retry_policy().clone();
        let mut attempt = 0;
        let (answer, expected): (types::PinResponse, _) = loop {
            let error = match upload::send(
                self.engine(),
                &self.inner.http,
                &url,
                operation,
                &multipart,
                &versions,
                &options,
                &self.inner.credentials,
            )
            .await
            {
                Ok(sent) => break sent,
                Err(error) => error,
            };
            if attempt >= policy.retries()
                || !may_have_pinned(&error)
                || !multipart.prepared().resendable()
            {
                return Err(error);
            }
            tokio::time::sleep(policy.backoff(attempt)).await;
            attempt += 1;
            let local = multipart.prepared().local_cids(&[CidVersion::V1]).await?;
            if let Some(cid) = local.v1
                && let Some(pin) = self.find_live(&cid).await?
            {
                tracing::info!(
                    operation = operation.spec_id,
                    attempt,
                    "not sending the upload again: the lost attempt pinned it"
                );
                let pinned = uploaded(pin, None, false);
                return upload::finish(Service::W3ipfs, &options, &multipart, Some(local), pinned);
            }
            tracing::info!(
                operation = operation.spec_id,
                attempt,
                "retrying the upload: {error}"
            );
        };
        let pinned = uploaded(answer.data, None, false);
        upload::finish(Service::W3ipfs, &options, &multipart, expected, pinned)
    }

    /// Pins a CID already on IPFS (`POST /pinning/pinByHash`).
    pub async fn pin_by_hash(
        &self,
        cid: &str,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<types::Pin, Error> {
        let cid = crate::cid::parse_input(cid)?;
        let body = types::PinByHashRequest {
            hash_to_pin: cid.to_string(),
            metadata: Some(pin_metadata(name, keyvalues)?),
        };
        Ok(self
            .engine()
            .call(self.api().pin_by_hash().body(body).send())
            .await?
            .data)
    }

    /// One pin by id (`GET /pinning/{pinId}`).
    pub async fn get_pin(&self, id: Uuid) -> Result<types::Pin, Error> {
        Ok(self
            .engine()
            .call(self.api().get_pin().pin_id(id.to_string()).send())
            .await?
            .data)
    }

    fn pins_request(
        &self,
        filter: &ListFilter,
        offset: u64,
    ) -> Result<pinion_api::w3ipfs::builder::ListPins<'_>, Error> {
        let mut request = self
            .api()
            .list_pins()
            .offset(to_i64("offset", offset)?)
            .limit(page_limit(filter.page_size)?);
        if let Some(v) = filter.pinned {
            request = request.pinned(v);
        }
        if let Some(v) = filter.sort_by {
            request = request.sort_by(v);
        }
        if let Some(v) = filter.sort_order {
            request = request.sort_order(v);
        }
        if let Some(v) = &filter.metadata {
            request = request.metadata(Value::Object(v.clone()).to_string());
        }
        Ok(request)
    }

    /// One page of pins (`GET /pinning/pins/`); a pin that cannot be read is an
    /// [`Error::UndecodableRow`] among the others.
    pub async fn pins_page(
        &self,
        filter: &ListFilter,
        offset: u64,
    ) -> Result<Listing<types::Pin>, Error> {
        let request = self.pins_request(filter, offset)?;
        let answer = listing::fetch(self.engine(), request.send()).await?;
        PINS.listing(self.engine(), answer, |page| {
            (
                page.data.pins.unwrap_or_default(),
                u64::try_from(page.data.totals.files).ok(),
            )
        })
    }

    /// Every pin matching `filter`, page by page.
    pub fn pins(
        &self,
        filter: ListFilter,
    ) -> impl Stream<Item = Result<types::Pin, Error>> + Send + '_ {
        let size = filter.page_size.or(Some(10));
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move { self.pins_page(&filter, offset).await }
        })
    }

    /// The account's usage: the number and byte sum of its pinned pins, as W3IPFS
    /// totals them in its pin listing (`data.totals` of `GET /pinning/pins/`).
    pub async fn usage(&self) -> Result<types::Totals, Error> {
        let filter = ListFilter {
            pinned: Some(types::PinnedFilter::True),
            page_size: Some(1),
            ..ListFilter::default()
        };
        let request = self.pins_request(&filter, 0)?;
        match listing::fetch(self.engine(), request.send()).await? {
            Answer::Typed(page) => Ok(page.data.totals),
            Answer::Raw(raw) => raw
                .pointer("/data/totals")
                .cloned()
                .and_then(|totals| serde_json::from_value(totals).ok())
                .ok_or_else(|| Error::Decode {
                    service: Service::W3ipfs,
                    status: http::StatusCode::OK,
                    why: "the pin listing has no readable `data.totals`".to_owned(),
                }),
        }
    }

    /// The pinned pin of `cid`, if any.
    pub async fn find_pinned(&self, cid: &str) -> Result<Option<types::Pin>, Error> {
        let wanted = crate::cid::parse_input(cid)?;
        self.find(&wanted, types::PinnedFilter::True, |_| true)
            .await
    }

    /// A pin of `cid` that was never unpinned, pinned or still pending.
    async fn find_live(&self, cid: &Cid) -> Result<Option<types::Pin>, Error> {
        self.find(cid, types::PinnedFilter::All, never_unpinned)
            .await
    }

    /// The newest pin of `cid` in `pinned` state that passes `keep`. W3IPFS cannot
    /// filter by CID, so this pages through the listing, newest first.
    async fn find(
        &self,
        wanted: &Cid,
        pinned: types::PinnedFilter,
        keep: fn(&types::Pin) -> bool,
    ) -> Result<Option<types::Pin>, Error> {
        let filter = ListFilter {
            pinned: Some(pinned),
            sort_by: Some(types::SortBy::CreatedAt),
            sort_order: Some(types::SortOrder::Desc),
            page_size: Some(100),
            ..ListFilter::default()
        };
        let pins = self.pins(filter);
        futures::pin_mut!(pins);
        while let Some(pin) = pins.try_next().await? {
            if Cid::parse(&pin.cid).is_ok_and(|c| c == *wanted) && keep(&pin) {
                return Ok(Some(pin));
            }
        }
        Ok(None)
    }

    /// Unpins by pin id (`DELETE /pinning/unpin/{pinId}`). A retry that finds the pin
    /// already gone (an earlier attempt unpinned it but its answer was lost) is a
    /// success.
    pub async fn unpin(&self, id: Uuid) -> Result<(), Error> {
        self.engine()
            .call_removal(self.api().unpin().pin_id(id.to_string()).send())
            .await
    }

    /// Replaces a pin's metadata (`PUT /pinning/metadata/`).
    pub async fn update_pin_metadata(
        &self,
        id: Uuid,
        name: Option<&str>,
        keyvalues: Map<String, Value>,
    ) -> Result<(), Error> {
        let body = types::UpdatePinMetadataRequest {
            id: id.to_string(),
            metadata: pin_metadata(name, keyvalues)?,
        };
        self.engine()
            .call(self.api().update_pin_metadata().body(body).send())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_the_service_may_have_seen_lead_to_a_lookup() {
        let api = |status: u16| Error::Api {
            service: Service::W3ipfs,
            status: http::StatusCode::from_u16(status).unwrap(),
            reason: None,
            details: None,
            message: None,
            body: None,
        };
        assert!(may_have_pinned(&api(502)));
        assert!(!may_have_pinned(&api(400)));
        assert!(!may_have_pinned(&Error::invalid_input("file", "missing")));
    }
}
