//! Content addressing: the CID a service will return, computed locally (the
//! `pinion-cid` crate), and checks built on it.
//!
//! ```
//! use pinion::cid::{hash_bytes, verify, CidVersion};
//! use pinion::scopes::Service;
//!
//! let local = hash_bytes(b"hello world\n", CidVersion::V0).cid;
//! assert!(verify(Service::Pinata, &local, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o").is_ok());
//! assert!(verify(Service::Pinata, &local, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4").is_err());
//! ```

pub use pinion_cid::{
    CHUNK_SIZE, Cid, CidVersion, DirectoryBuilder, DirectorySummary, DirectoryTree, DirectoryWalk,
    Error as CidError, FileHasher, FileSummary, HashDirectoryOptions, ParseCidError, SkipReason,
    SkippedLink, SymlinkPolicy, TreeEntries, TreeEntry, WalkedFile, hash_async_reader, hash_bytes,
    hash_directory, hash_directory_tree, hash_reader, walk_directory,
};

use crate::Error;
use crate::scopes::Service;

/// Checks that `returned` (what `service` answered) is the CID computed locally.
pub fn verify(service: Service, expected: &Cid, returned: &str) -> Result<(), Error> {
    match Cid::parse(returned.trim()) {
        Ok(cid) if cid == *expected => Ok(()),
        _ => Err(Error::CidMismatch {
            service,
            expected: expected.to_string(),
            returned: returned.to_owned(),
        }),
    }
}

/// Parses a CID given by the caller, refusing a malformed one before any request.
pub(crate) fn parse_input(cid: &str) -> Result<Cid, Error> {
    Cid::parse(cid.trim()).map_err(|error| {
        Error::invalid_input(
            "CID",
            format!("{error}: give a CIDv0 (Qm…) or CIDv1 (baf…) string"),
        )
    })
}

/// The CIDs of one upload in each version it may come back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expected {
    pub(crate) v0: Option<Cid>,
    pub(crate) v1: Option<Cid>,
}

impl Expected {
    /// Checks `returned` against the local CID of the same version.
    pub(crate) fn verify(&self, service: Service, returned: &str) -> Result<Cid, Error> {
        let parsed = Cid::parse(returned.trim());
        let expected = match &parsed {
            Ok(cid) if cid.version() == CidVersion::V0 => self.v0.or(self.v1),
            _ => self.v1.or(self.v0),
        };
        let Some(expected) = expected else {
            return Err(Error::invalid_input("verify", "no local CID was computed"));
        };
        verify(service, &expected, returned)?;
        Ok(expected)
    }

    /// The one CID when a single version was computed, or the one of `version`.
    pub(crate) fn get(&self, version: CidVersion) -> Option<Cid> {
        match version {
            CidVersion::V0 => self.v0,
            CidVersion::V1 => self.v1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_returned_version_picks_the_local_cid_to_compare() {
        let expected = Expected {
            v0: Some(hash_bytes(b"x", CidVersion::V0).cid),
            v1: Some(hash_bytes(b"x", CidVersion::V1).cid),
        };
        let v1 = expected.v1.unwrap().to_string();
        let v0 = expected.v0.unwrap().to_string();
        assert_eq!(
            expected.verify(Service::W3ipfs, &v1).unwrap().to_string(),
            v1
        );
        assert_eq!(
            expected.verify(Service::Pinata, &v0).unwrap().to_string(),
            v0
        );
        let other = hash_bytes(b"y", CidVersion::V1).cid.to_string();
        let error = expected.verify(Service::Pinata, &other).unwrap_err();
        assert!(matches!(error, Error::CidMismatch { .. }));
        assert!(error.to_string().contains(&other));
        assert!(expected.verify(Service::Pinata, "garbage").is_err());
        assert!(
            parse_input("nope")
                .unwrap_err()
                .to_string()
                .starts_with("invalid CID")
        );
    }
}
