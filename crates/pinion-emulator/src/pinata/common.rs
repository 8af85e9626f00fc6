//! What every Pinata handler shares: body parsing and error answers in Pinata's shape.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Reason;
use crate::EmulatorError;

/// 500 for a failure of the emulator's own storage.
pub(crate) fn internal(error: EmulatorError) -> Response {
    Reason::InternalServerError.error(error.to_string())
}

/// Parses a JSON body, answering 400 `INVALID_REQUEST` with serde's reason.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|error| {
        Reason::InvalidRequest.error(format!("the body is not a valid {what}: {error}"))
    })
}

/// A JSON 200.
pub(crate) fn ok_json(value: &impl Serialize) -> Response {
    Json(value).into_response()
}

/// Parses a timestamp as Pinata accepts it: RFC 3339 or `2018-01-01 00:00:00.000+00`.
pub(crate) fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%#z"] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time.with_timezone(&Utc));
        }
    }
    if let Ok(time) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f") {
        return Some(time.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_accepted_form() {
        for text in [
            "2018-01-01T00:00:00Z",
            "2018-01-01T00:00:00.000+00:00",
            "2018-01-01 00:00:00.000+00",
            "2018-01-01 00:00:00",
            "2018-01-01",
        ] {
            assert_eq!(
                parse_time(text).map(|t| t.timestamp()),
                Some(1_514_764_800),
                "{text}"
            );
        }
        assert_eq!(parse_time("yesterday"), None);
    }
}
