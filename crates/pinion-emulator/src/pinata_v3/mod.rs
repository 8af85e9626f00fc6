//! Pinata v3 (placeholder until the v3 skeleton lands).

pub(crate) mod tus;
