//! The IPFS Pinning Service API (PSA) and the permissions its operations need on the
//! services that serve it.
//!
//! Pinata serves the PSA at `/psa` with an API key's JWT as bearer token and the key's
//! own permissions (`spec/psa.sources.md`): adding a pin is a pin by CID, listing and
//! getting read the pin list, removing unpins, and replacing does both. W3IPFS serves
//! it at `/api/psa` with the user's login JWT, which may do everything, so no scope
//! applies there.
//!
//! ```
//! use pinion_scopes::pinata::PinataFlag;
//! use pinion_scopes::psa::{PsaOperation, pinata_flags};
//!
//! assert_eq!(pinata_flags(PsaOperation::Replace), &[PinataFlag::PinByHash, PinataFlag::Unpin]);
//! assert_eq!(PsaOperation::from_operation_id("getPins"), Some(PsaOperation::List));
//! ```

use crate::pinata::PinataFlag;

/// One operation of the PSA standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PsaOperation {
    /// `GET /pins` (`getPins`).
    List,
    /// `POST /pins` (`addPin`).
    Add,
    /// `GET /pins/{requestid}` (`getPinByRequestId`).
    Get,
    /// `POST /pins/{requestid}` (`replacePinByRequestId`).
    Replace,
    /// `DELETE /pins/{requestid}` (`deletePinByRequestId`).
    Delete,
}

impl PsaOperation {
    /// Every operation, in the standard's order.
    pub const ALL: [PsaOperation; 5] = [
        Self::List,
        Self::Add,
        Self::Get,
        Self::Replace,
        Self::Delete,
    ];

    /// The standard's operationId.
    pub const fn operation_id(self) -> &'static str {
        match self {
            Self::List => "getPins",
            Self::Add => "addPin",
            Self::Get => "getPinByRequestId",
            Self::Replace => "replacePinByRequestId",
            Self::Delete => "deletePinByRequestId",
        }
    }

    /// The operation of a standard operationId.
    pub fn from_operation_id(operation_id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|operation| operation.operation_id() == operation_id)
    }
}

/// Every Pinata permission a key needs to run `operation` on Pinata's `/psa` (an admin
/// key holds them all): add → `pinByHash`; list and get → `pinList`; delete → `unpin`;
/// replace → `pinByHash` and `unpin`.
pub const fn pinata_flags(operation: PsaOperation) -> &'static [PinataFlag] {
    match operation {
        PsaOperation::Add => &[PinataFlag::PinByHash],
        PsaOperation::List | PsaOperation::Get => &[PinataFlag::PinList],
        PsaOperation::Delete => &[PinataFlag::Unpin],
        PsaOperation::Replace => &[PinataFlag::PinByHash, PinataFlag::Unpin],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_round_trips_and_needs_a_permission() {
        for operation in PsaOperation::ALL {
            assert_eq!(
                PsaOperation::from_operation_id(operation.operation_id()),
                Some(operation)
            );
            assert!(!pinata_flags(operation).is_empty(), "{operation:?}");
        }
        assert_eq!(PsaOperation::from_operation_id("pinList"), None);
    }

    #[test]
    fn replace_needs_both_what_add_and_delete_need() {
        let replace = pinata_flags(PsaOperation::Replace);
        for flag in pinata_flags(PsaOperation::Add)
            .iter()
            .chain(pinata_flags(PsaOperation::Delete))
        {
            assert!(replace.contains(flag), "{flag:?}");
        }
    }
}
