//! What to pin: the body of an add or a replace, checked before any request.

use std::collections::BTreeMap;

use super::filter::check_name;
use super::types;
use crate::Error;

/// The most origins one pin request may give (the standard's limit).
pub const MAX_ORIGINS: usize = 20;

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
            check_name(name)?;
        }
        if self.origins.len() > MAX_ORIGINS {
            return Err(Error::invalid_input(
                "origins",
                format!(
                    "{} given; the Pinning Service API takes at most {MAX_ORIGINS}",
                    self.origins.len()
                ),
            ));
        }
        let mut origins: Vec<String> = Vec::with_capacity(self.origins.len());
        for origin in &self.origins {
            let origin = origin.trim();
            if !origin.starts_with('/')
                || origin.len() < 2
                || origin.chars().any(char::is_whitespace)
            {
                return Err(Error::invalid_input(
                    "origin",
                    format!(
                        "`{origin}` is not a multiaddr (such as /ip4/1.2.3.4/tcp/4001/p2p/12D3Koo…)"
                    ),
                ));
            }
            if !origins.iter().any(|seen| seen == origin) {
                origins.push(origin.to_owned());
            }
        }
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
