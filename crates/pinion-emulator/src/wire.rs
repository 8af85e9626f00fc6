//! Wire tolerance and routing: which service a request is for (by `Host`, or by path
//! prefix on a plain address), and one canonical path for the router whatever the
//! client sent (absolute-form targets, double and trailing slashes, `/v3/data/*`).
//!
//! Pinata's v3 API has two hosts: `api.pinata.cloud/v3` (plain address
//! [`PINATA_V3_PREFIX`], the legacy prefix plus `/v3`) and `uploads.pinata.cloud/v3`
//! (plain address [`PINATA_UPLOADS_PREFIX`]). Under the api host's `/v3`, the legacy
//! routes that already lived there stay legacy: `/v3/data/*` (aliases of `/data/*`)
//! and `/v3/pinata/keys*` (`spec/pinata.yaml`'s v3 key routes).

use axum::http::Uri;
use axum::http::uri::PathAndQuery;

use crate::service::ServiceKind;

/// The W3IPFS API hosts, production and historical (paths start with `/api`).
pub const W3IPFS_HOSTS: [&str; 4] = [
    "api.w3ipfs.aioz.network",
    "api.aiozpin.network",
    "api.w3ipfs.storage",
    "api-ipfs.attoaioz.cyou",
];

/// The path a client puts in front of the spec paths on a plain address, per service.
pub const PINATA_PREFIX: &str = "/pinata";
/// The base URL path of Pinata's v3 api host on a plain address (`spec/pinata-v3.yaml`).
pub const PINATA_V3_PREFIX: &str = "/pinata/v3";
/// The base URL path of Pinata's v3 uploads host on a plain address
/// (`spec/pinata-v3-uploads.yaml`).
pub const PINATA_UPLOADS_PREFIX: &str = "/pinata-uploads/v3";
/// The uploads host.
pub const PINATA_UPLOADS_HOST: &str = "uploads.pinata.cloud";
/// See [`PINATA_PREFIX`].
pub const SUBMARINE_PREFIX: &str = "/submarine/api/v1";
/// See [`PINATA_PREFIX`].
pub const W3IPFS_PREFIX: &str = "/w3ipfs/api";
/// See [`PINATA_PREFIX`]; gateway paths are `/gateway/ipfs/<cid>[/path]`.
pub const GATEWAY_PREFIX: &str = "/gateway";

/// Decides the service of a request and rewrites its URI to the router's canonical
/// form `/<service>/<path>?<query>`. Returns `None` (URI untouched apart from slash
/// clean-up) when nothing matches.
pub(crate) fn route(uri: &Uri, host_header: Option<&str>) -> (Option<ServiceKind>, Uri) {
    let host = uri
        .host()
        .or_else(|| host_header.map(|h| h.rsplit_once(':').map_or(h, |(name, _)| name)))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = clean_path(uri.path());

    let (service, rest) = match by_host(&host, &path).or_else(|| by_prefix(&path)) {
        Some((service, rest)) => (Some(service), rest),
        None => (None, path),
    };
    let (service, rest) = match service {
        Some(ServiceKind::Pinata) => match v3_path(&rest) {
            Some(v3) => (Some(ServiceKind::PinataV3), v3),
            None => (service, pinata_aliases(&rest)),
        },
        Some(ServiceKind::W3ipfs) => match strip(&rest, "/psa") {
            Some(psa) => (Some(ServiceKind::W3ipfsPsa), psa),
            None => (service, rest),
        },
        _ => (service, rest),
    };
    let new_path = match service {
        Some(service) if rest == "/" => service.prefix().to_owned(),
        Some(service) => format!("{}{rest}", service.prefix()),
        None => rest,
    };
    let path_and_query = match uri.query() {
        Some(query) => format!("{new_path}?{query}"),
        None => new_path,
    };
    let uri = PathAndQuery::try_from(path_and_query)
        .map(Uri::from)
        .unwrap_or_else(|_| uri.clone());
    (service, uri)
}

/// The service a real host name is served as, when the emulator emulates that host
/// (`host` lowercase, without port). The one list of emulated hosts: routing by `Host`
/// and the TLS front's `CONNECT` tunnels and certificates all ask here.
pub(crate) fn service_of_host(host: &str) -> Option<ServiceKind> {
    if host == "api.pinata.cloud" {
        Some(ServiceKind::Pinata)
    } else if host == PINATA_UPLOADS_HOST {
        Some(ServiceKind::PinataUploads)
    } else if host == "managed.mypinata.cloud" {
        Some(ServiceKind::Submarine)
    } else if W3IPFS_HOSTS.contains(&host) {
        Some(ServiceKind::W3ipfs)
    } else if host.ends_with(".mypinata.cloud") || host == "gateway.pinata.cloud" {
        Some(ServiceKind::Gateway)
    } else {
        None
    }
}

