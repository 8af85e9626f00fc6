//! How every request is sent: rate limiting, retries, timeouts and tracing, written once
//! for the generated operations (as a [`pinion_api::Executor`]) and the hand-written
//! uploads.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, HeaderValue, StatusCode};
use secrecy::SecretString;
use tracing::Instrument;

use crate::config::Timeouts;
use crate::error::{self, Error, TimeoutPhase};
use crate::operations::{self, Operation};
use crate::rate_limit::{Limiter, RateLimit};
use crate::retry::{self, RetryPolicy};
use crate::scopes::Service;

/// The largest error body kept in memory.
const MAX_ERROR_BODY: usize = 256 * 1024;

/// What the executor saw of the last answer of a generated operation.
#[derive(Debug)]
pub(crate) struct Captured {
    pub(crate) operation: Operation,
    /// Status, headers and body of an error answer.
    pub(crate) answer: Option<(StatusCode, HeaderMap, Bytes)>,
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

/// Sends the requests of one client.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) service: Service,
    limiter: Limiter,
    retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    user_agent: HeaderValue,
    secrets: Vec<SecretString>,
}

/// What to do after an attempt.
enum Next {
    Stop,
    RetryAfter(Duration),
}

/// How an attempt ended.
enum Outcome<'a> {
    /// The service answered.
    Answer(StatusCode, &'a HeaderMap),
    /// The connection could not be opened: the service saw nothing.
    Unsent,
    /// The request may have reached the service.
    Failed,
    /// Our own side failed (reading the upload source).
    Local,
}

/// Why an attempt produced no answer.
#[derive(Debug)]
pub(crate) enum AttemptError {
    Http(reqwest::Error),
    Stall(Duration),
    TotalTimeout(Duration),
    /// Our own error, e.g. reading an upload source failed.
    Local(Error),
}

impl Engine {
    pub(crate) fn new(
        service: Service,
        limit: RateLimit,
        retry: RetryPolicy,
        timeouts: Timeouts,
        user_agent: HeaderValue,
        secrets: Vec<SecretString>,
    ) -> Self {
        Self {
            service,
            limiter: Limiter::new(limit),
            retry,
            timeouts,
            user_agent,
            secrets,
        }
    }

    /// How this client retries.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Scrubs the client's secrets from `text`.
    pub(crate) fn redact(&self, text: String) -> String {
        crate::credentials::redact(&self.secrets, text)
    }

    /// Decides whether to send again after `attempt` (0-based) ended with `outcome`.
    async fn next(&self, operation: &Operation, attempt: u32, outcome: Outcome<'_>) -> Next {
        if attempt >= self.retry.retries() {
            return Next::Stop;
        }
        let (why, retry_after) = match outcome {
            Outcome::Answer(status, headers) => {
                if !retry::is_retryable_status(status) {
                    return Next::Stop;
                }
                let retry_after = retry::retry_after(headers, std::time::SystemTime::now());
                if status == StatusCode::TOO_MANY_REQUESTS {
                    // Refused unprocessed: always safe to send again. Hold back every
                    // request of this bucket too.
                    let pause = retry_after.unwrap_or_else(|| self.retry.backoff_ceiling(attempt));
                    self.limiter.pause(operation.bucket, pause).await;
                } else if !operation.resend_safe {
                    return Next::Stop;
                }
                (format!("answer {status}"), retry_after)
            }
            // Nothing reached the service.
            Outcome::Unsent => ("connection failed".to_owned(), None),
            Outcome::Failed if operation.resend_safe => ("request failed".to_owned(), None),
            Outcome::Failed | Outcome::Local => return Next::Stop,
        };
        match self.retry.wait(attempt, retry_after) {
            Some(wait) => {
                tracing::info!(
                    operation = operation.spec_id,
                    attempt = attempt + 1,
                    wait_ms = wait.as_millis() as u64,
                    "retrying: {why}"
                );
                Next::RetryAfter(wait)
            }
            None => Next::Stop,
        }
    }

    fn span(
        &self,
        operation: &Operation,
        request: &reqwest::Request,
        attempt: u32,
    ) -> tracing::Span {
        tracing::info_span!(
            "pinion.request",
            service = %self.service,
            operation = operation.spec_id,
            method = %request.method(),
            path = request.url().path(),
            attempt = attempt + 1,
        )
    }

