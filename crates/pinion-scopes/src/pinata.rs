//! Pinata key permissions (`permissions` of `POST /users/generateApiKey` and
//! `POST /v3/pinata/keys`, `scopes` of a listed key) and what each legacy operation needs.
//!
//! The v3 `resources` scopes and the v3 routes are in [`crate::pinata_v3`].

use serde::{Deserialize, Serialize};

use crate::pinata_v3::ResourceScope;
use crate::{Capability, Requirement, ScopeError, Service};

/// One per-endpoint permission flag of a scoped Pinata key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PinataFlag {
    /// `endpoints.data.pinList`: `GET /data/pinList`.
    PinList,
    /// `endpoints.data.userPinnedDataTotal`: `GET /data/userPinnedDataTotal`.
    UserPinnedDataTotal,
    /// `endpoints.pinning.hashMetadata`: `PUT /pinning/hashMetadata`.
    HashMetadata,
    /// `endpoints.pinning.hashPinPolicy`: `PUT /pinning/hashPinPolicy` (deprecated).
    HashPinPolicy,
    /// `endpoints.pinning.pinByHash`: `POST /pinning/pinByHash`.
    PinByHash,
    /// `endpoints.pinning.pinFileToIPFS`: `POST /pinning/pinFileToIPFS`.
    PinFileToIpfs,
    /// `endpoints.pinning.pinJSONToIPFS`: `POST /pinning/pinJSONToIPFS`.
    PinJsonToIpfs,
    /// `endpoints.pinning.pinJobs`: `GET /pinning/pinJobs`.
    PinJobs,
    /// `endpoints.pinning.unpin`: `DELETE /pinning/unpin/{cid}`.
    Unpin,
    /// `endpoints.pinning.userPinPolicy`: `PUT /pinning/userPinPolicy` (deprecated).
    UserPinPolicy,
}

impl PinataFlag {
    /// Every flag, data first, then pinning, in wire order.
    pub const ALL: [PinataFlag; 10] = [
        Self::PinList,
        Self::UserPinnedDataTotal,
        Self::HashMetadata,
        Self::HashPinPolicy,
        Self::PinByHash,
        Self::PinFileToIpfs,
        Self::PinJsonToIpfs,
        Self::PinJobs,
        Self::Unpin,
        Self::UserPinPolicy,
    ];

    /// The flag's path in the permissions object, e.g. `endpoints.pinning.unpin`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::PinList => "endpoints.data.pinList",
            Self::UserPinnedDataTotal => "endpoints.data.userPinnedDataTotal",
            Self::HashMetadata => "endpoints.pinning.hashMetadata",
            Self::HashPinPolicy => "endpoints.pinning.hashPinPolicy",
            Self::PinByHash => "endpoints.pinning.pinByHash",
            Self::PinFileToIpfs => "endpoints.pinning.pinFileToIPFS",
            Self::PinJsonToIpfs => "endpoints.pinning.pinJSONToIPFS",
            Self::PinJobs => "endpoints.pinning.pinJobs",
            Self::Unpin => "endpoints.pinning.unpin",
            Self::UserPinPolicy => "endpoints.pinning.userPinPolicy",
        }
    }

    /// The capability this flag grants (none for the deprecated pin policies).
    pub const fn capability(self) -> Option<Capability> {
        match self {
            Self::PinList => Some(Capability::ListPins),
            Self::UserPinnedDataTotal => Some(Capability::Usage),
            Self::HashMetadata => Some(Capability::EditMetadata),
            Self::PinByHash => Some(Capability::PinByCid),
            Self::PinFileToIpfs => Some(Capability::PinFile),
            Self::PinJsonToIpfs => Some(Capability::PinJson),
            Self::PinJobs => Some(Capability::PinJobs),
            Self::Unpin => Some(Capability::Unpin),
            Self::HashPinPolicy | Self::UserPinPolicy => None,
        }
    }
}

/// `endpoints.data`: both flags are required.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "DataPermissions")]
pub struct DataPermissions {
    /// `GET /data/pinList`.
    pub pin_list: bool,
    /// `GET /data/userPinnedDataTotal`.
    pub user_pinned_data_total: bool,
}

