//! The generated operations' side of the executor: [`pinion_api::Executor`] under
//! every generated call, and the conversion of their outcomes to [`Error`].

use std::cell::RefCell;
use std::future::Future;

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, StatusCode};

use super::answer::{MAX_ANSWER_BODY, MAX_ERROR_BODY, too_large};
use super::{AttemptError, Engine};
use crate::error::{self, Error};
use crate::operations::Operation;

/// What the executor saw of the last answer of a generated operation.
#[derive(Debug)]
pub(crate) struct Captured {
    pub(crate) operation: Operation,
    /// Status, headers and body of an error answer.
    pub(crate) answer: Option<(StatusCode, HeaderMap, Bytes)>,
    /// Why the executor refused the answer it got (it came from another origin).
    pub(crate) refused: Option<Error>,
    /// Whether an earlier attempt may have reached the service (its connection failed
    /// after sending, or it answered a server error) before this answer.
    pub(crate) resent: bool,
}

tokio::task_local! {
    /// Set around each generated call so that error answers are read whatever their
    /// shape (progenitor keeps neither the status of an unparsable body nor the body of
    /// an undocumented status).
    static CAPTURE: RefCell<Option<Captured>>;
}

impl Engine {
    /// Runs one generated call, keeping what the executor saw of its answer, and
    /// converts its outcome.
    pub(crate) async fn call<T, E>(
        &self,
        send: impl Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
    ) -> Result<T, Error> {
        let (result, captured) = Self::captured(send).await;
        match result {
            Ok(value) => Ok(value.into_inner()),
            Err(error) => Err(self.convert(error, captured)),
        }
    }

    /// Runs a generated call that removes something (unpin, delete). When it was sent
    /// again after an attempt that may have reached the service, a 404 means that
    /// attempt removed it: the caller's wish is done, so that is a success.
    pub(crate) async fn call_removal<T, E>(
        &self,
        send: impl Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
    ) -> Result<(), Error> {
        let (result, captured) = Self::captured(send).await;
        match (result, captured) {
            (Ok(_), _) => Ok(()),
            (
                Err(_),
                Some(Captured {
                    answer: Some((StatusCode::NOT_FOUND, _, _)),
                    resent: true,
                    ..
                }),
            ) => Ok(()),
            (Err(error), captured) => Err(self.convert(error, captured)),
        }
    }

    async fn captured<T, E>(
        send: impl Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
    ) -> (
        Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        Option<Captured>,
    ) {
        CAPTURE
            .scope(RefCell::new(None), async move {
                let result = send.await;
                let captured = CAPTURE.with(|slot| slot.borrow_mut().take());
                (result, captured)
            })
            .await
    }

    /// Like [`call`](Self::call) for operations answering plain text (`OK`).
    pub(crate) async fn call_text<E>(
        &self,
        send: impl Future<
            Output = Result<
                progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                progenitor_client::Error<E>,
            >,
        >,
    ) -> Result<String, Error> {
        let stream = self.call(send).await?;
        let mut stream = stream.into_inner();
        let mut text = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| error::from_reqwest(self.service, e, &self.timeouts))?;
            if text.len() < MAX_ERROR_BODY {
                text.extend_from_slice(&chunk);
            }
        }
        Ok(String::from_utf8_lossy(&text).trim().to_owned())
    }

    fn convert<E>(&self, error: progenitor_client::Error<E>, captured: Option<Captured>) -> Error {
        match captured {
            Some(Captured {
                refused: Some(refused),
                ..
            }) => return refused,
            Some(Captured {
                operation,
                answer: Some((status, headers, body)),
                ..
            }) => return self.error_answer(&operation, status, &headers, &body),
            _ => {}
        }
        match error {
            progenitor_client::Error::InvalidRequest(why)
            | progenitor_client::Error::Custom(why) => {
                Error::invalid_input("request", self.redact(why))
            }
            progenitor_client::Error::CommunicationError(e)
            | progenitor_client::Error::InvalidUpgrade(e)
            | progenitor_client::Error::ResponseBodyError(e) => {
                error::from_reqwest(self.service, e, &self.timeouts)
            }
            progenitor_client::Error::InvalidResponsePayload(_, e) => Error::Decode {
                service: self.service,
                status: StatusCode::OK,
                why: e.to_string(),
            },
            progenitor_client::Error::UnexpectedResponse(response) => Error::Decode {
                service: self.service,
                status: response.status(),
                why: "the status is not one the spec documents for this operation".to_owned(),
            },
            other => Error::from_generated(self.service, other),
        }
    }
}

impl pinion_api::Executor for Engine {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> pinion_api::ExecuteFuture<'a> {
        Box::pin(async move {
            let operation = self.operation(operation_id);
            let (result, resent) = self.send_cloneable(client, operation, request).await;
            let record = |answer, refused| {
                let _ = CAPTURE.try_with(|slot| {
                    *slot.borrow_mut() = Some(Captured {
                        operation,
                        answer,
                        refused,
                        resent,
                    });
                });
            };
            let result = match result {
                Ok(response) => Ok(response),
                Err(AttemptError::Http(error)) => Err(error),
                Err(other) => {
                    // No reqwest error can carry ours: record it and give progenitor
                    // an answer it fails on; `convert` returns the recorded error.
                    record(None, Some(self.attempt_error(other)));
                    let mut refused = http::Response::new(Bytes::new());
                    *refused.status_mut() = StatusCode::MISDIRECTED_REQUEST;
                    return Ok(reqwest::Response::from(refused));
                }
            };
            match result {
                Ok(response) if !response.status().is_success() => {
                    let status = response.status();
                    let version = response.version();
                    let headers = response.headers().clone();
                    let body = match self.read_body(response, status).await {
                        Ok(body) => body,
                        Err(_) => Bytes::new(),
                    };
                    record(Some((status, headers.clone(), body.clone())), None);
                    let mut rebuilt = http::Response::new(body);
                    *rebuilt.status_mut() = status;
                    *rebuilt.version_mut() = version;
                    *rebuilt.headers_mut() = headers;
                    // The body was read; progenitor gets it back unchanged.
                    rebuilt.headers_mut().remove(http::header::CONTENT_LENGTH);
                    Ok(reqwest::Response::from(rebuilt))
                }
                Ok(response) => {
                    record(None, None);
                    Ok(self.limited(response))
                }
                Err(error) => {
                    record(None, None);
                    Err(error)
                }
            }
        })
    }
}

impl Engine {
    /// The success answer with a body that fails beyond [`MAX_ANSWER_BODY`]
    /// (progenitor reads whatever it is given, however long), recording why.
    fn limited(&self, response: reqwest::Response) -> reqwest::Response {
        // A declared length is enforced by the HTTP layer (no more bytes are read), so an
        // answer that declares one within the limit needs no counting wrapper: most do,
        // and the wrapper would cost every small call a stream of its own.
        if response
            .content_length()
            .is_some_and(|length| length <= MAX_ANSWER_BODY as u64)
        {
            return response;
        }
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let service = self.service;
        let mut read = 0usize;
        let body = response.bytes_stream().map(move |chunk| {
            let chunk = chunk?;
            read = read.saturating_add(chunk.len());
            if read > MAX_ANSWER_BODY {
                let _ = CAPTURE.try_with(|slot| {
                    if let Some(captured) = slot.borrow_mut().as_mut() {
                        captured.refused = Some(too_large(service, status));
                    }
                });
                return Err(Box::new(too_large(service, status))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(chunk)
        });
        let mut rebuilt = http::Response::new(reqwest::Body::wrap_stream(body));
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers;
        reqwest::Response::from(rebuilt)
    }
}
