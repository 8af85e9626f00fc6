//! Test and benchmark support shared by pinion's crates. A dev-dependency only: nothing
//! shipped depends on it.
//!
//! - [`fixture`]: the deterministic byte rule of the CID fixtures, in memory or as files.
//! - [`process`]: run a child process and measure its wall time and peak RSS; start an
//!   emulator process and read its credentials.
//! - [`report`]: the rows benchmarks hand to `cargo xtask bench` for its table.

pub mod fixture;
pub mod process;
pub mod report;
