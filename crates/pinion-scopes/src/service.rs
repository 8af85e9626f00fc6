//! The services pinion speaks to.

use std::fmt;

/// One of the APIs pinion speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// Pinata's API at `api.pinata.cloud` (pinning, data, keys, groups).
    Pinata,
    /// Pinata's Submarine (private content) API at `managed.mypinata.cloud`.
    Submarine,
    /// The W3IPFS (AIOZ) API.
    W3ipfs,
    /// An IPFS Pinning Service API endpoint of another provider (Pinata's `/psa` and
    /// W3IPFS's `/api/psa/` are named by their own service).
    Psa,
}

impl Service {
    /// The service's name as people write it.
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::Pinata => "Pinata",
            Self::Submarine => "Pinata Submarine",
            Self::W3ipfs => "W3IPFS",
            Self::Psa => "the Pinning Service API endpoint",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}
