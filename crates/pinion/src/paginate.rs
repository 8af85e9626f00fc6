//! Offset pagination as a `Stream` of items.

use std::future::Future;

use futures::{Stream, StreamExt, TryStreamExt, stream};

use crate::Error;

/// One page: its items and, when the service says, the total over all pages.
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) total: Option<u64>,
}

/// Fetches pages with `fetch(offset)` from `start` until a page is empty, shorter than
/// `page_size` (when pages have a known size) or the total is reached.
pub(crate) fn paginate<'a, T, F, Fut>(
    start: u64,
    page_size: Option<u64>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    T: Send + 'a,
    F: Fn(u64) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    stream::try_unfold((Some(start), fetch), move |(offset, fetch)| async move {
        let Some(offset) = offset else {
            return Ok::<_, Error>(None);
        };
        let page = fetch(offset).await?;
        let count = page.items.len() as u64;
        let next = offset + count;
        let done = count == 0
            || page_size.is_some_and(|size| count < size)
            || page.total.is_some_and(|total| next >= total);
        Ok(Some((
            page.items,
            (if done { None } else { Some(next) }, fetch),
        )))
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

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
                Ok(Page {
                    items,
                    total: Some(23),
                })
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
                Ok(Page {
                    items: vec![1, 2],
                    total: None,
                })
            } else {
                Err(Error::invalid_input("page", "boom"))
            }
        };
        let items: Vec<Result<u32, Error>> = paginate(0, None, fetch).collect().await;
        assert_eq!(items.len(), 3);
        assert!(items[2].is_err());
    }
}
