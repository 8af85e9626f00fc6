//! What every service command needs: the chosen service, profile, clients built from
//! the resolved credentials, and the `--local` emulator when asked for.
//!
//! Credentials are resolved in this order: `--local` (the embedded emulator's admin
//! credentials) > environment variables (`PINATA_JWT`, `PINATA_API_KEY` +
//! `PINATA_API_SECRET`, `PINATA_SUBMARINE_KEY`, `W3IPFS_API_KEY` + `W3IPFS_SECRET_KEY`,
//! `W3IPFS_JWT`, `PSA_TOKEN`) > the profile in `credentials.toml`. Base URLs:
//! `--base-url` (for the command's service) > `PINATA_BASE_URL`,
//! `PINATA_SUBMARINE_BASE_URL`, `W3IPFS_BASE_URL`, `PSA_BASE_URL` > the profile >
//! production (a Pinning Service API endpoint has none: it must be named).

use std::sync::OnceLock;

use anyhow::{Context as _, Result};
use pinion::credentials::{PinataCredentials, SubmarineCredentials, W3ipfsCredentials};
use pinion::{AnyPinningClient, pinata, pinata_v3, psa, submarine, w3ipfs};
use pinion_emulator::{AdminCredentials, RunningEmulator};

use crate::cli::{Global, ServiceName};
use crate::config::{self, ConfigFile, DEFAULT_PROFILE, Paths, Profile, StoredCredentials};
use crate::exit::NoCredentials;
use crate::output::Output;

