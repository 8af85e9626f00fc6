//! What the library knows about each operation of the specs: its spec operationId,
//! whether sending it twice is safe, and which rate limit it counts against.

use crate::rate_limit::Bucket;
use crate::scopes::{Capability, Service};

/// One operation of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operation {
    pub(crate) service: Service,
    /// The operationId in `spec/*.yaml` (the generated clients name it in snake case).
    pub(crate) spec_id: &'static str,
    /// Whether the request may be sent again after the service may have seen it:
    /// reads, updates, deletes and uploads the service deduplicates by CID. W3IPFS makes
    /// a new pin per upload, so its `pinFile` is not: the W3IPFS client retries it
    /// itself, after looking the CID up.
    pub(crate) resend_safe: bool,
    pub(crate) bucket: Bucket,
    /// The Pinata v3 operation, for calls of the v3 API (whose operationIds repeat some
    /// legacy ones, so `spec_id` alone does not tell).
    pub(crate) v3: Option<crate::scopes::pinata_v3::V3Operation>,
    /// The Pinning Service API operation, for calls of a PSA endpoint.
    pub(crate) psa: Option<crate::scopes::psa::PsaOperation>,
}

impl Operation {
    /// The capability a key needs for this operation, when one is known.
    pub(crate) fn needed(&self) -> Option<Capability> {
        if let Some(operation) = self.psa {
            // Pinata's `/psa` checks the key's own permissions; W3IPFS's login JWT and
            // other providers' tokens have no scopes pinion knows.
            return match self.service {
                Service::Pinata => crate::scopes::psa::pinata_flags(operation)
                    .iter()
                    .find_map(|flag| flag.capability()),
                _ => None,
            };
        }
        match self.v3 {
            Some(operation) => operation.capability(),
            None => Capability::needed_by(self.service, self.spec_id),
        }
    }
}

/// Which API a client's engine speaks, so its generated operation names are looked up
/// in the right table (the same name means different operations in different specs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// The service's own API (`spec/pinata.yaml`, `pinata-submarine.yaml`, `w3ipfs.yaml`).
    Native,
    /// Pinata's v3 API.
    PinataV3,
    /// The IPFS Pinning Service API (`spec/psa.yaml`), on whichever service serves it.
    Psa,
}

use Bucket::{General as G, Restricted as R};

/// (generated name, spec operationId, resend-safe, bucket).
type Row = (&'static str, &'static str, bool, Bucket);

const PINATA: &[Row] = &[
    ("test_authentication", "testAuthentication", true, R),
    ("pin_file_to_ipfs", "pinFileToIPFS", true, G),
    ("pin_json_to_ipfs", "pinJSONToIPFS", true, G),
    ("pin_by_hash", "pinByHash", false, G),
    ("list_pin_jobs", "listPinJobs", true, G),
    ("update_hash_metadata", "updateHashMetadata", true, G),
    ("update_hash_pin_policy", "updateHashPinPolicy", true, G),
    ("update_user_pin_policy", "updateUserPinPolicy", true, G),
    ("unpin", "unpin", true, G),
    ("pin_list", "pinList", true, R),
    ("user_pinned_data_total", "userPinnedDataTotal", true, R),
    ("test_authentication_v3", "testAuthenticationV3", true, R),
    (
        "user_pinned_data_total_v3",
        "userPinnedDataTotalV3",
        true,
        R,
    ),
    ("generate_api_key", "generateApiKey", false, G),
    ("list_api_keys", "listApiKeys", true, G),
    ("revoke_api_key", "revokeApiKey", true, G),
    ("create_key_v3", "createKeyV3", false, G),
    ("list_keys_v3", "listKeysV3", true, G),
    ("revoke_key_v3", "revokeKeyV3", true, G),
    ("create_group", "createGroup", false, G),
    ("list_groups", "listGroups", true, G),
    ("get_group", "getGroup", true, G),
    ("update_group", "updateGroup", true, G),
    ("delete_group", "deleteGroup", true, G),
    ("add_cids_to_group", "addCidsToGroup", true, G),
    ("remove_cids_from_group", "removeCidsFromGroup", true, G),
];

const SUBMARINE: &[Row] = &[
    ("upload_content", "uploadContent", true, G),
    ("list_content", "listContent", true, G),
    ("upload_json_content", "uploadJsonContent", true, G),
    ("get_content", "getContent", true, G),
    ("update_content", "updateContent", true, G),
    ("delete_content", "deleteContent", true, G),
    ("list_folder_content", "listFolderContent", true, G),
    ("update_content_metadata", "updateContentMetadata", true, G),
    (
        "create_content_access_token",
        "createContentAccessToken",
        true,
        G,
    ),
];

