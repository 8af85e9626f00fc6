//! The emulator's local certificate authority: created once, kept in the state
//! directory (or the emulator's temporary one), name-constrained to the hosts the
//! emulator emulates and to loopback addresses, so trusting it can never vouch for any
//! other site.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    NameConstraints, PKCS_ECDSA_P256_SHA256, SanType, SerialNumber,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};

use super::TlsError;
use super::files;

/// The CA certificate, PEM: what clients are told to trust.
pub(crate) const CERT_FILE: &str = "ca.pem";
/// The CA's private key, PEM, mode 0600.
pub(crate) const KEY_FILE: &str = "ca-key.pem";

/// The DNS subtrees the CA may vouch for: the emulated hosts (a subtree also covers
/// its subdomains, so `mypinata.cloud` covers `managed.mypinata.cloud` and every
/// dedicated gateway) and `localhost` for the direct port. `uploads.pinata.cloud` is
/// listed so that a CA made today stays valid once that host is emulated.
fn permitted_dns_names() -> Vec<&'static str> {
    let mut names = vec![
        "api.pinata.cloud",
        "uploads.pinata.cloud",
        "gateway.pinata.cloud",
        "mypinata.cloud",
        "localhost",
    ];
    names.extend(crate::wire::W3IPFS_HOSTS);
    names
}

/// The IP subtrees the CA may vouch for: loopback only.
fn permitted_ip_ranges() -> [CidrSubnet; 2] {
    [
        CidrSubnet::from_v4_prefix([127, 0, 0, 0], 8),
        CidrSubnet::from_addr_prefix(IpAddr::V6(Ipv6Addr::LOCALHOST), 128),
    ]
}

/// How long the CA certificate is valid (reissued from the same key once it is not).
const CA_VALIDITY: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// How long a leaf certificate is valid; leaves are minted afresh at every start.
const LEAF_VALIDITY: Duration = Duration::from_secs(397 * 24 * 3600);
/// Leaves and the CA are valid from a little before now, for clients whose clock lags.
const BACKDATE: Duration = Duration::from_secs(24 * 3600);

/// The CA: its certificate and the issuer that signs leaves, plus the one key every
/// leaf of this run certifies.
pub(crate) struct Authority {
    issuer: Issuer<'static, KeyPair>,
    ca_pem_path: PathBuf,
    leaf_key: KeyPair,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority")
            .field("ca_pem_path", &self.ca_pem_path)
            .finish_non_exhaustive()
    }
}

impl Authority {
    /// Opens the CA kept in `dir`, creating the directory (private) and the CA if
    /// missing. An existing key is reused; its certificate too, unless it no longer
    /// vouches for the names this emulator serves (expired, replaced, or made with other
    /// constraints), in which case it is reissued from the same key and name.
    pub(crate) fn open(dir: &Path) -> Result<Self, TlsError> {
        crate::store::create_private_dir(dir).map_err(|e| TlsError::file(dir, e))?;
        let key_path = dir.join(KEY_FILE);
        let key = match files::read_private(&key_path)? {
            Some(pem) => KeyPair::from_pem(&pem).map_err(|e| TlsError::Key {
                path: key_path.clone(),
                reason: e.to_string(),
            })?,
            None => {
                let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
                files::write_private(&key_path, key.serialize_pem().as_bytes())?;
                tracing::info!(path = %key_path.display(), "created the emulator's local CA");
                key
            }
        };
        let params = ca_params(&key);
        let ca_pem_path = dir.join(CERT_FILE);
        let authority = Authority {
            issuer: Issuer::new(params.clone(), key),
            ca_pem_path,
            leaf_key: KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?,
        };
        if !authority.stored_certificate_vouches()? {
            let certificate = params.self_signed(authority.issuer.key())?;
            files::write_public(&authority.ca_pem_path, certificate.pem().as_bytes())?;
        }
        Ok(authority)
    }

    /// Where the CA certificate (PEM) is.
    pub(crate) fn ca_pem_path(&self) -> &Path {
        &self.ca_pem_path
    }

    /// A server configuration presenting a certificate for `names`, signed by the CA.
    /// Callers check that the names are ones the emulator serves; the CA's constraints
    /// would make any other name fail validation anyway.
    pub(crate) fn server_config(
        &self,
        names: Vec<SanType>,
    ) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let leaf = self.leaf(names)?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.leaf_key.serialize_der()));
        let mut config = rustls::ServerConfig::builder_with_provider(super::provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(vec![leaf], key)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }

    /// A leaf certificate for `names`, for this run's leaf key.
    fn leaf(&self, names: Vec<SanType>) -> Result<CertificateDer<'static>, TlsError> {
        let mut params = CertificateParams::default();
        // No subject: the names are in the (then critical) subjectAltName only, as
        // some hosts are longer than a common name may be.
        params.distinguished_name = DistinguishedName::new();
        params.subject_alt_names = names;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        let now = SystemTime::now();
        params.not_before = (now - BACKDATE).into();
        params.not_after = (now + LEAF_VALIDITY).into();
        Ok(params
            .signed_by(&self.leaf_key, &self.issuer)?
            .der()
            .clone())
    }

    /// Whether the certificate stored beside the key vouches, today, for a leaf naming
    /// everything this emulator may present (every permitted name and address).
    fn stored_certificate_vouches(&self) -> Result<bool, TlsError> {
        let Ok(ca) = CertificateDer::from_pem_file(&self.ca_pem_path) else {
            return Ok(false);
        };
        let mut names = vec![
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        ];
        for name in permitted_dns_names() {
            names.push(dns_name(name)?);
            names.push(dns_name(&format!("probe.{name}"))?);
        }
        let leaf = self.leaf(names)?;
        let vouches = verify(&ca, &leaf, "api.pinata.cloud").is_ok();
        if !vouches {
            tracing::warn!(
                path = %self.ca_pem_path.display(),
                "the stored CA certificate does not vouch for the emulated hosts (expired, \
                 replaced or older); reissuing it from the same key"
            );
        }
        Ok(vouches)
    }
}

