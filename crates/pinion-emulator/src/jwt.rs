//! The JWTs the emulator signs: Pinata API keys, W3IPFS access tokens and Submarine
//! content access tokens. All HS256 with the state's secret; expiry is checked against
//! the emulator's own clock so tests can advance it.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Signs `claims`.
pub(crate) fn sign(secret: &[u8], claims: &impl Serialize) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("HS256 signing of serializable claims cannot fail")
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JwtError {
    /// Not three dot-separated segments.
    Malformed,
    /// A bad signature or claims that do not decode.
    Invalid,
}

/// Verifies `token`'s signature and decodes its claims. Expiry is the caller's to
/// check (against the emulator's clock).
pub(crate) fn verify<T: DeserializeOwned>(secret: &[u8], token: &str) -> Result<T, JwtError> {
    if token.split('.').count() != 3 {
        return Err(JwtError::Malformed);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<T>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
        .map_err(|_| JwtError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Claims {
        sub: String,
    }

    #[test]
    fn signed_tokens_verify_only_with_their_secret() {
        let token = sign(b"one", &Claims { sub: "x".into() });
        assert_eq!(verify::<Claims>(b"one", &token).unwrap().sub, "x");
        assert_eq!(verify::<Claims>(b"two", &token), Err(JwtError::Invalid));
        assert_eq!(verify::<Claims>(b"one", "abc"), Err(JwtError::Malformed));
    }
}
