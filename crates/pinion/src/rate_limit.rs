//! A client-side limiter set from the services' published plan limits, so bulk work
//! stays under them instead of collecting 429s.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Pinata's plans and their published request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PinataPlan {
    /// 60 requests a minute.
    #[default]
    Free,
    /// 250 requests a minute.
    Picnic,
    /// 500 requests a minute.
    Fiesta,
}

impl PinataPlan {
    /// The plan's limit in requests per minute.
    pub const fn per_minute(self) -> u32 {
        match self {
            Self::Free => 60,
            Self::Picnic => 250,
            Self::Fiesta => 500,
        }
    }
}

/// How many requests a client sends per minute.
///
/// `general` limits every request; `restricted` additionally limits the endpoints the
/// service limits harder (Pinata's `/data/*`, W3IPFS's `/apiKeys` and `/users`). Each
/// limit is a token bucket sized so that no 60-second window ever holds more requests
/// than the limit: a burst of a tenth of it, refilled at the rest over the minute.
///
/// ```
/// use pinion::{PinataPlan, RateLimit};
/// let pinata = RateLimit::pinata(PinataPlan::Picnic);
/// assert_eq!((pinata.general(), pinata.restricted()), (Some(250), Some(30)));
/// assert_eq!(RateLimit::w3ipfs().restricted(), Some(60));
/// assert_eq!(RateLimit::unlimited().general(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    general: Option<u32>,
    restricted: Option<u32>,
}

impl RateLimit {
    /// Pinata's published limits for `plan`, with `/data/*` at 30 a minute.
    pub const fn pinata(plan: PinataPlan) -> Self {
        Self {
            general: Some(plan.per_minute()),
            restricted: Some(30),
        }
    }

    /// Submarine: paid plans only, so the Picnic limit (250 a minute) of the same
    /// backend; Submarine publishes no limit of its own.
    pub const fn submarine() -> Self {
        Self {
            general: Some(PinataPlan::Picnic.per_minute()),
            restricted: None,
        }
    }

    /// W3IPFS's published limits: 180 a minute, 60 on `/apiKeys` and `/users`.
    pub const fn w3ipfs() -> Self {
        Self {
            general: Some(180),
            restricted: Some(60),
        }
    }

    /// One limit for every request.
    pub const fn per_minute(requests: u32) -> Self {
        Self {
            general: Some(requests),
            restricted: None,
        }
    }

    /// No client-side limit (429s are still retried).
    pub const fn unlimited() -> Self {
        Self {
            general: None,
            restricted: None,
        }
    }

    /// Sets the limit of the restricted endpoints.
    pub const fn with_restricted(mut self, requests: Option<u32>) -> Self {
        self.restricted = requests;
        self
    }

    /// The limit of every request, per minute.
    pub const fn general(&self) -> Option<u32> {
        self.general
    }

    /// The limit of the restricted endpoints, per minute.
    pub const fn restricted(&self) -> Option<u32> {
        self.restricted
    }

    pub(crate) fn validate(&self) -> Result<(), crate::Error> {
        for (name, limit) in [("general", self.general), ("restricted", self.restricted)] {
            if limit == Some(0) {
                return Err(crate::Error::invalid_input(
                    format!("{name} rate limit"),
                    "0 requests a minute would block every request: give at least 1, or use RateLimit::unlimited()",
                ));
            }
        }
        Ok(())
    }
}

/// Which limits a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bucket {
    /// The general limit only.
    General,
    /// The restricted limit and the general one.
    Restricted,
}

/// An async token bucket.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    capacity: f64,
    per_second: f64,
    state: Mutex<BucketState>,
}

#[derive(Debug)]
struct BucketState {
    tokens: f64,
    updated: Instant,
    paused_until: Option<Instant>,
}

impl TokenBucket {
    /// A bucket that lets at most `per_minute` requests through in any 60 s window.
    pub(crate) fn per_minute(per_minute: u32) -> Self {
        let limit = f64::from(per_minute.max(1));
        let capacity = (limit / 10.0).floor().max(1.0);
        let per_second = ((limit - capacity) / 60.0).max(1.0 / 60.0);
        Self {
            capacity,
            per_second,
            state: Mutex::new(BucketState {
                tokens: capacity,
                updated: Instant::now(),
                paused_until: None,
            }),
        }
    }

