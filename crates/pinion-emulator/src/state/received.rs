//! The emulator's own count of upload bytes received over TUS and of request cuts
//! done, for tests and benchmarks that check what a client says it sent
//! (`GET /_emulator/tus/received`, [`RunningEmulator::tus_received`]).
//!
//! [`RunningEmulator::tus_received`]: crate::RunningEmulator::tus_received

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// What the emulator received of TUS uploads since it started or the counters were
/// last reset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TusReceived {
    /// Body bytes of TUS `PATCH` requests the emulator read, for every upload,
    /// including those of requests whose connection was cut (what arrived before the
    /// cut). A `PATCH` refused on its headers (409, 415, 413 declared) counts nothing.
    pub bytes_received: u64,
    /// Request connections cut by fault injection ([`Faults::cut_request_rate`],
    /// [`Faults::cut_requests`]).
    ///
    /// [`Faults::cut_request_rate`]: crate::Faults::cut_request_rate
    /// [`Faults::cut_requests`]: crate::Faults::cut_requests
    pub cuts: u64,
}

/// The live counters behind [`TusReceived`].
#[derive(Debug, Default)]
pub(crate) struct ReceivedCounters {
    bytes: AtomicU64,
    cuts: AtomicU64,
}

impl ReceivedCounters {
    /// Counts `bytes` more TUS body bytes read.
    pub(crate) fn count_bytes(&self, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Counts one more request cut.
    pub(crate) fn count_cut(&self) {
        self.cuts.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts now.
    pub(crate) fn snapshot(&self) -> TusReceived {
        TusReceived {
            bytes_received: self.bytes.load(Ordering::Relaxed),
            cuts: self.cuts.load(Ordering::Relaxed),
        }
    }

    /// Sets both counts back to 0.
    pub(crate) fn reset(&self) {
        self.bytes.store(0, Ordering::Relaxed);
        self.cuts.store(0, Ordering::Relaxed);
    }
}
