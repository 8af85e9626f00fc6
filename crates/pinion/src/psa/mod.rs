//! The IPFS Pinning Service API (PSA), the open standard kubo's `ipfs pin remote`, IPFS
//! Desktop and many services speak: one [`Client`] for any endpoint.
//!
//! - [`Client::builder`] for any provider's endpoint (base URL and access token);
//!   [`pinata::Client::psa`](crate::pinata::Client::psa) for Pinata's `/psa` (the key's
//!   JWT) and [`w3ipfs::Client::psa`](crate::w3ipfs::Client::psa) for W3IPFS's
//!   `/api/psa/` (the login JWT);
//! - add, get, replace and delete pin requests; list them one page at a time or as a
//!   stream over every page ([`ListFilter`], checked before any request);
//! - [`Client::wait_until_pinned`] polls with backoff until `pinned` or `failed`.
//!
//! The client offers [`PinningService`](crate::PinningService) (a pin's handle is its
//! request id), not [`KeyManagement`](crate::KeyManagement) nor
//! [`FileUpload`](crate::FileUpload): the standard has neither.

mod beside_services;
mod client;
mod filter;
mod paging;
mod request;
mod service;
mod status;
mod wait;

pub use client::{BASE_URL_VAR, Builder, Client, TOKEN_VAR};
pub use filter::{ListFilter, MAX_CIDS, MAX_LIMIT, MAX_NAME, NameMatch};
pub use request::{MAX_ORIGINS, PinRequest};
pub use status::Status;
pub use wait::Wait;

#[doc(no_inline)]
pub use crate::credentials::PsaCredentials;

/// The generated request and answer types (`PinStatus`, `PinResults`, `Pin`, …).
pub use pinion_api::psa::types;

pub(crate) use client::beside;

/// How an [`Error::PinFailed`](crate::Error::PinFailed) shows the service's `info`.
pub(crate) fn info_hint(info: &std::collections::BTreeMap<String, String>) -> String {
    if info.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = info.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!(" ({})", parts.join(", "))
}
