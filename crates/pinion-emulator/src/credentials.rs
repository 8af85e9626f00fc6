//! The admin credentials the emulator provisions on first start, and how a client
//! reaches each service.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Pinata admin credentials: the JWT and the equivalent key pair.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinataAdmin {
    /// `Authorization: Bearer <jwt>`.
    pub jwt: String,
    /// `pinata_api_key` header.
    pub api_key: String,
    /// `pinata_secret_api_key` header.
    pub api_secret: String,
}

/// W3IPFS admin credentials: the undeletable `Default` key pair and a session JWT.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct W3ipfsAdmin {
    /// `pinning_api_key` header.
    pub api_key: String,
    /// `pinning_secret_key` header.
    pub secret_key: String,
    /// `Authorization: Bearer <jwt>`.
    pub jwt: String,
}

/// The secrets fixed when a state is created (kept across restarts with a state dir).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSecrets {
    /// Pinata.
    pub pinata: PinataAdmin,
    /// Submarine's `x-api-key`.
    pub submarine_api_key: String,
    /// W3IPFS.
    pub w3ipfs: W3ipfsAdmin,
}

/// How to reach Pinata: the base URL to put in front of `spec/pinata.yaml`'s paths and
/// admin credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinataAccess {
    /// For example `http://127.0.0.1:8080/pinata`.
    pub base_url: String,
    /// The v3 api host's base (`spec/pinata-v3.yaml`), for example
    /// `http://127.0.0.1:8080/pinata/v3`.
    pub v3_base_url: String,
    /// The v3 uploads host's base (`spec/pinata-v3-uploads.yaml`), for example
    /// `http://127.0.0.1:8080/pinata-uploads/v3`.
    pub uploads_url: String,
    /// The dedicated gateway (`/ipfs/<cid>`, private `/files/<cid>?X-…`), for example
    /// `http://127.0.0.1:8080/gateway`.
    pub gateway_url: String,
    /// `Authorization: Bearer <jwt>`.
    pub jwt: String,
    /// `pinata_api_key` header.
    pub api_key: String,
    /// `pinata_secret_api_key` header.
    pub api_secret: String,
}

/// How to reach Submarine and the dedicated gateway.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmarineAccess {
    /// For example `http://127.0.0.1:8080/submarine/api/v1`.
    pub base_url: String,
    /// `x-api-key` header.
    pub api_key: String,
    /// The gateway, for links `<gateway_url>/ipfs/<cid>?accessToken=…`; for example
    /// `http://127.0.0.1:8080/gateway`.
    pub gateway_url: String,
}

/// How to reach W3IPFS.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct W3ipfsAccess {
    /// For example `http://127.0.0.1:8080/w3ipfs/api`.
    pub base_url: String,
    /// `pinning_api_key` header.
    pub api_key: String,
    /// `pinning_secret_key` header.
    pub secret_key: String,
    /// `Authorization: Bearer <jwt>`.
    pub jwt: String,
}

/// How to reach an emulator started with its TLS front (`--tls`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsAccess {
    /// The local CA's certificate (PEM) to trust: `curl --cacert`, `SSL_CERT_FILE`,
    /// `REQUESTS_CA_BUNDLE`, `NODE_EXTRA_CA_CERTS`.
    pub ca_pem: std::path::PathBuf,
    /// The direct TLS port, for example `https://127.0.0.1:8443`; its certificate names
    /// `localhost`, `127.0.0.1` and `::1`.
    pub https_origin: String,
    /// The proxy to set as `HTTPS_PROXY` (the plain port, which answers `CONNECT` for
    /// the emulated hosts), for example `http://127.0.0.1:8080`.
    pub proxy_url: String,
}

/// Base URLs and admin credentials of every service of a running emulator: what
/// `--credentials-out` writes as JSON.
///
/// Its `Debug` output shows the URLs and hides every secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCredentials {
    /// Pinata.
    pub pinata: PinataAccess,
    /// Submarine and its gateway.
    pub submarine: SubmarineAccess,
    /// W3IPFS.
    pub w3ipfs: W3ipfsAccess,
    /// The TLS front, when started with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsAccess>,
}

impl AdminCredentials {
    /// Writes the credentials as pretty JSON to `path` with mode 0600, atomically (a
    /// temporary file beside it, synced, then renamed), so a script polling for the file
    /// never reads half of it: what `--credentials-out` does.
    pub fn write_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        use std::io::Write;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        serde_json::to_writer_pretty(&mut temp, self)?;
        temp.write_all(b"\n")?;
        temp.as_file().sync_all()?;
        temp.persist(path).map_err(|error| error.error)?;
        Ok(())
    }

    pub(crate) fn new(origin: &str, secrets: &AdminSecrets) -> Self {
        AdminCredentials {
            pinata: PinataAccess {
                base_url: format!("{origin}{}", crate::wire::PINATA_PREFIX),
                v3_base_url: format!("{origin}{}", crate::wire::PINATA_V3_PREFIX),
                uploads_url: format!("{origin}{}", crate::wire::PINATA_UPLOADS_PREFIX),
                gateway_url: format!("{origin}{}", crate::wire::GATEWAY_PREFIX),
                jwt: secrets.pinata.jwt.clone(),
                api_key: secrets.pinata.api_key.clone(),
                api_secret: secrets.pinata.api_secret.clone(),
            },
            submarine: SubmarineAccess {
                base_url: format!("{origin}{}", crate::wire::SUBMARINE_PREFIX),
                api_key: secrets.submarine_api_key.clone(),
                gateway_url: format!("{origin}{}", crate::wire::GATEWAY_PREFIX),
            },
            w3ipfs: W3ipfsAccess {
                base_url: format!("{origin}{}", crate::wire::W3IPFS_PREFIX),
                api_key: secrets.w3ipfs.api_key.clone(),
                secret_key: secrets.w3ipfs.secret_key.clone(),
                jwt: secrets.w3ipfs.jwt.clone(),
            },
            tls: None,
        }
    }
}

const REDACTED: &str = "[redacted]";

macro_rules! redacted_debug {
    ($type:ty, [$($shown:ident),*], [$($hidden:ident),*]) => {
        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($type))
                    $(.field(stringify!($shown), &self.$shown))*
                    $(.field(stringify!($hidden), &REDACTED))*
                    .finish()
            }
        }
    };
}

redacted_debug!(PinataAdmin, [api_key], [jwt, api_secret]);
redacted_debug!(W3ipfsAdmin, [api_key], [secret_key, jwt]);
redacted_debug!(AdminSecrets, [pinata, w3ipfs], [submarine_api_key]);
redacted_debug!(
    PinataAccess,
    [base_url, v3_base_url, uploads_url, gateway_url, api_key],
    [jwt, api_secret]
);
redacted_debug!(SubmarineAccess, [base_url, gateway_url], [api_key]);
redacted_debug!(W3ipfsAccess, [base_url, api_key], [secret_key, jwt]);
redacted_debug!(AdminCredentials, [pinata, submarine, w3ipfs, tls], []);
