//! Newly created API keys: their secrets are shown once by the services and kept here in
//! `secrecy` types, with redacted `Debug`.

use std::fmt;

use secrecy::SecretString;

use crate::credentials::{PinataCredentials, W3ipfsCredentials};

/// A Pinata key just created (`generateApiKey` or `createKeyV3`). The secret and JWT are
/// shown only in this answer: store them now.
///
/// ```
/// use pinion::keys::PinataKey;
/// let key = PinataKey::new("4c4c1f0a9e2b7d3f5a61", "the-secret", "the.jwt.value");
/// assert!(!format!("{key:?}").contains("the-secret"));
/// assert_eq!(key.api_key(), "4c4c1f0a9e2b7d3f5a61");
/// ```
#[derive(Clone)]
pub struct PinataKey {
    api_key: String,
    api_secret: SecretString,
    jwt: SecretString,
}

impl PinataKey {
    /// A key from its three parts.
    pub fn new(
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
        jwt: impl Into<String>,
    ) -> Self {
        Self {
            api_key: api_key.into(),
            api_secret: SecretString::from(api_secret.into()),
            jwt: SecretString::from(jwt.into()),
        }
    }

    /// The public key (`pinata_api_key`), which also names the key when revoking it.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The secret (`pinata_secret_api_key`).
    pub fn api_secret(&self) -> &SecretString {
        &self.api_secret
    }

    /// The JWT (`Authorization: Bearer`).
    pub fn jwt(&self) -> &SecretString {
        &self.jwt
    }

    /// Credentials that authenticate with this key's JWT.
    pub fn jwt_credentials(&self) -> PinataCredentials {
        PinataCredentials::Jwt(self.jwt.clone())
    }

    /// Credentials that authenticate with the key pair.
    pub fn key_pair_credentials(&self) -> PinataCredentials {
        PinataCredentials::KeyPair {
            api_key: self.api_key.clone(),
            api_secret: self.api_secret.clone(),
        }
    }
}

impl fmt::Debug for PinataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinataKey")
            .field("api_key", &self.api_key)
            .field("api_secret", &"[REDACTED]")
            .field("jwt", &"[REDACTED]")
            .finish()
    }
}

impl From<pinion_api::pinata::types::GeneratedApiKey> for PinataKey {
    fn from(key: pinion_api::pinata::types::GeneratedApiKey) -> Self {
        Self::new(key.pinata_api_key, key.pinata_api_secret, key.jwt)
    }
}

/// A W3IPFS key pair just created (`createApiKey`). The secret is shown only in this
/// answer: store it now.
///
/// ```
/// use pinion::keys::W3ipfsKey;
/// let key = W3ipfsKey::new("uploader", "a9hXr7Hr36NGtrSqyrrI2Q==", "the-secret");
/// assert!(!format!("{key:?}").contains("the-secret"));
/// ```
#[derive(Clone)]
pub struct W3ipfsKey {
    name: String,
    api_key: String,
    secret_key: SecretString,
}

impl W3ipfsKey {
    /// A key pair from its parts.
    pub fn new(
        name: impl Into<String>,
        api_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            api_key: api_key.into(),
            secret_key: SecretString::from(secret_key.into()),
        }
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The public half (`pinning_api_key`).
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The secret half (`pinning_secret_key`).
    pub fn secret_key(&self) -> &SecretString {
        &self.secret_key
    }

    /// Credentials that authenticate with this key pair.
    pub fn credentials(&self) -> W3ipfsCredentials {
        W3ipfsCredentials::KeyPair {
            api_key: self.api_key.clone(),
            secret_key: self.secret_key.clone(),
        }
    }
}

impl fmt::Debug for W3ipfsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("W3ipfsKey")
            .field("name", &self.name)
            .field("api_key", &self.api_key)
            .field("secret_key", &"[REDACTED]")
            .finish()
    }
}

impl From<pinion_api::w3ipfs::types::CreatedApiKey> for W3ipfsKey {
    fn from(key: pinion_api::w3ipfs::types::CreatedApiKey) -> Self {
        Self::new(key.name, key.api_key, key.secret_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn keys_give_working_credentials_and_hide_their_secrets() {
        let key = PinataKey::new("pub", "sec-ret-1", "j.w.t-2");
        let debug = format!(
            "{key:?} {:?} {:?}",
            key.jwt_credentials(),
            key.key_pair_credentials()
        );
        assert!(
            !debug.contains("sec-ret-1") && !debug.contains("j.w.t-2"),
            "{debug}"
        );
        assert_eq!(key.jwt().expose_secret(), "j.w.t-2");
        assert!(
            matches!(key.key_pair_credentials(), PinataCredentials::KeyPair { api_key, .. } if api_key == "pub")
        );

        let key = W3ipfsKey::new("n", "k", "sec-ret-3");
        assert!(!format!("{key:?} {:?}", key.credentials()).contains("sec-ret-3"));
        assert_eq!(key.secret_key().expose_secret(), "sec-ret-3");
    }
}
