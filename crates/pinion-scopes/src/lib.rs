//! Who may do what on Pinata and W3IPFS.
//!
//! The rules both the `pinion` library and the emulator need, written once:
//!
//! - [`Capability`]: a service-neutral list of what a key may be allowed to do, with the
//!   least-privilege [`pinata::PinataPermissions`] and [`w3ipfs::W3ipfsScopes`] for a set
//!   of capabilities.
//! - [`pinata::PinataPermissions`] and [`w3ipfs::W3ipfsScopes`]: the services' key scope
//!   objects as types. Their constructors and deserializers refuse what the services refuse
//!   (Pinata: admin, or a complete `endpoints` object, never both; W3IPFS: every
//!   sub-property unless admin), so an invalid key request is caught before it is sent.
//! - [`pinata::requirement`] and [`w3ipfs::requirement`]: which permission each operation of
//!   the specs needs, by operationId; [`Capability::needed_by`] answers the same in
//!   service-neutral terms.
//! - [`pinata_v3`]: the `resources` scopes of Pinata v3 keys, the scope every v3 operation
//!   needs, and the matcher from a request's method and path to its operation.
//! - [`psa`]: the Pinata permissions each IPFS Pinning Service API operation needs.
//!
//! ```
//! use pinion_scopes::{Capability, Service, pinata::PinataPermissions};
//!
//! let permissions = PinataPermissions::for_capabilities(&[Capability::PinFile, Capability::Unpin])?;
//! assert!(!permissions.is_admin());
//! assert_eq!(Capability::needed_by(Service::Pinata, "unpin"), Some(Capability::Unpin));
//! # Ok::<(), pinion_scopes::ScopeError>(())
//! ```

#![deny(missing_docs)]

mod capability;
mod error;
pub mod pinata;
pub mod pinata_v3;
pub mod psa;
mod service;
pub mod w3ipfs;

pub use capability::Capability;
pub use error::ScopeError;
pub use service::Service;

/// What an operation requires of the key that calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requirement<P> {
    /// Any valid key (or session) of the service.
    AnyKey,
    /// An admin key (or, on W3IPFS, a user session JWT).
    Admin,
    /// A key holding this permission (admin keys hold every permission).
    Permission(P),
}
