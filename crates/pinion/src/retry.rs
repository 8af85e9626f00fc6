//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// How failed requests are retried: exponential backoff with full jitter on 429, 5xx
/// and connection errors, honouring `Retry-After`.
///
/// Only requests that are safe to send twice are retried after the service may have
/// seen them (reads, updates, deletes and content-addressed uploads); a request the
/// service refused with 429, or that never reached it (connection refused), is always
/// safe to send again.
///
/// ```
/// use std::time::Duration;
/// use pinion::RetryPolicy;
/// let policy = RetryPolicy::default()
///     .max_retries(6)
///     .base_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(10));
/// assert_eq!(policy.retries(), 6);
/// assert!(policy.backoff(3) <= Duration::from_millis(800));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 4 retries, 250 ms base delay, 30 s cap, `Retry-After` honoured up to 120 s.
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a request may be sent again after its first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff ceiling; it doubles with every retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest backoff ceiling.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` that is waited out; a longer one ends the retries
    /// with [`Error::RateLimited`](crate::Error::RateLimited).
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of retries allowed.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The ceiling of the wait before retry number `retry` (0-based):
    /// `min(max_delay, base_delay * 2^retry)`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(31));
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// A random wait in `0..=backoff_ceiling(retry)` ("full jitter").
    pub fn backoff(&self, retry: u32) -> Duration {
        jitter(self.backoff_ceiling(retry), rand::random::<f64>())
    }

    /// The wait before retry number `retry`, given the service's `Retry-After`:
    /// `Retry-After` when the service sent one (it knows best), the jittered backoff
    /// otherwise. `None` when `Retry-After` is longer than this policy waits, so a
    /// wait is never longer than `max_retry_after` or `max_delay`, whatever the
    /// service said.
    pub(crate) fn wait(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(after) if after > self.max_retry_after => None,
            Some(after) => Some(after),
            None => Some(self.backoff(retry)),
        }
    }
}

/// `ceiling * fraction` (`fraction` in `0..1`), never above `ceiling`. `mul_f64` would
/// panic when the product rounds above `Duration::MAX` (a `max_delay` of
/// `Duration::MAX`).
fn jitter(ceiling: Duration, fraction: f64) -> Duration {
    Duration::try_from_secs_f64(ceiling.as_secs_f64() * fraction.clamp(0.0, 1.0))
        .unwrap_or(ceiling)
        .min(ceiling)
}

/// Whether an answer with this status may be worth sending again.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED
}

/// The wait `Retry-After` asks for, relative to `now`: delta-seconds (`120`) or an
/// HTTP-date in any of its three forms (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850,
/// asctime). A date in the past is no wait; a number too large to represent is
/// [`Duration::MAX`]; anything else (negative, fractional, garbage) is `None`.
///
/// The value is the service's word, unchecked: [`RetryPolicy`] waits it out only up to
/// its `max_retry_after`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let then = httpdate::parse_http_date(value).ok()?;
    Some(then.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_below_the_ceiling() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        assert_eq!(policy.backoff_ceiling(0), Duration::from_millis(100));
        assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(200));
        assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(800));
        assert_eq!(policy.backoff_ceiling(4), Duration::from_secs(1));
        assert_eq!(policy.backoff_ceiling(200), Duration::from_secs(1));
        let samples: Vec<Duration> = (0..200).map(|_| policy.backoff(2)).collect();
        assert!(samples.iter().all(|d| *d <= Duration::from_millis(400)));
        // Full jitter spreads the waits: not all equal.
        assert!(samples.iter().any(|d| *d != samples[0]));
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_limit() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        assert_eq!(
            policy.wait(0, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(policy.wait(0, Some(Duration::from_secs(6))), None);
        assert!(policy.wait(0, None).unwrap() <= policy.backoff_ceiling(0));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, SystemTime::now()), None);
        headers.insert("retry-after", " 60 ".parse().unwrap());
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(60))
        );
        headers.insert(
            "retry-after",
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_747);
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        let later = now + Duration::from_secs(100);
        assert_eq!(retry_after(&headers, later), Some(Duration::ZERO));
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    /// Issue 11: `u64::MAX`, numbers beyond it, negative and fractional values, and
    /// the RFC 850 and asctime forms of HTTP-date.
    #[test]
    fn retry_after_reads_odd_values_without_panicking() {
        let read = |value: &str, now: SystemTime| {
            let mut headers = HeaderMap::new();
            headers.insert("retry-after", value.parse().unwrap());
            retry_after(&headers, now)
        };
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_747);
        assert_eq!(
            read("18446744073709551615", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(read("99999999999999999999999", now), Some(Duration::MAX));
        for garbage in ["-1", "+5", "1.5", "", "0x10", "Sun, 06 Nov 1994"] {
            assert_eq!(read(garbage, now), None, "{garbage:?}");
        }
        assert_eq!(
            read("Sunday, 06-Nov-94 08:49:37 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            read("Sun Nov  6 08:49:37 1994", now),
            Some(Duration::from_secs(30))
        );
        let far = read("Fri, 31 Dec 9999 23:59:59 GMT", SystemTime::now()).unwrap();
        assert!(far > Duration::from_secs(7000 * 365 * 86_400));
    }

    /// Issue 11: whatever the service says, no wait exceeds the policy's limits, and
    /// a huge `max_delay` cannot make the jitter overflow.
    #[test]
    fn waits_never_exceed_the_policy() {
        let policy = RetryPolicy::default();
        for after in [Duration::from_secs(3600), Duration::MAX] {
            assert_eq!(policy.wait(0, Some(after)), None);
        }
        assert_eq!(
            policy.wait(0, Some(Duration::from_secs(120))),
            Some(Duration::from_secs(120))
        );
        let unbounded = RetryPolicy::default()
            .base_delay(Duration::MAX)
            .max_delay(Duration::MAX);
        for retry in [0, 1, 40] {
            assert!(unbounded.backoff(retry) <= Duration::MAX);
        }
        // `Duration::MAX.mul_f64(1.0)` panics: the f64 rounds above `Duration::MAX`.
        assert_eq!(jitter(Duration::MAX, 1.0), Duration::MAX);
        assert!(jitter(Duration::MAX, 0.999_999_999_999) < Duration::MAX);
        assert_eq!(jitter(Duration::from_secs(10), 0.5), Duration::from_secs(5));
        assert_eq!(
            jitter(Duration::from_secs(10), f64::NAN),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn retryable_statuses() {
        for status in [429, 408, 500, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(status).unwrap()));
        }
        for status in [400, 401, 403, 404, 501] {
            assert!(!is_retryable_status(StatusCode::from_u16(status).unwrap()));
        }
    }
}
