//! The states of a pin request.

use crate::Error;

/// Where a pin request stands. A service may send a value the standard does not know;
/// [`Status::parse`] gives `None` for it and the pin's raw `status` string stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Waiting: nothing fetched yet.
    Queued,
    /// Fetching the data.
    Pinning,
    /// Pinned.
    Pinned,
    /// The service gave up (its `info` may say why).
    Failed,
}

impl Status {
    /// Every status, in the order a pin goes through them.
    pub const ALL: [Status; 4] = [Self::Queued, Self::Pinning, Self::Pinned, Self::Failed];

    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Pinning => "pinning",
            Self::Pinned => "pinned",
            Self::Failed => "failed",
        }
    }

    /// The status a wire value names, `None` for one the standard does not have.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    /// Whether the request is over (pinned or failed).
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Pinned | Self::Failed)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::parse(text.trim()).ok_or_else(|| {
            Error::invalid_input(
                "status",
                format!("`{text}` is not one of queued, pinning, pinned, failed"),
            )
        })
    }
}
