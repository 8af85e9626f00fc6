//! Project automation for pinion, as a library so its checks can be tested.
//!
//! - [`specs`]: the OpenAPI documents under `spec/` and the modules they become.
//! - [`schema`]: validating JSON against a spec's schemas (OpenAPI 3.0 → JSON Schema).
//! - [`lint`]: completeness and progenitor-compatibility checks of a spec.
//! - [`codegen`]: generation of `crates/pinion-api` with progenitor, and the staleness check.
//! - [`drift`]: comparing our specs with the facts of Pinata's published OpenAPI files.
//! - [`bench`]: running the benchmarks and tabulating their rows into `BENCHMARKS.md`.

pub mod bench;
pub mod codegen;
pub mod drift;
pub mod lint;
pub mod schema;
pub mod specs;
