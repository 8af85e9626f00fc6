//! The `resources` scope strings of Pinata v3 keys (`org:files:write`, …), typed.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ScopeError;

/// What a v3 scope is about: the organisation itself, or one of its resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// `org:<access>`: the account itself (API keys; vectorize, as the spec says).
    Org,
    /// `org:files:<access>`: files, uploads, pin-by-CID, download links, swaps, signatures.
    Files,
    /// `org:groups:<access>`: groups and their members.
    Groups,
    /// `org:gateways:<access>`: dedicated gateways, their access controls and plugins.
    Gateways,
    /// `org:analytics:<access>`: gateway analytics.
    Analytics,
}

impl Resource {
    /// Every resource, in the order the docs list them.
    pub const ALL: [Resource; 5] = [
        Self::Org,
        Self::Files,
        Self::Groups,
        Self::Gateways,
        Self::Analytics,
    ];
}

/// Read or write; `write` includes `read` ("`write` includes `read` permissions", spec
/// `POST /api_keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// `read`.
    Read,
    /// `write`, which includes `read`.
    Write,
}

/// One `resources` scope of a Pinata v3 key, such as `org:files:write`.
///
/// Parsing ([`FromStr`], serde) is strict: anything but the ten scopes the docs name is an
/// error listing them. Use [`ReportedScope`] to read what a server reports, which keeps
/// scopes this crate does not know.
///
/// ```
/// use pinion_scopes::pinata_v3::ResourceScope;
/// let write: ResourceScope = "org:files:write".parse()?;
/// assert!(write.grants(ResourceScope::FILES_READ));
/// assert!(!write.grants(ResourceScope::GROUPS_READ));
/// assert!("org:files:admin".parse::<ResourceScope>().unwrap_err().to_string().contains("org:files:read"));
/// # Ok::<(), pinion_scopes::ScopeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceScope {
    resource: Resource,
    access: Access,
}

impl ResourceScope {
    /// `org:read`.
    pub const ORG_READ: Self = Self::new(Resource::Org, Access::Read);
    /// `org:write`.
    pub const ORG_WRITE: Self = Self::new(Resource::Org, Access::Write);
    /// `org:files:read`.
    pub const FILES_READ: Self = Self::new(Resource::Files, Access::Read);
    /// `org:files:write`.
    pub const FILES_WRITE: Self = Self::new(Resource::Files, Access::Write);
    /// `org:groups:read`.
    pub const GROUPS_READ: Self = Self::new(Resource::Groups, Access::Read);
    /// `org:groups:write`.
    pub const GROUPS_WRITE: Self = Self::new(Resource::Groups, Access::Write);
    /// `org:gateways:read`.
    pub const GATEWAYS_READ: Self = Self::new(Resource::Gateways, Access::Read);
    /// `org:gateways:write`.
    pub const GATEWAYS_WRITE: Self = Self::new(Resource::Gateways, Access::Write);
    /// `org:analytics:read`.
    pub const ANALYTICS_READ: Self = Self::new(Resource::Analytics, Access::Read);
    /// `org:analytics:write`.
    pub const ANALYTICS_WRITE: Self = Self::new(Resource::Analytics, Access::Write);

    /// Every scope, read before write, in [`Resource::ALL`] order.
    pub const ALL: [ResourceScope; 10] = [
        Self::ORG_READ,
        Self::ORG_WRITE,
        Self::FILES_READ,
        Self::FILES_WRITE,
        Self::GROUPS_READ,
        Self::GROUPS_WRITE,
        Self::GATEWAYS_READ,
        Self::GATEWAYS_WRITE,
        Self::ANALYTICS_READ,
        Self::ANALYTICS_WRITE,
    ];

    /// The scope granting `access` to `resource`.
    pub const fn new(resource: Resource, access: Access) -> Self {
        Self { resource, access }
    }

    /// What the scope is about.
    pub const fn resource(self) -> Resource {
        self.resource
    }

    /// Read or write.
    pub const fn access(self) -> Access {
        self.access
    }

