//! Random key material in each service's real format.

use base64::Engine;
use rand::RngExt;

/// `n` random bytes.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill(&mut bytes[..]);
    bytes
}

/// `chars` lowercase hex characters (Pinata keys: 20, secrets: 64).
pub(crate) fn hex_string(chars: usize) -> String {
    let mut out = hex::encode(random_bytes::<64>());
    out.truncate(chars);
    out
}

/// Standard base64 of `N` random bytes (W3IPFS keys: 16 bytes, secrets: 32).
pub(crate) fn base64_of<const N: usize>() -> String {
    base64::engine::general_purpose::STANDARD.encode(random_bytes::<N>())
}

/// A random UUID v4 string.
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A UUID v7 string for something created at `now` (the emulator's clock, so ids sort
/// like creation times even when tests move the clock): Pinata's v3 file and group ids.
pub(crate) fn uuid_v7(now: chrono::DateTime<chrono::Utc>) -> String {
    let seconds = u64::try_from(now.timestamp()).unwrap_or_default();
    let timestamp =
        uuid::Timestamp::from_unix(uuid::NoContext, seconds, now.timestamp_subsec_nanos());
    uuid::Uuid::new_v7(timestamp).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_services() {
        let key = hex_string(20);
        assert_eq!(key.len(), 20);
        assert!(
            key.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(hex_string(64).len(), 64);
        assert_eq!(base64_of::<16>().len(), 24);
        assert_eq!(base64_of::<32>().len(), 44);
        assert_ne!(hex_string(64), hex_string(64));
    }
}
