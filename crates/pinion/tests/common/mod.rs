//! Shared by the library's integration tests.

use pinion::RateLimit;
use pinion::credentials::PinataCredentials;
use pinion_emulator::AdminCredentials;

/// A Pinata client of the emulator `c`, authenticated with `jwt`. Without the
/// client-side plan limiter: it would only add waiting (the emulator enforces no plan
/// unless a test asks it to).
pub fn pinata_client(c: &AdminCredentials, jwt: &str) -> pinion::pinata::Client {
    pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(jwt))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap()
}
