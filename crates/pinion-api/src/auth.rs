//! Credentials for every way the services authenticate, and the headers they become.
//!
//! Secrets are held in [`SecretString`]: `Debug` prints `[REDACTED]`, and the header
//! values built from them are marked sensitive so reqwest never shows them either.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

/// A credential could not be turned into an HTTP header (it holds characters headers
/// cannot carry, such as a line break). The secret itself is never part of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCredential {
    /// Which credential was malformed, e.g. "Pinata JWT".
    pub what: &'static str,
}

impl std::fmt::Display for InvalidCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} contains characters that cannot be sent in an HTTP header \
             (check for stray spaces, quotes or line breaks where it was pasted)",
            self.what
        )
    }
}

impl std::error::Error for InvalidCredential {}

/// Credentials that know which headers they travel in.
pub trait ApplyCredentials {
    /// Sets this credential's headers on a request, marked sensitive.
    fn apply(&self, headers: &mut HeaderMap) -> Result<(), InvalidCredential>;
}

/// How to authenticate against `api.pinata.cloud`.
///
/// ```
/// use pinion_api::auth::PinataCredentials;
/// let creds = PinataCredentials::key_pair("0123456789abcdef0123", "a-secret");
/// assert!(!format!("{creds:?}").contains("a-secret"));
/// ```
#[derive(Clone, Debug)]
pub enum PinataCredentials {
    /// `Authorization: Bearer <JWT>`: the JWT shown once when a key is created.
    Jwt(SecretString),
    /// The `pinata_api_key` and `pinata_secret_api_key` header pair.
    KeyPair {
        /// The public API key (20 hex characters).
        api_key: String,
        /// The API secret (64 hex characters).
        api_secret: SecretString,
    },
}

impl PinataCredentials {
    /// Bearer authentication with a key's JWT.
    pub fn jwt(jwt: impl Into<String>) -> Self {
        Self::Jwt(SecretString::from(jwt.into()))
    }

    /// Authentication with an API key and its secret.
    pub fn key_pair(api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        Self::KeyPair {
            api_key: api_key.into(),
            api_secret: SecretString::from(api_secret.into()),
        }
    }
}

impl ApplyCredentials for PinataCredentials {
    fn apply(&self, headers: &mut HeaderMap) -> Result<(), InvalidCredential> {
        match self {
            Self::Jwt(jwt) => bearer(headers, jwt, "Pinata JWT"),
            Self::KeyPair {
                api_key,
                api_secret,
            } => {
                set(headers, "pinata_api_key", api_key, "Pinata API key")?;
                set(
                    headers,
                    "pinata_secret_api_key",
                    api_secret.expose_secret(),
                    "Pinata API secret",
                )
            }
        }
    }
}

/// How to authenticate against the Submarine API (`managed.mypinata.cloud`):
/// the private ("Submarine") API key in the `x-api-key` header.
#[derive(Clone, Debug)]
pub struct SubmarineCredentials {
    /// The Submarine / private API key.
    pub api_key: SecretString,
}

impl SubmarineCredentials {
    /// Authentication with a Submarine (private) API key.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: SecretString::from(api_key.into()),
        }
    }
}

impl ApplyCredentials for SubmarineCredentials {
    fn apply(&self, headers: &mut HeaderMap) -> Result<(), InvalidCredential> {
        set(
            headers,
            "x-api-key",
            self.api_key.expose_secret(),
            "Submarine API key",
        )
    }
}

/// How to authenticate against the W3IPFS API.
#[derive(Clone, Debug)]
pub enum W3ipfsCredentials {
    /// The `pinning_api_key` and `pinning_secret_key` header pair.
    KeyPair {
        /// The API key (base64 of 16 bytes).
        api_key: String,
        /// The secret key (base64 of 32 bytes).
        secret_key: SecretString,
    },
    /// `Authorization: Bearer <JWT>`: a user session token (needed for key management
    /// and `/users/*`, accepted everywhere).
    Jwt(SecretString),
}

impl W3ipfsCredentials {
    /// Authentication with an API key and its secret.
    pub fn key_pair(api_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::KeyPair {
            api_key: api_key.into(),
            secret_key: SecretString::from(secret_key.into()),
        }
    }

    /// Bearer authentication with a session JWT.
    pub fn jwt(jwt: impl Into<String>) -> Self {
        Self::Jwt(SecretString::from(jwt.into()))
    }
}

