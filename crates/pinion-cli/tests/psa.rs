//! `pinion --service psa` against both emulated Pinning Service API endpoints (Pinata's
//! `/psa`, W3IPFS's `/api/psa`) and `--local`: every command and filter, a replace, a
//! `failed` pin, paging over more than 1,000 pins, refusals, the token never shown.

mod common;

#[path = "psa/setup.rs"]
mod setup;

#[path = "psa/commands.rs"]
mod commands;

#[path = "psa/refusals.rs"]
mod refusals;
