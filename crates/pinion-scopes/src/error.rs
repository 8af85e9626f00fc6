//! Why a scope or permission set was refused.

use crate::{Capability, Service};

/// A key scope the service would refuse, caught before any request is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// Pinata refuses `admin: true` together with an `endpoints` object.
    #[error(
        "a Pinata key is either admin or scoped to endpoints, not both: \
         drop `endpoints` for an admin key, or `admin` for a scoped one"
    )]
    AdminWithEndpoints,
    /// A non-admin Pinata key needs a complete `endpoints` object (or v3 `resources`).
    #[error(
        "a non-admin Pinata key needs an `endpoints` object with every data and pinning \
         permission set to true or false (or v3 `resources`)"
    )]
    NoPermissions,
    /// A least-privilege key was asked for with no capability at all.
    #[error("give at least one capability for the key (see `Capability::ALL`)")]
    NoCapabilities,
    /// A non-admin W3IPFS key must list every sub-property of its scopes.
    #[error(
        "a non-admin W3IPFS key must give every scope: `{missing}` is missing \
         (set admin to true, or give data, pinning and pin_nft with all their properties)"
    )]
    IncompleteScopes {
        /// The first missing scope object.
        missing: &'static str,
    },
    /// A Pinata v3 resource scope that is not one of the ten the docs name.
    #[error(
        "`{0}` is not a Pinata resource scope: expected one of org:read, org:write, \
         org:files:read, org:files:write, org:groups:read, org:groups:write, \
         org:gateways:read, org:gateways:write, org:analytics:read, org:analytics:write"
    )]
    InvalidResource(String),
    /// The service has nothing that grants this capability.
    #[error("{service} keys cannot be granted `{capability}`: the service has no such operation")]
    Unsupported {
        /// The capability asked for.
        capability: Capability,
        /// The service that lacks it.
        service: Service,
    },
    /// A capability name that is not in [`Capability::ALL`].
    #[error("unknown capability `{name}`: expected one of {expected}")]
    UnknownCapability {
        /// The name given.
        name: String,
        /// The valid names, comma-separated.
        expected: String,
    },
}