/// `endpoints.pinning`: every flag is required.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "PinningPermissions")]
pub struct PinningPermissions {
    /// `PUT /pinning/hashMetadata`.
    pub hash_metadata: bool,
    /// `PUT /pinning/hashPinPolicy` (deprecated).
    pub hash_pin_policy: bool,
    /// `POST /pinning/pinByHash`.
    pub pin_by_hash: bool,
    /// `POST /pinning/pinFileToIPFS`.
    #[serde(rename = "pinFileToIPFS")]
    pub pin_file_to_ipfs: bool,
    /// `POST /pinning/pinJSONToIPFS`.
    #[serde(rename = "pinJSONToIPFS")]
    pub pin_json_to_ipfs: bool,
    /// `GET /pinning/pinJobs`.
    pub pin_jobs: bool,
    /// `DELETE /pinning/unpin/{cid}`.
    pub unpin: bool,
    /// `PUT /pinning/userPinPolicy` (deprecated).
    pub user_pin_policy: bool,
}

/// The complete `endpoints` object of a scoped key.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(rename = "KeyEndpoints")]
pub struct PinataEndpoints {
    /// The `/data` permissions.
    pub data: DataPermissions,
    /// The `/pinning` permissions.
    pub pinning: PinningPermissions,
}

impl PinataEndpoints {
    /// Every flag granted.
    pub fn all() -> Self {
        let mut endpoints = Self::default();
        for flag in PinataFlag::ALL {
            endpoints.set(flag, true);
        }
        endpoints
    }

    /// Whether `flag` is granted.
    pub fn get(&self, flag: PinataFlag) -> bool {
        let (d, p) = (&self.data, &self.pinning);
        match flag {
            PinataFlag::PinList => d.pin_list,
            PinataFlag::UserPinnedDataTotal => d.user_pinned_data_total,
            PinataFlag::HashMetadata => p.hash_metadata,
            PinataFlag::HashPinPolicy => p.hash_pin_policy,
            PinataFlag::PinByHash => p.pin_by_hash,
            PinataFlag::PinFileToIpfs => p.pin_file_to_ipfs,
            PinataFlag::PinJsonToIpfs => p.pin_json_to_ipfs,
            PinataFlag::PinJobs => p.pin_jobs,
            PinataFlag::Unpin => p.unpin,
            PinataFlag::UserPinPolicy => p.user_pin_policy,
        }
    }

    /// Grants or withdraws `flag`.
    pub fn set(&mut self, flag: PinataFlag, granted: bool) {
        let (d, p) = (&mut self.data, &mut self.pinning);
        let slot = match flag {
            PinataFlag::PinList => &mut d.pin_list,
            PinataFlag::UserPinnedDataTotal => &mut d.user_pinned_data_total,
            PinataFlag::HashMetadata => &mut p.hash_metadata,
            PinataFlag::HashPinPolicy => &mut p.hash_pin_policy,
            PinataFlag::PinByHash => &mut p.pin_by_hash,
            PinataFlag::PinFileToIpfs => &mut p.pin_file_to_ipfs,
            PinataFlag::PinJsonToIpfs => &mut p.pin_json_to_ipfs,
            PinataFlag::PinJobs => &mut p.pin_jobs,
            PinataFlag::Unpin => &mut p.unpin,
            PinataFlag::UserPinPolicy => &mut p.user_pin_policy,
        };
        *slot = granted;
    }

    /// The granted flags, in [`PinataFlag::ALL`] order.
    pub fn granted(&self) -> impl Iterator<Item = PinataFlag> + '_ {
        PinataFlag::ALL.into_iter().filter(|flag| self.get(*flag))
    }
}

