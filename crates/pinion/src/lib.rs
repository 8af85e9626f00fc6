//! Easy, safe clients for the IPFS pinning services **Pinata** (with its **Submarine**
//! private-content API) and **W3IPFS**.
//!
//! - [`pinata::Client`], [`submarine::Client`] and [`w3ipfs::Client`]: every operation of
//!   the services as an async method, listings as [`futures::Stream`]s and pages as
//!   [`Listing`]s, read row by row (an odd row is an [`Error::UndecodableRow`] with its
//!   raw JSON, the others are still read);
//! - [`pinata_v3::Client`]: Pinata's v3 API (files on public and private networks,
//!   download links, presigned uploads, pins by CID, groups, swaps, signatures, keys with
//!   `resources` scopes; large files over TUS);
//! - [`psa::Client`]: any IPFS Pinning Service API endpoint (Pinata's `/psa`, W3IPFS's
//!   `/api/psa/`, other providers'), listings paged with `before`, waits until pinned;
//! - [`PinningService`]: what every service shares, so code switches service with one
//!   value ([`AnyPinningClient`]; Pinata over its legacy or v3 API with
//!   [`pinata_v3::PinataApi`]); keys and uploads where a service has them
//!   ([`KeyManagement`], [`FileUpload`]);
//! - uploads of a file, a directory or any `AsyncRead`, streamed with constant memory,
//!   with progress and local CID verification ([`upload`], [`cid`]);
//! - typed key scopes ([`scopes`]), content access tokens ([`token`]), secret-holding
//!   key types ([`keys`]);
//! - retries with backoff honouring `Retry-After` ([`RetryPolicy`]), a client-side rate
//!   limiter set from the published plans ([`RateLimit`]), connect/request/stall
//!   timeouts ([`Timeouts`]), and one [`Error`] type that keeps what the service said;
//! - credentials that stay on the service's origin: cross-origin redirects are refused
//!   ([`redirect_policy`]) and plain `http://` is refused off this machine unless
//!   allowed ([`ClientBuilder::allow_insecure_http`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), pinion::Error> {
//! use pinion::upload::UploadOptions;
//!
//! let pinata = pinion::pinata::Client::from_env()?; // PINATA_JWT, PINATA_BASE_URL, …
//! let pinned = pinata.pin_directory("./site", UploadOptions::default()).await?;
//! println!("pinned {} ({} bytes)", pinned.cid, pinned.size.unwrap_or(0));
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod args;
pub mod cid;
mod config;
pub mod credentials;
mod error;
mod executor;
#[doc(hidden)]
pub mod fuzzing;
mod insecure;
pub mod keys;
mod listing;
mod neutral;
mod operations;
mod paginate;
pub mod pinata;
pub mod pinata_v3;
pub mod psa;
mod rate_limit;
mod redirect;
mod retry;
mod service;
pub mod submarine;
pub mod token;
pub mod upload;
pub mod w3ipfs;

pub use config::{ALLOW_INSECURE_HTTP_VAR, ClientBuilder, DEFAULT_USER_AGENT, Timeouts};
pub use error::{Error, TimeoutPhase};
pub use listing::{Listing, RawRow};
pub use rate_limit::{PinataPlan, RateLimit};
pub use redirect::{MAX_REDIRECTS, redirect_policy};
pub use retry::{RetryPolicy, retry_after};
pub use service::{
    AnyPinningClient, FileUpload, KeyInfo, KeyManagement, NewKey, PinInfo, PinningService,
};

/// Typed key scopes and capabilities (the `pinion-scopes` crate).
pub use pinion_scopes as scopes;

/// The low-level generated clients and their types (the `pinion-api` crate).
pub use pinion_api as api;
