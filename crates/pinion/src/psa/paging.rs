//! Paging a Pinning Service API listing with `before`, the standard's only cursor.
//!
//! A page is the newest `limit` pins created before the cursor. The next page is asked
//! for `before` the page's second-oldest `created` time rather than its oldest (as the
//! standard suggests), so that pins sharing the oldest time but left off the page are
//! not skipped; the pins of that time the page already held come again and are dropped
//! by `requestid`. A full page whose pins all share one time leaves no such cursor:
//! the listing then ends with [`Error::UnpageableListing`] instead of skipping pins.

use std::collections::HashSet;
use std::future::Future;

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, stream};

use crate::Error;
use crate::scopes::Service;

/// What paging needs of a row: its request id and creation time, when readable.
pub(crate) trait PageRow {
    fn requestid(&self) -> Option<String>;
    fn created(&self) -> Option<DateTime<Utc>>;
    /// The item that ends the listing with `error`.
    fn failure(error: Error) -> Self;
}

impl PageRow for Result<pinion_api::psa::types::PinStatus, Error> {
    fn failure(error: Error) -> Self {
        Err(error)
    }

    fn requestid(&self) -> Option<String> {
        match self {
            Ok(pin) => Some(pin.requestid.clone()),
            Err(Error::UndecodableRow { raw, .. }) => {
                raw.json().get("requestid")?.as_str().map(str::to_owned)
            }
            Err(_) => None,
        }
    }

    fn created(&self) -> Option<DateTime<Utc>> {
        match self {
            Ok(pin) => Some(pin.created),
            Err(Error::UndecodableRow { raw, .. }) => raw
                .json()
                .get("created")?
                .as_str()?
                .parse::<DateTime<Utc>>()
                .ok(),
            Err(_) => None,
        }
    }
}

/// Where the listing stands between pages.
struct Cursor {
    before: Option<DateTime<Utc>>,
    /// The ids of the rows at the last page's oldest time, which the next page repeats.
    seen: HashSet<String>,
}

