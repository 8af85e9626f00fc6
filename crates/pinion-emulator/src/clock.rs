//! The emulator's clock: wall time plus an offset tests can advance.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Wall-clock time shifted by an offset that only grows, so tests can make tokens
/// expire or jobs age without sleeping.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The emulator's current time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Seconds since the Unix epoch, as JWT claims use them.
    pub(crate) fn unix_seconds(&self) -> i64 {
        self.now().timestamp()
    }

    /// Moves the clock forward by `by`.
    pub(crate) fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// Formats a time the way both services do: ISO-8601 with milliseconds and `Z`.
pub(crate) fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        let gained = clock.now() - before;
        assert!(gained >= chrono::Duration::seconds(3600), "{gained}");
        assert!(gained < chrono::Duration::seconds(3660), "{gained}");
    }

    #[test]
    fn iso_has_milliseconds_and_z() {
        let time = DateTime::parse_from_rfc3339("2023-07-07T17:33:19.774Z").unwrap();
        assert_eq!(iso(time.with_timezone(&Utc)), "2023-07-07T17:33:19.774Z");
    }
}
