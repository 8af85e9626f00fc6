//! Limits of the IPFS Pinning Service API (PSA, version 1.0.0) that a client checks
//! before sending and a server refuses: names, origins, metadata, the `cid` filter and
//! the page limit, and what a multiaddr looks like.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::RuleError;

/// The longest pin name, in characters.
pub const MAX_NAME_CHARS: usize = 255;
/// The most `origins` a pin may name.
pub const MAX_ORIGINS: usize = 20;
/// The most `meta` entries a pin may carry (the standard's `maxProperties`).
pub const MAX_META_ENTRIES: usize = 1000;
/// The most CIDs one `cid` list filter may hold.
pub const MAX_CID_FILTER: usize = 10;
/// The smallest `limit` of a list.
pub const MIN_LIMIT: u32 = 1;
/// The largest `limit` of a list.
pub const MAX_LIMIT: u32 = 1000;
/// The `limit` of a list that gives none.
pub const DEFAULT_LIMIT: u32 = 10;

/// Refuses a name over [`MAX_NAME_CHARS`] characters.
pub fn check_name(name: &str) -> Result<(), RuleError> {
    let given = name.chars().count();
    if given > MAX_NAME_CHARS {
        return Err(RuleError::PsaNameTooLong { given });
    }
    Ok(())
}

/// Refuses more than [`MAX_ORIGINS`] origins, or one that is not a multiaddr
/// ([`check_multiaddr`]).
pub fn check_origins<S: AsRef<str>>(origins: &[S]) -> Result<(), RuleError> {
    if origins.len() > MAX_ORIGINS {
        return Err(RuleError::TooManyOrigins {
            given: origins.len(),
        });
    }
    origins
        .iter()
        .try_for_each(|origin| check_multiaddr(origin.as_ref()))
}

/// Refuses more than [`MAX_META_ENTRIES`] metadata entries.
pub fn check_meta_count(given: usize) -> Result<(), RuleError> {
    if given > MAX_META_ENTRIES {
        return Err(RuleError::TooManyMetaEntries { given });
    }
    Ok(())
}

/// Refuses a `cid` filter of more than [`MAX_CID_FILTER`] CIDs.
pub fn check_cid_filter_count(given: usize) -> Result<(), RuleError> {
    if given > MAX_CID_FILTER {
        return Err(RuleError::TooManyCidsInFilter { given });
    }
    Ok(())
}

/// Refuses a list `limit` outside [`MIN_LIMIT`]..=[`MAX_LIMIT`].
pub fn check_limit(given: u64) -> Result<u32, RuleError> {
    match u32::try_from(given) {
        Ok(limit) if (MIN_LIMIT..=MAX_LIMIT).contains(&limit) => Ok(limit),
        _ => Err(RuleError::PsaLimitOutOfRange { given }),
    }
}

/// Refuses text that is not a multiaddr: `/<protocol>[/<value>]...` with known
/// protocols and values of their form (an IP address, a port, a peer id, a name).
///
/// ```
/// use pinion_rules::psa::check_multiaddr;
/// assert!(check_multiaddr("/ip4/203.0.113.1/tcp/4001/p2p/QmServicePeerId").is_ok());
/// assert!(check_multiaddr("/dns4/example.com/udp/4001/quic-v1").is_ok());
/// assert!(check_multiaddr("203.0.113.1:4001").is_err());
/// assert!(check_multiaddr("/ip4/999.0.0.1/tcp/1").is_err());
/// ```
pub fn check_multiaddr(text: &str) -> Result<(), RuleError> {
    let refuse = |why: &str| RuleError::NotMultiaddr {
        given: text.to_owned(),
        why: why.to_owned(),
    };
    let Some(rest) = text.strip_prefix('/') else {
        return Err(refuse("a multiaddr starts with /"));
    };
    let mut parts = rest.split('/');
    let mut any = false;
    while let Some(protocol) = parts.next() {
        if protocol.is_empty() && !any && parts.clone().next().is_none() {
            break;
        }
        any = true;
        let value = match Protocol::of(protocol) {
            Some(Protocol::Bare) => continue,
            Some(kind) => match parts.next() {
                Some(value) if !value.is_empty() => (kind, value),
                _ => return Err(refuse(&format!("/{protocol} needs a value"))),
            },
            None => return Err(refuse(&format!("unknown protocol {protocol:?}"))),
        };
        let valid = match value {
            (Protocol::Ip4, value) => value.parse::<Ipv4Addr>().is_ok(),
            (Protocol::Ip6, value) => value.parse::<Ipv6Addr>().is_ok(),
            (Protocol::Port, value) => value.parse::<u16>().is_ok(),
            (Protocol::Name, value) => value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')),
            (Protocol::Peer, value) => value.chars().all(|c| c.is_ascii_alphanumeric()),
            (Protocol::Bare, _) => true,
        };
        if !valid {
            return Err(refuse(&format!(
                "{:?} is not a valid /{protocol} value",
                value.1
            )));
        }
    }
    if !any {
        return Err(refuse("it names no protocol"));
    }
    Ok(())
}