/// Every row of the listing, fetching `fetch(before)` pages of `limit` rows.
pub(crate) fn every_page<'a, R, F, Fut>(
    service: Service,
    start: Option<DateTime<Utc>>,
    limit: usize,
    fetch: F,
) -> impl Stream<Item = R> + Send + 'a
where
    R: PageRow + Send + 'a,
    F: Fn(Option<DateTime<Utc>>) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Vec<R>, Error>> + Send + 'a,
{
    let cursor = Cursor {
        before: start,
        seen: HashSet::new(),
    };
    stream::unfold(Some((cursor, fetch)), move |state| async move {
        let (cursor, fetch) = state?;
        let rows = match fetch(cursor.before).await {
            Ok(rows) => rows,
            Err(error) => return Some((vec![R::failure(error)], None)),
        };
        let full = rows.len() >= limit;
        let times: Vec<DateTime<Utc>> = rows.iter().filter_map(PageRow::created).collect();
        let oldest = times.iter().min().copied();
        let next = oldest.and_then(|oldest| times.iter().filter(|t| **t > oldest).min().copied());
        let seen = oldest.map_or_else(HashSet::new, |oldest| {
            rows.iter()
                .filter(|row| row.created() == Some(oldest))
                .filter_map(PageRow::requestid)
                .collect()
        });
        let count = rows.len();
        let mut out: Vec<R> = rows
            .into_iter()
            .filter(|row| row.requestid().is_none_or(|id| !cursor.seen.contains(&id)))
            .collect();
        if !full || count == 0 {
            return Some((out, None));
        }
        match (oldest, next) {
            (Some(_), Some(next)) => {
                let cursor = Cursor {
                    before: Some(next),
                    seen,
                };
                Some((out, Some((cursor, fetch))))
            }
            (oldest, _) => {
                out.push(R::failure(Error::UnpageableListing {
                    service,
                    created: oldest.map_or_else(
                        || "an unreadable time".to_owned(),
                        |t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    ),
                    count,
                }));
                Some((out, None))
            }
        }
    })
    .flat_map(stream::iter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Debug)]
    struct Row(Result<(String, i64), String>);

    impl PageRow for Row {
        fn failure(error: Error) -> Self {
            Row(Err(error.to_string()))
        }

        fn requestid(&self) -> Option<String> {
            self.0.as_ref().ok().map(|(id, _)| id.clone())
        }
        fn created(&self) -> Option<DateTime<Utc>> {
            self.0
                .as_ref()
                .ok()
                .map(|(_, t)| DateTime::from_timestamp(*t, 0).unwrap())
        }
    }

    /// One page as the test service answers it.
    type Page = std::future::Ready<Result<Vec<Row>, Error>>;

    /// The `before` of every page asked for, in seconds.
    type Asked = std::sync::Arc<Mutex<Vec<Option<i64>>>>;

    /// A service holding `pins` (id, created seconds), answering newest first.
    fn service(
        pins: Vec<(&'static str, i64)>,
        limit: usize,
    ) -> (impl Fn(Option<DateTime<Utc>>) -> Page, Asked) {
        let asked = std::sync::Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let fetch = move |before: Option<DateTime<Utc>>| {
            log.lock().unwrap().push(before.map(|t| t.timestamp()));
            let mut rows: Vec<_> = pins
                .iter()
                .filter(|(_, t)| before.is_none_or(|b| *t < b.timestamp()))
                .copied()
                .collect();
            rows.sort_by_key(|row| std::cmp::Reverse(row.1));
            rows.truncate(limit);
            std::future::ready(Ok(rows
                .into_iter()
                .map(|(id, t)| Row(Ok((id.to_owned(), t))))
                .collect()))
        };
        (fetch, asked)
    }

    async fn ids(
        pins: Vec<(&'static str, i64)>,
        limit: usize,
    ) -> (Vec<Result<String, String>>, Vec<Option<i64>>) {
        let (fetch, asked) = service(pins, limit);
        let rows: Vec<Row> = every_page(Service::Psa, None, limit, fetch).collect().await;
        let ids = rows
            .into_iter()
            .map(|row| row.0.map(|(id, _)| id))
            .collect();
        let asked = asked.lock().unwrap().clone();
        (ids, asked)
    }

    #[tokio::test]
    async fn pins_sharing_a_time_across_pages_are_neither_skipped_nor_repeated() {
        // c and d share t=2; the first page of 3 holds a, b and c only: paging
        // `before` 2 (the standard's way) would skip d.
        let pins = vec![("a", 4), ("b", 3), ("c", 2), ("d", 2), ("e", 1), ("f", 0)];
        let (ids, asked) = ids(pins, 3).await;
        let ids: Vec<String> = ids.into_iter().map(Result::unwrap).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(asked, [None, Some(3), Some(2)]);
    }

    #[tokio::test]
    async fn distinct_times_page_to_the_end() {
        let pins: Vec<(&'static str, i64)> = ["a", "b", "c", "d", "e", "f", "g"]
            .into_iter()
            .zip((0..7).rev())
            .collect();
        let (ids, _) = ids(pins, 3).await;
        assert_eq!(ids.len(), 7);
        assert!(ids.iter().all(Result::is_ok));
    }

    /// A full page whose pins all share one time cannot be paged past without
    /// skipping: the listing says so instead of skipping.
    #[tokio::test]
    async fn a_full_page_of_one_time_fails_loudly() {
        let pins = vec![("a", 5), ("b", 2), ("c", 2), ("d", 2), ("e", 1)];
        let (ids, _) = ids(pins, 2).await;
        let last = ids.last().unwrap().as_ref().unwrap_err();
        assert!(
            last.contains("full page of 2 pins all created at"),
            "{last}"
        );
        let listed: Vec<&String> = ids.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(listed, ["a", "b", "c"]);
    }

    #[tokio::test]
    async fn a_failed_page_ends_the_listing_with_its_error() {
        let fetch = |before: Option<DateTime<Utc>>| async move {
            match before {
                None => Ok(vec![Row(Ok(("a".into(), 2))), Row(Ok(("b".into(), 1)))]),
                Some(_) => Err(Error::invalid_input("page", "boom")),
            }
        };
        let rows: Vec<Row> = every_page(Service::Psa, None, 2, fetch).collect().await;
        assert_eq!(rows.len(), 3);
        assert!(rows[2].0.as_ref().unwrap_err().contains("boom"));
    }
}