const W3IPFS: &[Row] = &[
    ("create_api_key", "createApiKey", false, R),
    ("list_api_keys", "listApiKeys", true, R),
    ("delete_api_key", "deleteApiKey", true, R),
    ("test_authentication", "testAuthentication", true, R),
    ("pin_file", "pinFile", false, G),
    ("pin_by_hash", "pinByHash", false, G),
    ("get_pin", "getPin", true, G),
    ("list_pins", "listPins", true, G),
    ("unpin", "unpin", true, G),
    ("update_pin_metadata", "updatePinMetadata", true, G),
    ("create_nft", "createNft", false, G),
    ("get_nft", "getNft", true, G),
    ("list_nfts", "listNfts", true, G),
    ("unpin_nft", "unpinNft", true, G),
    ("get_current_user", "getCurrentUser", true, R),
    ("list_gateways", "listGateways", true, G),
];

/// The IPFS Pinning Service API. A create or replace sent twice makes two pin
/// requests; listing counts against the restricted bucket (Pinata limits its `/psa`
/// listing hardest, as its `pinList`).
const PSA: &[Row] = &[
    ("get_pins", "getPins", true, R),
    ("add_pin", "addPin", false, G),
    ("get_pin_by_request_id", "getPinByRequestId", true, G),
    (
        "replace_pin_by_request_id",
        "replacePinByRequestId",
        false,
        G,
    ),
    ("delete_pin_by_request_id", "deletePinByRequestId", true, G),
];

fn table(service: Service) -> &'static [Row] {
    match service {
        Service::Pinata => PINATA,
        Service::Submarine => SUBMARINE,
        Service::W3ipfs => W3IPFS,
        Service::Psa => PSA,
    }
}

/// The operation the generated (snake case) name `name` stands for. An unknown name
/// (a newer generated client) is treated conservatively: not resent, general limit.
pub(crate) fn lookup(service: Service, name: &'static str) -> Operation {
    find(service, table(service), name)
}

/// The Pinning Service API operation the generated name `name` stands for, on
/// `service` (whose name its errors carry).
pub(crate) fn lookup_psa(service: Service, name: &'static str) -> Operation {
    let operation = find(service, PSA, name);
    Operation {
        psa: crate::scopes::psa::PsaOperation::from_operation_id(operation.spec_id),
        ..operation
    }
}

fn find(service: Service, table: &[Row], name: &'static str) -> Operation {
    table.iter().find(|row| row.0 == name).map_or(
        Operation {
            service,
            spec_id: name,
            resend_safe: false,
            bucket: G,
            v3: None,
            psa: None,
        },
        |row| Operation {
            service,
            spec_id: row.1,
            resend_safe: row.2,
            bucket: row.3,
            v3: None,
            psa: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operationId of each spec, read from the spec files.
    fn spec_operation_ids(file: &str) -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/");
        let text = std::fs::read_to_string(format!("{path}{file}")).unwrap();
        text.lines()
            .filter_map(|line| line.trim().strip_prefix("operationId: "))
            .map(|id| id.trim().to_owned())
            .collect()
    }

    #[test]
    fn the_tables_cover_exactly_the_operations_of_the_specs() {
        for (service, file) in [
            (Service::Pinata, "pinata.yaml"),
            (Service::Submarine, "pinata-submarine.yaml"),
            (Service::W3ipfs, "w3ipfs.yaml"),
            (Service::Psa, "psa.yaml"),
        ] {
            let mut spec = spec_operation_ids(file);
            let mut ours: Vec<String> = table(service).iter().map(|r| r.1.to_owned()).collect();
            spec.sort();
            ours.sort();
            assert_eq!(spec, ours, "{service}");
        }
    }

    #[test]
    fn lookups_name_the_spec_operation_and_its_capability() {
        let op = lookup(Service::Pinata, "pin_json_to_ipfs");
        assert_eq!(op.spec_id, "pinJSONToIPFS");
        assert_eq!(op.needed(), Some(Capability::PinJson));
        assert!(op.resend_safe);
        assert_eq!(lookup(Service::Pinata, "pin_list").bucket, R);
        assert_eq!(
            lookup(Service::W3ipfs, "create_api_key").needed(),
            Some(Capability::Admin)
        );
        assert!(!lookup(Service::W3ipfs, "create_api_key").resend_safe);
        // A W3IPFS upload sent twice makes two pins.
        assert!(!lookup(Service::W3ipfs, "pin_file").resend_safe);
        let add = lookup_psa(Service::Pinata, "add_pin");
        assert_eq!(add.spec_id, "addPin");
        assert!(!add.resend_safe);
        assert_eq!(add.needed(), Some(Capability::PinByCid));
        assert_eq!(
            lookup_psa(Service::Pinata, "get_pins").needed(),
            Some(Capability::ListPins)
        );
        assert_eq!(lookup_psa(Service::W3ipfs, "add_pin").needed(), None);
        let unknown = lookup(Service::W3ipfs, "something_new");
        assert!(!unknown.resend_safe);
    }
}