impl ApplyCredentials for W3ipfsCredentials {
    fn apply(&self, headers: &mut HeaderMap) -> Result<(), InvalidCredential> {
        match self {
            Self::KeyPair {
                api_key,
                secret_key,
            } => {
                set(headers, "pinning_api_key", api_key, "W3IPFS API key")?;
                set(
                    headers,
                    "pinning_secret_key",
                    secret_key.expose_secret(),
                    "W3IPFS secret key",
                )
            }
            Self::Jwt(jwt) => bearer(headers, jwt, "W3IPFS JWT"),
        }
    }
}

/// How to authenticate against an IPFS Pinning Service API endpoint: the access token as
/// `Authorization: Bearer <token>` (Pinata: the API key's JWT; W3IPFS: the login JWT).
///
/// ```
/// use pinion_api::auth::PsaCredentials;
/// let creds = PsaCredentials::new("a-token");
/// assert!(!format!("{creds:?}").contains("a-token"));
/// ```
#[derive(Clone, Debug)]
pub struct PsaCredentials {
    /// The access token.
    pub token: SecretString,
}

impl PsaCredentials {
    /// Bearer authentication with a PSA access token.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: SecretString::from(token.into()),
        }
    }
}

impl ApplyCredentials for PsaCredentials {
    fn apply(&self, headers: &mut HeaderMap) -> Result<(), InvalidCredential> {
        bearer(headers, &self.token, "PSA access token")
    }
}

fn bearer(
    headers: &mut HeaderMap,
    token: &SecretString,
    what: &'static str,
) -> Result<(), InvalidCredential> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
        .map_err(|_| InvalidCredential { what })?;
    value.set_sensitive(true);
    headers.insert(AUTHORIZATION, value);
    Ok(())
}

fn set(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &str,
    what: &'static str,
) -> Result<(), InvalidCredential> {
    let mut value = HeaderValue::try_from(value).map_err(|_| InvalidCredential { what })?;
    value.set_sensitive(true);
    headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A credential and the (header, value) pairs it must produce.
    type Case = (Box<dyn ApplyCredentials>, Vec<(&'static str, &'static str)>);

    #[test]
    fn each_scheme_sets_its_headers_marked_sensitive() {
        let cases: Vec<Case> = vec![
            (
                Box::new(PinataCredentials::jwt("JWT-1")),
                vec![("authorization", "Bearer JWT-1")],
            ),
            (
                Box::new(PinataCredentials::key_pair("KEY-2", "SECRET-2")),
                vec![
                    ("pinata_api_key", "KEY-2"),
                    ("pinata_secret_api_key", "SECRET-2"),
                ],
            ),
            (
                Box::new(SubmarineCredentials::new("SUB-3")),
                vec![("x-api-key", "SUB-3")],
            ),
            (
                Box::new(W3ipfsCredentials::key_pair("KEY-4", "SECRET-4")),
                vec![
                    ("pinning_api_key", "KEY-4"),
                    ("pinning_secret_key", "SECRET-4"),
                ],
            ),
            (
                Box::new(W3ipfsCredentials::jwt("JWT-5")),
                vec![("authorization", "Bearer JWT-5")],
            ),
            (
                Box::new(PsaCredentials::new("TOKEN-6")),
                vec![("authorization", "Bearer TOKEN-6")],
            ),
        ];
        for (credentials, expected) in cases {
            let mut headers = HeaderMap::new();
            credentials.apply(&mut headers).unwrap();
            assert_eq!(headers.len(), expected.len());
            let debug = format!("{headers:?}");
            for (name, value) in expected {
                let header = &headers[name];
                assert_eq!(header.to_str().unwrap(), value);
                assert!(header.is_sensitive(), "{name} must be marked sensitive");
                assert!(!debug.contains(value), "{value} shows in {debug}");
            }
        }
    }

    #[test]
    fn debug_and_errors_never_show_secrets() {
        let secret = "s3cr3t-value-that-must-not-leak";
        let all = [
            format!("{:?}", PinataCredentials::jwt(secret)),
            format!("{:?}", PinataCredentials::key_pair("key", secret)),
            format!("{:?}", SubmarineCredentials::new(secret)),
            format!("{:?}", W3ipfsCredentials::key_pair("key", secret)),
            format!("{:?}", W3ipfsCredentials::jwt(secret)),
            format!("{:?}", PsaCredentials::new(secret)),
        ];
        for text in all {
            assert!(!text.contains(secret), "leaked in {text}");
            assert!(text.contains("REDACTED"), "{text}");
        }
        let broken = format!("{secret}\n");
        let error = PinataCredentials::jwt(broken)
            .apply(&mut HeaderMap::new())
            .unwrap_err();
        assert_eq!(error.what, "Pinata JWT");
        assert!(!error.to_string().contains(secret));
    }
}