/// A Pinata key's permissions, valid by construction.
///
/// Pinata accepts an admin key (`{"admin": true}`), or a key scoped to a complete
/// `endpoints` object, never both; v3 keys may instead (or also) carry `resources`
/// scopes such as `org:files:write`. Constructors and deserialization refuse anything else
/// with a [`ScopeError`] (an unknown resource scope included: this type checks what is
/// sent, see [`ReportedScope`](crate::pinata_v3::ReportedScope) for what is received),
/// and a value read from the wire serializes back exactly (an explicit `"admin": false`
/// beside `endpoints`, as key listings show it, is kept).
///
/// `endpoints` govern the legacy routes ([`allows`](Self::allows)) and `resources` the v3
/// routes ([`v3_access`](Self::v3_access)); neither grants anything on the other's routes.
///
/// ```
/// use pinion_scopes::pinata::{PinataEndpoints, PinataFlag, PinataPermissions};
/// let both = serde_json::json!({ "admin": true, "endpoints": PinataEndpoints::all() });
/// let refused = serde_json::from_value::<PinataPermissions>(both).unwrap_err();
/// assert!(refused.to_string().contains("either admin or scoped"));
///
/// let scoped = PinataPermissions::from_flags([PinataFlag::PinList, PinataFlag::Unpin]);
/// assert!(scoped.allows(PinataFlag::Unpin) && !scoped.allows(PinataFlag::PinByHash));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "KeyPermissionsWire", into = "KeyPermissionsWire")]
pub struct PinataPermissions {
    admin: Option<bool>,
    endpoints: Option<PinataEndpoints>,
    resources: Option<Vec<ResourceScope>>,
}

/// The wire form of [`PinataPermissions`] (the spec's `KeyPermissions` schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "KeyPermissions")]
pub struct KeyPermissionsWire {
    /// Full access, including key management.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// Per-endpoint flags of a scoped key; all of them must be given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<PinataEndpoints>,
    /// Pinata v3 resource scopes (`org:read`, `org:files:write`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<ResourceScope>>,
}

impl PinataPermissions {
    /// An admin key: every endpoint, including key management.
    pub fn admin() -> Self {
        Self {
            admin: Some(true),
            endpoints: None,
            resources: None,
        }
    }

    /// A key scoped to exactly these endpoint flags.
    pub fn endpoints(endpoints: PinataEndpoints) -> Self {
        Self {
            admin: None,
            endpoints: Some(endpoints),
            resources: None,
        }
    }

    /// A v3 key granted exactly these `resources` scopes; refused when there are none
    /// (the key would have no permission at all).
    pub fn from_resources(
        resources: impl IntoIterator<Item = ResourceScope>,
    ) -> Result<Self, ScopeError> {
        Self::try_new(None, None, Some(resources.into_iter().collect()))
    }

    /// A key granted exactly these flags (all others false).
    pub fn from_flags(flags: impl IntoIterator<Item = PinataFlag>) -> Self {
        let mut endpoints = PinataEndpoints::default();
        for flag in flags {
            endpoints.set(flag, true);
        }
        Self::endpoints(endpoints)
    }

