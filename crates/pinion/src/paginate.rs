//! Offset pagination as a `Stream` of rows.

use std::future::Future;

use futures::{Stream, StreamExt, stream};

use crate::Error;
use crate::listing::Listing;

/// Fetches pages with `fetch(offset)` from `start` until a page is empty, shorter than
/// `page_size` (when pages have a known size) or the total is reached. A page that fails
/// ends the stream with its error; a row that could not be read is an error item and the
/// stream goes on.
pub(crate) fn paginate<'a, T, F, Fut>(
    start: u64,
    page_size: Option<u64>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    T: Send + 'a,
    F: Fn(u64) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Listing<T>, Error>> + Send + 'a,
{
    stream::try_unfold((Some(start), fetch), move |(offset, fetch)| async move {
        let Some(offset) = offset else {
            return Ok::<_, Error>(None);
        };
        let page = fetch(offset).await?;
        let count = page.rows.len() as u64;
        let next = offset + count;
        let done = count == 0
            || page_size.is_some_and(|size| count < size)
            || page.total.is_some_and(|total| next >= total);
        Ok(Some((
            page.rows,
            (if done { None } else { Some(next) }, fetch),
        )))
    })
    .map(|page| match page {
        Ok(rows) => stream::iter(rows).left_stream(),
        Err(error) => stream::iter([Err(error)]).right_stream(),
    })
    .flatten()
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;

    #[tokio::test]
    async fn pages_until_the_total_or_a_short_page() {
        let data: Vec<u64> = (0..23).collect();
        let fetch = |offset: u64| {
            let data = data.clone();
            async move {
                let items = data
                    .iter()
                    .copied()
                    .skip(offset as usize)
                    .take(10)
                    .collect();
                Ok(Listing::of(items, Some(23)))
            }
        };
        let all: Vec<u64> = paginate(0, Some(10), fetch).try_collect().await.unwrap();
        assert_eq!(all, data);
        let from_five: Vec<u64> = paginate(5, None, fetch).try_collect().await.unwrap();
        assert_eq!(from_five, data[5..].to_vec());
    }

    #[tokio::test]
    async fn errors_end_the_stream() {
        let fetch = |offset: u64| async move {
            if offset == 0 {
                Ok(Listing::of(vec![1, 2], None))
            } else {
                Err(Error::invalid_input("page", "boom"))
            }
        };
        let items: Vec<Result<u32, Error>> = paginate(0, None, fetch).collect().await;
        assert_eq!(items.len(), 3);
        assert!(items[2].is_err());
    }

    #[tokio::test]
    async fn an_unreadable_row_is_an_item_and_the_stream_goes_on() {
        let fetch = |offset: u64| async move {
            let rows = match offset {
                0 => vec![Ok(1), Err(Error::invalid_input("row", "odd")), Ok(3)],
                3 => vec![Ok(4)],
                _ => Vec::new(),
            };
            Ok(Listing {
                rows,
                total: Some(4),
            })
        };
        let items: Vec<Result<u32, Error>> = paginate(0, Some(3), fetch).collect().await;
        assert_eq!(items.len(), 4);
        assert!(items[1].is_err());
        assert_eq!(items[3].as_ref().ok(), Some(&4));
    }
}
