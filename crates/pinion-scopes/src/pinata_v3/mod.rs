//! Pinata v3: the `resources` scopes of v3 keys, every v3 operation with the scope it
//! needs, and the matcher from a request to its operation.
//!
//! - [`ResourceScope`]: `org:read`, `org:write`, `org:<files|groups|gateways|analytics>:
//!   <read|write>`, parsed strictly; [`ReportedScope`] keeps unknown scopes a server
//!   reports.
//! - [`V3Operation`]: the route → scope table ([`V3Operation::authorization`]) and
//!   [`V3Operation::find`], which the emulator uses to enforce scopes on every v3 route.
//! - [`PinataPermissions::v3_access`](crate::pinata::PinataPermissions::v3_access): what a
//!   key may do on v3 routes (a key with only legacy `endpoints` may do nothing there);
//!   [`least_scope`] maps capabilities onto scopes.
//!
//! The choices where the sources are silent or disagree are recorded in
//! `spec/pinata-v3-scopes.sources.md`.
//!
//! ```
//! use pinion_scopes::pinata::PinataPermissions;
//! use pinion_scopes::pinata_v3::{ResourceScope, V3Access, V3Host, V3Operation};
//!
//! let key = PinataPermissions::from_resources([ResourceScope::FILES_READ])?;
//! let list = V3Operation::find(V3Host::Api, "GET", "/v3/files/private?limit=10").unwrap();
//! assert!(key.may_call(list));
//! let delete = V3Operation::find(V3Host::Api, "DELETE", "/v3/files/private/0191").unwrap();
//! let needed = delete.requirement().expect("a key operation");
//! assert!(matches!(key.v3_access(needed), V3Access::Refused(_)));
//! # Ok::<(), pinion_scopes::ScopeError>(())
//! ```

mod access;
mod matcher;
mod operation;
mod scope;

pub use access::{V3Access, least_scope};
pub use operation::{V3Authorization, V3Host, V3Operation};
pub use scope::{Access, ReportedScope, Resource, ResourceScope};

/// What authorizes the v3 operation `operation_id`; `None` for an operationId the v3
/// specs do not have.
pub fn authorization(operation_id: &str) -> Option<V3Authorization> {
    V3Operation::from_operation_id(operation_id).map(V3Operation::authorization)
}