/// The form of a multiaddr protocol's value.
#[derive(Clone, Copy)]
enum Protocol {
    Ip4,
    Ip6,
    Port,
    Name,
    Peer,
    /// No value.
    Bare,
}

impl Protocol {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "ip4" => Self::Ip4,
            "ip6" => Self::Ip6,
            "tcp" | "udp" | "dccp" | "sctp" => Self::Port,
            "dns" | "dns4" | "dns6" | "dnsaddr" | "ip6zone" | "sni" => Self::Name,
            "p2p" | "ipfs" | "certhash" => Self::Peer,
            "quic" | "quic-v1" | "ws" | "wss" | "tls" | "noise" | "http" | "https"
            | "webtransport" | "webrtc" | "webrtc-direct" | "p2p-circuit" | "utp" | "udt" => {
                Self::Bare
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_at_their_edges() {
        assert!(check_name(&"é".repeat(MAX_NAME_CHARS)).is_ok());
        assert_eq!(
            check_name(&"a".repeat(256)),
            Err(RuleError::PsaNameTooLong { given: 256 })
        );
        assert!(check_cid_filter_count(10).is_ok());
        assert!(check_cid_filter_count(11).is_err());
        assert!(check_meta_count(1000).is_ok());
        assert!(check_meta_count(1001).is_err());
        assert_eq!(check_limit(1), Ok(1));
        assert_eq!(check_limit(1000), Ok(1000));
        for bad in [0, 1001, u64::MAX] {
            assert_eq!(
                check_limit(bad),
                Err(RuleError::PsaLimitOutOfRange { given: bad })
            );
        }
        let origin = "/ip4/127.0.0.1/tcp/4001/p2p/QmPeer";
        assert!(check_origins(&[origin; 20]).is_ok());
        assert_eq!(
            check_origins(&[origin; 21]),
            Err(RuleError::TooManyOrigins { given: 21 })
        );
    }

    #[test]
    fn multiaddrs_are_parsed_not_just_prefixed() {
        for good in [
            "/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWAbc",
            "/ip6/::1/udp/4001/quic-v1/p2p/QmPeer",
            "/dnsaddr/bootstrap.libp2p.io",
            "/ip4/1.2.3.4/tcp/443/wss",
            "/p2p/QmPeer",
        ] {
            assert_eq!(check_multiaddr(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "/",
            "ip4/1.2.3.4",
            "/ip4",
            "/ip4/1.2.3",
            "/ip4/1.2.3.4/tcp/70000",
            "/ip4/1.2.3.4/tcp/",
            "/ip4/1.2.3.4//tcp/1",
            "/foo/bar",
            "/p2p/Qm Peer",
            "/dns4/a b",
        ] {
            let error = check_multiaddr(bad).unwrap_err();
            assert_eq!(error.subject(), "multiaddr", "{bad}");
        }
    }

    proptest::proptest! {
        /// Any text is accepted or refused with a reason, never a panic.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,60}") {
            if let Err(error) = check_multiaddr(&text) {
                proptest::prop_assert!(error.to_string().contains("multiaddr"));
            }
        }
    }
}
