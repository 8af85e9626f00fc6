//! `pinion::psa::Client` against both emulated Pinning Service API endpoints, Pinata's
//! `/psa` and W3IPFS's `/api/psa`: every operation and filter, a replace, a `failed`
//! pin, paging over more than 1,000 pins, errors of both shapes, and the token never
//! shown.

mod common;

#[path = "common/logs.rs"]
mod logs;

#[path = "psa/endpoints.rs"]
mod endpoints;

#[path = "psa/operations.rs"]
mod operations;

#[path = "psa/paging.rs"]
mod paging;

#[path = "psa/refusals.rs"]
mod refusals;
