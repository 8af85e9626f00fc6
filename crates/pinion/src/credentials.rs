//! Credentials for every scheme the services use, held in `secrecy` types.
//!
//! The types themselves come from `pinion-api` (their `Debug` prints `[REDACTED]` and the
//! headers they become are marked sensitive); this module adds checks made before any
//! request and reading them from the environment.

use secrecy::{ExposeSecret, SecretString};

pub use pinion_api::auth::{
    PinataCredentials, PsaCredentials, SubmarineCredentials, W3ipfsCredentials,
};

use crate::Error;
use crate::scopes::Service;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::PinataCredentials {}
    impl Sealed for super::SubmarineCredentials {}
    impl Sealed for super::W3ipfsCredentials {}
    impl Sealed for super::PsaCredentials {}
}

/// Credentials of one service. Implemented by [`PinataCredentials`],
/// [`SubmarineCredentials`], [`W3ipfsCredentials`] and [`PsaCredentials`] only.
pub trait Credentials:
    sealed::Sealed
    + pinion_api::auth::ApplyCredentials
    + Clone
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
    /// The service these credentials are for.
    const SERVICE: Service;

    /// Refuses empty or header-breaking values before any request is sent.
    fn validate(&self) -> Result<(), Error>;

    /// The secret values, so that they can be scrubbed from anything the service
    /// echoes back.
    #[doc(hidden)]
    fn secrets(&self) -> Vec<SecretString>;
}

fn check(what: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            what,
            "is empty: copy the full value from the service's dashboard",
        ));
    }
    if value.trim() != value {
        return Err(Error::invalid_input(
            what,
            "has leading or trailing whitespace: remove the spaces or line break pasted with it",
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid_input(
            what,
            "contains control characters (such as a line break): paste the value again",
        ));
    }
    Ok(())
}

impl Credentials for PinataCredentials {
    const SERVICE: Service = Service::Pinata;

    fn validate(&self) -> Result<(), Error> {
        match self {
            Self::Jwt(jwt) => check("Pinata JWT", jwt.expose_secret()),
            Self::KeyPair {
                api_key,
                api_secret,
            } => {
                check("Pinata API key", api_key)?;
                check("Pinata API secret", api_secret.expose_secret())
            }
        }
    }

    fn secrets(&self) -> Vec<SecretString> {
        match self {
            Self::Jwt(jwt) => vec![jwt.clone()],
            Self::KeyPair { api_secret, .. } => vec![api_secret.clone()],
        }
    }
}

impl Credentials for SubmarineCredentials {
    const SERVICE: Service = Service::Submarine;

    fn validate(&self) -> Result<(), Error> {
        check("Submarine API key", self.api_key.expose_secret())
    }

    fn secrets(&self) -> Vec<SecretString> {
        vec![self.api_key.clone()]
    }
}

impl Credentials for W3ipfsCredentials {
    const SERVICE: Service = Service::W3ipfs;

    fn validate(&self) -> Result<(), Error> {
        match self {
            Self::Jwt(jwt) => check("W3IPFS JWT", jwt.expose_secret()),
            Self::KeyPair {
                api_key,
                secret_key,
            } => {
                check("W3IPFS API key", api_key)?;
                check("W3IPFS secret key", secret_key.expose_secret())
            }
        }
    }

    fn secrets(&self) -> Vec<SecretString> {
        match self {
            Self::Jwt(jwt) => vec![jwt.clone()],
            Self::KeyPair { secret_key, .. } => vec![secret_key.clone()],
        }
    }
}

impl Credentials for PsaCredentials {
    const SERVICE: Service = Service::Psa;

    fn validate(&self) -> Result<(), Error> {
        check(
            "Pinning Service API access token",
            self.token.expose_secret(),
        )
    }

    fn secrets(&self) -> Vec<SecretString> {
        vec![self.token.clone()]
    }
}

/// Reads an environment variable through `lookup`, treating empty values as unset.
pub(crate) fn var(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name).filter(|value| !value.trim().is_empty())
}

