//! The certificates the front presents: one per emulated host for `CONNECT` tunnels,
//! minted on first use and cached, and one for the direct port. A certificate for a
//! name the emulator does not emulate is never issued.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rcgen::SanType;
use rustls::ServerConfig;
use rustls::pki_types::DnsName;

use super::TlsError;
use super::authority::{Authority, dns_name};

/// At most this many hosts' configurations are kept; past it the cache starts over,
/// so a client naming endless `*.mypinata.cloud` hosts cannot grow it without bound.
const CACHE_LIMIT: usize = 256;

/// The front's certificates.
pub(crate) struct Leaves {
    authority: Authority,
    by_host: Mutex<HashMap<String, Arc<ServerConfig>>>,
    direct: Arc<ServerConfig>,
}

/// Names the CA only: the configurations hold the leaf key.
impl std::fmt::Debug for Leaves {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leaves")
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}

impl Leaves {
    /// Prepares the direct port's certificate: `localhost`, `127.0.0.1`, `::1`, and the
    /// listen address when it is another loopback one. The CA vouches for loopback
    /// only, so a non-loopback listen address is left out (with a warning): such
    /// clients reach the port through loopback or use `CONNECT`.
    pub(crate) fn new(authority: Authority, listen_ip: IpAddr) -> Result<Self, TlsError> {
        let mut names = vec![
            dns_name("localhost")?,
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        ];
        if listen_ip.is_loopback() {
            let listen = SanType::IpAddress(listen_ip);
            if !names.contains(&listen) {
                names.push(listen);
            }
        } else if !listen_ip.is_unspecified() {
            tracing::warn!(
                %listen_ip,
                "the direct TLS port's certificate names loopback addresses only; clients \
                 reaching it at {listen_ip} will not validate it"
            );
        }
        let direct = authority.server_config(names)?;
        Ok(Leaves {
            authority,
            by_host: Mutex::default(),
            direct,
        })
    }

    /// Where the CA certificate (PEM) is.
    pub(crate) fn ca_pem_path(&self) -> &Path {
        self.authority.ca_pem_path()
    }

    /// The direct port's configuration.
    pub(crate) fn direct(&self) -> Arc<ServerConfig> {
        Arc::clone(&self.direct)
    }

    /// The configuration presenting a certificate for `host` (lowercase, no port),
    /// refused unless the emulator emulates that host.
    pub(crate) fn for_host(&self, host: &str) -> Result<Arc<ServerConfig>, TlsError> {
        if crate::wire::service_of_host(host).is_none() || DnsName::try_from(host).is_err() {
            return Err(TlsError::NotEmulated(host.to_owned()));
        }
        let mut cache = self
            .by_host
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(config) = cache.get(host) {
            return Ok(Arc::clone(config));
        }
        let config = self.authority.server_config(vec![dns_name(host)?])?;
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(host.to_owned(), Arc::clone(&config));
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves() -> (tempfile::TempDir, Leaves) {
        let dir = tempfile::tempdir().unwrap();
        let authority = Authority::open(dir.path()).unwrap();
        let leaves = Leaves::new(authority, IpAddr::V4(Ipv4Addr::LOCALHOST)).unwrap();
        (dir, leaves)
    }

    #[test]
    fn no_certificate_is_issued_for_a_name_the_emulator_does_not_emulate() {
        let (_dir, leaves) = leaves();
        for host in [
            "example.com",
            "pinata.cloud",
            "localhost",
            "127.0.0.1",
            "api.pinata.cloud.example.com",
            "",
            "bad name.mypinata.cloud",
        ] {
            assert!(
                matches!(leaves.for_host(host), Err(TlsError::NotEmulated(_))),
                "{host:?} was issued a certificate"
            );
        }
        assert!(leaves.by_host.lock().unwrap().is_empty());
    }

    #[test]
    fn certificates_of_emulated_hosts_are_minted_once_and_cached() {
        let (_dir, leaves) = leaves();
        let first = leaves.for_host("api.pinata.cloud").unwrap();
        let again = leaves.for_host("api.pinata.cloud").unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        leaves.for_host("my-gateway.mypinata.cloud").unwrap();
        assert_eq!(leaves.by_host.lock().unwrap().len(), 2);
    }

    #[test]
    fn debug_output_shows_no_key_material() {
        let (_dir, leaves) = leaves();
        leaves.for_host("api.pinata.cloud").unwrap();
        let shown = format!("{leaves:?}");
        assert!(shown.contains("ca.pem"), "{shown}");
        assert!(!shown.contains("Key"), "{shown}");
        assert!(!shown.contains("cert_resolver"), "{shown}");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let (_dir, leaves) = leaves();
        for n in 0..CACHE_LIMIT + 5 {
            leaves.for_host(&format!("gw{n}.mypinata.cloud")).unwrap();
        }
        assert!(leaves.by_host.lock().unwrap().len() <= CACHE_LIMIT);
    }
}