/// The context of one command.
pub struct Ctx {
    pub global: Global,
    pub paths: Paths,
    pub out: Output,
    pub profile_name: String,
    pub profile: Profile,
    stored: OnceLock<StoredCredentials>,
    emulator: Option<(RunningEmulator, AdminCredentials)>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Ctx {
    pub async fn new(global: Global) -> Result<Self> {
        let paths = Paths::from_env()?;
        let config = config::load_config(&paths)?;
        let profile_name = global
            .profile
            .clone()
            .or_else(|| config.default_profile.clone())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let profile = profile_of(&config, &profile_name, global.profile.is_some())?;
        let emulator = if global.local {
            Some(crate::local::start(&paths).await?)
        } else {
            None
        };
        Ok(Self {
            out: Output::new(&global),
            global,
            paths,
            profile_name,
            profile,
            stored: OnceLock::new(),
            emulator,
        })
    }

    /// Stops the embedded emulator, flushing its state.
    pub async fn shutdown(self) {
        if let Some((emulator, _)) = self.emulator {
            emulator.shutdown().await;
        }
    }

    /// The `--local` emulator's credentials.
    pub fn local(&self) -> Option<&AdminCredentials> {
        self.emulator.as_ref().map(|(_, c)| c)
    }

    /// The service this command talks to: `--service` (or `PINION_SERVICE`), the
    /// profile's, else Pinata.
    pub fn service(&self) -> Result<ServiceName> {
        if let Some(service) = self.global.service {
            return Ok(service);
        }
        match self.profile.service.as_deref() {
            // Without a choice, W3IPFS when only its credentials are in the environment.
            None if !self.global.local
                && env("PINATA_JWT").is_none()
                && env("PINATA_API_KEY").is_none()
                && (env("W3IPFS_API_KEY").is_some() || env("W3IPFS_JWT").is_some()) =>
            {
                Ok(ServiceName::W3ipfs)
            }
            None | Some("pinata") => Ok(ServiceName::Pinata),
            Some("w3ipfs") => Ok(ServiceName::W3ipfs),
            Some("psa") => Ok(ServiceName::Psa),
            Some(other) => Err(crate::exit::Usage(format!(
                "profile `{}` names service `{other}`: use pinata, w3ipfs or psa",
                self.profile_name
            ))
            .into()),
        }
    }

    /// The stored credentials of the profile (read once; refused when others can
    /// read the file).
    fn stored(&self) -> Result<&StoredCredentials> {
        if let Some(stored) = self.stored.get() {
            return Ok(stored);
        }
        let mut file = config::load_credentials(&self.paths)?;
        let stored = file.profiles.remove(&self.profile_name).unwrap_or_default();
        Ok(self.stored.get_or_init(|| stored))
    }

    /// Applies the global network options: `--timeout` and `--allow-insecure-http`.
    fn timeouts<C: pinion::credentials::Credentials>(
        &self,
        mut builder: pinion::ClientBuilder<C>,
    ) -> pinion::ClientBuilder<C> {
        builder = builder.allow_insecure_http(self.global.allow_insecure_http);
        if let Some(timeout) = self.global.timeout {
            builder = builder
                .connect_timeout(timeout)
                .request_timeout(timeout)
                .stall_timeout(timeout);
        }
        builder
    }

    fn base_url(&self, service: ServiceName, var: &str, stored: Option<&String>) -> Option<String> {
        let ours = self.service().ok() == Some(service);
        self.global
            .base_url
            .clone()
            .filter(|_| ours)
            .or_else(|| env(var))
            .or_else(|| stored.cloned())
    }

    /// Where this command's Pinata uploads go, to tell pending uploads apart: `local`
    /// for `--local`, else the base and uploads URLs configured (empty: production).
    pub fn pinata_endpoint(&self) -> String {
        if self.local().is_some() {
            return "local".to_owned();
        }
        let base = self.base_url(
            ServiceName::Pinata,
            "PINATA_BASE_URL",
            self.profile.pinata_base_url.as_ref(),
        );
        format!(
            "{} {}",
            base.unwrap_or_default(),
            env("PINATA_UPLOADS_URL").unwrap_or_default()
        )
    }

    /// A Pinata client (the legacy API).
    pub fn pinata(&self) -> Result<pinata::Client> {
        Ok(self.pinata_builder(false)?.build()?)
    }

    /// A client of Pinata's v3 API, with the same credentials, base URL and gateway as
    /// [`pinata`](Self::pinata); the uploads host comes from `PINATA_UPLOADS_URL` when
    /// set, else it is derived from the base URL.
    pub fn pinata_v3(&self) -> Result<pinata_v3::Client> {
        let mut builder = self.pinata_builder(true)?;
        if self.local().is_none()
            && let Some(url) = env("PINATA_UPLOADS_URL")
        {
            builder = builder.uploads_url(url);
        }
        Ok(builder.build_v3()?)
    }

    /// The Pinata builder both APIs start from. `v3` picks the `--local` gateway that
    /// serves v3's private files (the legacy commands use Submarine's).
    fn pinata_builder(&self, v3: bool) -> Result<pinata::Builder> {
        let mut builder = pinata::Client::builder();
        if let Some(local) = self.local() {
            let gateway = if v3 {
                &local.pinata.gateway_url
            } else {
                &local.submarine.gateway_url
            };
            builder = builder
                .base_url(&local.pinata.base_url)
                .uploads_url(&local.pinata.uploads_url)
                .credentials(PinataCredentials::jwt(&local.pinata.jwt))
                .gateway_url(gateway);
        } else {
            let credentials = if let Some(jwt) = env("PINATA_JWT") {
                PinataCredentials::jwt(jwt)
            } else if let (Some(key), Some(secret)) =
                (env("PINATA_API_KEY"), env("PINATA_API_SECRET"))
            {
                PinataCredentials::key_pair(key, secret)
            } else {
                let stored = self.stored()?;
                if let Some(jwt) = &stored.pinata_jwt {
                    PinataCredentials::jwt(config::expose(jwt))
                } else if let (Some(key), Some(secret)) =
                    (&stored.pinata_api_key, &stored.pinata_api_secret)
                {
                    PinataCredentials::key_pair(key, config::expose(secret))
                } else {
                    return Err(NoCredentials(format!(
                        "no Pinata credentials: set PINATA_JWT (or PINATA_API_KEY and PINATA_API_SECRET), run `pinion auth login pinata-jwt --stdin` (profile `{}`), or try `pinion --local …`",
                        self.profile_name
                    ))
                    .into());
                }
            };
            builder = builder.credentials(credentials);
            if let Some(url) = self.base_url(
                ServiceName::Pinata,
                "PINATA_BASE_URL",
                self.profile.pinata_base_url.as_ref(),
            ) {
                builder = builder.base_url(url);
            }
            if let Some(url) = env("PINATA_GATEWAY_URL").or(self.profile.gateway_url.clone()) {
                builder = builder.gateway_url(url);
            }
        }
        Ok(self.timeouts(builder))
    }

    /// A Submarine client; `gateway` overrides the configured gateway for links.
    pub fn submarine(&self, gateway: Option<&str>) -> Result<submarine::Client> {
        let mut builder = submarine::Client::builder();
        if let Some(local) = self.local() {
            builder = builder
                .base_url(&local.submarine.base_url)
                .credentials(SubmarineCredentials::new(&local.submarine.api_key))
                .gateway_url(&local.submarine.gateway_url);
        } else {
            let credentials = if let Some(key) = env("PINATA_SUBMARINE_KEY") {
                SubmarineCredentials::new(key)
            } else if let Some(key) = &self.stored()?.submarine_key {
                SubmarineCredentials::new(config::expose(key))
            } else {
                return Err(NoCredentials(format!(
                    "no Submarine credentials: set PINATA_SUBMARINE_KEY, run `pinion auth login submarine-key --stdin` (profile `{}`), or try `pinion --local …`",
                    self.profile_name
                ))
                .into());
            };
            builder = builder.credentials(credentials);
            // --base-url names the Pinata/W3IPFS API; Submarine has its own variable.
            if let Some(url) =
                env("PINATA_SUBMARINE_BASE_URL").or(self.profile.submarine_base_url.clone())
            {
                builder = builder.base_url(url);
            }
            if let Some(url) = env("PINATA_GATEWAY_URL").or(self.profile.gateway_url.clone()) {
                builder = builder.gateway_url(url);
            }
        }
        if let Some(gateway) = gateway {
            builder = builder.gateway_url(gateway);
        }
        Ok(self.timeouts(builder).build()?)
    }

    /// A W3IPFS client.
    pub fn w3ipfs(&self) -> Result<w3ipfs::Client> {
        let mut builder = w3ipfs::Client::builder();
        if let Some(local) = self.local() {
            builder =
                builder
                    .base_url(&local.w3ipfs.base_url)
                    .credentials(W3ipfsCredentials::key_pair(
                        &local.w3ipfs.api_key,
                        &local.w3ipfs.secret_key,
                    ));
        } else {
            let credentials = if let (Some(key), Some(secret)) =
                (env("W3IPFS_API_KEY"), env("W3IPFS_SECRET_KEY"))
            {
                W3ipfsCredentials::key_pair(key, secret)
            } else if let Some(jwt) = env("W3IPFS_JWT") {
                W3ipfsCredentials::jwt(jwt)
            } else {
                let stored = self.stored()?;
                if let (Some(key), Some(secret)) =
                    (&stored.w3ipfs_api_key, &stored.w3ipfs_secret_key)
                {
                    W3ipfsCredentials::key_pair(key, config::expose(secret))
                } else if let Some(jwt) = &stored.w3ipfs_jwt {
                    W3ipfsCredentials::jwt(config::expose(jwt))
                } else {
                    return Err(NoCredentials(format!(
                        "no W3IPFS credentials: set W3IPFS_API_KEY and W3IPFS_SECRET_KEY (or W3IPFS_JWT), run `pinion auth login w3ipfs-key --api-key KEY --stdin` (profile `{}`), or try `pinion --local …`",
                        self.profile_name
                    ))
                    .into());
                }
            };
            builder = builder.credentials(credentials);
            if let Some(url) = self.base_url(
                ServiceName::W3ipfs,
                "W3IPFS_BASE_URL",
                self.profile.w3ipfs_base_url.as_ref(),
            ) {
                builder = builder.base_url(url);
            }
        }
        Ok(self.timeouts(builder).build()?)
    }

    /// A W3IPFS client that may manage keys: key management needs a JWT on W3IPFS,
    /// which `--local` has.
    pub fn w3ipfs_admin(&self) -> Result<w3ipfs::Client> {
        if let Some(local) = self.local() {
            let builder = w3ipfs::Client::builder()
                .base_url(&local.w3ipfs.base_url)
                .credentials(W3ipfsCredentials::jwt(&local.w3ipfs.jwt));
            return Ok(self.timeouts(builder).build()?);
        }
        self.w3ipfs()
    }

    /// A Pinning Service API client: with `--local`, the emulator's Pinata `/psa`;
    /// else the endpoint of `--base-url`, `PSA_BASE_URL` or the profile, with the token
    /// of `--token-stdin`, `PSA_TOKEN` or the profile.
    pub fn psa(&self) -> Result<psa::Client> {
        if self.local().is_some() {
            return Ok(self.pinata()?.psa()?);
        }
        let Some(url) = self.base_url(
            ServiceName::Psa,
            psa::BASE_URL_VAR,
            self.profile.psa_base_url.as_ref(),
        ) else {
            return Err(crate::exit::Usage(
                "no Pinning Service API endpoint: give --base-url URL (such as https://api.pinata.cloud/psa) or set PSA_BASE_URL"
                    .to_owned(),
            )
            .into());
        };
        let token = if self.global.token_stdin {
            crate::secret_input::read(crate::secret_input::Source::Stdin)
                .context("reading the access token (--token-stdin)")?
        } else if let Some(token) = env(psa::TOKEN_VAR) {
            secrecy::SecretString::from(token)
        } else if let Some(token) = &self.stored()?.psa_token {
            token.clone()
        } else {
            return Err(NoCredentials(format!(
                "no Pinning Service API token: set PSA_TOKEN, pipe it with --token-stdin, or run `pinion --service psa --base-url URL auth login psa-token --stdin` (profile `{}`)",
                self.profile_name
            ))
            .into());
        };
        let builder = psa::Client::builder()
            .base_url(url)
            .credentials(psa::PsaCredentials { token });
        Ok(self.timeouts(builder).build()?)
    }

    /// The client of the chosen service.
    pub fn any(&self) -> Result<AnyPinningClient> {
        Ok(match self.service()? {
            ServiceName::Pinata => AnyPinningClient::Pinata(self.pinata()?),
            ServiceName::W3ipfs => AnyPinningClient::W3ipfs(self.w3ipfs()?),
            ServiceName::Psa => AnyPinningClient::Psa(self.psa()?),
        })
    }

    /// Refuses, on a Pinning Service API endpoint, a command the standard does not have.
    pub fn refuse_psa(&self, what: &str) -> Result<()> {
        if self.service()? == ServiceName::Psa {
            return Err(not_in_psa(what));
        }
        Ok(())
    }

    /// Refuses a command that exists on one service only.
    pub fn require(&self, service: ServiceName, what: &str) -> Result<()> {
        let chosen = self.service()?;
        if chosen != service {
            return Err(crate::exit::Usage(format!(
                "{what} is a {} feature; run it with --service {}",
                name(service),
                name(service)
            ))
            .into());
        }
        Ok(())
    }
}

/// The refusal of a command the IPFS Pinning Service API does not have.
pub fn not_in_psa(what: &str) -> anyhow::Error {
    crate::exit::Usage(format!(
        "{what} is not part of the IPFS Pinning Service API: run it with --service pinata or w3ipfs"
    ))
    .into()
}

/// The service's name as the options spell it.
pub fn name(service: ServiceName) -> &'static str {
    match service {
        ServiceName::Pinata => "pinata",
        ServiceName::W3ipfs => "w3ipfs",
        ServiceName::Psa => "psa",
    }
}

fn profile_of(config: &ConfigFile, name: &str, explicit: bool) -> Result<Profile> {
    match config.profiles.get(name) {
        Some(profile) => Ok(profile.clone()),
        None if explicit && !config.profiles.is_empty() => {
            let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
            Err(crate::exit::Usage(format!(
                "no profile `{name}` in the config (known: {}); `pinion auth login --profile {name} …` creates it",
                known.join(", ")
            )))
            .context("choosing the profile")
        }
        None => Ok(Profile::default()),
    }
}
