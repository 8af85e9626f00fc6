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

    /// Moves the clock forward by `by`, refusing to move it more than
    /// [`MAX_OFFSET_SECONDS`] ahead of the wall clock in total: every time the emulator
    /// computes (token expiries, job ages, rate-limit windows) stays representable.
    pub(crate) fn advance(&self, by: Duration) -> Result<(), ClockError> {
        let too_far = || ClockError {
            max_seconds: MAX_OFFSET_SECONDS,
        };
        let by_ms = i64::try_from(by.as_millis()).map_err(|_| too_far())?;
        self.offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                offset
                    .checked_add(by_ms)
                    .filter(|total| *total <= MAX_OFFSET_SECONDS * 1000)
            })
            .map(drop)
            .map_err(|_| too_far())
    }
}

/// How far ahead of the wall clock the emulator's clock may be moved in total: 100
/// years, far beyond any token lifetime or job age, far below chrono's limits.
pub(crate) const MAX_OFFSET_SECONDS: i64 = 100 * 366 * 24 * 3600;

/// The clock was asked to move further than [`MAX_OFFSET_SECONDS`] ahead.
#[derive(Debug, thiserror::Error)]
#[error(
    "the emulator's clock can be moved at most {max_seconds} seconds (100 years) ahead in total"
)]
pub(crate) struct ClockError {
    max_seconds: i64,
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
        clock.advance(Duration::from_secs(3600)).unwrap();
        let gained = clock.now() - before;
        assert!(gained >= chrono::Duration::seconds(3600), "{gained}");
        assert!(gained < chrono::Duration::seconds(3660), "{gained}");
    }

    #[test]
    fn advancing_too_far_is_refused_and_changes_nothing() {
        let clock = Clock::default();
        let before = clock.now();
        for huge in [
            Duration::MAX,
            Duration::from_secs(u64::MAX),
            Duration::from_secs(200 * 366 * 24 * 3600),
        ] {
            assert!(clock.advance(huge).is_err(), "{huge:?}");
        }
        let limit = Duration::from_secs(MAX_OFFSET_SECONDS as u64);
        clock.advance(limit).unwrap();
        assert!(
            clock.advance(Duration::from_secs(1)).is_err(),
            "the total is bounded"
        );
        assert!(clock.now() - before >= chrono::Duration::seconds(MAX_OFFSET_SECONDS));
        assert!(clock.unix_seconds() > 0);
    }

    #[test]
    fn iso_has_milliseconds_and_z() {
        let time = DateTime::parse_from_rfc3339("2023-07-07T17:33:19.774Z").unwrap();
        assert_eq!(iso(time.with_timezone(&Utc)), "2023-07-07T17:33:19.774Z");
    }
}
