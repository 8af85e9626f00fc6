//! From a request's method and concrete path to the [`V3Operation`] it calls.

use super::{V3Host, V3Operation};

/// The values a `{network}` path parameter may take.
const NETWORKS: [&str; 2] = ["public", "private"];

impl V3Operation {
    /// The operation that `method` on `path` calls on `host`, or `None` when no v3 key
    /// operation has that shape.
    ///
    /// `path` is the request path, with or without the `/v3` base and with or without a
    /// query string. `{network}` matches only `public` or `private`; other parameters
    /// match any non-empty segment. Where two templates fit, the one with a literal
    /// segment first wins, as in any router: `GET /files/public/pin_by_cid` is the
    /// pin-by-CID queue, not a file with id `pin_by_cid`.
    ///
    /// ```
    /// use pinion_scopes::pinata_v3::{ResourceScope, V3Host, V3Operation};
    /// use pinion_scopes::Requirement;
    /// let operation = V3Operation::find(V3Host::Api, "PUT", "/v3/groups/public/0191/ids/0192");
    /// assert_eq!(operation, Some(V3Operation::AddFileToGroup));
    /// assert_eq!(
    ///     operation.unwrap().requirement(),
    ///     Some(Requirement::Permission(ResourceScope::GROUPS_WRITE))
    /// );
    /// assert_eq!(V3Operation::find(V3Host::Api, "GET", "/files/shared/x"), None);
    /// ```
    pub fn find(host: V3Host, method: &str, path: &str) -> Option<V3Operation> {
        let segments = segments(path)?;
        Self::ALL
            .iter()
            .copied()
            .filter(|operation| operation.host() == host && operation.method() == method)
            .filter(|operation| fits(operation.path(), &segments))
            .max_by_key(|operation| specificity(operation.path()))
    }

    /// Like [`find`](Self::find), for a server that serves both hosts under one base (as
    /// the SDK does when `endpointUrl` and `uploadUrl` are the same): the api host is
    /// tried first. The one path both hosts have, `POST /files/sign`, needs
    /// `org:files:write` on both, so the scope check is the same whichever is meant; the
    /// server tells them apart by the body (`url` present: a download link). Likewise
    /// `POST /files/download_link` is the api host's alias, any other `POST /files/<id>`
    /// an upload to a signed URL.
    pub fn find_on_either_host(method: &str, path: &str) -> Option<V3Operation> {
        V3Host::ALL
            .into_iter()
            .find_map(|host| Self::find(host, method, path))
    }
}

/// The path's segments after the optional `/v3` base, without the query string; `None`
/// for a path that is not absolute or has an empty segment.
fn segments(path: &str) -> Option<Vec<&str>> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path
        .strip_prefix("/v3")
        .filter(|rest| rest.starts_with('/'))
        .unwrap_or(path);
    let rest = path.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    segments
        .iter()
        .all(|segment| !segment.is_empty())
        .then_some(segments)
}

/// Whether the concrete `segments` fit `template`.
fn fits(template: &str, segments: &[&str]) -> bool {
    let parts = template.trim_start_matches('/').split('/');
    parts.clone().count() == segments.len()
        && parts
            .zip(segments)
            .all(|(part, segment)| match part.strip_prefix('{') {
                Some("network}") => NETWORKS.contains(segment),
                Some(_) => true,
                None => part == *segment,
            })
}

/// Which segments of `template` are literal, in order: compared lexicographically, the
/// template with a literal where another has a parameter is the more specific.
fn specificity(template: &str) -> Vec<bool> {
    template
        .trim_start_matches('/')
        .split('/')
        .map(|part| !part.starts_with('{'))
        .collect()
}