/// Pinata credentials from `PINATA_JWT`, or `PINATA_API_KEY` + `PINATA_API_SECRET`.
pub(crate) fn pinata_from(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<PinataCredentials, Error> {
    if let Some(jwt) = var(lookup, "PINATA_JWT") {
        return Ok(PinataCredentials::jwt(jwt));
    }
    pair(
        lookup,
        ("PINATA_API_KEY", "PINATA_API_SECRET"),
        "PINATA_JWT",
        PinataCredentials::key_pair,
    )
}

/// Submarine credentials from `PINATA_SUBMARINE_KEY`.
pub(crate) fn submarine_from(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<SubmarineCredentials, Error> {
    var(lookup, "PINATA_SUBMARINE_KEY")
        .map(SubmarineCredentials::new)
        .ok_or_else(|| {
            Error::invalid_input(
                "environment",
                "PINATA_SUBMARINE_KEY is not set: export the Submarine (private) API key from the Pinata app",
            )
        })
}

/// W3IPFS credentials from `W3IPFS_API_KEY` + `W3IPFS_SECRET_KEY`, or `W3IPFS_JWT`.
pub(crate) fn w3ipfs_from(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<W3ipfsCredentials, Error> {
    let key = var(lookup, "W3IPFS_API_KEY");
    let secret = var(lookup, "W3IPFS_SECRET_KEY");
    if key.is_none()
        && secret.is_none()
        && let Some(jwt) = var(lookup, "W3IPFS_JWT")
    {
        return Ok(W3ipfsCredentials::jwt(jwt));
    }
    pair(
        lookup,
        ("W3IPFS_API_KEY", "W3IPFS_SECRET_KEY"),
        "W3IPFS_JWT",
        W3ipfsCredentials::key_pair,
    )
}

fn pair<C>(
    lookup: &dyn Fn(&str) -> Option<String>,
    (key_name, secret_name): (&str, &str),
    alternative: &str,
    make: fn(String, String) -> C,
) -> Result<C, Error> {
    match (var(lookup, key_name), var(lookup, secret_name)) {
        (Some(key), Some(secret)) => Ok(make(key, secret)),
        (Some(_), None) => Err(Error::invalid_input(
            "environment",
            format!("{key_name} is set but {secret_name} is not: set both, or {alternative}"),
        )),
        (None, Some(_)) => Err(Error::invalid_input(
            "environment",
            format!("{secret_name} is set but {key_name} is not: set both, or {alternative}"),
        )),
        (None, None) => Err(Error::invalid_input(
            "environment",
            format!("no credentials found: set {alternative}, or {key_name} and {secret_name}"),
        )),
    }
}

/// Replaces every occurrence of the secrets in `text` with `[REDACTED]`.
pub(crate) fn redact(secrets: &[SecretString], mut text: String) -> String {
    for secret in secrets {
        let secret = secret.expose_secret();
        if secret.len() >= 4 && text.contains(secret) {
            text = text.replace(secret, "[REDACTED]");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn pinata_prefers_the_jwt_and_needs_both_halves_of_a_pair() {
        let creds = pinata_from(&env(&[("PINATA_JWT", "j.w.t"), ("PINATA_API_KEY", "k")])).unwrap();
        assert!(matches!(creds, PinataCredentials::Jwt(_)));
        let creds =
            pinata_from(&env(&[("PINATA_API_KEY", "k"), ("PINATA_API_SECRET", "s")])).unwrap();
        assert!(matches!(creds, PinataCredentials::KeyPair { .. }));
        let error = pinata_from(&env(&[("PINATA_API_KEY", "k")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "invalid environment: PINATA_API_KEY is set but PINATA_API_SECRET is not: set both, or PINATA_JWT"
        );
        let error = pinata_from(&env(&[("PINATA_JWT", "  ")]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no credentials found: set PINATA_JWT"),
            "{error}"
        );
    }

    #[test]
    fn submarine_and_w3ipfs_from_the_environment() {
        assert!(submarine_from(&env(&[("PINATA_SUBMARINE_KEY", "abc")])).is_ok());
        assert!(
            submarine_from(&env(&[]))
                .unwrap_err()
                .to_string()
                .contains("PINATA_SUBMARINE_KEY is not set")
        );
        let pair = w3ipfs_from(&env(&[
            ("W3IPFS_API_KEY", "k"),
            ("W3IPFS_SECRET_KEY", "s"),
            ("W3IPFS_JWT", "j"),
        ]))
        .unwrap();
        assert!(matches!(pair, W3ipfsCredentials::KeyPair { .. }));
        let jwt = w3ipfs_from(&env(&[("W3IPFS_JWT", "j")])).unwrap();
        assert!(matches!(jwt, W3ipfsCredentials::Jwt(_)));
        assert!(
            w3ipfs_from(&env(&[("W3IPFS_SECRET_KEY", "s")]))
                .unwrap_err()
                .to_string()
                .contains("W3IPFS_SECRET_KEY is set but W3IPFS_API_KEY is not")
        );
    }

    #[test]
    fn bad_values_are_refused_without_showing_them() {
        let secret = "very-secret-value";
        for creds in [
            PinataCredentials::jwt(format!("{secret}\n")),
            PinataCredentials::key_pair("key", format!(" {secret}")),
            PinataCredentials::jwt(""),
        ] {
            let error = creds.validate().unwrap_err().to_string();
            assert!(!error.contains(secret), "{error}");
            assert!(error.starts_with("invalid Pinata"), "{error}");
        }
        assert!(SubmarineCredentials::new("ok-key").validate().is_ok());
        assert!(W3ipfsCredentials::key_pair("k", "").validate().is_err());
    }

    #[test]
    fn redaction_scrubs_every_secret() {
        let secrets = PinataCredentials::jwt("eyJ.secret.sig").secrets();
        assert_eq!(
            redact(&secrets, "bad token eyJ.secret.sig here".into()),
            "bad token [REDACTED] here"
        );
    }
}
