//! The v3 rules around the table: the matcher on awkward paths, what `resources` keys may
//! do on legacy routes, capabilities onto scopes, and the scopes' wire form.

use pinion_scopes::pinata::{self, PinataFlag, PinataPermissions};
use pinion_scopes::pinata_v3::{
    Access, ReportedScope, Resource, ResourceScope, V3Host, V3Operation, least_scope,
};
use pinion_scopes::{Capability, Requirement, ScopeError, Service};
use serde_json::json;

const API: V3Host = V3Host::Api;
const UPLOADS: V3Host = V3Host::Uploads;

#[test]
fn literal_segments_win_over_parameters() {
    let find = |method, path| V3Operation::find(API, method, path);
    assert_eq!(
        find("GET", "/v3/files/public/pin_by_cid"),
        Some(V3Operation::ListPinByCidRequests)
    );
    assert_eq!(
        find("GET", "/v3/files/private/pin_by_cid"),
        Some(V3Operation::GetFile),
        "pin_by_cid is public-only: on private it is just an id"
    );
    assert_eq!(
        find("GET", "/v3/gateways/plugins"),
        Some(V3Operation::ListInstalledPlugins)
    );
    assert_eq!(
        find("GET", "/v3/gateways/0191"),
        Some(V3Operation::GetGateway)
    );
    assert_eq!(
        find("GET", "/v3/gateways/plugins/marketplace"),
        Some(V3Operation::ListMarketplacePlugins)
    );
    assert_eq!(
        find("GET", "/v3/gateways/plugins/0191"),
        Some(V3Operation::ListGatewayPlugins)
    );
    assert_eq!(
        find("GET", "/v3/gateways/exists/dweb3"),
        Some(V3Operation::GatewayExists)
    );
    assert_eq!(
        V3Operation::find(UPLOADS, "POST", "/v3/files/sign"),
        Some(V3Operation::CreateSignedUploadUrl)
    );
    assert_eq!(
        V3Operation::find(UPLOADS, "POST", "/v3/files/0193d1c0?X-Algorithm=PINATA2"),
        Some(V3Operation::UploadToSignedUrl)
    );
}

#[test]
fn requests_no_operation_has_are_not_matched() {
    let none = [
        (API, "GET", "/v3/files/shared"),
        (API, "GET", "/v3/files/Public/0191"),
        (API, "GET", "/v3/files/public/"),
        (API, "GET", "/v3/files//0191"),
        (API, "GET", "v3/files/public"),
        (API, "GET", ""),
        (API, "GET", "/"),
        (API, "GET", "/v3"),
        (API, "get", "/v3/files/public"),
        (API, "PATCH", "/v3/files/public/0191"),
        (API, "POST", "/v3/files"),
        (UPLOADS, "GET", "/v3/files/public"),
        (API, "GET", "/v3/files/public/0191/extra/segments/here"),
        (API, "GET", "/data/testAuthentication"),
        (API, "GET", "/v3/data/userPinnedDataTotal"),
        (API, "GET", "/v3v3/files/public"),
        (API, "GET", "/v3/files/pub\u{e9}lic"),
    ];
    for (host, method, path) in none {
        assert_eq!(
            V3Operation::find(host, method, path),
            None,
            "{method} {path}"
        );
    }
}

#[test]
fn resources_only_keys_get_nothing_on_legacy_routes() {
    let everything = PinataPermissions::from_resources(ResourceScope::ALL).unwrap();
    for flag in PinataFlag::ALL {
        assert!(!everything.allows(flag), "{flag:?}");
    }
    for operation_id in [
        "testAuthentication",
        "testAuthenticationV3",
        "pinFileToIPFS",
        "userPinnedDataTotalV3",
        "generateApiKey",
    ] {
        let requirement = pinata::requirement(operation_id).unwrap();
        assert!(!everything.satisfies(requirement), "{operation_id}");
    }
    assert_eq!(
        pinata::requirement("userPinnedDataTotalV3"),
        Some(Requirement::Permission(PinataFlag::UserPinnedDataTotal))
    );
    // A key may hold both: each part governs its own routes.
    let both = PinataPermissions::from_flags([PinataFlag::PinList])
        .with_resources([ResourceScope::GROUPS_READ]);
    assert!(both.allows(PinataFlag::PinList) && !both.allows(PinataFlag::Unpin));
    assert!(both.may_call(V3Operation::ListGroups) && !both.may_call(V3Operation::ListFiles));
}

