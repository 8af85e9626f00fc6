//! Reading answers: the JSON of a hand-written operation, and error bodies whatever
//! their shape.

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, StatusCode};

use super::Engine;
use crate::error::{self, Error, TimeoutPhase};
use crate::operations::Operation;
use crate::scopes::Service;

/// The largest error body kept in memory.
pub(super) const MAX_ERROR_BODY: usize = 256 * 1024;

/// The largest success answer read: far above any answer of these APIs (a full page
/// of a listing is about a megabyte), far below what would exhaust memory.
pub(super) const MAX_ANSWER_BODY: usize = 64 * 1024 * 1024;

/// Why a success answer larger than [`MAX_ANSWER_BODY`] was not read.
pub(super) fn too_large(service: Service, status: StatusCode) -> Error {
    Error::Decode {
        service,
        status,
        why: format!(
            "the answer is larger than {} MiB, far more than any answer of this API; pinion stopped reading it",
            MAX_ANSWER_BODY / (1024 * 1024)
        ),
    }
}

impl Engine {
    /// Reads an answer of a hand-written operation: its JSON body on success (any 2xx),
    /// an [`Error`] otherwise.
    pub(crate) async fn read_answer<T: serde::de::DeserializeOwned>(
        &self,
        operation: Operation,
        response: reqwest::Response,
    ) -> Result<T, Error> {
        let status = response.status();
        let headers = response.headers().clone();
        // Uploads are sent without a total timeout, so the answer's body gets one of
        // its own: a trickling answer must not hold the caller forever.
        let limit = self.timeouts.request;
        let body = tokio::time::timeout(limit, self.read_body(response, status))
            .await
            .map_err(|_| Error::Timeout {
                service: self.service,
                phase: TimeoutPhase::Request,
                after: limit,
            })??;
        if !status.is_success() {
            return Err(self.error_answer(&operation, status, &headers, &body));
        }
        serde_json::from_slice(&body).map_err(|error| Error::Decode {
            service: self.service,
            status,
            why: error.to_string(),
        })
    }

    /// Reads the body of an answer with `status`: a success answer whole (failing
    /// beyond [`MAX_ANSWER_BODY`]), an error answer up to [`MAX_ERROR_BODY`] (the rest
    /// is not read).
    pub(super) async fn read_body(
        &self,
        response: reqwest::Response,
        status: StatusCode,
    ) -> Result<Bytes, Error> {
        let mut stream = response.bytes_stream();
        let mut body = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| error::from_reqwest(self.service, e, &self.timeouts))?;
            if !status.is_success() {
                let room = MAX_ERROR_BODY - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if body.len() == MAX_ERROR_BODY {
                    break;
                }
            } else if body.len() + chunk.len() > MAX_ANSWER_BODY {
                return Err(too_large(self.service, status));
            } else {
                body.extend_from_slice(&chunk);
            }
        }
        Ok(Bytes::from(body))
    }

    pub(crate) fn error_answer(
        &self,
        operation: &Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Error {
        if let Some(v3) = operation.v3 {
            return error::from_v3_answer(self.service, status, headers, body, v3, &|text| {
                self.redact(text)
            });
        }
        error::from_answer(
            self.service,
            status,
            headers,
            body,
            operation.needed(),
            &|text| self.redact(text),
        )
    }
}
