//! W3IPFS key scopes (`scopes` of `POST /apiKeys/` and of a listed key) and what each
//! operation needs.

use serde::{Deserialize, Serialize};

use crate::{Capability, Requirement, ScopeError, Service};

/// One leaf scope of a W3IPFS key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum W3ipfsScope {
    /// `data.pin_list`: list and look up pins.
    PinList,
    /// `data.nft_list`: list and look up NFTs.
    NftList,
    /// `pinning.unpin`.
    Unpin,
    /// `pinning.pin_by_hash`.
    PinByHash,
    /// `pinning.pin_file_to_ipfs`.
    PinFileToIpfs,
    /// `pin_nft.unpin_nft`.
    UnpinNft,
    /// `pin_nft.pin_nft_to_ipfs`.
    PinNftToIpfs,
}

impl W3ipfsScope {
    /// Every scope, in wire order.
    pub const ALL: [W3ipfsScope; 7] = [
        Self::PinList,
        Self::NftList,
        Self::Unpin,
        Self::PinByHash,
        Self::PinFileToIpfs,
        Self::UnpinNft,
        Self::PinNftToIpfs,
    ];

    /// The scope's path in the scopes object, e.g. `pinning.unpin`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::PinList => "data.pin_list",
            Self::NftList => "data.nft_list",
            Self::Unpin => "pinning.unpin",
            Self::PinByHash => "pinning.pin_by_hash",
            Self::PinFileToIpfs => "pinning.pin_file_to_ipfs",
            Self::UnpinNft => "pin_nft.unpin_nft",
            Self::PinNftToIpfs => "pin_nft.pin_nft_to_ipfs",
        }
    }

    /// The capability this scope grants.
    pub const fn capability(self) -> Capability {
        match self {
            Self::PinList => Capability::ListPins,
            Self::NftList => Capability::ListNfts,
            Self::Unpin => Capability::Unpin,
            Self::PinByHash => Capability::PinByCid,
            Self::PinFileToIpfs => Capability::PinFile,
            Self::UnpinNft => Capability::UnpinNft,
            Self::PinNftToIpfs => Capability::PinNft,
        }
    }
}

/// `scopes.data`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(rename = "DataScopes")]
pub struct DataScopes {
    /// List and look up pins.
    pub pin_list: bool,
    /// List and look up NFTs.
    pub nft_list: bool,
}

/// `scopes.pinning`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(rename = "PinningScopes")]
pub struct PinningScopes {
    /// Unpin.
    pub unpin: bool,
    /// Pin an existing CID.
    pub pin_by_hash: bool,
    /// Upload and pin files.
    pub pin_file_to_ipfs: bool,
}

/// `scopes.pin_nft`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(rename = "PinNftScopes")]
pub struct PinNftScopes {
    /// Unpin NFTs.
    pub unpin_nft: bool,
    /// Create NFTs.
    pub pin_nft_to_ipfs: bool,
}

/// A W3IPFS key's scopes, valid by construction.
///
/// A non-admin key must give every property and sub-property; an admin key may omit them
/// (the service's docs, seed 003). A value read from the wire serializes back exactly,
/// including sub-objects sent beside `admin: true`.
///
/// ```
/// use pinion_scopes::w3ipfs::{W3ipfsScope, W3ipfsScopes};
/// let refused = serde_json::from_str::<W3ipfsScopes>(r#"{"admin": false, "data": {"pin_list": true, "nft_list": false}}"#);
/// assert!(refused.unwrap_err().to_string().contains("`pinning` is missing"));
///
/// let scoped = W3ipfsScopes::from_scopes([W3ipfsScope::PinFileToIpfs]);
/// assert!(scoped.allows(W3ipfsScope::PinFileToIpfs) && !scoped.allows(W3ipfsScope::Unpin));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScopesWire", into = "ScopesWire")]
pub struct W3ipfsScopes {
    admin: bool,
    data: Option<DataScopes>,
    pinning: Option<PinningScopes>,
    pin_nft: Option<PinNftScopes>,
}

/// The wire form of [`W3ipfsScopes`] (the spec's `Scopes` schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "Scopes")]
pub struct ScopesWire {
    /// Full access, including key management.
    pub admin: bool,
    /// Listing scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataScopes>,
    /// Pinning scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinning: Option<PinningScopes>,
    /// NFT scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_nft: Option<PinNftScopes>,
}

impl W3ipfsScopes {
    /// An admin key (`{"admin": true}`).
    pub fn admin() -> Self {
        Self {
            admin: true,
            data: None,
            pinning: None,
            pin_nft: None,
        }
    }

    /// A non-admin key with exactly these scopes.
    pub fn scoped(data: DataScopes, pinning: PinningScopes, pin_nft: PinNftScopes) -> Self {
        Self {
            admin: false,
            data: Some(data),
            pinning: Some(pinning),
            pin_nft: Some(pin_nft),
        }
    }

