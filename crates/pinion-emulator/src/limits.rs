//! Rate limiting: `X-RateLimit-*` headers on every answer, and, when a limit is
//! configured, `429` with `Retry-After` once a client has used up its minute.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderValue};

use crate::service::ServiceKind;

/// The limit reported when none is enforced: the figure of Pinata's documented header
/// example and W3IPFS's published plan (requests per minute).
pub(crate) const DEFAULT_REPORTED_LIMIT: u32 = 180;

const WINDOW_SECONDS: i64 = 60;

/// What the limiter decided for one request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    /// Unix seconds when the window resets.
    pub(crate) reset: i64,
    /// `Some(seconds)` when the request is refused.
    pub(crate) retry_after: Option<i64>,
}

impl Decision {
    /// Adds `X-RateLimit-Limit`, `-Remaining`, `-Reset` (and `Retry-After` when refused).
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset));
        if let Some(seconds) = self.retry_after {
            headers.insert("retry-after", HeaderValue::from(seconds.max(1)));
        }
    }
}

/// Fixed one-minute windows per service and client identity.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    enforced: Option<u32>,
    windows: Mutex<HashMap<(ServiceKind, u64), (i64, u32)>>,
}

impl RateLimiter {
    /// A limiter that refuses requests beyond `per_minute` when given, and otherwise
    /// only reports.
    pub(crate) fn new(per_minute: Option<u32>) -> Self {
        RateLimiter {
            enforced: per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `identity` to `service` at `now` (Unix seconds).
    pub(crate) fn check(&self, service: ServiceKind, identity: u64, now: i64) -> Decision {
        let limit = self.enforced.unwrap_or(DEFAULT_REPORTED_LIMIT);
        let window_start = now - now.rem_euclid(WINDOW_SECONDS);
        let reset = window_start + WINDOW_SECONDS;
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let entry = windows
            .entry((service.rate_bucket(), identity))
            .or_insert((window_start, 0));
        if entry.0 != window_start {
            *entry = (window_start, 0);
        }
        if self.enforced.is_some() && entry.1 >= limit {
            return Decision {
                limit,
                remaining: 0,
                reset,
                retry_after: Some(reset - now),
            };
        }
        entry.1 = entry.1.saturating_add(1);
        Decision {
            limit,
            remaining: limit.saturating_sub(entry.1),
            reset,
            retry_after: None,
        }
    }
}

/// Who is asking: a hash of the request's credential headers (all clients without
/// credentials share one bucket).
pub(crate) fn identity(headers: &HeaderMap) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for name in [
        "authorization",
        "pinata_api_key",
        "pinning_api_key",
        "x-api-key",
    ] {
        if let Some(value) = headers.get(name) {
            name.hash(&mut hasher);
            value.as_bytes().hash(&mut hasher);
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_without_enforcing_by_default() {
        let limiter = RateLimiter::new(None);
        for _ in 0..500 {
            let decision = limiter.check(ServiceKind::Pinata, 1, 1_000_020);
            assert_eq!(decision.retry_after, None);
            assert_eq!(decision.limit, DEFAULT_REPORTED_LIMIT);
        }
    }

    #[test]
    fn enforces_per_window_and_identity() {
        let limiter = RateLimiter::new(Some(2));
        let now = 1_000_040; // 20 s into a window starting at 1_000_020
        assert_eq!(limiter.check(ServiceKind::W3ipfs, 1, now).remaining, 1);
        assert_eq!(limiter.check(ServiceKind::W3ipfs, 1, now).remaining, 0);
        let refused = limiter.check(ServiceKind::W3ipfs, 1, now);
        assert_eq!(refused.retry_after, Some(40));
        assert_eq!(refused.reset, 1_000_080);
        // another client, another service: their own budgets
        assert_eq!(limiter.check(ServiceKind::W3ipfs, 2, now).retry_after, None);
        assert_eq!(limiter.check(ServiceKind::Pinata, 1, now).retry_after, None);
        // the next window starts afresh
        assert_eq!(
            limiter.check(ServiceKind::W3ipfs, 1, now + 40).retry_after,
            None
        );
    }
}