    fn prepare(&self, request: &mut reqwest::Request, timeout: Option<Duration>) {
        *request.timeout_mut() = timeout;
        request
            .headers_mut()
            .insert(http::header::USER_AGENT, self.user_agent.clone());
    }

    /// Sends a request that can be cloned (every generated operation), retrying as the
    /// policy says.
    async fn send_cloneable(
        &self,
        client: &reqwest::Client,
        operation: Operation,
        request: reqwest::Request,
    ) -> (reqwest::Result<reqwest::Response>, bool) {
        let mut current = request;
        let mut attempt = 0;
        let mut resent = false;
        loop {
            let spare = current.try_clone();
            self.prepare(&mut current, Some(self.timeouts.request));
            self.limiter.acquire(operation.bucket).await;
            let span = self.span(&operation, &current, attempt);
            let result = client.execute(current).instrument(span.clone()).await;
            span.in_scope(|| match &result {
                Ok(response) => tracing::debug!(status = response.status().as_u16(), "answered"),
                Err(error) => tracing::debug!(error = %error.without_url_ref(), "failed"),
            });
            let Some(next_request) = spare else {
                return (result, resent);
            };
            let (outcome, maybe_seen) = match &result {
                Ok(response) => (
                    Outcome::Answer(response.status(), response.headers()),
                    response.status() != StatusCode::TOO_MANY_REQUESTS,
                ),
                Err(error) if error.is_connect() => (Outcome::Unsent, false),
                Err(_) => (Outcome::Failed, true),
            };
            let decision = self.next(&operation, attempt, outcome).await;
            if let Next::Stop = decision {
                return (result, resent);
            }
            resent |= maybe_seen;
            if let Next::RetryAfter(wait) = decision {
                tokio::time::sleep(wait).await;
            }
            attempt += 1;
            current = next_request;
        }
    }

    /// Sends a request built anew for every attempt by `make` (uploads, whose bodies
    /// are streams), with the stall watchdog. `make` gets the attempt number and the
    /// activity clock the body must tick.
    pub(crate) async fn send_built(
        &self,
        client: &reqwest::Client,
        operation: Operation,
        resendable: bool,
        mut make: impl FnMut(u32, Activity) -> Result<reqwest::Request, Error>,
    ) -> Result<reqwest::Response, Error> {
        let operation = Operation {
            resend_safe: operation.resend_safe && resendable,
            ..operation
        };
        let mut attempt = 0;
        loop {
            let activity = Activity::new();
            let mut request = make(attempt, activity.clone())?;
            self.prepare(&mut request, None);
            self.limiter.acquire(operation.bucket).await;
            let span = self.span(&operation, &request, attempt);
            let result = self
                .watch(client.execute(request), &activity)
                .instrument(span.clone())
                .await;
            span.in_scope(|| match &result {
                Ok(response) => tracing::debug!(status = response.status().as_u16(), "answered"),
                Err(error) => tracing::debug!(error = ?error, "failed"),
            });
            let outcome = match &result {
                Ok(response) => Outcome::Answer(response.status(), response.headers()),
                Err(AttemptError::Http(error)) if error.is_connect() => Outcome::Unsent,
                Err(AttemptError::Local(_)) => Outcome::Local,
                Err(_) => Outcome::Failed,
            };
            let next = self.next(&operation, attempt, outcome).await;
            match next {
                Next::Stop => {
                    return result.map_err(|error| self.attempt_error(error));
                }
                Next::RetryAfter(wait) => tokio::time::sleep(wait).await,
            }
            attempt += 1;
        }
    }