    /// A non-admin key granted exactly these scopes (all others false).
    pub fn from_scopes(scopes: impl IntoIterator<Item = W3ipfsScope>) -> Self {
        let mut value = Self::scoped(
            DataScopes::default(),
            PinningScopes::default(),
            PinNftScopes::default(),
        );
        for scope in scopes {
            value.set(scope, true);
        }
        value
    }

    /// The least-privilege scopes that grant every capability in `capabilities`.
    /// `Admin` anywhere gives an admin key. Pinning JSON is granted as `pin_file_to_ipfs`
    /// (W3IPFS has no JSON endpoint: JSON is uploaded as a file). `edit-metadata` is
    /// refused: no documented W3IPFS scope grants it (ask for `admin`).
    pub fn for_capabilities(capabilities: &[Capability]) -> Result<Self, ScopeError> {
        if capabilities.is_empty() {
            return Err(ScopeError::NoCapabilities);
        }
        if capabilities.contains(&Capability::Admin) {
            return Ok(Self::admin());
        }
        let scopes = capabilities
            .iter()
            .map(|capability| {
                scope_for(*capability).ok_or(ScopeError::Unsupported {
                    capability: *capability,
                    service: Service::W3ipfs,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_scopes(scopes))
    }

    /// Checks the service's rules; the general constructor behind deserialization.
    pub fn try_new(
        admin: bool,
        data: Option<DataScopes>,
        pinning: Option<PinningScopes>,
        pin_nft: Option<PinNftScopes>,
    ) -> Result<Self, ScopeError> {
        if !admin {
            let missing = [
                ("data", data.is_none()),
                ("pinning", pinning.is_none()),
                ("pin_nft", pin_nft.is_none()),
            ]
            .into_iter()
            .find_map(|(name, missing)| missing.then_some(name));
            if let Some(missing) = missing {
                return Err(ScopeError::IncompleteScopes { missing });
            }
        }
        Ok(Self {
            admin,
            data,
            pinning,
            pin_nft,
        })
    }

    /// Whether this is an admin key.
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// Whether a key with these scopes may do what `scope` guards.
    pub fn allows(&self, scope: W3ipfsScope) -> bool {
        self.admin || self.get(scope)
    }

    /// Whether a key with these scopes meets `requirement`.
    pub fn satisfies(&self, requirement: Requirement<W3ipfsScope>) -> bool {
        match requirement {
            Requirement::AnyKey => true,
            Requirement::Admin => self.admin,
            Requirement::Permission(scope) => self.allows(scope),
        }
    }

    /// The capabilities these scopes grant.
    pub fn capabilities(&self) -> Vec<Capability> {
        if self.admin {
            return Capability::ALL.to_vec();
        }
        let mut capabilities: Vec<Capability> = W3ipfsScope::ALL
            .into_iter()
            .filter(|scope| self.get(*scope))
            .map(W3ipfsScope::capability)
            .collect();
        if capabilities.contains(&Capability::PinFile) {
            capabilities.push(Capability::PinJson);
        }
        if capabilities.contains(&Capability::ListPins) {
            capabilities.extend([Capability::PinJobs, Capability::Usage]);
        }
        capabilities.sort();
        capabilities.dedup();
        capabilities
    }

    /// The leaf `scope` as given (false when its object is absent).
    fn get(&self, scope: W3ipfsScope) -> bool {
        let (d, p, n) = (
            self.data.unwrap_or_default(),
            self.pinning.unwrap_or_default(),
            self.pin_nft.unwrap_or_default(),
        );
        match scope {
            W3ipfsScope::PinList => d.pin_list,
            W3ipfsScope::NftList => d.nft_list,
            W3ipfsScope::Unpin => p.unpin,
            W3ipfsScope::PinByHash => p.pin_by_hash,
            W3ipfsScope::PinFileToIpfs => p.pin_file_to_ipfs,
            W3ipfsScope::UnpinNft => n.unpin_nft,
            W3ipfsScope::PinNftToIpfs => n.pin_nft_to_ipfs,
        }
    }

    fn set(&mut self, scope: W3ipfsScope, granted: bool) {
        let d = self.data.get_or_insert_with(DataScopes::default);
        match scope {
            W3ipfsScope::PinList => return d.pin_list = granted,
            W3ipfsScope::NftList => return d.nft_list = granted,
            _ => {}
        }
        let p = self.pinning.get_or_insert_with(PinningScopes::default);
        match scope {
            W3ipfsScope::Unpin => return p.unpin = granted,
            W3ipfsScope::PinByHash => return p.pin_by_hash = granted,
            W3ipfsScope::PinFileToIpfs => return p.pin_file_to_ipfs = granted,
            _ => {}
        }
        let n = self.pin_nft.get_or_insert_with(PinNftScopes::default);
        match scope {
            W3ipfsScope::UnpinNft => n.unpin_nft = granted,
            W3ipfsScope::PinNftToIpfs => n.pin_nft_to_ipfs = granted,
            _ => unreachable!("every scope is handled above"),
        }
    }
}

impl TryFrom<ScopesWire> for W3ipfsScopes {
    type Error = ScopeError;

    fn try_from(wire: ScopesWire) -> Result<Self, Self::Error> {
        Self::try_new(wire.admin, wire.data, wire.pinning, wire.pin_nft)
    }
}

impl From<W3ipfsScopes> for ScopesWire {
    fn from(scopes: W3ipfsScopes) -> Self {
        Self {
            admin: scopes.admin,
            data: scopes.data,
            pinning: scopes.pinning,
            pin_nft: scopes.pin_nft,
        }
    }
}

impl schemars::JsonSchema for W3ipfsScopes {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        ScopesWire::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ScopesWire::json_schema(generator)
    }
}

fn scope_for(capability: Capability) -> Option<W3ipfsScope> {
    Some(match capability {
        Capability::PinFile | Capability::PinJson => W3ipfsScope::PinFileToIpfs,
        Capability::PinByCid => W3ipfsScope::PinByHash,
        Capability::Unpin => W3ipfsScope::Unpin,
        Capability::ListPins | Capability::PinJobs | Capability::Usage => W3ipfsScope::PinList,
        Capability::ListNfts => W3ipfsScope::NftList,
        Capability::PinNft => W3ipfsScope::PinNftToIpfs,
        Capability::UnpinNft => W3ipfsScope::UnpinNft,
        Capability::EditMetadata | Capability::Admin => return None,
    })
}

/// What the operation `operation_id` of `spec/w3ipfs.yaml` needs; `None` for an
/// operationId the spec does not have.
///
/// Key management, `/users/me` and the undocumented metadata edit need an admin key (or a
/// session JWT); `testAuthentication` and the gateway list take any key; the rest follow
/// the documented scope table (reads of one pin or NFT use the list scope).
pub fn requirement(operation_id: &str) -> Option<Requirement<W3ipfsScope>> {
    use Requirement::{Admin, AnyKey, Permission};
    use W3ipfsScope as S;
    Some(match operation_id {
        "createApiKey" | "listApiKeys" | "deleteApiKey" | "getCurrentUser"
        | "updatePinMetadata" => Admin,
        "testAuthentication" | "listGateways" => AnyKey,
        "pinFile" => Permission(S::PinFileToIpfs),
        "pinByHash" => Permission(S::PinByHash),
        "getPin" | "listPins" => Permission(S::PinList),
        "unpin" => Permission(S::Unpin),
        "createNft" => Permission(S::PinNftToIpfs),
        "getNft" | "listNfts" => Permission(S::NftList),
        "unpinNft" => Permission(S::UnpinNft),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<W3ipfsScopes, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn the_services_rules_are_enforced_on_the_wire_form() {
        let seed = json!({
            "admin": true,
            "data": { "pin_list": true, "nft_list": true },
            "pinning": { "unpin": true, "pin_by_hash": true, "pin_file_to_ipfs": true },
            "pin_nft": { "unpin_nft": true, "pin_nft_to_ipfs": true }
        });
        let value = parse(seed.clone()).unwrap();
        assert!(value.is_admin());
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            seed,
            "round trips exactly"
        );
        assert!(parse(json!({ "admin": true })).unwrap().is_admin());
        let mut partial = seed.clone();
        partial["admin"] = json!(false);
        partial.as_object_mut().unwrap().remove("pin_nft");
        assert!(parse(partial).unwrap_err().contains("`pin_nft` is missing"));
        let mut leaf_missing = seed;
        leaf_missing["admin"] = json!(false);
        leaf_missing["pinning"]
            .as_object_mut()
            .unwrap()
            .remove("unpin");
        assert!(
            parse(leaf_missing)
                .unwrap_err()
                .contains("missing field `unpin`")
        );
        assert!(
            parse(json!({}))
                .unwrap_err()
                .contains("missing field `admin`")
        );
    }

    #[test]
    fn least_privilege_for_capabilities() {
        let scopes =
            W3ipfsScopes::for_capabilities(&[Capability::PinFile, Capability::ListNfts]).unwrap();
        for scope in W3ipfsScope::ALL {
            let expected = matches!(scope, W3ipfsScope::PinFileToIpfs | W3ipfsScope::NftList);
            assert_eq!(scopes.allows(scope), expected, "{scope:?}");
        }
        let error = W3ipfsScopes::for_capabilities(&[Capability::EditMetadata]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("W3IPFS keys cannot be granted `edit-metadata`")
        );
        assert!(
            W3ipfsScopes::for_capabilities(&[Capability::Admin])
                .unwrap()
                .is_admin()
        );
    }

    #[test]
    fn every_scope_guards_only_its_operations() {
        for scope in W3ipfsScope::ALL {
            let only = W3ipfsScopes::from_scopes([scope]);
            for other in W3ipfsScope::ALL {
                assert_eq!(only.allows(other), other == scope);
            }
            assert!(!only.satisfies(Requirement::Admin));
        }
        assert_eq!(
            requirement("createNft"),
            Some(Requirement::Permission(W3ipfsScope::PinNftToIpfs))
        );
        assert_eq!(requirement("testAuthentication"), Some(Requirement::AnyKey));
        assert_eq!(
            Capability::needed_by(Service::W3ipfs, "unpin"),
            Some(Capability::Unpin)
        );
    }
}
