//! Profiles and stored credentials.
//!
//! Settings live in `$XDG_CONFIG_HOME/pinion/config.toml` (service, base URLs per
//! profile); secrets in `credentials.toml` beside it, created with mode 0600 and refused
//! when group- or world-readable. Environment variables override both.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The name used when no `--profile` is given and the config names no default.
pub const DEFAULT_PROFILE: &str = "default";

/// Where pinion keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `$XDG_CONFIG_HOME/pinion`.
    pub config_dir: PathBuf,
    /// `$XDG_DATA_HOME/pinion` (the `--local` emulator's state lives here).
    pub data_dir: PathBuf,
}

impl Paths {
    /// The XDG locations (`~/.config/pinion`, `~/.local/share/pinion` by default).
    pub fn from_env() -> Result<Self> {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(dirs::config_dir)
            .context("cannot find a configuration directory: set XDG_CONFIG_HOME or HOME")?;
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(dirs::data_dir)
            .context("cannot find a data directory: set XDG_DATA_HOME or HOME")?;
        Ok(Paths {
            config_dir: config.join("pinion"),
            data_dir: data.join("pinion"),
        })
    }

    /// `config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// `credentials.toml`.
    pub fn credentials_file(&self) -> PathBuf {
        self.config_dir.join("credentials.toml")
    }
}

/// `config.toml`: non-secret settings per profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used without `--profile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile's settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// `pinata`, `w3ipfs` or `psa`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Pinata API base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinata_base_url: Option<String>,
    /// Submarine API base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submarine_base_url: Option<String>,
    /// The dedicated gateway (for access links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_url: Option<String>,
    /// W3IPFS API base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w3ipfs_base_url: Option<String>,
    /// The Pinning Service API endpoint (`--service psa`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psa_base_url: Option<String>,
}

/// `credentials.toml`: secrets per profile.
/// Debug shows no secret: [`StoredCredentials`]' Debug redacts them.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialsFile {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, StoredCredentials>,
}

/// One profile's secrets. Debug never shows them.
#[derive(Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredCredentials {
    /// Pinata JWT.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub pinata_jwt: Option<SecretString>,
    /// Pinata API key (not secret on its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinata_api_key: Option<String>,
    /// Pinata API secret.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub pinata_api_secret: Option<SecretString>,
    /// Submarine key.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub submarine_key: Option<SecretString>,
    /// W3IPFS API key (not secret on its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w3ipfs_api_key: Option<String>,
    /// W3IPFS secret key.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub w3ipfs_secret_key: Option<SecretString>,
    /// W3IPFS JWT.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub w3ipfs_jwt: Option<SecretString>,
    /// Pinning Service API access token.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub psa_token: Option<SecretString>,
}

impl std::fmt::Debug for StoredCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |s: &Option<SecretString>| s.as_ref().map(|_| "[redacted]");
        f.debug_struct("StoredCredentials")
            .field("pinata_jwt", &shown(&self.pinata_jwt))
            .field("pinata_api_key", &self.pinata_api_key)
            .field("pinata_api_secret", &shown(&self.pinata_api_secret))
            .field("submarine_key", &shown(&self.submarine_key))
            .field("w3ipfs_api_key", &self.w3ipfs_api_key)
            .field("w3ipfs_secret_key", &shown(&self.w3ipfs_secret_key))
            .field("w3ipfs_jwt", &shown(&self.w3ipfs_jwt))
            .field("psa_token", &shown(&self.psa_token))
            .finish()
    }
}

impl StoredCredentials {
    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.pinata_jwt.is_none()
            && self.pinata_api_key.is_none()
            && self.pinata_api_secret.is_none()
            && self.submarine_key.is_none()
            && self.w3ipfs_api_key.is_none()
            && self.w3ipfs_secret_key.is_none()
            && self.w3ipfs_jwt.is_none()
            && self.psa_token.is_none()
    }
}

