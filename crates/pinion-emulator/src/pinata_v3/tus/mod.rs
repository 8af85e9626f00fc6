//! TUS 1.0.0 resumable uploads on the v3 uploads routes (core protocol and the
//! `creation` extension).

#![allow(dead_code)] // the handlers using these arrive with the v3 routing

mod location;
mod metadata;
mod part_file;