    /// Waits for a token and takes it.
    pub(crate) async fn acquire(&self) {
        loop {
            let wait = {
                let mut state = self.state.lock().await;
                let now = Instant::now();
                if let Some(until) = state.paused_until {
                    if until > now {
                        Some(until - now)
                    } else {
                        state.paused_until = None;
                        state.updated = now;
                        None
                    }
                } else {
                    None
                }
                .or_else(|| {
                    let elapsed = now.saturating_duration_since(state.updated).as_secs_f64();
                    state.tokens = (state.tokens + elapsed * self.per_second).min(self.capacity);
                    state.updated = now;
                    if state.tokens >= 1.0 {
                        state.tokens -= 1.0;
                        None
                    } else {
                        Some(Duration::from_secs_f64(
                            (1.0 - state.tokens) / self.per_second,
                        ))
                    }
                })
            };
            match wait {
                None => return,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Lets nothing through for `wait` (the service said `Retry-After`), and empties
    /// the bucket so requests resume at the refill rate.
    pub(crate) async fn pause(&self, wait: Duration) {
        let mut state = self.state.lock().await;
        let until = later(Instant::now(), wait);
        if state.paused_until.is_none_or(|current| current < until) {
            state.paused_until = Some(until);
        }
        state.tokens = 0.0;
    }
}

/// `now + wait`, or [`FAR_FUTURE`] from now when that overflows the clock.
fn later(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

/// About thirty years: far enough to mean "not before the caller gives up", near
/// enough for every clock to represent.
const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 86_400);

/// The buckets of one client.
#[derive(Debug, Clone, Default)]
pub(crate) struct Limiter {
    general: Option<Arc<TokenBucket>>,
    restricted: Option<Arc<TokenBucket>>,
}

impl Limiter {
    /// Whether `self` and `other` draw on the very same buckets.
    #[cfg(test)]
    pub(crate) fn shares_buckets_with(&self, other: &Limiter) -> bool {
        let same = |a: &Option<Arc<TokenBucket>>, b: &Option<Arc<TokenBucket>>| match (a, b) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same(&self.general, &other.general) && same(&self.restricted, &other.restricted)
    }

    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            general: limit.general.map(|n| Arc::new(TokenBucket::per_minute(n))),
            restricted: limit
                .restricted
                .map(|n| Arc::new(TokenBucket::per_minute(n))),
        }
    }

    /// Waits until a request of `bucket` may be sent.
    pub(crate) async fn acquire(&self, bucket: Bucket) {
        if bucket == Bucket::Restricted
            && let Some(restricted) = &self.restricted
        {
            restricted.acquire().await;
        }
        if let Some(general) = &self.general {
            general.acquire().await;
        }
    }

    /// Holds every request of `bucket` back for `wait`.
    pub(crate) async fn pause(&self, bucket: Bucket, wait: Duration) {
        let target = match bucket {
            Bucket::Restricted if self.restricted.is_some() => &self.restricted,
            _ => &self.general,
        };
        if let Some(target) = target {
            target.pause(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `n` requests through `limiter` and returns when each went out, relative
    /// to the start (tokio's paused clock: no real time passes).
    async fn send_times(limiter: &Limiter, bucket: Bucket, n: usize) -> Vec<Duration> {
        let start = Instant::now();
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            limiter.acquire(bucket).await;
            times.push(Instant::now() - start);
        }
        times
    }

    fn max_in_any_minute(times: &[Duration]) -> usize {
        times
            .iter()
            .map(|start| {
                times
                    .iter()
                    .filter(|t| **t >= *start && **t < *start + Duration::from_secs(60))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn no_minute_ever_holds_more_than_the_limit() {
        let limiter = Limiter::new(RateLimit::per_minute(60));
        let times = send_times(&limiter, Bucket::General, 200).await;
        assert!(
            max_in_any_minute(&times) <= 60,
            "{}",
            max_in_any_minute(&times)
        );
        // And the limiter does not throttle far below the limit either.
        assert!(max_in_any_minute(&times) >= 55);
        // The first tenth goes out at once.
        assert_eq!(times[5], Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn restricted_endpoints_have_their_own_lower_limit() {
        let limiter = Limiter::new(RateLimit::pinata(PinataPlan::Fiesta));
        let data = send_times(&limiter, Bucket::Restricted, 90).await;
        assert!(max_in_any_minute(&data) <= 30);
        // Meanwhile general requests are not held back by the data bucket.
        let start = Instant::now();
        for _ in 0..40 {
            limiter.acquire(Bucket::General).await;
        }
        assert!(Instant::now() - start < Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_everything_back() {
        let limiter = Limiter::new(RateLimit::per_minute(600));
        limiter.pause(Bucket::General, Duration::from_secs(7)).await;
        let start = Instant::now();
        limiter.acquire(Bucket::General).await;
        assert!(Instant::now() - start >= Duration::from_secs(7));
    }

    /// Issue 11: `Instant + Duration` used to panic on a huge pause.
    #[tokio::test(start_paused = true)]
    async fn a_huge_pause_does_not_overflow() {
        let limiter = Limiter::new(RateLimit::per_minute(600));
        limiter.pause(Bucket::General, Duration::MAX).await;
        let acquired =
            tokio::time::timeout(Duration::from_secs(3600), limiter.acquire(Bucket::General)).await;
        assert!(acquired.is_err(), "the pause must still hold requests back");
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_never_waits() {
        let limiter = Limiter::new(RateLimit::unlimited());
        let times = send_times(&limiter, Bucket::Restricted, 1000).await;
        assert_eq!(times.last(), Some(&Duration::ZERO));
    }

    #[test]
    fn zero_is_refused() {
        let error = RateLimit::per_minute(0).validate().unwrap_err();
        assert!(error.to_string().contains("at least 1"));
    }
}
