//! Which redirects an API call follows: same-origin ones, a few at most. A redirect
//! to another origin (scheme, host or port) is refused, because every request carries
//! credentials in headers (`Authorization`, `pinata_api_key`/`pinata_secret_api_key`,
//! `x-api-key`, `pinning_api_key`/`pinning_secret_key`) and reqwest's own policy strips
//! only `Authorization`-like ones before following.

use std::fmt;

use url::Url;

/// The most same-origin redirects one request follows.
pub const MAX_REDIRECTS: usize = 5;

/// The redirect policy of the HTTP clients pinion builds: same-origin redirects are
/// followed (at most [`MAX_REDIRECTS`]), a redirect to another origin fails the
/// request with [`Error::CrossOriginRedirect`](crate::Error::CrossOriginRedirect)
/// before anything is sent there.
///
/// Give it to a client you build yourself for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client):
///
/// ```
/// let http = reqwest::Client::builder()
///     .redirect(pinion::redirect_policy())
///     .build()
///     .unwrap();
/// # let _ = http;
/// ```
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(first) = attempt.previous().first() else {
            return attempt.follow();
        };
        if !same_origin(first, attempt.url()) {
            let refused = Refused::CrossOrigin(CrossOrigin::new(first, attempt.url()));
            return attempt.error(refused);
        }
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(Refused::TooMany);
        }
        attempt.follow()
    })
}

/// Whether two URLs share scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin() && a.origin().is_tuple()
}

/// The two origins of a refused cross-origin redirect (no paths or queries, which may
/// carry tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CrossOrigin {
    pub(crate) from: String,
    pub(crate) to: String,
}

impl CrossOrigin {
    pub(crate) fn new(from: &Url, to: &Url) -> Self {
        Self {
            from: from.origin().ascii_serialization(),
            to: to.origin().ascii_serialization(),
        }
    }
}

/// Why the policy stopped a redirect; reqwest hands it back as the source of its
/// redirect error.
#[derive(Debug)]
pub(crate) enum Refused {
    CrossOrigin(CrossOrigin),
    TooMany,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CrossOrigin(CrossOrigin { from, to }) => {
                write!(f, "redirect from {from} to another origin ({to}) refused")
            }
            Self::TooMany => write!(f, "more than {MAX_REDIRECTS} redirects"),
        }
    }
}

impl std::error::Error for Refused {}

/// The cross-origin redirect a reqwest error reports, when the policy refused one.
pub(crate) fn refused_cross_origin(error: &reqwest::Error) -> Option<CrossOrigin> {
    if !error.is_redirect() {
        return None;
    }
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(Refused::CrossOrigin(origins)) = e.downcast_ref::<Refused>() {
            return Some(origins.clone());
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let base = url("https://api.pinata.cloud/data/pinList?x=1");
        assert!(same_origin(
            &base,
            &url("https://api.pinata.cloud/v2/other")
        ));
        assert!(same_origin(&base, &url("https://api.pinata.cloud:443/")));
        for other in [
            "http://api.pinata.cloud/data/pinList",
            "https://api.pinata.cloud:8443/data/pinList",
            "https://evil.example/data/pinList",
            "https://pinata.cloud/data/pinList",
        ] {
            assert!(!same_origin(&base, &url(other)), "{other}");
        }
    }

    #[test]
    fn origins_name_no_path_query_or_user() {
        let origins = CrossOrigin::new(
            &url("https://api.pinata.cloud/data?token=secret"),
            &url("http://user:pw@evil.example:8080/steal?key=secret"),
        );
        assert_eq!(origins.from, "https://api.pinata.cloud");
        assert_eq!(origins.to, "http://evil.example:8080");
    }
}
