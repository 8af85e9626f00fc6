//! The IPFS Pinning Service API on both emulated services, over real HTTP: Pinata's
//! `/psa` (with its recorded deviations) and W3IPFS's `/api/psa` (the standard).

mod common;

#[path = "psa/client.rs"]
mod client;

#[path = "psa/auth.rs"]
mod auth;
#[path = "psa/deviations.rs"]
mod deviations;
#[path = "psa/filters.rs"]
mod filters;
#[path = "psa/lifecycle.rs"]
mod lifecycle;
#[path = "psa/paging.rs"]
mod paging;
#[path = "psa/sharing.rs"]
mod sharing;
