//! The filters of a Pinning Service API listing, checked before any request and
//! written as the wire wants them: `cid` and `status` comma-joined, `meta` as JSON text.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use pinion_rules::psa as rules;

use super::Status;
use crate::Error;
use crate::args::rule;

/// The most CIDs one listing may filter on (the standard's limit).
pub const MAX_CIDS: usize = rules::MAX_CID_FILTER;

/// The largest page the standard allows.
pub const MAX_LIMIT: u32 = rules::MAX_LIMIT;

/// The longest name the standard allows, in characters.
pub const MAX_NAME: usize = rules::MAX_NAME_CHARS;

/// How [`ListFilter::name`] matches a pin's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NameMatch {
    /// The whole name, case-sensitive (the standard's default).
    #[default]
    Exact,
    /// The whole name, ignoring case.
    IExact,
    /// Anywhere in the name, case-sensitive.
    Partial,
    /// Anywhere in the name, ignoring case.
    IPartial,
}

impl NameMatch {
    /// The wire value (`exact`, `iexact`, `partial`, `ipartial`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::IExact => "iexact",
            Self::Partial => "partial",
            Self::IPartial => "ipartial",
        }
    }
}

impl std::str::FromStr for NameMatch {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim() {
            "exact" => Ok(Self::Exact),
            "iexact" => Ok(Self::IExact),
            "partial" => Ok(Self::Partial),
            "ipartial" => Ok(Self::IPartial),
            other => Err(Error::invalid_input(
                "name match",
                format!("`{other}` is not one of exact, iexact, partial, ipartial"),
            )),
        }
    }
}

/// Which pins a listing returns; every filter must hold. Without statuses the service
/// lists `pinned` ones only (the standard's default).
///
/// ```
/// use pinion::psa::{ListFilter, NameMatch, Status};
/// let filter = ListFilter::default()
///     .name("report", NameMatch::IPartial)
///     .status(Status::Queued)
///     .status(Status::Pinning)
///     .meta("app", "site")
///     .limit(100);
/// assert_eq!(filter.limit, Some(100));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListFilter {
    /// Only pins of these CIDs (at most [`MAX_CIDS`]).
    pub cids: Vec<String>,
    /// Only pins whose name matches this, as [`ListFilter::name_match`] says.
    pub name: Option<String>,
    /// How the name matches (default exact).
    pub name_match: Option<NameMatch>,
    /// Only pins in one of these states (default: `pinned` only).
    pub statuses: BTreeSet<Status>,
    /// Only pins created strictly before this time (where a listing starts).
    pub before: Option<DateTime<Utc>>,
    /// Only pins created strictly after this time.
    pub after: Option<DateTime<Utc>>,
    /// The page size, 1 to [`MAX_LIMIT`] (default 10, the standard's; listings of every
    /// page use 1000 when unset).
    pub limit: Option<u32>,
    /// Only pins whose `meta` has every one of these key-values.
    pub meta: BTreeMap<String, String>,
}

impl ListFilter {
    /// Adds a CID to match.
    pub fn cid(mut self, cid: impl Into<String>) -> Self {
        self.cids.push(cid.into());
        self
    }

    /// Matches names with `how`.
    pub fn name(mut self, name: impl Into<String>, how: NameMatch) -> Self {
        self.name = Some(name.into());
        self.name_match = Some(how);
        self
    }

    /// Adds a status to match.
    pub fn status(mut self, status: Status) -> Self {
        self.statuses.insert(status);
        self
    }

    /// Every status (queued, pinning, pinned and failed).
    pub fn any_status(mut self) -> Self {
        self.statuses.extend(Status::ALL);
        self
    }

    /// Pins created strictly before `time`.
    pub fn before(mut self, time: DateTime<Utc>) -> Self {
        self.before = Some(time);
        self
    }

    /// Pins created strictly after `time`.
    pub fn after(mut self, time: DateTime<Utc>) -> Self {
        self.after = Some(time);
        self
    }

