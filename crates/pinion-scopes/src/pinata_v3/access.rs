//! Whether a Pinata key may call a v3 operation, and the least scopes for capabilities.

use super::{ResourceScope, V3Authorization, V3Operation};
use crate::pinata::{PinataFlag, PinataPermissions};
use crate::{Capability, Requirement, ScopeError, Service};

/// The answer to "may this key call this v3 operation?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum V3Access {
    /// Yes.
    Allowed,
    /// The key is a v3 key (admin, or with `resources`) but lacks what the operation
    /// needs. The live status is undocumented; the emulator answers 403.
    Refused(Requirement<ResourceScope>),
    /// The key has no v3 permissions at all (only legacy `endpoints`). Pinata refuses
    /// such keys on every v3 route with 401 "no Authorization header found"
    /// (`PinataCloud/pinata#71`).
    NotAV3Key,
}

impl V3Access {
    /// The status a refusal is answered with: 401 for [`NotAV3Key`](Self::NotAV3Key)
    /// (observed), 403 for [`Refused`](Self::Refused) (undocumented; the emulator's
    /// choice); `None` when allowed.
    pub const fn status(self) -> Option<u16> {
        match self {
            Self::Allowed => None,
            Self::Refused(_) => Some(403),
            Self::NotAV3Key => Some(401),
        }
    }

    /// The `message` of the v3 error body for a refusal: Pinata's own (misleading)
    /// text for a key without v3 permissions, which [`explanation`](Self::explanation)
    /// spells out, and the missing scope otherwise; `None` when allowed.
    ///
    /// ```
    /// use pinion_scopes::Requirement;
    /// use pinion_scopes::pinata_v3::{ResourceScope, V3Access};
    /// let refused = V3Access::Refused(Requirement::Permission(ResourceScope::GROUPS_WRITE));
    /// assert_eq!(
    ///     refused.message().unwrap(),
    ///     "this key needs the org:groups:write scope (or to be an admin key)"
    /// );
    /// assert_eq!(V3Access::NotAV3Key.message().unwrap(), "no Authorization header found");
    /// ```
    pub fn message(self) -> Option<String> {
        match self {
            Self::Allowed => None,
            Self::NotAV3Key => Some("no Authorization header found".to_owned()),
            Self::Refused(requirement) => Some(needs(requirement)),
        }
    }

    /// What the refusal means, in words for a person (for example the library's error
    /// for a 401 on a v3 route); `None` when allowed.
    pub fn explanation(self) -> Option<String> {
        match self {
            Self::Allowed => None,
            Self::NotAV3Key => Some(
                "this key has only legacy `endpoints` permissions, which v3 routes do not \
                 accept: use an admin key or one with `resources` scopes"
                    .to_owned(),
            ),
            Self::Refused(requirement) => Some(needs(requirement)),
        }
    }
}

/// What a key that did not meet `requirement` lacks.
fn needs(requirement: Requirement<ResourceScope>) -> String {
    match requirement {
        Requirement::Permission(scope) => {
            format!("this key needs the {scope} scope (or to be an admin key)")
        }
        Requirement::Admin => "this call needs an admin key".to_owned(),
        Requirement::AnyKey => "this key is not valid".to_owned(),
    }
}

impl PinataPermissions {
    /// Whether a key with these permissions may call a v3 operation needing
    /// `requirement`: admin keys may call anything; keys with `resources` need a scope
    /// that [grants](ResourceScope::grants) it; keys with only legacy `endpoints` may
    /// call none.
    ///
    /// ```
    /// use pinion_scopes::Requirement;
    /// use pinion_scopes::pinata::{PinataFlag, PinataPermissions};
    /// use pinion_scopes::pinata_v3::{ResourceScope, V3Access};
    /// let read_files = Requirement::Permission(ResourceScope::FILES_READ);
    /// let writer = PinataPermissions::from_resources([ResourceScope::FILES_WRITE])?;
    /// assert_eq!(writer.v3_access(read_files), V3Access::Allowed);
    /// let groups = PinataPermissions::from_resources([ResourceScope::GROUPS_WRITE])?;
    /// assert_eq!(groups.v3_access(read_files), V3Access::Refused(read_files));
    /// let legacy = PinataPermissions::from_flags([PinataFlag::PinFileToIpfs]);
    /// assert_eq!(legacy.v3_access(read_files), V3Access::NotAV3Key);
    /// # Ok::<(), pinion_scopes::ScopeError>(())
    /// ```
    pub fn v3_access(&self, requirement: Requirement<ResourceScope>) -> V3Access {
        if self.is_admin() {
            return V3Access::Allowed;
        }
        if self.resources().is_empty() {
            return V3Access::NotAV3Key;
        }
        let allowed = match requirement {
            Requirement::AnyKey => true,
            Requirement::Admin => false,
            Requirement::Permission(needed) => {
                self.resources().iter().any(|held| held.grants(needed))
            }
        };
        if allowed {
            V3Access::Allowed
        } else {
            V3Access::Refused(requirement)
        }
    }