    /// The least-privilege permissions that grant every capability in `capabilities`.
    /// `Admin` anywhere gives an admin key; NFT capabilities are refused (Pinata has none).
    pub fn for_capabilities(capabilities: &[Capability]) -> Result<Self, ScopeError> {
        if capabilities.is_empty() {
            return Err(ScopeError::NoCapabilities);
        }
        if capabilities.contains(&Capability::Admin) {
            return Ok(Self::admin());
        }
        let flags = capabilities
            .iter()
            .map(|capability| {
                flag_for(*capability).ok_or(ScopeError::Unsupported {
                    capability: *capability,
                    service: Service::Pinata,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_flags(flags))
    }

    /// Checks the service's rules; the general constructor behind deserialization.
    pub fn try_new(
        admin: Option<bool>,
        endpoints: Option<PinataEndpoints>,
        resources: Option<Vec<ResourceScope>>,
    ) -> Result<Self, ScopeError> {
        let is_admin = admin == Some(true);
        if is_admin && endpoints.is_some() {
            return Err(ScopeError::AdminWithEndpoints);
        }
        if !is_admin && endpoints.is_none() && resources.as_ref().is_none_or(Vec::is_empty) {
            return Err(ScopeError::NoPermissions);
        }
        Ok(Self {
            admin,
            endpoints,
            resources,
        })
    }

    /// Adds v3 resource scopes (`org:files:write`, …); adding none changes nothing.
    pub fn with_resources(mut self, resources: impl IntoIterator<Item = ResourceScope>) -> Self {
        let mut resources = resources.into_iter().peekable();
        if resources.peek().is_some() {
            self.resources
                .get_or_insert_with(Vec::new)
                .extend(resources);
        }
        self
    }

    /// Whether this is an admin key.
    pub fn is_admin(&self) -> bool {
        self.admin == Some(true)
    }

    /// The endpoint flags of a scoped key.
    pub fn endpoint_flags(&self) -> Option<&PinataEndpoints> {
        self.endpoints.as_ref()
    }

    /// The v3 resource scopes.
    pub fn resources(&self) -> &[ResourceScope] {
        self.resources.as_deref().unwrap_or_default()
    }

    /// Whether a key with these permissions may use the legacy endpoint behind `flag`
    /// (`resources` scopes grant no legacy endpoint).
    pub fn allows(&self, flag: PinataFlag) -> bool {
        self.is_admin() || self.endpoints.is_some_and(|endpoints| endpoints.get(flag))
    }

    /// Whether a key with these permissions meets `requirement`.
    pub fn satisfies(&self, requirement: Requirement<PinataFlag>) -> bool {
        match requirement {
            Requirement::AnyKey => true,
            Requirement::Admin => self.is_admin(),
            Requirement::Permission(flag) => self.allows(flag),
        }
    }

    /// The capabilities these permissions grant, by legacy `endpoints` flag or by v3
    /// `resources` scope (on the v3 routes).
    pub fn capabilities(&self) -> Vec<Capability> {
        if self.is_admin() {
            return Capability::ALL.to_vec();
        }
        let mut capabilities: Vec<Capability> = self
            .endpoints
            .iter()
            .flat_map(|endpoints| {
                endpoints
                    .granted()
                    .filter_map(PinataFlag::capability)
                    .collect::<Vec<_>>()
            })
            .collect();
        capabilities.extend(Capability::ALL.into_iter().filter(|capability| {
            crate::pinata_v3::least_scope(*capability)
                .is_some_and(|needed| self.resources().iter().any(|held| held.grants(needed)))
        }));
        capabilities.sort();
        capabilities.dedup();
        capabilities
    }
}

impl TryFrom<KeyPermissionsWire> for PinataPermissions {
    type Error = ScopeError;

    fn try_from(wire: KeyPermissionsWire) -> Result<Self, Self::Error> {
        Self::try_new(wire.admin, wire.endpoints, wire.resources)
    }
}

impl From<PinataPermissions> for KeyPermissionsWire {
    fn from(permissions: PinataPermissions) -> Self {
        Self {
            admin: permissions.admin,
            endpoints: permissions.endpoints,
            resources: permissions.resources,
        }
    }
}

impl schemars::JsonSchema for PinataPermissions {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        KeyPermissionsWire::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        KeyPermissionsWire::json_schema(generator)
    }
}

/// The flag that grants `capability` on Pinata (none for NFTs; `Admin` is not a flag).
fn flag_for(capability: Capability) -> Option<PinataFlag> {
    Some(match capability {
        Capability::PinFile => PinataFlag::PinFileToIpfs,
        Capability::PinJson => PinataFlag::PinJsonToIpfs,
        Capability::PinByCid => PinataFlag::PinByHash,
        Capability::Unpin => PinataFlag::Unpin,
        Capability::ListPins => PinataFlag::PinList,
        Capability::PinJobs => PinataFlag::PinJobs,
        Capability::EditMetadata => PinataFlag::HashMetadata,
        Capability::Usage => PinataFlag::UserPinnedDataTotal,
        Capability::ListNfts | Capability::PinNft | Capability::UnpinNft | Capability::Admin => {
            return None;
        }
    })
}

/// What the operation `operation_id` of `spec/pinata.yaml` needs; `None` for an
/// operationId the spec does not have.
///
/// `testAuthentication`, key management and groups need an admin key; every pinning and
/// data operation needs its endpoint flag. The `…V3` twins of `testAuthentication` and
/// `userPinnedDataTotal` (the same operations at `/v3/data/…`, where the SDK calls them)
/// are legacy operations too and need the same. `resources` scopes grant none of these.
pub fn requirement(operation_id: &str) -> Option<Requirement<PinataFlag>> {
    use PinataFlag as F;
    use Requirement::{Admin, Permission};
    Some(match operation_id {
        "testAuthentication" | "testAuthenticationV3" => Admin,
        "pinFileToIPFS" => Permission(F::PinFileToIpfs),
        "pinJSONToIPFS" => Permission(F::PinJsonToIpfs),
        "pinByHash" => Permission(F::PinByHash),
        "listPinJobs" => Permission(F::PinJobs),
        "updateHashMetadata" => Permission(F::HashMetadata),
        "updateHashPinPolicy" => Permission(F::HashPinPolicy),
        "updateUserPinPolicy" => Permission(F::UserPinPolicy),
        "unpin" => Permission(F::Unpin),
        "pinList" => Permission(F::PinList),
        "userPinnedDataTotal" | "userPinnedDataTotalV3" => Permission(F::UserPinnedDataTotal),
        "generateApiKey" | "listApiKeys" | "revokeApiKey" | "createKeyV3" | "listKeysV3"
        | "revokeKeyV3" => Admin,
        "createGroup"
        | "listGroups"
        | "getGroup"
        | "updateGroup"
        | "deleteGroup"
        | "addCidsToGroup"
        | "removeCidsFromGroup" => Admin,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<PinataPermissions, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn the_services_rules_are_enforced_on_the_wire_form() {
        let all = serde_json::to_value(PinataEndpoints::all()).unwrap();
        assert!(parse(json!({ "admin": true })).unwrap().is_admin());
        assert!(!parse(json!({ "endpoints": all })).unwrap().is_admin());
        assert!(
            !parse(json!({ "admin": false, "endpoints": all }))
                .unwrap()
                .is_admin()
        );
        assert!(
            parse(json!({ "admin": true, "endpoints": all }))
                .unwrap_err()
                .contains("not both")
        );
        assert!(
            parse(json!({}))
                .unwrap_err()
                .contains("needs an `endpoints` object")
        );
        assert!(parse(json!({ "admin": false })).is_err());
        let partial =
            json!({ "endpoints": { "data": { "pinList": true, "userPinnedDataTotal": true } } });
        assert!(
            parse(partial)
                .unwrap_err()
                .contains("missing field `pinning`")
        );
        let partial =
            json!({ "endpoints": { "data": { "pinList": true }, "pinning": all["pinning"] } });
        assert!(parse(partial).unwrap_err().contains("userPinnedDataTotal"));
        assert!(parse(json!({ "resources": ["org:files:write"] })).is_ok());
        assert!(
            parse(json!({ "resources": ["org:files:admin"] }))
                .unwrap_err()
                .contains("org:files:admin")
        );
    }

    #[test]
    fn wire_form_round_trips_exactly() {
        let listed = json!({ "admin": false, "endpoints": PinataEndpoints::all() });
        let value = parse(listed.clone()).unwrap();
        assert_eq!(serde_json::to_value(&value).unwrap(), listed);
        assert_eq!(
            serde_json::to_value(PinataPermissions::admin()).unwrap(),
            json!({ "admin": true })
        );
    }

    #[test]
    fn least_privilege_for_capabilities() {
        let p =
            PinataPermissions::for_capabilities(&[Capability::PinFile, Capability::Unpin]).unwrap();
        let granted: Vec<_> = p.endpoint_flags().unwrap().granted().collect();
        assert_eq!(granted, vec![PinataFlag::PinFileToIpfs, PinataFlag::Unpin]);
        assert_eq!(
            p.capabilities(),
            vec![Capability::PinFile, Capability::Unpin]
        );
        assert!(
            PinataPermissions::for_capabilities(&[Capability::Admin, Capability::PinFile])
                .unwrap()
                .is_admin()
        );
        let error = PinataPermissions::for_capabilities(&[Capability::PinNft]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Pinata keys cannot be granted `pin-nft`: the service has no such operation"
        );
        assert_eq!(
            PinataPermissions::for_capabilities(&[]),
            Err(ScopeError::NoCapabilities)
        );
    }

    #[test]
    fn every_flag_guards_its_operation_and_admin_guards_the_rest() {
        for flag in PinataFlag::ALL {
            let only = PinataPermissions::from_flags([flag]);
            for other in PinataFlag::ALL {
                assert_eq!(only.allows(other), other == flag, "{flag:?} vs {other:?}");
            }
            assert!(!only.satisfies(Requirement::Admin));
            assert!(PinataPermissions::admin().allows(flag));
        }
        assert_eq!(
            requirement("unpin"),
            Some(Requirement::Permission(PinataFlag::Unpin))
        );
        assert_eq!(requirement("generateApiKey"), Some(Requirement::Admin));
        assert_eq!(requirement("noSuchOperation"), None);
    }
}
