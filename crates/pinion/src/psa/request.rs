//! What to pin: the body of an add or a replace, checked before any request.

use std::collections::BTreeMap;

use pinion_rules::psa as rules;

use super::types;
use crate::Error;
use crate::args::rule;

/// The most origins one pin request may give (the standard's limit).
pub const MAX_ORIGINS: usize = rules::MAX_ORIGINS;

/// A CID to pin, with its optional name, origins and meta.
///
/// ```
/// use pinion::psa::PinRequest;
/// let request = PinRequest::new("bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi")
///     .name("report.pdf")
///     .meta("app", "site")
///     .origin("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN");
/// assert_eq!(request.name.as_deref(), Some("report.pdf"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PinRequest {
    /// The CID to pin (recursively).
    pub cid: String,
    /// A name to find it by (at most 255 characters).
    pub name: Option<String>,
    /// Multiaddrs of peers known to have the data (at most [`MAX_ORIGINS`]).
    pub origins: Vec<String>,
    /// Key-values stored with the pin, usable as a listing filter.
    pub meta: BTreeMap<String, String>,
}

impl PinRequest {
    /// A request to pin `cid`.
    pub fn new(cid: impl Into<String>) -> Self {
        Self {
            cid: cid.into(),
            ..Self::default()
        }
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds an origin multiaddr.
    pub fn origin(mut self, multiaddr: impl Into<String>) -> Self {
        self.origins.push(multiaddr.into());
        self
    }

    /// Adds a meta key-value.
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.insert(key.into(), value.into());
        self
    }

    /// The body as the generated client sends it, refusing what the standard forbids.
    pub(crate) fn body(&self) -> Result<types::Pin, Error> {
        crate::cid::parse_input(&self.cid)?;
        if let Some(name) = &self.name {
            rules::check_name(name).map_err(rule)?;
        }
        let mut origins: Vec<String> = Vec::with_capacity(self.origins.len());
        for origin in &self.origins {
            let origin = origin.trim();
            if !origins.iter().any(|seen| seen == origin) {
                origins.push(origin.to_owned());
            }
        }
        rules::check_origins(&origins).map_err(rule)?;
        rules::check_meta_count(self.meta.len()).map_err(rule)?;
        let name = self
            .name
            .clone()
            .map(types::PinName::try_from)
            .transpose()
            .map_err(|error| Error::invalid_input("name", error.to_string()))?;
        Ok(types::Pin {
            cid: self.cid.trim().to_owned(),
            name,
            origins: (!origins.is_empty()).then_some(types::Origins(origins)),
            meta: (!self.meta.is_empty()).then(|| types::PinMeta(self.meta.clone())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CID: &str = "bafkreidom7zjkty4uq5oawyxsnbd3k4zawkx7fzr7qkoqfjdaxmqy6wrzi";
    const PEER: &str =
        "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

    #[test]
    fn the_body_carries_what_was_asked_once() {
        let body = PinRequest::new(format!(" {CID} "))
            .name("n")
            .origin(PEER)
            .origin(format!("{PEER} "))
            .meta("k", "v")
            .body()
            .unwrap();
        assert_eq!(body.cid, CID);
        assert_eq!(body.origins.unwrap().0, [PEER]);
        assert_eq!(body.meta.unwrap().0.get("k").map(String::as_str), Some("v"));
        let bare = PinRequest::new(CID).body().unwrap();
        assert!(bare.name.is_none() && bare.origins.is_none() && bare.meta.is_none());
    }

    #[test]
    fn what_the_standard_forbids_is_refused_before_any_request() {
        let error = PinRequest::new("Qm-not-a-cid").body().unwrap_err();
        assert!(error.to_string().starts_with("invalid CID"), "{error}");
        let error = PinRequest::new(CID)
            .origin("1.2.3.4:4001")
            .body()
            .unwrap_err();
        assert!(
            error.to_string().starts_with("invalid multiaddr"),
            "{error}"
        );
        let many = (0..21).fold(PinRequest::new(CID), |r, i| {
            r.origin(format!("/ip4/127.0.0.{i}/tcp/4001"))
        });
        let error = many.body().unwrap_err();
        assert!(error.to_string().starts_with("invalid origins"), "{error}");
        let error = PinRequest::new(CID)
            .name("x".repeat(256))
            .body()
            .unwrap_err();
        assert!(error.to_string().starts_with("invalid name"), "{error}");
    }
}
