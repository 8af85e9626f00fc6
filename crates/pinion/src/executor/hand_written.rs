//! Hand-written requests that are not uploads (a query the generated builder cannot
//! express, such as Pinata v3's `keyvalues[k]=v` filters): sent like the generated
//! operations, with the same retries, limits, timeouts and errors.

use super::Engine;
use crate::error::Error;
use crate::operations::Operation;

impl Engine {
    /// Sends `request` (which must be cloneable: no streaming body) as `operation` and
    /// reads its JSON answer.
    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        http: &reqwest::Client,
        operation: Operation,
        request: reqwest::Request,
    ) -> Result<T, Error> {
        let (result, _) = self.send_cloneable(http, operation, request).await;
        let response = result.map_err(|error| self.attempt_error(error))?;
        self.read_answer(operation, response).await
    }

    /// Sends `request` (cloneable) as `operation` and returns the answer when it is a
    /// success, its [`Error`] otherwise (for answers whose headers say what matters,
    /// such as TUS's `Location` and `Upload-Offset`).
    pub(crate) async fn send_checked(
        &self,
        http: &reqwest::Client,
        operation: Operation,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, Error> {
        let (result, _) = self.send_cloneable(http, operation, request).await;
        let response = result.map_err(|error| self.attempt_error(error))?;
        self.checked(operation, response).await
    }

    /// `response` when it is a success, else the [`Error`] its body says.
    pub(crate) async fn checked(
        &self,
        operation: Operation,
        response: reqwest::Response,
    ) -> Result<reqwest::Response, Error> {
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read_body(response, status).await.unwrap_or_default();
        Err(self.error_answer(&operation, status, &headers, &body))
    }
}