/// The hosts [`service_of_host`] accepts, for messages.
pub(crate) fn emulated_hosts() -> String {
    format!(
        "api.pinata.cloud, {PINATA_UPLOADS_HOST}, managed.mypinata.cloud, *.mypinata.cloud, \
         gateway.pinata.cloud, {}",
        W3IPFS_HOSTS.join(", ")
    )
}

fn by_host(host: &str, path: &str) -> Option<(ServiceKind, String)> {
    let service = service_of_host(host)?;
    let rest = match service {
        ServiceKind::PinataUploads => strip(path, "/v3")?,
        ServiceKind::Submarine => strip(path, "/api/v1").or_else(|| strip(path, "/api/v2"))?,
        ServiceKind::W3ipfs => strip(path, "/api")?,
        _ => path.to_owned(),
    };
    Some((service, rest))
}

fn by_prefix(path: &str) -> Option<(ServiceKind, String)> {
    [
        (ServiceKind::PinataUploads, PINATA_UPLOADS_PREFIX),
        (ServiceKind::Pinata, PINATA_PREFIX),
        (ServiceKind::Submarine, SUBMARINE_PREFIX),
        (ServiceKind::W3ipfs, W3IPFS_PREFIX),
        (ServiceKind::Gateway, GATEWAY_PREFIX),
        (ServiceKind::Control, "/_emulator"),
    ]
    .into_iter()
    .find_map(|(service, prefix)| strip(path, prefix).map(|rest| (service, rest)))
}

/// `path` without `prefix` when it starts with it at a segment boundary; "/" when
/// nothing is left.
fn strip(path: &str, prefix: &str) -> Option<String> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("/".to_owned())
    } else if rest.starts_with('/') {
        Some(rest.to_owned())
    } else {
        None
    }
}

/// The v3 path (without `/v3`) of a path on Pinata's api host, when it is one: every
/// `/v3/...` path except the legacy routes that live under `/v3` (see the module docs).
fn v3_path(path: &str) -> Option<String> {
    let rest = strip(path, "/v3")?;
    let legacy = strip(&rest, "/data").is_some() || strip(&rest, "/pinata/keys").is_some();
    (!legacy).then_some(rest)
}

/// Pinata's `/v3/data/*` aliases of the legacy `/data/*` routes.
fn pinata_aliases(path: &str) -> String {
    match path.strip_prefix("/v3/data/") {
        Some(rest) => format!("/data/{rest}"),
        None => path.to_owned(),
    }
}

