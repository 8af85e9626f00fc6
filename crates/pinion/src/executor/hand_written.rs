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
}
