//! Request bodies a route answered without reading: the guards refuse a request on its
//! headers alone (bad credentials, a missing scope, a declared length over the limit)
//! before reading one byte of its body. Answering and closing the connection then makes
//! a client still sending the body fail writing it (`EPIPE`) before it reads the
//! answer: the official SDK (Node's `fetch` streams a `FormData` after the headers)
//! reported `fetch failed` instead of the 403 of an upload with a read-only key.
//!
//! So the edge [`track`]s every request's body, and when the route answered without
//! reading all of it, reads and discards the rest before sending the answer, as the
//! proxies in front of Pinata read a body before answering: up to [`DRAIN_LIMIT`] bytes
//! within [`DRAIN_TIME`], and only while the client keeps sending (it stops after
//! [`DRAIN_IDLE`] without data, so a client that never sends the body still gets its
//! answer). Past those bounds the answer goes out and the connection closes as before.
//! A body declared longer than the limit is not read at all, and neither is the body of
//! a client that asked `Expect: 100-continue` (it sends nothing once it has the answer).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};

/// The most of an unread body the edge reads before answering.
pub(crate) const DRAIN_LIMIT: u64 = 128 * 1024 * 1024;
/// The longest the edge spends reading an unread body.
pub(crate) const DRAIN_TIME: Duration = Duration::from_secs(30);
/// How long the edge waits for more of an unread body before it gives up.
pub(crate) const DRAIN_IDLE: Duration = Duration::from_secs(1);

/// The body a route reads, and what the edge keeps to read the rest afterwards.
struct Shared {
    /// `None` once the remainder was taken to be drained.
    body: Option<Body>,
    /// The route read the body to its end.
    finished: bool,
}

/// The request's body as the route sees it: the original, read through [`Shared`].
struct Tracked(Arc<Mutex<Shared>>);

/// What the edge reads, once the route has answered, of a body it left unread.
pub(crate) struct Unread {
    shared: Arc<Mutex<Shared>>,
    /// Nothing is to be read: the client waits for `100 Continue`, or declared more
    /// than [`DRAIN_LIMIT`].
    skip: bool,
}

/// Gives `request` a body the edge can finish reading after the route answered.
pub(crate) fn track(request: Request) -> (Request, Unread) {
    let headers = request.headers();
    let expects_continue = headers
        .get(header::EXPECT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("100-continue"));
    let too_long = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .is_some_and(|length| length > DRAIN_LIMIT);
    let (parts, body) = request.into_parts();
    let finished = body.is_end_stream();
    let shared = Arc::new(Mutex::new(Shared {
        body: Some(body),
        finished,
    }));
    let tracked = Body::new(Tracked(shared.clone()));
    (
        Request::from_parts(parts, tracked),
        Unread {
            shared,
            skip: expects_continue || too_long,
        },
    )
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let mut shared = lock(&self.0);
        let Some(body) = shared.body.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) {
            shared.finished = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        let shared = lock(&self.0);
        shared.finished || shared.body.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        lock(&self.0)
            .body
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}

impl Unread {
    /// Reads and discards what the route left of the body (see the module
    /// documentation for the bounds). Returns how many bytes it read.
    pub(crate) async fn drain(self) -> u64 {
        let body = {
            let mut shared = lock(&self.shared);
            if shared.finished || self.skip {
                return 0;
            }
            match shared.body.take() {
                Some(body) => body,
                None => return 0,
            }
        };
        let mut read = 0u64;
        let mut body = std::pin::pin!(body);
        let reading = async {
            while read <= DRAIN_LIMIT {
                let next = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx));
                match tokio::time::timeout(DRAIN_IDLE, next).await {
                    Ok(Some(Ok(frame))) => {
                        read += frame.data_ref().map_or(0, |data| data.len() as u64);
                    }
                    // The end, a client that went away, or one that sends nothing more.
                    Ok(Some(Err(_)) | None) | Err(_) => break,
                }
            }
        };
        let _ = tokio::time::timeout(DRAIN_TIME, reading).await;
        read
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn posting(body: Body, expect: bool) -> Request {
        let mut builder = Request::builder().method("POST").uri("/x");
        if expect {
            builder = builder.header(header::EXPECT, "100-continue");
        }
        builder.body(body).unwrap()
    }

    fn declaring(body: Body, length: u64) -> Request {
        Request::builder()
            .method("POST")
            .uri("/x")
            .header(header::CONTENT_LENGTH, length)
            .body(body)
            .unwrap()
    }

    fn chunks(sizes: &[usize]) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> = sizes
            .iter()
            .map(|size| Ok(Bytes::from(vec![7u8; *size])))
            .collect();
        Body::from_stream(futures::stream::iter(chunks))
    }

    #[tokio::test]
    async fn a_body_left_unread_is_drained_after_the_answer() {
        let (request, unread) = track(posting(chunks(&[10, 20, 30]), false));
        drop(request);
        assert_eq!(unread.drain().await, 60);
    }

    #[tokio::test]
    async fn what_the_route_read_is_not_read_again() {
        let (request, unread) = track(posting(chunks(&[10, 20, 30]), false));
        let mut stream = request.into_body().into_data_stream();
        assert_eq!(stream.next().await.unwrap().unwrap().len(), 10);
        drop(stream);
        assert_eq!(unread.drain().await, 50, "the rest only");

        let (request, unread) = track(posting(chunks(&[5, 5]), false));
        let whole = axum::body::to_bytes(request.into_body(), 100)
            .await
            .unwrap();
        assert_eq!(whole.len(), 10, "the route sees the whole body");
        assert_eq!(unread.drain().await, 0);
    }

    #[tokio::test]
    async fn a_client_waiting_for_100_continue_is_not_read() {
        let (request, unread) = track(posting(chunks(&[10]), true));
        drop(request);
        assert_eq!(unread.drain().await, 0);
    }

    #[tokio::test]
    async fn a_client_that_stops_sending_is_not_waited_for() {
        let stalled = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"abc"))])
            .chain(futures::stream::pending());
        let (request, unread) = track(posting(Body::from_stream(stalled), false));
        drop(request);
        let started = std::time::Instant::now();
        assert_eq!(unread.drain().await, 3);
        let waited = started.elapsed();
        assert!(
            waited >= DRAIN_IDLE && waited < DRAIN_IDLE * 3,
            "{waited:?}"
        );
    }

    #[tokio::test]
    async fn a_body_declared_longer_than_the_limit_is_not_read() {
        let (request, unread) = track(declaring(chunks(&[10]), DRAIN_LIMIT + 1));
        drop(request);
        assert_eq!(unread.drain().await, 0);
        let (request, unread) = track(declaring(chunks(&[10]), 10));
        drop(request);
        assert_eq!(unread.drain().await, 10);
    }

    #[tokio::test]
    async fn draining_stops_past_the_limit() {
        static CHUNK: [u8; 1 << 20] = [0; 1 << 20];
        let count = (DRAIN_LIMIT >> 20) as usize + 10;
        let endless =
            futures::stream::repeat_with(|| Ok::<_, std::io::Error>(Bytes::from_static(&CHUNK)))
                .take(count);
        let (request, unread) = track(posting(Body::from_stream(endless), false));
        drop(request);
        let read = unread.drain().await;
        assert!(
            read > DRAIN_LIMIT && read <= DRAIN_LIMIT + (1 << 20),
            "{read}"
        );
    }
}
