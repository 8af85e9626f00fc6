//! Why a value breaks one of the rules.

/// A value the services refuse. `Display` says why and what is allowed; [`subject`]
/// names the value, for messages such as `invalid page limit: …`.
///
/// [`subject`]: RuleError::subject
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// More key-values than a pin may carry.
    #[error("{given} were given, at most {max} are allowed", max = crate::metadata::MAX_KEYVALUES)]
    TooManyKeyValues {
        /// How many were given.
        given: usize,
    },
    /// A page limit outside 1 to 1000.
    #[error("{given} is out of range: give {min} to {max}", min = crate::paging::MIN_PAGE_LIMIT, max = crate::paging::MAX_PAGE_LIMIT)]
    PageLimitOutOfRange {
        /// The limit given.
        given: u64,
    },
    /// More host nodes than a pin by CID may name.
    #[error("{given} were given, at most {max} are allowed", max = crate::host_nodes::MAX_HOST_NODES)]
    TooManyHostNodes {
        /// How many were given.
        given: usize,
    },
    /// A host node that is not a multiaddr.
    #[error("`{given}` is not a multiaddr: give one such as /ip4/1.2.3.4/tcp/4001/p2p/Qm…")]
    HostNodeNotMultiaddr {
        /// The host node given.
        given: String,
    },
    /// A v3 `cid_version` other than `v0`/`0` or `v1`/`1`.
    #[error("{given:?} is not a CID version: give v0 or v1")]
    CidVersionUnknown {
        /// The value given.
        given: String,
    },
    /// A PSA pin name over 255 characters.
    #[error("{given} characters were given, at most {max} are allowed", max = crate::psa::MAX_NAME_CHARS)]
    PsaNameTooLong {
        /// How many characters were given.
        given: usize,
    },
    /// More PSA `origins` than a pin may name.
    #[error("{given} were given, at most {max} are allowed", max = crate::psa::MAX_ORIGINS)]
    TooManyOrigins {
        /// How many were given.
        given: usize,
    },
    /// More PSA `meta` entries than a pin may carry.
    #[error("{given} were given, at most {max} are allowed", max = crate::psa::MAX_META_ENTRIES)]
    TooManyMetaEntries {
        /// How many were given.
        given: usize,
    },
    /// More CIDs in a PSA `cid` filter than one list may ask for.
    #[error("{given} were given, at most {max} are allowed", max = crate::psa::MAX_CID_FILTER)]
    TooManyCidsInFilter {
        /// How many were given.
        given: usize,
    },
    /// A PSA list `limit` outside 1 to 1000.
    #[error("{given} is out of range: give {min} to {max}", min = crate::psa::MIN_LIMIT, max = crate::psa::MAX_LIMIT)]
    PsaLimitOutOfRange {
        /// The limit given.
        given: u64,
    },
    /// Text that is not a multiaddr.
    #[error(
        "`{given}` is not a multiaddr ({why}): give one such as /ip4/203.0.113.1/tcp/4001/p2p/12D3KooW…"
    )]
    NotMultiaddr {
        /// The text given.
        given: String,
        /// What is wrong with it.
        why: String,
    },
}

impl RuleError {
    /// What the refused value is, in a few words (`keyvalues`, `page limit`, …).
    pub fn subject(&self) -> &'static str {
        match self {
            Self::TooManyKeyValues { .. } => "keyvalues",
            Self::PageLimitOutOfRange { .. } => "page limit",
            Self::TooManyHostNodes { .. } => "host nodes",
            Self::HostNodeNotMultiaddr { .. } => "host node",
            Self::CidVersionUnknown { .. } => "cid_version",
            Self::PsaNameTooLong { .. } => "name",
            Self::TooManyOrigins { .. } => "origins",
            Self::TooManyMetaEntries { .. } => "meta",
            Self::TooManyCidsInFilter { .. } => "cid filter",
            Self::PsaLimitOutOfRange { .. } => "limit",
            Self::NotMultiaddr { .. } => "multiaddr",
        }
    }
}
