//! Property tests of the v3 scopes: wire round trips, the matcher on hostile input, and
//! access that only grows with the scopes held.

use pinion_scopes::pinata::{PinataEndpoints, PinataFlag, PinataPermissions};
use pinion_scopes::pinata_v3::{ReportedScope, ResourceScope, V3Access, V3Host, V3Operation};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn scope() -> impl Strategy<Value = ResourceScope> {
    select(ResourceScope::ALL.to_vec())
}

fn scopes() -> impl Strategy<Value = Vec<ResourceScope>> {
    proptest::collection::vec(scope(), 0..6)
}

fn endpoints() -> impl Strategy<Value = PinataEndpoints> {
    subsequence(PinataFlag::ALL.to_vec(), 0..=PinataFlag::ALL.len()).prop_map(|flags| {
        let mut endpoints = PinataEndpoints::default();
        for flag in flags {
            endpoints.set(flag, true);
        }
        endpoints
    })
}

/// A path segment that is never one of the table's literals nor a network.
fn id() -> impl Strategy<Value = String> {
    "[0-9a-f]{1,8}(-[0-9a-f]{1,8}){0,3}"
}

proptest! {
    #[test]
    fn scopes_round_trip_through_their_strings_and_json(scope in scope()) {
        prop_assert_eq!(scope.name().parse::<ResourceScope>(), Ok(scope));
        prop_assert_eq!(scope.to_string(), scope.name());
        let json = serde_json::to_string(&scope).unwrap();
        prop_assert_eq!(serde_json::from_str::<ResourceScope>(&json).unwrap(), scope);
        let reported: ReportedScope = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(reported, ReportedScope::Known(scope));
    }

    #[test]
    fn any_reported_string_round_trips_and_only_valid_ones_parse(text in any::<String>()) {
        let json = serde_json::to_string(&text).unwrap();
        let reported: ReportedScope = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(serde_json::to_string(&reported).unwrap(), json.clone());
        prop_assert_eq!(reported.as_str(), text.as_str());
        let strict = serde_json::from_str::<ResourceScope>(&json);
        prop_assert_eq!(strict.ok(), reported.known());
    }

    #[test]
    fn valid_permissions_round_trip_exactly(
        admin in proptest::option::of(any::<bool>()),
        endpoints in proptest::option::of(endpoints()),
        resources in proptest::option::of(scopes()),
    ) {
        let Ok(permissions) = PinataPermissions::try_new(admin, endpoints, resources.clone()) else {
            return Ok(());
        };
        let json = serde_json::to_value(&permissions).unwrap();
        let back: PinataPermissions = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &permissions);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
        let given = resources.unwrap_or_default();
        prop_assert_eq!(back.resources(), given.as_slice());
    }

    #[test]
    fn the_matcher_never_panics(method in "[A-Z]{0,7}", path in any::<String>()) {
        for host in V3Host::ALL {
            let _ = V3Operation::find(host, &method, &path);
        }
        let _ = V3Operation::find_on_either_host(&method, &path);
    }

    #[test]
    fn every_template_matches_any_ids(
        public in any::<bool>(),
        ids in proptest::collection::vec(id(), 4),
        query in "(\\?[a-zA-Z=&0-9]{0,20})?",
    ) {
        let network = if public { "public" } else { "private" };
        for &operation in V3Operation::ALL {
            let mut ids = ids.iter();
            let path: Vec<&str> = operation
                .path()
                .split('/')
                .map(|part| match part {
                    "{network}" => network,
                    _ if part.starts_with('{') => ids.next().map_or("x", String::as_str),
                    _ => part,
                })
                .collect();
            let request = format!("/v3{}{query}", path.join("/"));
            let found = V3Operation::find(operation.host(), operation.method(), &request);
            prop_assert_eq!(found, Some(operation), "{}", request);
        }
    }

    #[test]
    fn holding_more_scopes_never_takes_access_away(
        held in scopes(),
        more in scopes(),
        operation in select(V3Operation::ALL.to_vec()),
    ) {
        let Some(requirement) = operation.requirement() else {
            return Ok(());
        };
        let Ok(key) = PinataPermissions::from_resources(held.clone()) else {
            return Ok(());
        };
        let bigger = key.clone().with_resources(more);
        if key.v3_access(requirement) == V3Access::Allowed {
            prop_assert_eq!(bigger.v3_access(requirement), V3Access::Allowed);
        }
        let expected = held.iter().any(|scope| {
            matches!(requirement, pinion_scopes::Requirement::Permission(needed) if scope.grants(needed))
        });
        prop_assert_eq!(key.may_call(operation), expected);
    }
}
