//! Limits and defaults of the pinning services that both the `pinion` library and the
//! emulator apply, written once (as `pinion-scopes` does for key scopes):
//!
//! - [`metadata`]: at most [`metadata::MAX_KEYVALUES`] key-values on a pin;
//! - [`paging`]: page limits of Pinata and Submarine listings, 1 to 1000;
//! - [`host_nodes`]: at most [`host_nodes::MAX_HOST_NODES`] multiaddrs on a pin by CID;
//! - [`upload`]: the name a pin gets when none is given, and MIME types by extension;
//! - [`cid_version`]: the `cid_version` of Pinata v3 uploads, its default and spelling;
//! - [`psa`]: the IPFS Pinning Service API's limits (names, origins, metadata, the `cid`
//!   filter, the page limit) and what a multiaddr looks like.
//!
//! Every check returns a [`RuleError`] whose text says what was wrong and what is allowed.
//!
//! ```
//! use pinion_rules::{metadata, paging};
//! assert!(metadata::check_keyvalue_count(10).is_ok());
//! let error = paging::check_page_limit(1001).unwrap_err();
//! assert_eq!(error.to_string(), "1001 is out of range: give 1 to 1000");
//! assert_eq!(error.subject(), "page limit");
//! ```

#![deny(missing_docs)]

pub mod cid_version;
mod error;
pub mod host_nodes;
pub mod metadata;
pub mod paging;
pub mod psa;
pub mod upload;

pub use error::RuleError;
