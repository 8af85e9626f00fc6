//! Reading answers: the JSON of a hand-written operation, and error bodies whatever
//! their shape.

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, StatusCode};

use super::Engine;
use crate::error::{self, Error, TimeoutPhase};
use crate::operations::Operation;

/// The largest error body kept in memory.
pub(super) const MAX_ERROR_BODY: usize = 256 * 1024;

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
        let body = tokio::time::timeout(limit, self.read_body(response, status.is_success()))
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

    /// Reads a body: all of it when `whole`, else its first [`MAX_ERROR_BODY`] bytes
    /// (the rest is drained).
    pub(super) async fn read_body(
        &self,
        response: reqwest::Response,
        whole: bool,
    ) -> Result<Bytes, Error> {
        let mut stream = response.bytes_stream();
        let mut body = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| error::from_reqwest(self.service, e, &self.timeouts))?;
            if whole || body.len() < MAX_ERROR_BODY {
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
