//! The filters of `GET /pins`: `cid` (comma-joined, at most 10), `name` with `match`,
//! `status` (comma-joined; `pinned` when absent, as the standard says), `before` and
//! `after` (RFC 3339), `limit` (1 to 1000, default 10) and `meta` (a JSON object of
//! strings the pin's `meta` must contain). Parameters the standard does not define are
//! ignored; a parameter out of its form or range is refused.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use pinion_rules::psa::{DEFAULT_LIMIT, check_cid_filter_count, check_limit, check_name};

use super::errors::PsaError;
use crate::state::psa::{PsaRow, PsaStatus};

/// How `name` is compared (`TextMatchingStrategy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    Exact,
    Iexact,
    Partial,
    Ipartial,
}

impl Match {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "exact" => Match::Exact,
            "iexact" => Match::Iexact,
            "partial" => Match::Partial,
            "ipartial" => Match::Ipartial,
            _ => return None,
        })
    }

    fn accepts(self, wanted: &str, name: &str) -> bool {
        match self {
            Match::Exact => name == wanted,
            Match::Iexact => name.to_lowercase() == wanted.to_lowercase(),
            Match::Partial => name.contains(wanted),
            Match::Ipartial => name.to_lowercase().contains(&wanted.to_lowercase()),
        }
    }
}

/// A parsed `GET /pins` query.
#[derive(Clone, Debug)]
pub(crate) struct ListQuery {
    /// Canonical CIDs; empty for any.
    pub(crate) cids: BTreeSet<String>,
    pub(crate) name: Option<String>,
    pub(crate) matching: Match,
    pub(crate) statuses: BTreeSet<PsaStatus>,
    pub(crate) before: Option<DateTime<Utc>>,
    pub(crate) after: Option<DateTime<Utc>>,
    pub(crate) limit: usize,
    pub(crate) meta: BTreeMap<String, String>,
}

impl ListQuery {
    /// Whether a request passes every filter but the time range (the list walks that).
    pub(crate) fn accepts(&self, row: &PsaRow, status: PsaStatus) -> bool {
        self.statuses.contains(&status)
            && (self.cids.is_empty() || self.cids.contains(&row.cid))
            && self.name.as_deref().is_none_or(|wanted| {
                row.name
                    .as_deref()
                    .is_some_and(|name| self.matching.accepts(wanted, name))
            })
            && self
                .meta
                .iter()
                .all(|(key, value)| row.meta.get(key) == Some(value))
    }
}

/// Parses a raw query string.
pub(crate) fn parse_list_query(raw: Option<&str>) -> Result<ListQuery, PsaError> {
    let mut query = ListQuery {
        cids: BTreeSet::new(),
        name: None,
        matching: Match::Exact,
        statuses: BTreeSet::new(),
        before: None,
        after: None,
        limit: DEFAULT_LIMIT as usize,
        meta: BTreeMap::new(),
    };
    let mut cids_given = 0usize;
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "cid" => {
                let texts: Vec<&str> = value.split(',').filter(|text| !text.is_empty()).collect();
                cids_given += texts.len();
                // Counted before any is parsed: a long list is refused without work.
                check_cid_filter_count(cids_given)
                    .map_err(|error| PsaError::Query(format!("cid: {error}")))?;
                for text in texts {
                    let cid = pinion_cid::Cid::parse(text).map_err(|error| {
                        PsaError::Cid(format!("cid filter: {text:?} is not a CID: {error}"))
                    })?;
                    query.cids.insert(cid.to_string());
                }
            }
            "name" => {
                check_name(&value).map_err(|error| PsaError::Query(format!("name: {error}")))?;
                query.name = Some(value.into_owned());
            }
            "match" => {
                query.matching = Match::parse(&value).ok_or_else(|| {
                    PsaError::Query(format!(
                        "match must be exact, iexact, partial or ipartial, not {value:?}"
                    ))
                })?;
            }
            "status" => {
                for text in value.split(',') {
                    let status = PsaStatus::parse(text).ok_or_else(|| {
                        PsaError::Query(format!(
                            "status must be a comma-separated list of queued, pinning, \
                             pinned and failed, not {value:?}"
                        ))
                    })?;
                    query.statuses.insert(status);
                }
            }
            "before" => query.before = Some(timestamp("before", &value)?),
            "after" => query.after = Some(timestamp("after", &value)?),
            "limit" => {
                let limit = value
                    .parse::<u64>()
                    .map_err(|_| ())
                    .and_then(|n| check_limit(n).map_err(|_| ()))
                    .map_err(|()| {
                        PsaError::Query(format!("limit must be 1 to 1000, not {value:?}"))
                    })?;
                query.limit = limit as usize;
            }
            "meta" => {
                query.meta = serde_json::from_str(&value).map_err(|error| {
                    PsaError::Query(format!(
                        "meta must be a JSON object of strings such as {{\"app_id\":\"99\"}}: {error}"
                    ))
                })?;
            }
            _ => {}
        }
    }
    if query.statuses.is_empty() {
        query.statuses.insert(PsaStatus::Pinned);
    }
    Ok(query)
}

