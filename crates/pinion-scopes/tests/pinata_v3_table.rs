//! The v3 route → scope table, checked against the sources row by row: every operation
//! of `spec/pinata-v3*.yaml` (as /work/notes/v3-operations.md lists them) and the
//! reference's endpoint index, with the scope Pinata's spec gives it.

use pinion_scopes::Requirement;
use pinion_scopes::pinata::{PinataEndpoints, PinataPermissions};
use pinion_scopes::pinata_v3::{ResourceScope, V3Access, V3Authorization, V3Host, V3Operation};

/// How a row is authorized, written as the sources say it.
#[derive(Clone, Copy)]
enum Expected {
    Scope(&'static str),
    ScopeOrSignedUrl(&'static str),
    SignedUrl,
    Open,
}

use Expected::*;

/// (method, host, path template, operationId, authorization), from the sources.
/// Rows 1-42 are the v3 specs' operations; the rest are the reference's gateway and
/// vectorize routes (pinata-v3.md §2 #5, #6, #23; upstream `pinata-api-v3*.yaml`).
#[rustfmt::skip]
const SOURCES: &[(&str, V3Host, &str, &str, Expected)] = &[
    ("GET", V3Host::Api, "/files/{network}", "listFiles", Scope("org:files:read")),
    ("GET", V3Host::Api, "/files/{network}/{id}", "getFile", Scope("org:files:read")),
    ("PUT", V3Host::Api, "/files/{network}/{id}", "updateFile", Scope("org:files:write")),
    ("DELETE", V3Host::Api, "/files/{network}/{id}", "deleteFile", Scope("org:files:write")),
    ("POST", V3Host::Api, "/files/public/pin_by_cid", "pinByCid", Scope("org:files:write")),
    ("GET", V3Host::Api, "/files/public/pin_by_cid", "listPinByCidRequests", Scope("org:files:read")),
    ("DELETE", V3Host::Api, "/files/public/pin_by_cid/{id}", "cancelPinByCid", Scope("org:files:write")),
    ("POST", V3Host::Api, "/files/private/download_link", "createDownloadLink", Scope("org:files:write")),
    ("POST", V3Host::Api, "/files/download_link", "createDownloadLinkAlias", Scope("org:files:write")),
    ("POST", V3Host::Api, "/files/sign", "signDownloadUrl", Scope("org:files:write")),
    ("PUT", V3Host::Api, "/files/{network}/swap/{cid}", "addSwap", Scope("org:files:write")),
    ("GET", V3Host::Api, "/files/{network}/swap/{cid}", "getSwapHistory", Scope("org:files:read")),
    ("DELETE", V3Host::Api, "/files/{network}/swap/{cid}", "deleteSwap", Scope("org:files:write")),
    ("POST", V3Host::Api, "/files/{network}/signature/{cid}", "addSignature", Scope("org:files:write")),
    ("GET", V3Host::Api, "/files/{network}/signature/{cid}", "getSignature", Scope("org:files:read")),
    ("DELETE", V3Host::Api, "/files/{network}/signature/{cid}", "deleteSignature", Scope("org:files:write")),
    ("POST", V3Host::Api, "/groups/{network}", "createGroup", Scope("org:groups:write")),
    ("GET", V3Host::Api, "/groups/{network}", "listGroups", Scope("org:groups:read")),
    ("GET", V3Host::Api, "/groups/{network}/{id}", "getGroup", Scope("org:groups:read")),
    ("PUT", V3Host::Api, "/groups/{network}/{id}", "updateGroup", Scope("org:groups:write")),
    ("DELETE", V3Host::Api, "/groups/{network}/{id}", "deleteGroup", Scope("org:groups:write")),
    ("PUT", V3Host::Api, "/groups/{network}/{id}/ids/{file_id}", "addFileToGroup", Scope("org:groups:write")),
    ("DELETE", V3Host::Api, "/groups/{network}/{id}/ids/{file_id}", "removeFileFromGroup", Scope("org:groups:write")),
    ("GET", V3Host::Api, "/api_keys", "listApiKeys", Scope("org:write")),
    ("POST", V3Host::Api, "/api_keys", "createApiKey", Scope("org:write")),
    ("DELETE", V3Host::Api, "/api_keys/{key}", "revokeApiKey", Scope("org:write")),
    ("GET", V3Host::Api, "/pinata/keys", "listKeys", Scope("org:write")),
    ("POST", V3Host::Api, "/pinata/keys", "createKey", Scope("org:write")),
    ("PUT", V3Host::Api, "/pinata/keys/{key}", "revokeKey", Scope("org:write")),
    ("GET", V3Host::Api, "/gateways", "listGateways", Scope("org:gateways:read")),
    ("POST", V3Host::Api, "/gateways/{id}/access_tokens", "createGatewayAccessToken", Scope("org:gateways:write")),
    ("DELETE", V3Host::Api, "/gateways/{id}/access_tokens/{access_token_id}", "deleteGatewayAccessToken", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/analytics/gateways/top", "getAnalyticsTop", Scope("org:analytics:read")),
    ("GET", V3Host::Api, "/analytics/gateways/time_series", "getAnalyticsTimeSeries", Scope("org:analytics:read")),
    ("GET", V3Host::Api, "/ipfs/gateway_analytics_top", "getGatewayAnalyticsTop", Scope("org:analytics:read")),
    ("GET", V3Host::Api, "/ipfs/gateway_analytics_time_series", "getGatewayAnalyticsTimeSeries", Scope("org:analytics:read")),
    ("POST", V3Host::Uploads, "/files", "uploadFile", Scope("org:files:write")),
    ("OPTIONS", V3Host::Uploads, "/files", "tusOptions", Open),
    ("HEAD", V3Host::Uploads, "/files/{file_id}/{upload_id}", "tusUploadOffset", ScopeOrSignedUrl("org:files:write")),
    ("PATCH", V3Host::Uploads, "/files/{file_id}/{upload_id}", "tusUploadChunk", ScopeOrSignedUrl("org:files:write")),
    ("POST", V3Host::Uploads, "/files/sign", "createSignedUploadUrl", Scope("org:files:write")),
    ("POST", V3Host::Uploads, "/files/{sign_id}", "uploadToSignedUrl", SignedUrl),
    // Beyond the specs: the rest of the reference's gateway management and vectorize.
    ("POST", V3Host::Api, "/gateways", "createGateway", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/gateways/{id}", "getGateway", Scope("org:gateways:read")),
    ("DELETE", V3Host::Api, "/gateways/{id}", "deleteGateway", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/gateways/exists/{domain}", "gatewayExists", Scope("org:gateways:read")),
    ("POST", V3Host::Api, "/gateways/{id}/custom_domain", "addCustomDomain", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/gateways/{id}/custom_domain/{custom_domain_id}", "getCustomDomain", Scope("org:gateways:read")),
    ("DELETE", V3Host::Api, "/gateways/{id}/custom_domain/{custom_domain_id}", "deleteCustomDomain", Scope("org:gateways:write")),
    ("POST", V3Host::Api, "/gateways/{id}/ips", "addGatewayIp", Scope("org:gateways:write")),
    ("DELETE", V3Host::Api, "/gateways/{id}/ips/{ip_id}", "deleteGatewayIp", Scope("org:gateways:write")),
    ("POST", V3Host::Api, "/gateways/{id}/hosts", "addGatewayHost", Scope("org:gateways:write")),
    ("DELETE", V3Host::Api, "/gateways/{id}/hosts/{host_id}", "deleteGatewayHost", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/gateways/plugins/marketplace", "listMarketplacePlugins", Scope("org:gateways:read")),
    ("GET", V3Host::Api, "/gateways/plugins/marketplace/{id}", "getMarketplacePlugin", Scope("org:gateways:read")),
    ("GET", V3Host::Api, "/gateways/plugins", "listInstalledPlugins", Scope("org:gateways:read")),
    ("POST", V3Host::Api, "/gateways/plugins/{gateway_id}", "installGatewayPlugin", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/gateways/plugins/{gateway_id}", "listGatewayPlugins", Scope("org:gateways:read")),
    ("DELETE", V3Host::Api, "/gateways/plugins/{gateway_id}/plugin/{plugin_id}", "removeGatewayPlugin", Scope("org:gateways:write")),
    ("GET", V3Host::Api, "/ipfs/gateway_plugins/{gateway_id}", "listGatewayPluginsLegacy", Scope("org:gateways:read")),
    ("GET", V3Host::Api, "/ipfs/gateways", "listGatewaysLegacy", Scope("org:gateways:read")),
    ("POST", V3Host::Uploads, "/vectorize/files/{file_id}", "vectorizeFile", Scope("org:write")),
    ("DELETE", V3Host::Uploads, "/vectorize/files/{file_id}", "deleteFileVectors", Scope("org:write")),
    ("POST", V3Host::Uploads, "/vectorize/groups/{group_id}/query", "queryVectors", Scope("org:write")),
];

fn scope(name: &str) -> ResourceScope {
    name.parse().unwrap()
}

fn expected_authorization(expected: Expected) -> V3Authorization {
    match expected {
        Scope(name) => V3Authorization::Key(Requirement::Permission(scope(name))),
        ScopeOrSignedUrl(name) => {
            V3Authorization::KeyOrSignedUrl(Requirement::Permission(scope(name)))
        }
        SignedUrl => V3Authorization::SignedUrl,
        Open => V3Authorization::Open,
    }
}

/// A concrete path for `template`: `{network}` → `network`, other parameters → ids that
/// look like the real ones (UUIDv7, CIDs).
fn concrete(template: &str, network: &str) -> String {
    template
        .split('/')
        .map(|part| match part {
            "{network}" => network,
            "{cid}" => "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
            _ if part.starts_with('{') => "01919457-c2c6-770e-9391-8c72c4f41f64",
            _ => part,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_operation_of_the_sources_is_in_the_table_with_its_scope() {
    for &(method, host, path, operation_id, expected) in SOURCES {
        let operation = V3Operation::from_operation_id(operation_id)
            .unwrap_or_else(|| panic!("{operation_id} is missing from the table"));
        let row = (operation.method(), operation.host(), operation.path());
        assert_eq!(row, (method, host, path), "{operation_id}");
        assert_eq!(
            operation.authorization(),
            expected_authorization(expected),
            "{operation_id}"
        );
        assert_eq!(
            pinion_scopes::pinata_v3::authorization(operation_id),
            Some(expected_authorization(expected))
        );
    }
    assert_eq!(
        V3Operation::ALL.len(),
        SOURCES.len(),
        "the table has operations no source lists"
    );
    assert_eq!(pinion_scopes::pinata_v3::authorization("pinList"), None);
}

#[test]
fn every_operation_is_found_from_a_concrete_request() {
    for &operation in V3Operation::ALL {
        for network in ["public", "private"] {
            let path = concrete(operation.path(), network);
            let (host, method) = (operation.host(), operation.method());
            for request in [
                path.clone(),
                format!("/v3{path}"),
                format!("/v3{path}?limit=10&pageToken=MDE5"),
            ] {
                assert_eq!(
                    V3Operation::find(host, method, &request),
                    Some(operation),
                    "{method} {request}"
                );
            }
            // On one shared base the api host wins the one path both hosts have, which
            // needs the same scope.
            let shared = V3Operation::find_on_either_host(method, &path).unwrap();
            assert_eq!(shared.authorization(), operation.authorization(), "{path}");
            if shared != operation {
                let pair = (shared, operation);
                let collision = (
                    V3Operation::SignDownloadUrl,
                    V3Operation::CreateSignedUploadUrl,
                );
                assert_eq!(pair, collision, "{method} {path} on a shared base");
            }
        }
    }
}

#[test]
fn the_least_scope_allows_each_operation_and_keys_without_it_are_refused() {
    let legacy_only = PinataPermissions::endpoints(PinataEndpoints::all());
    let admin = PinataPermissions::admin();
    for &operation in V3Operation::ALL {
        let Some(requirement) = operation.requirement() else {
            continue;
        };
        let Requirement::Permission(least) = requirement else {
            panic!("{operation} needs a scope, not {requirement:?}");
        };
        let holder = PinataPermissions::from_resources([least]).unwrap();
        assert_eq!(
            holder.v3_access(requirement),
            V3Access::Allowed,
            "{operation}"
        );
        assert!(holder.may_call(operation), "{operation}");
        // Every scope that does not grant it, all at once: still refused.
        let others: Vec<ResourceScope> = ResourceScope::ALL
            .into_iter()
            .filter(|scope| !scope.grants(least))
            .collect();
        let without = PinataPermissions::from_resources(others).unwrap();
        assert_eq!(
            without.v3_access(requirement),
            V3Access::Refused(requirement),
            "{operation}"
        );
        assert!(!without.may_call(operation), "{operation}");
        // One scope at a time: exactly those of the same resource with enough access.
        for held in ResourceScope::ALL {
            let key = PinataPermissions::from_resources([held]).unwrap();
            let same_resource = held.resource() == least.resource();
            assert_eq!(
                key.may_call(operation),
                same_resource && held.access() >= least.access(),
                "{held} on {operation}"
            );
        }
        assert_eq!(legacy_only.v3_access(requirement), V3Access::NotAV3Key);
        assert!(admin.may_call(operation), "{operation}");
    }
}

#[test]
fn operations_a_key_does_not_authorize() {
    let admin = PinataPermissions::admin();
    let none = PinataPermissions::from_resources([ResourceScope::ORG_READ]).unwrap();
    assert!(!admin.may_call(V3Operation::UploadToSignedUrl));
    assert!(none.may_call(V3Operation::TusOptions));
    assert_eq!(V3Operation::UploadToSignedUrl.requirement(), None);
    assert_eq!(
        V3Operation::TusUploadChunk.requirement(),
        Some(Requirement::Permission(ResourceScope::FILES_WRITE))
    );
}

#[test]
fn operation_ids_and_routes_are_unique() {
    let mut ids: Vec<&str> = V3Operation::ALL
        .iter()
        .map(|op| op.operation_id())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), V3Operation::ALL.len(), "duplicate operationId");
    let mut routes: Vec<_> = V3Operation::ALL
        .iter()
        .map(|op| (op.host(), op.method(), op.path()))
        .collect();
    routes.sort();
    routes.dedup();
    assert_eq!(routes.len(), V3Operation::ALL.len(), "duplicate route");
}
