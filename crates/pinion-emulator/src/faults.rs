//! Fault injection for clients' retry tests: a fraction of requests answered with 429,
//! 500 or 503, added latency, connections dropped in the middle of a response body, and
//! connections cut while the client is still sending a request body ([`crate::cuts`]).

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
/// not exceed 1. Request cuts (`cut_request_rate`, `cut_requests`) apply to requests on
/// the plain HTTP port whose declared body is at least [`MIN_CUT_BODY`] bytes.
///
/// [`MIN_CUT_BODY`]: Faults::MIN_CUT_BODY
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
    /// Fraction of requests with a body of at least [`MIN_CUT_BODY`] bytes whose
    /// connection is cut (reset) after a random part of the body was received, as a
    /// network cut mid-upload looks to a client: no answer, the connection dies while
    /// it is still sending. What arrived before the cut is kept by TUS uploads.
    ///
    /// [`MIN_CUT_BODY`]: Faults::MIN_CUT_BODY
    pub cut_request_rate: f64,
    /// The next this many requests with a body of at least [`MIN_CUT_BODY`] bytes are
    /// cut like [`cut_request_rate`](Self::cut_request_rate)'s, each after a random
    /// part of its body; decremented as they are used (reading the faults back shows
    /// how many remain), for tests that need an exact number of cuts.
    ///
    /// [`MIN_CUT_BODY`]: Faults::MIN_CUT_BODY
    pub cut_requests: u32,
}

impl Faults {
    /// The longest latency that can be injected: beyond it every request would hang.
    pub const MAX_LATENCY: Duration = Duration::from_secs(600);

    /// The smallest declared request body that can be cut (64 KiB): smaller requests
    /// (JSON calls, HEADs) always go through.
    pub const MIN_CUT_BODY: u64 = 64 * 1024;

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
            ("cut_request_rate", self.cut_request_rate),
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
            || self.cut_request_rate > 0.0
            || self.cut_requests > 0
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

    /// Uses up one of the pending [`cut_requests`](Self::cut_requests): whether there
    /// was one.
    pub(crate) fn take_counted_cut(&mut self) -> bool {
        let pending = self.cut_requests > 0;
        if pending {
            self.cut_requests -= 1;
        }
        pending
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

    #[test]
    fn cut_fields_are_validated_and_parsed() {
        let faults: Faults =
            serde_json::from_str(r#"{"cut_request_rate": 0.25, "cut_requests": 5}"#).unwrap();
        assert_eq!(faults.cut_request_rate, 0.25);
        assert_eq!(faults.cut_requests, 5);
        assert!(faults.validate().is_ok());
        assert!(faults.is_active());
        for rate in [-0.5, 1.5, f64::NAN] {
            let bad = Faults {
                cut_request_rate: rate,
                ..Faults::default()
            };
            assert!(bad.validate().unwrap_err().contains("cut_request_rate"));
        }
        assert!(serde_json::from_str::<Faults>(r#"{"cut_requests": -1}"#).is_err());
        assert!(
            Faults {
                cut_requests: 1,
                ..Faults::default()
            }
            .is_active()
        );
    }

    #[test]
    fn counted_cuts_are_used_up_one_by_one() {
        let mut faults = Faults {
            cut_requests: 2,
            ..Faults::default()
        };
        assert!(faults.take_counted_cut());
        assert!(faults.take_counted_cut());
        assert_eq!(faults.cut_requests, 0);
        assert!(!faults.take_counted_cut());
    }
}
