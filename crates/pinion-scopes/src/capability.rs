//! Service-neutral capabilities: what a key may be allowed to do.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Requirement, ScopeError, Service, pinata, w3ipfs};

/// Something a key may be allowed to do, in the same words for every service.
///
/// Names are kebab-case (`pin-file`, `list-pins`, …) in [`Display`](fmt::Display),
/// [`FromStr`] and serde, and are what the CLI's `--capability` takes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// Upload and pin files and directories.
    PinFile,
    /// Pin a JSON document.
    PinJson,
    /// Pin content already on IPFS, by CID.
    PinByCid,
    /// Unpin content.
    Unpin,
    /// List and look up pins.
    ListPins,
    /// Watch pin-by-CID jobs.
    PinJobs,
    /// Change a pin's name and key-values.
    EditMetadata,
    /// Read usage totals.
    Usage,
    /// List and look up NFTs (W3IPFS).
    ListNfts,
    /// Create NFTs: asset plus metadata (W3IPFS).
    PinNft,
    /// Unpin NFTs (W3IPFS).
    UnpinNft,
    /// Everything, including key management.
    Admin,
}

impl Capability {
    /// Every capability, in a stable order.
    pub const ALL: [Capability; 12] = [
        Self::PinFile,
        Self::PinJson,
        Self::PinByCid,
        Self::Unpin,
        Self::ListPins,
        Self::PinJobs,
        Self::EditMetadata,
        Self::Usage,
        Self::ListNfts,
        Self::PinNft,
        Self::UnpinNft,
        Self::Admin,
    ];

    /// The kebab-case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::PinFile => "pin-file",
            Self::PinJson => "pin-json",
            Self::PinByCid => "pin-by-cid",
            Self::Unpin => "unpin",
            Self::ListPins => "list-pins",
            Self::PinJobs => "pin-jobs",
            Self::EditMetadata => "edit-metadata",
            Self::Usage => "usage",
            Self::ListNfts => "list-nfts",
            Self::PinNft => "pin-nft",
            Self::UnpinNft => "unpin-nft",
            Self::Admin => "admin",
        }
    }

    /// One line saying what the capability allows.
    pub const fn description(self) -> &'static str {
        match self {
            Self::PinFile => "upload and pin files and directories",
            Self::PinJson => "pin a JSON document",
            Self::PinByCid => "pin content already on IPFS, by CID",
            Self::Unpin => "unpin content",
            Self::ListPins => "list and look up pins",
            Self::PinJobs => "watch pin-by-CID jobs",
            Self::EditMetadata => "change a pin's name and key-values",
            Self::Usage => "read usage totals",
            Self::ListNfts => "list and look up NFTs (W3IPFS)",
            Self::PinNft => "create NFTs (W3IPFS)",
            Self::UnpinNft => "unpin NFTs (W3IPFS)",
            Self::Admin => "everything, including key management",
        }
    }

    /// The capability a key needs to call `operation_id` of `service`'s spec, or `None`
    /// when any valid key may call it (or the operation is unknown, or needs a permission
    /// no capability grants, such as Pinata's deprecated pin policies).
    ///
    /// ```
    /// use pinion_scopes::{Capability, Service};
    /// assert_eq!(Capability::needed_by(Service::W3ipfs, "createNft"), Some(Capability::PinNft));
    /// assert_eq!(Capability::needed_by(Service::Pinata, "generateApiKey"), Some(Capability::Admin));
    /// ```
    pub fn needed_by(service: Service, operation_id: &str) -> Option<Capability> {
        match service {
            Service::Pinata => match pinata::requirement(operation_id)? {
                Requirement::AnyKey => None,
                Requirement::Admin => Some(Self::Admin),
                Requirement::Permission(flag) => flag.capability(),
            },
            Service::W3ipfs => match w3ipfs::requirement(operation_id)? {
                Requirement::AnyKey => None,
                Requirement::Admin => Some(Self::Admin),
                Requirement::Permission(scope) => Some(scope.capability()),
            },
            Service::Submarine | Service::Psa => None,
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Capability {
    type Err = ScopeError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|capability| capability.name() == name)
            .ok_or_else(|| ScopeError::UnknownCapability {
                name: name.to_string(),
                expected: Self::ALL.map(Capability::name).join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_valid_ones() {
        for capability in Capability::ALL {
            assert_eq!(capability.name().parse::<Capability>(), Ok(capability));
            let json = serde_json::to_string(&capability).unwrap();
            assert_eq!(json, format!("\"{}\"", capability.name()));
        }
        let error = "pin-files".parse::<Capability>().unwrap_err().to_string();
        assert!(error.contains("unknown capability `pin-files`"), "{error}");
        assert!(error.contains("pin-file, pin-json"), "{error}");
    }
}