    /// The scope string, e.g. `org:files:write`.
    pub const fn name(self) -> &'static str {
        match (self.resource, self.access) {
            (Resource::Org, Access::Read) => "org:read",
            (Resource::Org, Access::Write) => "org:write",
            (Resource::Files, Access::Read) => "org:files:read",
            (Resource::Files, Access::Write) => "org:files:write",
            (Resource::Groups, Access::Read) => "org:groups:read",
            (Resource::Groups, Access::Write) => "org:groups:write",
            (Resource::Gateways, Access::Read) => "org:gateways:read",
            (Resource::Gateways, Access::Write) => "org:gateways:write",
            (Resource::Analytics, Access::Read) => "org:analytics:read",
            (Resource::Analytics, Access::Write) => "org:analytics:write",
        }
    }

    /// Whether a key holding this scope may do what `needed` guards: the same resource,
    /// with `write` covering `read`. `org:*` covers the account only, not `org:files:*`
    /// and the other resources (see `spec/pinata-v3-scopes.sources.md`).
    pub fn grants(self, needed: ResourceScope) -> bool {
        self.resource == needed.resource && self.access >= needed.access
    }

    /// The valid scope strings, comma-separated (for error messages).
    pub fn expected() -> String {
        Self::ALL.map(Self::name).join(", ")
    }
}

impl fmt::Display for ResourceScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ResourceScope {
    type Err = ScopeError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|scope| scope.name() == name)
            .ok_or_else(|| ScopeError::InvalidResource(name.to_owned()))
    }
}

impl Serialize for ResourceScope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ResourceScope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = Cow::<str>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for ResourceScope {
    fn schema_name() -> Cow<'static, str> {
        "ResourceScope".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names = Self::ALL.map(Self::name);
        schemars::json_schema!({
            "description": "A Pinata v3 key scope: `org:<read|write>` or `org:<files|groups|gateways|analytics>:<read|write>`; `write` includes `read`.",
            "type": "string",
            "enum": names,
        })
    }
}

/// A `resources` scope as a server reports it (key listings): a known [`ResourceScope`],
/// or a string this crate does not know, kept as it came so that a listing never fails
/// on a scope Pinata adds later.
///
/// ```
/// use pinion_scopes::pinata_v3::{ReportedScope, ResourceScope};
/// let listed: Vec<ReportedScope> = serde_json::from_str(r#"["org:groups:read", "org:pins:read"]"#)?;
/// assert_eq!(listed[0], ReportedScope::Known(ResourceScope::GROUPS_READ));
/// assert_eq!(listed[1], ReportedScope::Other("org:pins:read".into()));
/// assert_eq!(serde_json::to_string(&listed)?, r#"["org:groups:read","org:pins:read"]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportedScope {
    /// One of the documented scopes.
    Known(ResourceScope),
    /// Any other string, as the server sent it.
    Other(String),
}

impl ReportedScope {
    /// The known scope, if it is one.
    pub fn known(&self) -> Option<ResourceScope> {
        match self {
            Self::Known(scope) => Some(*scope),
            Self::Other(_) => None,
        }
    }

    /// The scope string as the server sent it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(scope) => scope.name(),
            Self::Other(name) => name,
        }
    }

    /// Whether this scope grants `needed` (an unknown scope grants nothing).
    pub fn grants(&self, needed: ResourceScope) -> bool {
        self.known().is_some_and(|scope| scope.grants(needed))
    }
}

impl From<&str> for ReportedScope {
    fn from(name: &str) -> Self {
        name.parse()
            .map_or_else(|_| Self::Other(name.to_owned()), Self::Known)
    }
}

impl From<ResourceScope> for ReportedScope {
    fn from(scope: ResourceScope) -> Self {
        Self::Known(scope)
    }
}

impl fmt::Display for ReportedScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReportedScope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReportedScope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self::from(&*Cow::<str>::deserialize(deserializer)?))
    }
}

impl schemars::JsonSchema for ReportedScope {
    fn schema_name() -> Cow<'static, str> {
        "ReportedScope".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A Pinata v3 key scope as a server reports it: usually one of the documented `org:…` scopes, but any string is kept.",
            "type": "string",
        })
    }
}
