//! The pin listing (`GET /data/pinList`), pin lookups and the account's usage.

use chrono::{DateTime, Utc};
use futures::Stream;
use serde_json::{Map, Value};

use super::{Client, types};
use crate::Error;
use crate::args::{page_limit, to_i64};
use crate::listing::{self, Listing, Shape};
use crate::paginate::paginate;

/// Where the rows and count of `pinList` are.
const PINS: Shape = Shape {
    what: "pin",
    rows: "/rows",
    total: Some("/count"),
};

/// Filters of [`Client::pins`] (`GET /data/pinList`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PinListFilter {
    /// Only pins of this CID.
    pub cid: Option<String>,
    /// Only pins whose CID contains this string.
    pub hash_contains: Option<String>,
    /// Only pins in this group.
    pub group_id: Option<String>,
    /// `pinned`, `unpinned` or `all`.
    pub status: Option<types::PinListStatus>,
    /// Pinned at or after.
    pub pin_start: Option<DateTime<Utc>>,
    /// Pinned at or before.
    pub pin_end: Option<DateTime<Utc>>,
    /// Unpinned at or after.
    pub unpin_start: Option<DateTime<Utc>>,
    /// Unpinned at or before.
    pub unpin_end: Option<DateTime<Utc>>,
    /// At least this many bytes.
    pub size_min: Option<u64>,
    /// At most this many bytes.
    pub size_max: Option<u64>,
    /// Metadata name contains.
    pub name: Option<String>,
    /// Key-value conditions, `{"key": {"value": .., "op": ..}}`.
    pub keyvalues: Option<Map<String, Value>>,
    /// Page size (1 to 1000; default 10).
    pub page_size: Option<u64>,
}

impl Client {
    /// One page of pin records (`GET /data/pinList`); a record that cannot be read is
    /// an [`Error::UndecodableRow`] among the others.
    pub async fn pins_page(
        &self,
        filter: &PinListFilter,
        offset: u64,
    ) -> Result<Listing<types::PinListItem>, Error> {
        let mut request = self.api().pin_list().page_offset(to_i64("offset", offset)?);
        if let Some(limit) = page_limit(filter.page_size)? {
            request = request.page_limit(limit);
        }
        if let Some(cid) = &filter.cid {
            request = request.cid(crate::cid::parse_input(cid)?.to_string());
        }
        if let Some(part) = &filter.hash_contains {
            request = request.hash_contains(part.clone());
        }
        if let Some(group) = &filter.group_id {
            request = request.group_id(group.clone());
        }
        if let Some(status) = filter.status {
            request = request.status(status);
        }
        if let Some(t) = filter.pin_start {
            request = request.pin_start(t);
        }
        if let Some(t) = filter.pin_end {
            request = request.pin_end(t);
        }
        if let Some(t) = filter.unpin_start {
            request = request.unpin_start(t);
        }
        if let Some(t) = filter.unpin_end {
            request = request.unpin_end(t);
        }
        if let Some(n) = filter.size_min {
            request = request.pin_size_min(to_i64("size_min", n)?);
        }
        if let Some(n) = filter.size_max {
            request = request.pin_size_max(to_i64("size_max", n)?);
        }
        if let Some(name) = &filter.name {
            request = request.metadata_name(name.clone());
        }
        if let Some(keyvalues) = &filter.keyvalues {
            request = request.metadata_keyvalues(Value::Object(keyvalues.clone()).to_string());
        }
        let answer = listing::fetch(self.engine(), request.send()).await?;
        PINS.listing(self.engine(), answer, |page| {
            (page.rows, page.count.and_then(|c| u64::try_from(c).ok()))
        })
    }

    /// Every pin record matching `filter`, page by page.
    pub fn pins(
        &self,
        filter: PinListFilter,
    ) -> impl Stream<Item = Result<types::PinListItem, Error>> + Send + '_ {
        let size = filter.page_size.or(Some(10));
        paginate(0, size, move |offset| {
            let filter = filter.clone();
            async move { self.pins_page(&filter, offset).await }
        })
    }

    /// The current pin of `cid`, if this account pins it.
    pub async fn pinned(&self, cid: &str) -> Result<Option<types::PinListItem>, Error> {
        let wanted = crate::cid::parse_input(cid)?.to_string();
        let filter = PinListFilter {
            cid: Some(wanted.clone()),
            status: Some(types::PinListStatus::Pinned),
            page_size: Some(10),
            ..PinListFilter::default()
        };
        let rows = self.pins_page(&filter, 0).await?.into_rows()?;
        Ok(rows
            .into_iter()
            .find(|row| row.ipfs_pin_hash == wanted && row.date_unpinned.is_none()))
    }

    /// Whether `cid` is currently pinned by this account.
    pub async fn is_pinned(&self, cid: &str) -> Result<bool, Error> {
        Ok(self.pinned(cid).await?.is_some())
    }

    /// The account's pin count and sizes (`GET /data/userPinnedDataTotal`).
    pub async fn usage(&self) -> Result<types::PinnedDataTotal, Error> {
        self.engine()
            .call(self.api().user_pinned_data_total().send())
            .await
    }
}
