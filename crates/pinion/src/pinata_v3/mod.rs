//! Pinata's v3 API (`api.pinata.cloud/v3` and `uploads.pinata.cloud/v3`): files on the
//! public and private networks, uploads, pins by CID, groups.
//!
//! One file per concept: the [`Client`] and how to build it in `client`, the choice
//! between the legacy and v3 APIs in `choice`, the operations table in `operations`,
//! file records in `files` (the listing stream in `list`), uploads in `upload` (above 100 MB over TUS, in `tus` and `tus_send`; resumed
//! across processes in `resume`),
//! signed download links to private files in `download_links`, presigned upload URLs
//! and uploads to them without credentials in `presigned`, pins by
//! CID in `pin_by_cid`, groups in `groups`, keys with typed `resources` scopes in `keys`, hot swaps and
//! signatures in `swaps_signatures`, and [`PinningService`](crate::PinningService)
//! over v3 in `service`.
//!
//! Everything goes through the same executor as the legacy API: retries, the client-side
//! rate limit, timeouts and typed errors (v3's `{"error":{"code","message"}}` included).
//!
//! ```no_run
//! # async fn run() -> Result<(), pinion::Error> {
//! use futures::TryStreamExt;
//! use pinion::pinata_v3::{Client, FileFilter, Network};
//! use pinion::upload::UploadOptions;
//!
//! let client = Client::from_env()?; // PINATA_JWT, PINATA_BASE_URL, PINATA_UPLOADS_URL, …
//! let file = client
//!     .upload_file(Network::Private, "report.pdf", UploadOptions::default())
//!     .await?;
//! println!("{} is {}", file.id, file.cid);
//! let mine: Vec<_> = client
//!     .files(Network::Private, FileFilter::default().keyvalue("team", "ops"))
//!     .try_collect()
//!     .await?;
//! println!("{} files", mine.len());
//! # Ok(()) }
//! ```

mod choice;
mod client;
mod download_links;
mod files;
mod groups;
mod keys;
mod list;
mod operations;
mod pin_by_cid;
mod presigned;
mod resume;
mod service;
mod swaps_signatures;
mod tus;
mod tus_send;
mod tus_source;
mod upload;

pub use choice::PinataApi;
pub use client::{Client, DEFAULT_UPLOADS_URL};
pub use download_links::DownloadLink;
pub use files::FileUpdate;
pub use groups::GroupFilter;
pub use keys::ApiKeyInfo;
pub use list::FileFilter;
pub use pin_by_cid::{PinByCidFilter, PinByCidOptions, PinByCidStatus};
pub use presigned::{SignedUploadOptions, SignedUploadUrl};
pub use resume::ResumeHandle;
pub use tus::TUS_CHUNK;
pub use upload::{MULTIPART_LIMIT, UploadedFile};

pub(crate) use operations::operation;

/// The generated v3 types (`spec/pinata-v3.yaml`).
pub use pinion_api::pinata_v3::types;
/// The network a file or group lives on: `public` (announced to IPFS) or `private`.
pub use pinion_api::pinata_v3::types::Network;