/// Collapses repeated slashes and drops a trailing one (`//a//b/` → `/a/b`).
fn clean_path(path: &str) -> String {
    let mut clean = String::with_capacity(path.len() + 1);
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        clean.push('/');
        clean.push_str(segment);
    }
    if clean.is_empty() {
        clean.push('/');
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(uri: &str, host: Option<&str>) -> (Option<ServiceKind>, String) {
        let (service, uri) = route(&uri.parse().unwrap(), host);
        (service, uri.to_string())
    }

    #[test]
    fn plain_addresses_route_by_prefix() {
        assert_eq!(
            routed("/pinata/data/pinList?status=pinned", Some("127.0.0.1:8080")),
            (
                Some(ServiceKind::Pinata),
                "/pinata/data/pinList?status=pinned".into()
            )
        );
        assert_eq!(
            routed("/submarine/api/v1/content/abc", Some("localhost")),
            (
                Some(ServiceKind::Submarine),
                "/submarine/content/abc".into()
            )
        );
        assert_eq!(
            routed("/w3ipfs/api/pinning/pins/", None),
            (Some(ServiceKind::W3ipfs), "/w3ipfs/pinning/pins".into())
        );
        assert_eq!(
            routed("/gateway/ipfs/Qm/a.txt", None),
            (Some(ServiceKind::Gateway), "/gateway/ipfs/Qm/a.txt".into())
        );
        assert_eq!(routed("/elsewhere", None), (None, "/elsewhere".into()));
        assert_eq!(routed("/pinataX", None), (None, "/pinataX".into()));
    }

    #[test]
    fn real_hosts_route_by_host() {
        assert_eq!(
            routed("/pinning/pinJSONToIPFS", Some("api.pinata.cloud")),
            (
                Some(ServiceKind::Pinata),
                "/pinata/pinning/pinJSONToIPFS".into()
            )
        );
        assert_eq!(
            routed("/api/v1/auth/content/jwt", Some("managed.mypinata.cloud")),
            (
                Some(ServiceKind::Submarine),
                "/submarine/auth/content/jwt".into()
            )
        );
        assert_eq!(
            routed("/api/apiKeys/", Some("api.w3ipfs.aioz.network:443")),
            (Some(ServiceKind::W3ipfs), "/w3ipfs/apiKeys".into())
        );
        assert_eq!(
            routed("/ipfs/Qm?accessToken=x", Some("mygw.mypinata.cloud")),
            (
                Some(ServiceKind::Gateway),
                "/gateway/ipfs/Qm?accessToken=x".into()
            )
        );
    }

    #[test]
    fn absolute_form_uses_its_authority() {
        assert_eq!(
            routed(
                "http://api.pinata.cloud/data/testAuthentication",
                Some("127.0.0.1")
            ),
            (
                Some(ServiceKind::Pinata),
                "/pinata/data/testAuthentication".into()
            )
        );
    }

    proptest::proptest! {
        /// Any request target and Host header route to a valid URI without panicking,
        /// and routing is idempotent on the path it produces.
        #[test]
        fn arbitrary_targets_route(path in "(/[a-zA-Z0-9._~%-]{0,12}){0,6}/?", query in "[a-z=&%0-9]{0,20}", host in "[a-z0-9.:-]{0,30}") {
            let target = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
            if let Ok(uri) = target.parse::<Uri>() {
                let (_, routed) = route(&uri, Some(&host));
                proptest::prop_assert!(routed.path().starts_with('/'));
                proptest::prop_assert!(!routed.path().contains("//"));
            }
        }
    }

    #[test]
    fn v3_paths_route_to_the_v3_services() {
        assert_eq!(
            routed("/pinata/v3/files/public?limit=1", None),
            (
                Some(ServiceKind::PinataV3),
                "/pinata-v3/files/public?limit=1".into()
            )
        );
        assert_eq!(
            routed("/v3/groups/private", Some("api.pinata.cloud")),
            (
                Some(ServiceKind::PinataV3),
                "/pinata-v3/groups/private".into()
            )
        );
        assert_eq!(
            routed("/pinata-uploads/v3/files", Some("127.0.0.1:9")),
            (
                Some(ServiceKind::PinataUploads),
                "/pinata-uploads/files".into()
            )
        );
        assert_eq!(
            routed("/v3/files/", Some("uploads.pinata.cloud")),
            (
                Some(ServiceKind::PinataUploads),
                "/pinata-uploads/files".into()
            )
        );
        // The legacy routes that live under /v3 stay legacy.
        assert_eq!(
            routed("/pinata/v3/pinata/keys/abc", None),
            (
                Some(ServiceKind::Pinata),
                "/pinata/v3/pinata/keys/abc".into()
            )
        );
        assert_eq!(
            routed("/v3/data/testAuthentication", Some("api.pinata.cloud")),
            (
                Some(ServiceKind::Pinata),
                "/pinata/data/testAuthentication".into()
            )
        );
        // Not under /v3 on the uploads host: nothing there.
        assert_eq!(
            routed("/pinning/pinList", Some("uploads.pinata.cloud")),
            (None, "/pinning/pinList".into())
        );
    }

    #[test]
    fn psa_paths_route_to_each_services_psa() {
        assert_eq!(
            routed("/psa/pins?limit=1", Some("api.pinata.cloud")),
            (Some(ServiceKind::Pinata), "/pinata/psa/pins?limit=1".into())
        );
        assert_eq!(
            routed("/pinata/psa/pins/abc", None),
            (Some(ServiceKind::Pinata), "/pinata/psa/pins/abc".into())
        );
        assert_eq!(
            routed("/api/psa/pins/", Some("api.w3ipfs.aioz.network")),
            (Some(ServiceKind::W3ipfsPsa), "/w3ipfs-psa/pins".into())
        );
        assert_eq!(
            routed("/w3ipfs/api/psa/pins/abc", None),
            (Some(ServiceKind::W3ipfsPsa), "/w3ipfs-psa/pins/abc".into())
        );
        // Only at a segment boundary.
        assert_eq!(
            routed("/w3ipfs/api/psalms", None),
            (Some(ServiceKind::W3ipfs), "/w3ipfs/psalms".into())
        );
    }

    #[test]
    fn slashes_and_aliases_are_normalised() {
        assert_eq!(
            routed("//pinata//v3/data/pinList/", None),
            (Some(ServiceKind::Pinata), "/pinata/data/pinList".into())
        );
        assert_eq!(
            routed("/pinata/v3/pinata/keys", None),
            (Some(ServiceKind::Pinata), "/pinata/v3/pinata/keys".into())
        );
        assert_eq!(
            routed("/w3ipfs/api", None),
            (Some(ServiceKind::W3ipfs), "/w3ipfs".into())
        );
    }
}