fn timestamp(name: &str, text: &str) -> Result<DateTime<Utc>, PsaError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| {
            PsaError::Query(format!(
                "{name} must be an RFC 3339 timestamp such as 2020-07-27T17:32:28.276Z, not {text:?}: {error}"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CID: &str = "bafkreihbuc7yg6u3u55dsky6wqnccx6cvmwwuoeeh77bwgrvo3zofqtkdy";

    #[test]
    fn defaults_are_the_standards() {
        let query = parse_list_query(None).unwrap();
        assert_eq!(query.limit, 10);
        assert_eq!(query.statuses, BTreeSet::from([PsaStatus::Pinned]));
        assert_eq!(query.matching, Match::Exact);
    }

    #[test]
    fn every_filter_parses_and_out_of_range_values_are_refused() {
        let query = parse_list_query(Some(&format!(
            "cid={CID},{CID}&name=a&match=ipartial&status=queued,failed&before=2024-01-01T00:00:00Z\
             &after=2023-01-01T00:00:00.5%2B02:00&limit=1000&meta=%7B%22k%22%3A%22v%22%7D&other=x"
        )))
        .unwrap();
        assert_eq!(query.cids.len(), 1);
        assert_eq!(query.limit, 1000);
        assert_eq!(
            query.statuses,
            BTreeSet::from([PsaStatus::Queued, PsaStatus::Failed])
        );
        assert_eq!(query.meta["k"], "v");
        let eleven = [CID; 11].join(",");
        for bad in [
            "limit=0".to_owned(),
            "limit=1001".to_owned(),
            "limit=ten".to_owned(),
            "status=done".to_owned(),
            "status=".to_owned(),
            "match=fuzzy".to_owned(),
            "before=yesterday".to_owned(),
            "meta=[1]".to_owned(),
            "meta=%7B%22k%22%3A1%7D".to_owned(),
            "cid=nope".to_owned(),
            format!("cid={eleven}"),
        ] {
            assert!(parse_list_query(Some(&bad)).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        /// Whatever a client sends as the query, parsing answers a query or a refusal,
        /// never a panic.
        #[test]
        fn arbitrary_queries_never_panic(raw in "[a-z=&,%0-9A-F:.TZ+-]{0,120}") {
            let _ = parse_list_query(Some(&raw));
        }
    }

    #[test]
    fn names_match_by_strategy() {
        assert!(Match::Exact.accepts("Data", "Data"));
        assert!(!Match::Exact.accepts("data", "Data"));
        assert!(Match::Iexact.accepts("DATA", "data"));
        assert!(Match::Partial.accepts("at", "Data"));
        assert!(!Match::Partial.accepts("AT", "Data"));
        assert!(Match::Ipartial.accepts("AT", "Data"));
    }
}