#[test]
fn write_includes_read_of_the_same_resource_only() {
    for held in ResourceScope::ALL {
        for needed in ResourceScope::ALL {
            let expected = held.resource() == needed.resource()
                && (held.access() == Access::Write || needed.access() == Access::Read);
            assert_eq!(held.grants(needed), expected, "{held} grants {needed}?");
        }
    }
    assert!(!ResourceScope::ORG_WRITE.grants(ResourceScope::FILES_READ));
    assert_eq!(
        ResourceScope::new(Resource::Files, Access::Write),
        ResourceScope::FILES_WRITE
    );
}

#[test]
fn capabilities_map_onto_the_least_scope_of_their_operations() {
    for &operation in V3Operation::ALL {
        let Some(capability) = operation.capability() else {
            continue;
        };
        let key = PinataPermissions::for_capabilities_v3(&[capability]).unwrap();
        assert!(
            key.may_call(operation),
            "{capability} must reach {operation}"
        );
        if let Some(least) = least_scope(capability) {
            assert_eq!(key.resources(), [least], "{capability}");
            assert!(key.capabilities().contains(&capability));
        }
    }
    assert_eq!(
        least_scope(Capability::ListPins),
        Some(ResourceScope::FILES_READ)
    );
    assert_eq!(
        least_scope(Capability::PinJson),
        Some(ResourceScope::FILES_WRITE)
    );
    assert_eq!(least_scope(Capability::Usage), None);
    assert_eq!(least_scope(Capability::Admin), None);
}

#[test]
fn least_privilege_keys_for_capabilities() {
    let key = PinataPermissions::for_capabilities_v3(&[Capability::ListPins, Capability::PinFile])
        .unwrap();
    assert_eq!(
        key.resources(),
        [ResourceScope::FILES_WRITE],
        "write covers read"
    );
    assert!(key.endpoint_flags().is_none());
    assert_eq!(
        serde_json::to_value(&key).unwrap(),
        json!({ "resources": ["org:files:write"] })
    );

    let usage =
        PinataPermissions::for_capabilities_v3(&[Capability::Usage, Capability::ListPins]).unwrap();
    assert!(usage.allows(PinataFlag::UserPinnedDataTotal));
    assert_eq!(
        usage
            .endpoint_flags()
            .unwrap()
            .granted()
            .collect::<Vec<_>>(),
        [PinataFlag::UserPinnedDataTotal]
    );
    assert_eq!(usage.resources(), [ResourceScope::FILES_READ]);
    let only_usage = PinataPermissions::for_capabilities_v3(&[Capability::Usage]).unwrap();
    assert!(only_usage.resources().is_empty());
    assert!(
        !serde_json::to_value(&only_usage)
            .unwrap()
            .as_object()
            .unwrap()
            .contains_key("resources")
    );

    assert!(
        PinataPermissions::for_capabilities_v3(&[Capability::Admin, Capability::PinFile])
            .unwrap()
            .is_admin()
    );
    assert_eq!(
        PinataPermissions::for_capabilities_v3(&[Capability::PinNft]),
        Err(ScopeError::Unsupported {
            capability: Capability::PinNft,
            service: Service::Pinata
        })
    );
    assert_eq!(
        PinataPermissions::for_capabilities_v3(&[]),
        Err(ScopeError::NoCapabilities)
    );
}