    /// Runs `send` until it answers, the upload stalls or the upload timeout expires.
    async fn watch(
        &self,
        send: impl Future<Output = reqwest::Result<reqwest::Response>>,
        activity: &Activity,
    ) -> Result<reqwest::Response, AttemptError> {
        let stall = self.timeouts.stall;
        let watchdog = async {
            loop {
                let idle = activity.idle();
                if idle >= stall {
                    return AttemptError::Stall(stall);
                }
                tokio::time::sleep(stall - idle).await;
            }
        };
        let total = async {
            match self.timeouts.upload {
                Some(limit) => {
                    tokio::time::sleep(limit).await;
                    AttemptError::TotalTimeout(limit)
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = send => result.map_err(|error| match activity.take_error() {
                Some(local) => AttemptError::Local(local),
                None => AttemptError::Http(error),
            }),
            stalled = watchdog => Err(stalled),
            expired = total => Err(expired),
        }
    }

    fn attempt_error(&self, error: AttemptError) -> Error {
        match error {
            AttemptError::Http(error) => error::from_reqwest(self.service, error, &self.timeouts),
            AttemptError::Stall(after) => Error::Timeout {
                service: self.service,
                phase: TimeoutPhase::Stall,
                after,
            },
            AttemptError::TotalTimeout(after) => Error::Timeout {
                service: self.service,
                phase: TimeoutPhase::Request,
                after,
            },
            AttemptError::Local(error) => error,
        }
    }

    /// Reads an answer of a hand-written operation: its JSON body on success (any 2xx),
    /// an [`Error`] otherwise.
    pub(crate) async fn read_answer<T: serde::de::DeserializeOwned>(
        &self,
        operation: Operation,
        response: reqwest::Response,
    ) -> Result<T, Error> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read_body(response, status.is_success()).await?;
        if !status.is_success() {
            return Err(self.error_answer(&operation, status, &headers, &body));
        }
        serde_json::from_slice(&body).map_err(|error| Error::Decode {
            service: self.service,
            status,
            why: error.to_string(),
        })
    }

    async fn read_body(&self, response: reqwest::Response, whole: bool) -> Result<Bytes, Error> {
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
        if let Some(Captured {
            operation,
            answer: Some((status, headers, body)),
            ..
        }) = &captured
        {
            return self.error_answer(operation, *status, headers, body);
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

trait WithoutUrlRef {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrlRef for reqwest::Error {
    /// The error's text without its URL (which may carry query parameters).
    fn without_url_ref(&self) -> String {
        let mut text = self.to_string();
        if let Some(url) = self.url() {
            text = text.replace(url.as_str(), url.path());
        }
        text
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
            let operation = operations::lookup(self.service, operation_id);
            let (result, resent) = self.send_cloneable(client, operation, request).await;
            let record = |answer| {
                let _ = CAPTURE.try_with(|slot| {
                    *slot.borrow_mut() = Some(Captured {
                        operation,
                        answer,
                        resent,
                    });
                });
            };
            match result {
                Ok(response) if !response.status().is_success() => {
                    let status = response.status();
                    let version = response.version();
                    let headers = response.headers().clone();
                    let body = match self.read_body(response, false).await {
                        Ok(body) => body,
                        Err(_) => Bytes::new(),
                    };
                    record(Some((status, headers.clone(), body.clone())));
                    let mut rebuilt = http::Response::new(body);
                    *rebuilt.status_mut() = status;
                    *rebuilt.version_mut() = version;
                    *rebuilt.headers_mut() = headers;
                    // The body was read; progenitor gets it back unchanged.
                    rebuilt.headers_mut().remove(http::header::CONTENT_LENGTH);
                    Ok(reqwest::Response::from(rebuilt))
                }
                other => {
                    record(None);
                    other
                }
            }
        })
    }
}

/// When an upload last made progress, shared by its body stream and the watchdog.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    inner: Arc<ActivityInner>,
}

#[derive(Debug)]
struct ActivityInner {
    start: tokio::time::Instant,
    last_millis: AtomicU64,
    error: std::sync::Mutex<Option<Error>>,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Self {
            inner: Arc::new(ActivityInner {
                start: tokio::time::Instant::now(),
                last_millis: AtomicU64::new(0),
                error: std::sync::Mutex::new(None),
            }),
        }
    }

    /// Records progress now.
    pub(crate) fn tick(&self) {
        let now = self.inner.start.elapsed().as_millis() as u64;
        self.inner.last_millis.fetch_max(now, Ordering::Relaxed);
    }

    /// How long since the last progress.
    fn idle(&self) -> Duration {
        let now = self.inner.start.elapsed();
        now.saturating_sub(Duration::from_millis(
            self.inner.last_millis.load(Ordering::Relaxed),
        ))
    }

    /// Keeps the real reason an upload body failed (reqwest only reports "body error").
    pub(crate) fn fail(&self, error: Error) {
        let mut slot = self.inner.error.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(error);
    }

    pub(crate) fn take_error(&self) -> Option<Error> {
        self.inner
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}
