//! The Pinning Service API clients of Pinata (`/psa`) and W3IPFS (`/api/psa/`), built
//! from those services' own clients.

use super::Client;
use crate::Error;
use crate::credentials::{PinataCredentials, W3ipfsCredentials};
use crate::{pinata, w3ipfs};

impl pinata::Client {
    /// A client of Pinata's Pinning Service API (`<base URL>/psa`), authenticated with
    /// this client's JWT (the key's JWT: same permissions, revoked with the key), sharing
    /// its HTTP client, timeouts, retries and rate-limit budget. Pinata's PSA takes
    /// only the JWT: a client built from an API key and secret is refused.
    pub fn psa(&self) -> Result<Client, Error> {
        let connection = self.connection();
        match &connection.credentials {
            PinataCredentials::Jwt(jwt) => super::beside(connection, "/psa", jwt.clone()),
            PinataCredentials::KeyPair { .. } => Err(Error::invalid_input(
                "Pinata credentials",
                "Pinata's Pinning Service API takes only the key's JWT (Authorization: Bearer), not an API key and secret: give the JWT shown when the key was created (PINATA_JWT)",
            )),
        }
    }
}

impl w3ipfs::Client {
    /// A client of W3IPFS's Pinning Service API (`<base URL>/psa`), authenticated with
    /// this client's login JWT, sharing its HTTP client, timeouts, retries and
    /// rate-limit budget. W3IPFS's PSA takes only the login JWT: a client built from
    /// an API key pair is refused.
    pub fn psa(&self) -> Result<Client, Error> {
        let connection = self.connection();
        match &connection.credentials {
            W3ipfsCredentials::Jwt(jwt) => super::beside(connection, "/psa", jwt.clone()),
            W3ipfsCredentials::KeyPair { .. } => Err(Error::invalid_input(
                "W3IPFS credentials",
                "W3IPFS's Pinning Service API takes only the login JWT (W3IPFS_JWT), not an API key pair: give the JWT of a W3IPFS session",
            )),
        }
    }
}
