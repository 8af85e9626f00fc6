//! The body of a request picked to be cut: passed through up to the cut point, then
//! the connection is cut and the body fails.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::Body;
use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};

use super::{CutSwitch, Plan};
use crate::state::AppState;

/// A request body that cuts its connection once `left` more bytes have passed.
pub(crate) struct CutBody {
    inner: Body,
    /// Bytes still passed through before the cut.
    left: u64,
    plan: Plan,
    switch: CutSwitch,
    state: AppState,
    stage: Stage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Counting down to the cut point.
    Armed,
    /// The cut point passed without a cut (no counted cut was left): a plain body.
    Disarmed,
    /// Cut: the body has failed.
    Cut,
}

impl CutBody {
    /// `inner`, cut after `after` bytes as `plan` says, through `switch`.
    pub(crate) fn new(
        inner: Body,
        after: u64,
        plan: Plan,
        switch: CutSwitch,
        state: AppState,
    ) -> Self {
        CutBody {
            inner,
            left: after,
            plan,
            switch,
            state,
            stage: Stage::Armed,
        }
    }

    /// At the cut point: cuts (counting it) unless the plan was a counted cut and none
    /// is left.
    fn cut_now(&mut self) -> bool {
        let go = match self.plan {
            Plan::Drawn => true,
            Plan::Counted => self
                .state
                .faults
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take_counted_cut(),
        };
        if go {
            self.switch.throw();
            self.state.received.count_cut();
            self.stage = Stage::Cut;
        } else {
            self.stage = Stage::Disarmed;
        }
        go
    }
}

impl HttpBody for CutBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if this.stage == Stage::Armed && this.left == 0 && this.cut_now() {
            return Poll::Ready(Some(Err(axum::Error::new(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "connection cut by the emulator's fault injection",
            )))));
        }
        match this.stage {
            Stage::Cut => return Poll::Ready(None),
            Stage::Disarmed => return Pin::new(&mut this.inner).poll_frame(cx),
            Stage::Armed => {}
        }
        let frame = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            Some(Ok(frame)) => frame,
            other => return Poll::Ready(other),
        };
        let frame = match frame.into_data() {
            Ok(mut data) => {
                let length = data.len() as u64;
                if length >= this.left {
                    // The rest of this piece is lost with the connection.
                    data.truncate(usize::try_from(this.left).unwrap_or(usize::MAX));
                    this.left = 0;
                } else {
                    this.left -= length;
                }
                Frame::data(data)
            }
            Err(other) => other,
        };
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        match self.stage {
            Stage::Cut => true,
            Stage::Disarmed => self.inner.is_end_stream(),
            // The cut is still to come.
            Stage::Armed => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self.stage {
            Stage::Cut => SizeHint::with_exact(0),
            Stage::Disarmed => self.inner.size_hint(),
            Stage::Armed => {
                let mut hint = self.inner.size_hint();
                hint.set_lower(0);
                hint
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn state() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::Emulator::builder()
            .state_dir(dir.path())
            .open_state()
            .unwrap();
        (dir, state)
    }

    async fn frames(mut body: CutBody) -> (Vec<u8>, Option<String>) {
        let mut received = Vec::new();
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(frame) => received.extend_from_slice(&frame.into_data().unwrap()),
                Err(error) => return (received, Some(error.to_string())),
            }
        }
        (received, None)
    }

    fn pieces(list: &[&'static [u8]]) -> Body {
        let stream = futures::stream::iter(
            list.iter()
                .map(|piece| Ok::<_, std::io::Error>(Bytes::from_static(piece)))
                .collect::<Vec<_>>(),
        );
        Body::from_stream(stream)
    }

    #[tokio::test]
    async fn a_drawn_cut_passes_the_body_up_to_the_point_then_fails() {
        let (_dir, state) = state();
        let switch = CutSwitch::default();
        let body = CutBody::new(
            pieces(&[b"abc", b"defg", b"hij"]),
            5,
            Plan::Drawn,
            switch.clone(),
            state.clone(),
        );
        let (received, error) = frames(body).await;
        assert_eq!(received, b"abcde");
        assert!(error.unwrap().contains("cut by the emulator"));
        assert!(switch.is_thrown());
        assert_eq!(state.received.snapshot().cuts, 1);
    }

    #[tokio::test]
    async fn a_counted_cut_uses_one_up_and_passes_when_none_is_left() {
        let (_dir, state) = state();
        state.faults.write().unwrap().cut_requests = 1;
        let first = CutSwitch::default();
        let (received, error) = frames(CutBody::new(
            pieces(&[b"abc", b"def"]),
            3,
            Plan::Counted,
            first.clone(),
            state.clone(),
        ))
        .await;
        assert_eq!((received.as_slice(), error.is_some()), (&b"abc"[..], true));
        assert!(first.is_thrown());
        assert_eq!(state.faults.read().unwrap().cut_requests, 0);

        let second = CutSwitch::default();
        let (received, error) = frames(CutBody::new(
            pieces(&[b"abc", b"def"]),
            3,
            Plan::Counted,
            second.clone(),
            state.clone(),
        ))
        .await;
        assert_eq!((received.as_slice(), error), (&b"abcdef"[..], None));
        assert!(!second.is_thrown());
        assert_eq!(state.received.snapshot().cuts, 1);
    }
}
