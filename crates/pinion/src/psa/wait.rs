//! Waiting for a pin request to end: polling with backoff until it is pinned, fails,
//! or the wait runs out of time.

use std::time::Duration;

use super::{Client, Status, types};
use crate::Error;

/// How [`Client::wait_until_pinned`] polls.
///
/// ```
/// use std::time::Duration;
/// use pinion::psa::Wait;
/// let wait = Wait::default().timeout(Duration::from_secs(60));
/// assert_eq!(wait.timeout, Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Wait {
    /// The longest wait in all (default 10 minutes).
    pub timeout: Duration,
    /// The first pause between two looks (default 1 s); it doubles after each look.
    pub first_pause: Duration,
    /// The longest pause between two looks (default 30 s).
    pub max_pause: Duration,
}

impl Default for Wait {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            first_pause: Duration::from_secs(1),
            max_pause: Duration::from_secs(30),
        }
    }
}

impl Wait {
    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first and the longest pause between two looks.
    pub fn pauses(mut self, first: Duration, max: Duration) -> Self {
        self.first_pause = first;
        self.max_pause = max;
        self
    }
}

impl Client {
    /// Looks at a pin request until it is `pinned` (its status is returned) or
    /// `failed` ([`Error::PinFailed`], with what the service said in `info`), pausing
    /// longer after each look; [`Error::PinWaitTimeout`] once `wait.timeout` has
    /// passed (the request goes on at the service).
    pub async fn wait_until_pinned(
        &self,
        requestid: &str,
        wait: Wait,
    ) -> Result<types::PinStatus, Error> {
        let started = tokio::time::Instant::now();
        let mut pause = wait.first_pause.max(Duration::from_millis(1));
        loop {
            let pin = self.get(requestid).await?;
            match Status::parse(&pin.status) {
                Some(Status::Pinned) => return Ok(pin),
                Some(Status::Failed) => {
                    return Err(Error::PinFailed {
                        service: self.service(),
                        requestid: pin.requestid,
                        cid: pin.pin.cid,
                        info: pin.info.map(|info| info.0).unwrap_or_default(),
                    });
                }
                _ => {}
            }
            let left = wait.timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(Error::PinWaitTimeout {
                    service: self.service(),
                    requestid: pin.requestid,
                    cid: pin.pin.cid,
                    status: pin.status.0,
                    after: wait.timeout,
                });
            }
            tokio::time::sleep(pause.min(left)).await;
            pause = (pause * 2).min(wait.max_pause.max(Duration::from_millis(1)));
        }
    }
}