    /// The page size (1 to 1000).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Adds a key-value the pins' `meta` must hold.
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.insert(key.into(), value.into());
        self
    }

    /// The filters as the wire wants them, refusing what the standard forbids.
    pub(crate) fn query(&self) -> Result<Query, Error> {
        rules::check_cid_filter_count(self.cids.len()).map_err(rule)?;
        let cids = self
            .cids
            .iter()
            .map(|cid| crate::cid::parse_input(cid).map(|_| cid.trim().to_owned()))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(name) = &self.name {
            rules::check_name(name).map_err(rule)?;
        }
        if let Some(limit) = self.limit {
            rules::check_limit(limit.into()).map_err(rule)?;
        }
        rules::check_meta_count(self.meta.len()).map_err(rule)?;
        let meta = if self.meta.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&self.meta).map_err(|e| {
                Error::invalid_input("meta filter", format!("cannot be written as JSON: {e}"))
            })?)
        };
        let join = |parts: Vec<&str>| (!parts.is_empty()).then(|| parts.join(","));
        Ok(Query {
            cid: join(cids.iter().map(String::as_str).collect()),
            name: self.name.clone(),
            name_match: self.name.as_ref().and(self.name_match),
            status: join(self.statuses.iter().map(|s| s.as_str()).collect()),
            before: self.before,
            after: self.after,
            limit: self.limit,
            meta,
        })
    }
}

/// A listing's query parameters in their wire form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    /// Comma-joined CIDs.
    pub(crate) cid: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) name_match: Option<NameMatch>,
    /// Comma-joined statuses.
    pub(crate) status: Option<String>,
    pub(crate) before: Option<DateTime<Utc>>,
    pub(crate) after: Option<DateTime<Utc>>,
    pub(crate) limit: Option<u32>,
    /// The JSON object, as text.
    pub(crate) meta: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const CID: &str = "bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi";
    const CID2: &str = "QmNZwVaiibfFEJLSkoSmWeWCAak38hV89jPTtyWXRH5mQP";

    #[test]
    fn filters_take_their_wire_form() {
        let query = ListFilter::default()
            .cid(CID)
            .cid(format!(" {CID2} "))
            .status(Status::Pinning)
            .status(Status::Queued)
            .meta("b", "2")
            .meta("a", "1")
            .limit(1000)
            .query()
            .unwrap();
        assert_eq!(query.cid.as_deref(), Some(&*format!("{CID},{CID2}")));
        assert_eq!(query.status.as_deref(), Some("queued,pinning"));
        assert_eq!(query.meta.as_deref(), Some(r#"{"a":"1","b":"2"}"#));
        assert_eq!(query.limit, Some(1000));
        assert_eq!(ListFilter::default().query().unwrap(), Query::default());
        let all = ListFilter::default().any_status().query().unwrap();
        assert_eq!(all.status.as_deref(), Some("queued,pinning,pinned,failed"));
    }

    #[test]
    fn what_the_standard_forbids_is_refused_before_any_request() {
        let eleven = (0..11).fold(ListFilter::default(), |f, _| f.cid(CID));
        let error = eleven.query().unwrap_err().to_string();
        assert!(error.contains("11 "), "{error}");
        assert!(
            (0..10)
                .fold(ListFilter::default(), |f, _| f.cid(CID))
                .query()
                .is_ok()
        );
        let error = ListFilter::default().cid("not-a-cid").query().unwrap_err();
        assert!(error.to_string().starts_with("invalid CID"), "{error}");
        for bad in [0, 1001] {
            let error = ListFilter::default().limit(bad).query().unwrap_err();
            assert!(error.to_string().starts_with("invalid limit"), "{error}");
        }
        let long = "é".repeat(256);
        let error = ListFilter::default()
            .name(long, NameMatch::Exact)
            .query()
            .unwrap_err();
        assert!(
            error.to_string().starts_with("invalid name: 256"),
            "{error}"
        );
        assert!(
            ListFilter::default()
                .name("é".repeat(255), NameMatch::Exact)
                .query()
                .is_ok()
        );
    }

    #[test]
    fn the_match_goes_only_with_a_name() {
        let filter = ListFilter {
            name_match: Some(NameMatch::IPartial),
            ..ListFilter::default()
        };
        assert_eq!(filter.query().unwrap().name_match, None);
        let query = filter.name("x", NameMatch::Partial).query().unwrap();
        assert_eq!(query.name_match, Some(NameMatch::Partial));
        assert_eq!(
            "ipartial".parse::<NameMatch>().unwrap(),
            NameMatch::IPartial
        );
        assert!("fuzzy".parse::<NameMatch>().is_err());
    }
}
