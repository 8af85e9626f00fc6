//! **Not a stable API**: hooks for the fuzz targets in `fuzz/` (see `fuzz/README.md`).

use http::{HeaderMap, StatusCode};
use secrecy::SecretString;

use crate::Error;
use crate::scopes::{Capability, Service};

/// What the clients do with a non-2xx answer: read the body whatever its shape and
/// turn it into an [`Error`], with every one of `secrets` redacted.
pub fn error_from_answer(
    service: Service,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    needed: Option<Capability>,
    secrets: &[&str],
) -> Error {
    let secrets: Vec<SecretString> = secrets.iter().map(|s| (*s).into()).collect();
    crate::error::from_answer(service, status, headers, body, needed, &|text| {
        crate::credentials::redact(&secrets, text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_from_answers_keep_the_reason_and_hide_secrets() {
        let error = error_from_answer(
            Service::Pinata,
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            br#"{"error":{"reason":"KEY_USED","details":"key s3cr3t-jwt used up"}}"#,
            None,
            &["s3cr3t-jwt"],
        );
        let text = error.to_string();
        assert!(text.contains("KEY_USED"), "{text}");
        assert!(!text.contains("s3cr3t-jwt"), "{text}");
        assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    }
}
