//! Absolute URLs back to the uploads routes, as the client reached them: the TUS
//! `Location` (the SDK `fetch`es it as is, so it must be absolute) and the signed
//! upload URLs. Built from the request's `Host` and scheme and the prefix it was routed
//! by (`/pinata-uploads/v3` or `/pinata/v3` on a plain address, `/v3` on a real host).
//! The emulator serves plain HTTP itself; behind a TLS proxy, `X-Forwarded-Proto`
//! gives the scheme.

use axum::http::uri::Authority;
use axum::http::{HeaderMap, header};

/// The hosts that route by `Host` to the v3 upload routes, where the emulator's
/// internal service prefix is not part of the client's URL.
const REAL_HOSTS: [&str; 2] = ["uploads.pinata.cloud", "api.pinata.cloud"];

/// Why no absolute URL can be built.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the request has no valid Host header to build an absolute URL from")]
pub(crate) struct NoHost;

/// `{scheme}://{host}{prefix}`: the base URL the client reached the v3 routes at.
/// `prefix` is `/v3` when the request was routed by a real host, else `plain_prefix`
/// (the service's base path on a plain address, `/pinata-uploads/v3` or `/pinata/v3`).
/// The scheme is `X-Forwarded-Proto`'s when a proxy in front says so, else `http`.
pub(crate) fn base_url(headers: &HeaderMap, plain_prefix: &str) -> Result<String, NoHost> {
    let authority = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<Authority>().ok())
        .filter(|authority| !authority.as_str().contains('@'))
        .ok_or(NoHost)?;
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .filter(|proto| matches!(*proto, "http" | "https"))
        .unwrap_or("http");
    let routed_by_host = REAL_HOSTS.contains(&authority.host().to_ascii_lowercase().as_str());
    let prefix = if routed_by_host { "/v3" } else { plain_prefix };
    Ok(format!("{scheme}://{authority}{prefix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(host: Option<&str>, proto: Option<&str>, plain: &str) -> Result<String, NoHost> {
        let mut headers = HeaderMap::new();
        if let Some(host) = host {
            headers.insert(header::HOST, host.parse().unwrap());
        }
        if let Some(proto) = proto {
            headers.insert("x-forwarded-proto", proto.parse().unwrap());
        }
        base_url(&headers, plain)
    }

    #[test]
    fn plain_addresses_keep_their_routing_prefix() {
        assert_eq!(
            base(Some("127.0.0.1:4000"), None, "/pinata-uploads/v3").unwrap(),
            "http://127.0.0.1:4000/pinata-uploads/v3"
        );
        assert_eq!(
            base(Some("localhost:9"), None, "/pinata/v3").unwrap(),
            "http://localhost:9/pinata/v3"
        );
    }

    #[test]
    fn real_hosts_use_their_own_paths() {
        assert_eq!(
            base(Some("uploads.pinata.cloud"), None, "/pinata-uploads/v3").unwrap(),
            "http://uploads.pinata.cloud/v3"
        );
        assert_eq!(
            base(Some("API.pinata.cloud:8443"), Some("https"), "/pinata/v3").unwrap(),
            "https://API.pinata.cloud:8443/v3"
        );
        assert_eq!(
            base(Some("127.0.0.1"), Some("gopher"), "/pinata/v3").unwrap(),
            "http://127.0.0.1/pinata/v3",
            "only http and https are believed"
        );
    }

    #[test]
    fn a_missing_or_odd_host_is_refused() {
        assert_eq!(base(None, None, "/pinata/v3"), Err(NoHost));
        assert_eq!(
            base(Some("evil.example/x"), None, "/pinata/v3"),
            Err(NoHost)
        );
        assert_eq!(
            base(Some("user@evil.example"), None, "/pinata/v3"),
            Err(NoHost)
        );
    }
}