mod secret_opt {
    use secrecy::{ExposeSecret, SecretString};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        v: &Option<SecretString>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(secret) => s.serialize_str(secret.expose_secret()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<SecretString>, D::Error> {
        Option::<String>::deserialize(d).map(|v| v.map(SecretString::from))
    }
}

/// Reads `config.toml` (empty when missing).
pub fn load_config(paths: &Paths) -> Result<ConfigFile> {
    let path = paths.config_file();
    match fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text)
            .with_context(|| format!("{} is not a valid pinion config", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Writes `config.toml`.
pub fn save_config(paths: &Paths, config: &ConfigFile) -> Result<()> {
    let text = toml::to_string_pretty(config).context("serialising the config")?;
    write_private(&paths.config_file(), text.as_bytes(), 0o644)
}

/// Reads `credentials.toml` (empty when missing), refusing a file others can read.
pub fn load_credentials(paths: &Paths) -> Result<CredentialsFile> {
    let path = paths.credentials_file();
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CredentialsFile::default()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    check_private(&path)?;
    // toml's errors quote the offending line, which could be a secret: say where only.
    toml::from_str(&text).map_err(|error| {
        anyhow::anyhow!(
            "{} is not a valid pinion credentials file (problem at {:?}); fix or delete it and run `pinion auth login` again",
            path.display(),
            error.span()
        )
    })
}

/// Writes `credentials.toml` with mode 0600.
pub fn save_credentials(paths: &Paths, credentials: &CredentialsFile) -> Result<()> {
    let text = toml::to_string_pretty(credentials).context("serialising the credentials")?;
    write_private(&paths.credentials_file(), text.as_bytes(), 0o600)
}

/// Refuses a secrets file that group or others may read.
pub fn check_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .with_context(|| format!("reading the permissions of {}", path.display()))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "{} is readable by other users (mode {mode:o}); it holds secrets, so pinion refuses it. Run: chmod 600 {}",
                path.display(),
                path.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` atomically with `mode`, creating the directory (mode 0700).
fn write_private(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let dir = path.parent().context("a config path has a parent")?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    }
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Exposes a stored secret for handing to the library (never printed).
pub fn expose(secret: &SecretString) -> &str {
    secret.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(dir: &Path) -> Paths {
        Paths {
            config_dir: dir.join("pinion"),
            data_dir: dir.join("data"),
        }
    }

    #[test]
    fn credentials_round_trip_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let paths = paths(dir.path());
        let mut file = CredentialsFile::default();
        file.profiles.insert(
            "default".into(),
            StoredCredentials {
                pinata_jwt: Some("eyJ.secret.jwt".to_owned().into()),
                ..StoredCredentials::default()
            },
        );
        save_credentials(&paths, &file).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(paths.credentials_file())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let back = load_credentials(&paths).unwrap();
        let stored = &back.profiles["default"];
        assert_eq!(
            expose(stored.pinata_jwt.as_ref().unwrap()),
            "eyJ.secret.jwt"
        );
        assert!(!format!("{stored:?}").contains("secret.jwt"));
    }

    #[cfg(unix)]
    #[test]
    fn readable_credentials_are_refused_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let paths = paths(dir.path());
        save_credentials(&paths, &CredentialsFile::default()).unwrap();
        fs::set_permissions(paths.credentials_file(), fs::Permissions::from_mode(0o644)).unwrap();
        let error = load_credentials(&paths).unwrap_err().to_string();
        assert!(error.contains("chmod 600"), "{error}");
        assert!(error.contains("mode 644"), "{error}");
    }

    #[test]
    fn config_round_trips_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let paths = paths(dir.path());
        let mut config = ConfigFile::default();
        config.profiles.insert(
            "work".into(),
            Profile {
                service: Some("w3ipfs".into()),
                ..Profile::default()
            },
        );
        save_config(&paths, &config).unwrap();
        assert_eq!(load_config(&paths).unwrap(), config);
        fs::write(paths.config_file(), "colour = \"blue\"\n").unwrap();
        assert!(load_config(&paths).is_err());
    }

    #[test]
    fn malformed_credentials_do_not_echo_their_contents() {
        let dir = tempfile::tempdir().unwrap();
        let paths = paths(dir.path());
        save_credentials(&paths, &CredentialsFile::default()).unwrap();
        fs::write(
            paths.credentials_file(),
            "[profiles.default]\npinata_jwt = eyJtopsecret\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(paths.credentials_file(), fs::Permissions::from_mode(0o600))
                .unwrap();
        }
        let error = load_credentials(&paths).unwrap_err().to_string();
        assert!(!error.contains("topsecret"), "{error}");
    }
}
