//! Absolute URLs back to the uploads routes, as the client reached them: the TUS
//! `Location` (the SDK `fetch`es it as is, so it must be absolute) and the signed
//! upload URLs. Built from the request's `Host` and scheme and the prefix it was routed
//! by (`/pinata-uploads/v3` or `/pinata/v3` on a plain address, `/v3` on a real host).

use axum::http::uri::Authority;
use axum::http::{HeaderMap, Uri, header};

/// The hosts that route by `Host` to the v3 upload routes, where the emulator's
/// internal service prefix is not part of the client's URL.
const REAL_HOSTS: [&str; 2] = ["uploads.pinata.cloud", "api.pinata.cloud"];

/// Why no absolute URL can be built.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the request has no valid Host header to build an absolute URL from")]
pub(crate) struct NoHost;

/// `{scheme}://{host}{prefix}`, where `prefix` is the path the client put before the
/// route: `original` (the path as routed, e.g. `/pinata-uploads/v3/files`) without
/// `route` (the path inside the router, e.g. `/files`), minus the service's internal
/// prefix (`/pinata-uploads` or `/pinata`) when the request was routed by a real host.
pub(crate) fn base_url(headers: &HeaderMap, original: &Uri, route: &str) -> Result<String, NoHost> {
    let authority = original
        .authority()
        .cloned()
        .or_else(|| {
            headers
                .get(header::HOST)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.parse::<Authority>().ok())
        })
        .filter(|authority| !authority.as_str().contains('@'))
        .ok_or(NoHost)?;
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .filter(|proto| matches!(*proto, "http" | "https"))
        .or(original.scheme_str())
        .unwrap_or("http");
    let path = original.path();
    let mut prefix = path.strip_suffix(route).unwrap_or(path).to_owned();
    if REAL_HOSTS.contains(&authority.host().to_ascii_lowercase().as_str()) {
        // `/pinata-uploads/v3` → `/v3`: the client never sent the internal prefix.
        if let Some(v3) = prefix.find("/v3") {
            prefix.drain(..v3);
        }
    }
    Ok(format!("{scheme}://{authority}{prefix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(host: Option<&str>, original: &str, route: &str) -> Result<String, NoHost> {
        let mut headers = HeaderMap::new();
        if let Some(host) = host {
            headers.insert(header::HOST, host.parse().unwrap());
        }
        base_url(&headers, &original.parse().unwrap(), route)
    }

    #[test]
    fn plain_addresses_keep_their_routing_prefix() {
        assert_eq!(
            base(Some("127.0.0.1:4000"), "/pinata-uploads/v3/files", "/files").unwrap(),
            "http://127.0.0.1:4000/pinata-uploads/v3"
        );
        assert_eq!(
            base(Some("localhost:9"), "/pinata/v3/files?x=1", "/files").unwrap(),
            "http://localhost:9/pinata/v3"
        );
    }

    #[test]
    fn real_hosts_drop_the_internal_prefix() {
        assert_eq!(
            base(
                Some("uploads.pinata.cloud"),
                "/pinata-uploads/v3/files",
                "/files"
            )
            .unwrap(),
            "http://uploads.pinata.cloud/v3"
        );
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "api.pinata.cloud".parse().unwrap());
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(
            base_url(&headers, &"/pinata/v3/files".parse().unwrap(), "/files").unwrap(),
            "https://api.pinata.cloud/v3"
        );
    }

    #[test]
    fn a_missing_or_odd_host_is_refused() {
        assert_eq!(base(None, "/pinata/v3/files", "/files"), Err(NoHost));
        assert_eq!(
            base(Some("evil.example/x"), "/pinata/v3/files", "/files"),
            Err(NoHost)
        );
        assert_eq!(
            base(Some("user@evil.example"), "/pinata/v3/files", "/files"),
            Err(NoHost)
        );
    }
}