/// The CA's certificate parameters. Everything an issuer needs (name, key identifier
/// method, key usages) follows from the key alone, so the CA can be reloaded from its
/// key without parsing its certificate. The name carries a fingerprint of the key,
/// telling one emulator's CA from another's in a trust store.
fn ca_params(key: &KeyPair) -> CertificateParams {
    let mut params = CertificateParams::default();
    let fingerprint = params.key_identifier(key);
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "pinion emulator");
    name.push(
        DnType::CommonName,
        format!(
            "pinion emulator local CA {}",
            hex::encode(&fingerprint[..8])
        ),
    );
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let mut permitted: Vec<GeneralSubtree> = permitted_dns_names()
        .into_iter()
        .map(|name| GeneralSubtree::DnsName(name.to_owned()))
        .collect();
    permitted.extend(permitted_ip_ranges().map(GeneralSubtree::IpAddress));
    params.name_constraints = Some(NameConstraints {
        permitted_subtrees: permitted,
        excluded_subtrees: Vec::new(),
    });
    params.serial_number = Some(random_serial());
    let now = SystemTime::now();
    params.not_before = (now - BACKDATE).into();
    params.not_after = (now + CA_VALIDITY).into();
    params
}

/// A random positive 16-byte serial: every certificate from one issuer has its own.
fn random_serial() -> SerialNumber {
    let mut bytes = crate::secrets::random_bytes::<16>();
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    SerialNumber::from_slice(&bytes)
}

/// `name` as a DNS subject alternative name.
pub(crate) fn dns_name(name: &str) -> Result<SanType, TlsError> {
    Ok(SanType::DnsName(name.try_into()?))
}

/// Validates `leaf` for `server_name` with `ca` as the only root, as a rustls client
/// would (name constraints included).
pub(crate) fn verify(
    ca: &CertificateDer<'_>,
    leaf: &CertificateDer<'_>,
    server_name: &str,
) -> Result<(), rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.clone().into_owned())?;
    let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        super::provider(),
    )
    .build()
    .map_err(|e| rustls::Error::General(e.to_string()))?;
    let name = ServerName::try_from(server_name.to_owned())
        .map_err(|e| rustls::Error::General(e.to_string()))?;
    rustls::client::danger::ServerCertVerifier::verify_server_cert(
        verifier.as_ref(),
        leaf,
        &[],
        &name,
        &[],
        UnixTime::now(),
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> (tempfile::TempDir, Authority) {
        let dir = tempfile::tempdir().unwrap();
        let authority = Authority::open(&dir.path().join("tls")).unwrap();
        (dir, authority)
    }

    fn ca(authority: &Authority) -> CertificateDer<'static> {
        CertificateDer::from_pem_file(authority.ca_pem_path()).unwrap()
    }

    #[test]
    fn leaves_for_emulated_hosts_validate_under_the_name_constraints() {
        let (_dir, authority) = authority();
        let ca = ca(&authority);
        let mut hosts = vec![
            "api.pinata.cloud",
            "managed.mypinata.cloud",
            "my-gateway.mypinata.cloud",
            "gateway.pinata.cloud",
            "localhost",
        ];
        hosts.extend(crate::wire::W3IPFS_HOSTS);
        for host in hosts {
            let leaf = authority.leaf(vec![dns_name(host).unwrap()]).unwrap();
            verify(&ca, &leaf, host).unwrap_or_else(|e| panic!("{host}: {e}"));
        }
        let leaf = authority
            .leaf(vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(
                127, 0, 0, 1,
            )))])
            .unwrap();
        verify(&ca, &leaf, "127.0.0.1").unwrap();
    }

    #[test]
    fn the_ca_cannot_vouch_for_other_names_even_if_asked_to_sign_them() {
        let (_dir, authority) = authority();
        let ca = ca(&authority);
        for host in [
            "example.com",
            "pinata.cloud",
            "evil-mypinata.cloud",
            "api.pinata.cloud.evil.com",
        ] {
            let leaf = authority.leaf(vec![dns_name(host).unwrap()]).unwrap();
            assert!(verify(&ca, &leaf, host).is_err(), "{host} validated");
        }
        let leaf = authority
            .leaf(vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(
                10, 0, 0, 1,
            )))])
            .unwrap();
        assert!(verify(&ca, &leaf, "10.0.0.1").is_err());
    }

    #[test]
    fn a_replaced_certificate_is_reissued_from_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let first = Authority::open(&tls).unwrap();
        let key = std::fs::read(tls.join(KEY_FILE)).unwrap();
        let pem = std::fs::read(tls.join(CERT_FILE)).unwrap();
        drop(first);

        // Reopened as it was: nothing rewritten.
        let again = Authority::open(&tls).unwrap();
        assert_eq!(std::fs::read(tls.join(CERT_FILE)).unwrap(), pem);
        drop(again);

        // A certificate of another CA in its place: reissued for the stored key, and
        // leaves validate under it.
        let other = tempfile::tempdir().unwrap();
        Authority::open(other.path()).unwrap();
        std::fs::copy(other.path().join(CERT_FILE), tls.join(CERT_FILE)).unwrap();
        let reopened = Authority::open(&tls).unwrap();
        assert_eq!(std::fs::read(tls.join(KEY_FILE)).unwrap(), key);
        let leaf = reopened
            .leaf(vec![dns_name("api.pinata.cloud").unwrap()])
            .unwrap();
        verify(&ca(&reopened), &leaf, "api.pinata.cloud").unwrap();
    }
}
