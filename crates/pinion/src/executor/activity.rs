//! When an upload last made progress.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::Error;

/// When an upload last made progress, shared by its body stream and the watchdog.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    inner: Arc<ActivityInner>,
}

#[derive(Debug)]
struct ActivityInner {
    start: tokio::time::Instant,
    last_millis: AtomicU64,
    error: std::sync::Mutex<Option<Error>>,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Self {
            inner: Arc::new(ActivityInner {
                start: tokio::time::Instant::now(),
                last_millis: AtomicU64::new(0),
                error: std::sync::Mutex::new(None),
            }),
        }
    }

    /// Records progress now.
    pub(crate) fn tick(&self) {
        let now = u64::try_from(self.inner.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.inner.last_millis.fetch_max(now, Ordering::Relaxed);
    }

    /// How long since the last progress.
    pub(super) fn idle(&self) -> Duration {
        let now = self.inner.start.elapsed();
        now.saturating_sub(Duration::from_millis(
            self.inner.last_millis.load(Ordering::Relaxed),
        ))
    }

    /// Keeps the real reason an upload body failed (reqwest only reports "body error").
    pub(crate) fn fail(&self, error: Error) {
        let mut slot = self.inner.error.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(error);
    }

    pub(crate) fn take_error(&self) -> Option<Error> {
        self.inner
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}
