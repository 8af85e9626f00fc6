//! Fault injection for clients' retry tests: a fraction of requests answered with 429,
//! 500 or 503, added latency, and connections dropped in the middle of a response body.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::service::{Refusal, ServiceKind};

/// Which faults to inject, switchable at start-up ([`EmulatorBuilder::faults`]) and at
/// run time ([`RunningEmulator::set_faults`] or `PUT /_emulator/faults` with this
/// struct as JSON, `latency` given as `latency_ms`).
///
/// Rates are fractions of requests in `0.0..=1.0`; the three error rates together must
/// not exceed 1.
///
/// [`EmulatorBuilder::faults`]: crate::EmulatorBuilder::faults
/// [`RunningEmulator::set_faults`]: crate::RunningEmulator::set_faults
///
/// ```
/// use pinion_emulator::Faults;
/// let flaky = Faults { error_rate_503: 0.5, ..Faults::default() };
/// assert!(flaky.validate().is_ok());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Fraction answered `429 Too Many Requests` with `Retry-After: 1`.
    pub error_rate_429: f64,
    /// Fraction answered `500 Internal Server Error`.
    pub error_rate_500: f64,
    /// Fraction answered `503 Service Unavailable`.
    pub error_rate_503: f64,
    /// Added before every answer.
    #[serde(rename = "latency_ms", with = "millis")]
    pub latency: Duration,
    /// Fraction of answers whose connection is closed half-way through the body.
    pub drop_connection_rate: f64,
}

impl Faults {
    /// The longest latency that can be injected: beyond it every request would hang.
    pub const MAX_LATENCY: Duration = Duration::from_secs(600);

    /// Refuses rates outside `0..=1`, error rates adding up to more than 1, and a
    /// latency over [`MAX_LATENCY`](Self::MAX_LATENCY).
    pub fn validate(&self) -> Result<(), String> {
        if self.latency > Self::MAX_LATENCY {
            return Err(format!(
                "latency_ms must be at most {} (10 minutes), not {}",
                Self::MAX_LATENCY.as_millis(),
                self.latency.as_millis()
            ));
        }
        for (name, rate) in [
            ("error_rate_429", self.error_rate_429),
            ("error_rate_500", self.error_rate_500),
            ("error_rate_503", self.error_rate_503),
            ("drop_connection_rate", self.drop_connection_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, not {rate}"));
            }
        }
        let errors = self.error_rate_429 + self.error_rate_500 + self.error_rate_503;
        if errors > 1.0 + f64::EPSILON {
            return Err(format!(
                "error_rate_429 + error_rate_500 + error_rate_503 must not exceed 1, not {errors}"
            ));
        }
        Ok(())
    }

    /// Whether any fault is switched on.
    pub fn is_active(&self) -> bool {
        self.error_rate_429 > 0.0
            || self.error_rate_500 > 0.0
            || self.error_rate_503 > 0.0
            || self.drop_connection_rate > 0.0
            || !self.latency.is_zero()
    }

    /// The error to answer instead of the real one, for a uniform draw in `0..1`.
    pub(crate) fn injected_error(&self, draw: f64, service: ServiceKind) -> Option<Response> {
        let mut threshold = self.error_rate_429;
        if draw < threshold {
            let mut response = service.refuse(
                Refusal::RateLimited,
                "Too many requests (injected by the emulator)",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return Some(response);
        }
        threshold += self.error_rate_500;
        if draw < threshold {
            return Some(service.refuse(
                Refusal::Internal,
                "Internal server error (injected by the emulator)",
            ));
        }
        threshold += self.error_rate_503;
        if draw < threshold {
            return Some(service.refuse(
                Refusal::Unavailable,
                "Service unavailable (injected by the emulator)",
            ));
        }
        None
    }
}

/// Sends the first half of `response`'s body, then fails the stream so the server
/// closes the connection before the declared `Content-Length` is reached.
pub(crate) async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len().max(1)),
    );
    let stream = futures::stream::iter([
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by the emulator's fault injection",
        )),
    ]);
    Response::from_parts(parts, Body::from_stream(stream))
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(value: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(value.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_validated() {
        assert!(Faults::default().validate().is_ok());
        let too_much = Faults {
            error_rate_500: 0.7,
            error_rate_503: 0.7,
            ..Faults::default()
        };
        assert!(
            too_much
                .validate()
                .unwrap_err()
                .contains("must not exceed 1")
        );
        let negative = Faults {
            drop_connection_rate: -0.1,
            ..Faults::default()
        };
        assert!(
            negative
                .validate()
                .unwrap_err()
                .contains("drop_connection_rate")
        );
    }

    #[test]
    fn draws_pick_the_configured_error() {
        let faults = Faults {
            error_rate_429: 0.25,
            error_rate_500: 0.25,
            error_rate_503: 0.25,
            ..Faults::default()
        };
        let status = |draw| {
            faults
                .injected_error(draw, ServiceKind::Pinata)
                .map(|response| response.status().as_u16())
        };
        assert_eq!(status(0.1), Some(429));
        assert_eq!(status(0.3), Some(500));
        assert_eq!(status(0.6), Some(503));
        assert_eq!(status(0.9), None);
    }

    #[test]
    fn json_uses_latency_ms() {
        let faults: Faults = serde_json::from_str(r#"{"latency_ms": 250}"#).unwrap();
        assert_eq!(faults.latency, Duration::from_millis(250));
        assert!(serde_json::from_str::<Faults>(r#"{"latency": 1}"#).is_err());
    }
}