    /// Whether a key with these permissions, by itself, may call `operation`: always for
    /// [`Open`](V3Authorization::Open) operations, never for those only a signed URL
    /// authorizes, otherwise when [`v3_access`](Self::v3_access) allows the operation's
    /// requirement.
    ///
    /// ```
    /// use pinion_scopes::pinata::PinataPermissions;
    /// use pinion_scopes::pinata_v3::{ResourceScope, V3Operation};
    /// let writer = PinataPermissions::from_resources([ResourceScope::FILES_WRITE])?;
    /// assert!(writer.may_call(V3Operation::UploadFile) && writer.may_call(V3Operation::ListFiles));
    /// assert!(!writer.may_call(V3Operation::CreateGroup));
    /// # Ok::<(), pinion_scopes::ScopeError>(())
    /// ```
    pub fn may_call(&self, operation: V3Operation) -> bool {
        match operation.authorization() {
            V3Authorization::Open => true,
            V3Authorization::SignedUrl => false,
            V3Authorization::Key(requirement) | V3Authorization::KeyOrSignedUrl(requirement) => {
                self.v3_access(requirement) == V3Access::Allowed
            }
        }
    }

    /// The least-privilege permissions for `capabilities` on a v3 account: the least
    /// `resources` scope of each (see [`least_scope`]), plus the legacy
    /// `userPinnedDataTotal` flag for `usage`, which has no v3 route. `Admin` anywhere
    /// gives an admin key; NFT capabilities are refused (Pinata has none).
    ///
    /// ```
    /// use pinion_scopes::Capability;
    /// use pinion_scopes::pinata::PinataPermissions;
    /// use pinion_scopes::pinata_v3::ResourceScope;
    /// let key = PinataPermissions::for_capabilities_v3(&[Capability::ListPins, Capability::Unpin])?;
    /// assert_eq!(key.resources(), [ResourceScope::FILES_WRITE]);
    /// assert!(key.endpoint_flags().is_none());
    /// # Ok::<(), pinion_scopes::ScopeError>(())
    /// ```
    pub fn for_capabilities_v3(capabilities: &[Capability]) -> Result<Self, ScopeError> {
        if capabilities.is_empty() {
            return Err(ScopeError::NoCapabilities);
        }
        if capabilities.contains(&Capability::Admin) {
            return Ok(Self::admin());
        }
        let mut scopes: Vec<ResourceScope> = Vec::new();
        let mut usage = false;
        for capability in capabilities {
            match least_scope(*capability) {
                Some(scope) => scopes.push(scope),
                None if *capability == Capability::Usage => usage = true,
                None => {
                    return Err(ScopeError::Unsupported {
                        capability: *capability,
                        service: Service::Pinata,
                    });
                }
            }
        }
        let scopes = least_covering(scopes);
        let usage = usage.then(|| Self::from_flags([PinataFlag::UserPinnedDataTotal]));
        match usage {
            Some(legacy) => Ok(legacy.with_resources(scopes)),
            None => Self::from_resources(scopes),
        }
    }
}

/// The least v3 scope that lets a key do what `capability` names, or `None` when no
/// `resources` scope does: `usage` (only the legacy `/data/userPinnedDataTotal` exists),
/// the NFT capabilities (Pinata has none) and `admin` (an admin key, not a scope).
///
/// Every pinning capability maps onto `org:files:*`: listing and pin jobs onto `read`,
/// uploads, pins by CID, metadata edits and unpins onto `write`.
pub const fn least_scope(capability: Capability) -> Option<ResourceScope> {
    Some(match capability {
        Capability::PinFile
        | Capability::PinJson
        | Capability::PinByCid
        | Capability::Unpin
        | Capability::EditMetadata => ResourceScope::FILES_WRITE,
        Capability::ListPins | Capability::PinJobs => ResourceScope::FILES_READ,
        Capability::Usage
        | Capability::ListNfts
        | Capability::PinNft
        | Capability::UnpinNft
        | Capability::Admin => return None,
    })
}

/// `scopes` without duplicates and without any scope another one grants, sorted.
fn least_covering(mut scopes: Vec<ResourceScope>) -> Vec<ResourceScope> {
    scopes.sort();
    scopes.dedup();
    let all = scopes.clone();
    scopes.retain(|scope| {
        !all.iter()
            .any(|other| other != scope && other.grants(*scope))
    });
    scopes
}
