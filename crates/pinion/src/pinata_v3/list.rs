//! Listing files (`GET /files/{network}`) with every filter, page by page with
//! `pageToken`, and as one [`Stream`].

use std::collections::BTreeMap;

use futures::{Stream, StreamExt, stream};
use serde_json::Value;

use super::{Client, Network, types};
use crate::Error;
use crate::args::{non_empty, page_limit};
use crate::listing::{Answer, Listing, Shape};

/// Where the rows of `listFiles` are.
const FILES: Shape = Shape {
    what: "file",
    rows: "/data/files",
    total: None,
};

/// Filters of [`Client::files`] (`GET /files/{network}`); all of them must match.
///
/// ```
/// use pinion::pinata_v3::FileFilter;
/// let filter = FileFilter::default().keyvalue("team", "ops").name("report.pdf");
/// assert_eq!(filter.keyvalues["team"], "ops");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFilter {
    /// Only files of this name.
    pub name: Option<String>,
    /// Only files of this CID.
    pub cid: Option<String>,
    /// Only files in this group.
    pub group: Option<String>,
    /// Only files in no group (`group=null`; ignored when `group` is set).
    pub no_group: bool,
    /// Only files of this MIME type.
    pub mime_type: Option<String>,
    /// Only files whose CID is not known yet (`cid` is `pending`).
    pub cid_pending: bool,
    /// Only files with all these key-values (`keyvalues[key]=value`).
    pub keyvalues: BTreeMap<String, String>,
    /// Page size (1 to 1000; the service's default when unset).
    pub limit: Option<u64>,
    /// Oldest first ([`types::SortOrder::Asc`]) or newest first.
    pub order: Option<types::SortOrder>,
}

impl FileFilter {
    /// Sets [`name`](Self::name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets [`cid`](Self::cid).
    pub fn cid(mut self, cid: impl Into<String>) -> Self {
        self.cid = Some(cid.into());
        self
    }

    /// Sets [`group`](Self::group).
    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.group = Some(group_id.into());
        self
    }

    /// Adds a key-value condition.
    pub fn keyvalue(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.keyvalues.insert(key.into(), value.into());
        self
    }

    /// Sets [`limit`](Self::limit).
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// One page of files and the token of the next one.
#[derive(Debug)]
#[non_exhaustive]
pub struct FilePage {
    /// The files; one that does not have the documented shape is an
    /// [`Error::UndecodableRow`] with its raw JSON.
    pub files: Listing<types::File>,
    /// The token of the next page; `None` on the last one.
    pub next_page_token: Option<String>,
}

impl Client {
    /// One page of a network's files (`GET /files/{network}`), from `page_token` (the
    /// first page when `None`).
    pub async fn files_page(
        &self,
        network: Network,
        filter: &FileFilter,
        page_token: Option<&str>,
    ) -> Result<FilePage, Error> {
        let mut url = url::Url::parse(&format!("{}/files/{network}", self.api_url()))
            .map_err(|e| Error::invalid_input("base URL", e.to_string()))?;
        {
            let mut query = url.query_pairs_mut();
            let mut text = |key: &str, what: &str, value: &Option<String>| {
                if let Some(value) = value {
                    non_empty(what, value)?;
                    query.append_pair(key, value);
                }
                Ok::<_, Error>(())
            };
            text("name", "name", &filter.name)?;
            text("mimeType", "MIME type", &filter.mime_type)?;
            text("group", "group id", &filter.group)?;
            if let Some(cid) = &filter.cid {
                query.append_pair("cid", &crate::cid::parse_input(cid)?.to_string());
            }
            if filter.no_group && filter.group.is_none() {
                query.append_pair("group", "null");
            }
            if filter.cid_pending {
                query.append_pair("cidPending", "true");
            }
            for (key, value) in &filter.keyvalues {
                non_empty("keyvalue key", key)?;
                query.append_pair(&format!("keyvalues[{key}]"), value);
            }
            if let Some(limit) = page_limit(filter.limit)? {
                query.append_pair("limit", &limit.to_string());
            }
            if let Some(order) = filter.order {
                query.append_pair("order", &order.to_string());
            }
            if let Some(token) = page_token.filter(|t| !t.is_empty()) {
                query.append_pair("pageToken", token);
            }
        }
        let request = self.request(reqwest::Method::GET, url)?;
        let operation = super::operation("list_files");
        let raw: Value = self
            .engine()
            .send_json(self.http(), operation, request)
            .await?;
        let next_page_token = raw
            .pointer("/data/next_page_token")
            .and_then(Value::as_str)
            .filter(|token| !token.is_empty())
            .map(str::to_owned);
        let files = FILES.listing(self.engine(), Answer::<()>::Raw(raw), |()| {
            (Vec::new(), None)
        })?;
        Ok(FilePage {
            files,
            next_page_token,
        })
    }

    /// Every file of `network` matching `filter`, page after page (`pageToken`). A
    /// page that fails ends the stream with its error; a row that cannot be read is an
    /// [`Error::UndecodableRow`] item and the stream goes on.
    pub fn files(
        &self,
        network: Network,
        filter: FileFilter,
    ) -> impl Stream<Item = Result<types::File, Error>> + Send + '_ {
        stream::try_unfold(Some(None::<String>), move |token| {
            let filter = filter.clone();
            async move {
                let Some(token) = token else {
                    return Ok::<_, Error>(None);
                };
                let page = self.files_page(network, &filter, token.as_deref()).await?;
                // A service repeating the token would loop forever: stop instead.
                let next = page
                    .next_page_token
                    .filter(|next| Some(next) != token.as_ref())
                    .map(Some);
                Ok(Some((page.files.rows, next)))
            }
        })
        .map(|page| match page {
            Ok(rows) => stream::iter(rows).left_stream(),
            Err(error) => stream::iter([Err(error)]).right_stream(),
        })
        .flatten()
        .boxed()
    }
}