#[test]
fn key_requests_are_strict_and_name_the_valid_scopes() {
    let parse =
        |value| serde_json::from_value::<PinataPermissions>(value).map_err(|e| e.to_string());
    let key = parse(json!({ "resources": ["org:files:read", "org:groups:write"] })).unwrap();
    assert_eq!(
        key.resources(),
        [ResourceScope::FILES_READ, ResourceScope::GROUPS_WRITE]
    );
    let error = parse(json!({ "resources": ["org:files:read", "org:pins:read"] })).unwrap_err();
    assert!(
        error.contains("`org:pins:read` is not a Pinata resource scope"),
        "{error}"
    );
    assert!(error.contains(&ResourceScope::expected()), "{error}");
    assert_eq!(
        "files:read"
            .parse::<ResourceScope>()
            .unwrap_err()
            .to_string(),
        format!(
            "`files:read` is not a Pinata resource scope: expected one of {}",
            ResourceScope::expected()
        )
    );
    assert!(
        parse(json!({ "resources": [] }))
            .unwrap_err()
            .contains("needs an `endpoints`")
    );
    assert_eq!(
        PinataPermissions::from_resources([]),
        Err(ScopeError::NoPermissions)
    );
    let admin_v3 = parse(json!({ "admin": true, "resources": ["org:write"] })).unwrap();
    assert!(admin_v3.is_admin());
}

#[test]
fn reported_scopes_keep_what_the_server_sent() {
    let listed = json!(["org:files:write", "org:pins:read", "", "ORG:READ"]);
    let scopes: Vec<ReportedScope> = serde_json::from_value(listed.clone()).unwrap();
    assert_eq!(scopes[0], ReportedScope::Known(ResourceScope::FILES_WRITE));
    assert_eq!(scopes[1], ReportedScope::Other("org:pins:read".into()));
    assert_eq!(scopes[3], ReportedScope::Other("ORG:READ".into()));
    assert!(scopes[0].grants(ResourceScope::FILES_READ));
    assert!(!scopes[1].grants(ResourceScope::FILES_READ));
    assert_eq!(serde_json::to_value(&scopes).unwrap(), listed);
    assert!(serde_json::from_value::<ReportedScope>(json!(3)).is_err());
}

#[test]
fn schemas_describe_the_wire_strings() {
    let schema = serde_json::to_value(schemars::schema_for!(ResourceScope)).unwrap();
    let names: Vec<&str> = schema["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    assert_eq!(names, ResourceScope::ALL.map(ResourceScope::name));
    let reported = serde_json::to_value(schemars::schema_for!(ReportedScope)).unwrap();
    assert_eq!(reported["type"], "string");
    assert!(reported.get("enum").is_none());
    let permissions = serde_json::to_value(schemars::schema_for!(PinataPermissions)).unwrap();
    let resources = permissions.to_string();
    assert!(resources.contains("ResourceScope"), "{resources}");
}

#[test]
fn refusals_carry_pinatas_status_and_text() {
    use pinion_scopes::pinata_v3::V3Access;
    let legacy = PinataPermissions::from_flags(PinataFlag::ALL);
    let access = legacy.v3_access(V3Operation::UploadFile.requirement().unwrap());
    assert_eq!(access, V3Access::NotAV3Key);
    assert_eq!(access.status(), Some(401));
    assert_eq!(access.message().unwrap(), "no Authorization header found");
    assert!(
        access
            .explanation()
            .unwrap()
            .contains("only legacy `endpoints`")
    );

    let reader = PinataPermissions::from_resources([ResourceScope::FILES_READ]).unwrap();
    let access = reader.v3_access(V3Operation::DeleteFile.requirement().unwrap());
    assert_eq!(access.status(), Some(403));
    assert!(access.message().unwrap().contains("org:files:write"));
    let allowed = reader.v3_access(V3Operation::GetFile.requirement().unwrap());
    assert_eq!((allowed.status(), allowed.message()), (None, None));
}
