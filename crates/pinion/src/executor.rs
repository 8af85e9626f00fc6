//! How every request is sent: rate limiting, retries, timeouts and tracing, written once
//! for the generated operations (as a [`pinion_api::Executor`], in [`generated`]) and
//! the hand-written uploads; reading answers in [`answer`], upload progress in
//! [`activity`].

mod activity;
mod answer;
mod generated;
mod hand_written;

pub(crate) use activity::Activity;

use std::future::Future;
use std::time::Duration;

use http::{HeaderMap, HeaderValue, StatusCode};
use secrecy::SecretString;
use tracing::Instrument;

use crate::config::Timeouts;
use crate::error::{self, Error, TimeoutPhase};
use crate::operations::{Api, Operation};
use crate::rate_limit::{Limiter, RateLimit};
use crate::redirect::{self, CrossOrigin};
use crate::retry::{self, RetryPolicy};
use crate::scopes::Service;

/// Sends the requests of one client.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) service: Service,
    limiter: Limiter,
    retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    user_agent: HeaderValue,
    secrets: Vec<SecretString>,
    /// Which API this engine speaks (whose table its operations are looked up in).
    pub(crate) api: Api,
}

/// The path a request's span records: for Pinata v3 calls the spec's template
/// (`/files/{file_id}/{upload_id}`), since some v3 paths carry a capability (a TUS
/// upload's token authorises the upload by itself); the concrete path otherwise.
fn logged_path<'a>(operation: &Operation, url: &'a reqwest::Url) -> &'a str {
    match operation.v3 {
        Some(v3) => v3.path(),
        None => url.path(),
    }
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
    /// The redirect policy refused where the service sent us: sending again would
    /// only be refused again.
    Refused,
}

/// Why an attempt produced no answer.
#[derive(Debug)]
pub(crate) enum AttemptError {
    Http(reqwest::Error),
    Stall(Duration),
    TotalTimeout(Duration),
    /// Our own error, e.g. reading an upload source failed.
    Local(Error),
    /// The answer came from another origin than the request was sent to: the HTTP
    /// client followed a redirect pinion's policy would have refused.
    Redirected(CrossOrigin),
}

impl Engine {
    pub(crate) fn new(
        service: Service,
        limit: RateLimit,
        retry: RetryPolicy,
        timeouts: Timeouts,
        user_agent: HeaderValue,
        secrets: Vec<SecretString>,
        api: Api,
    ) -> Self {
        Self {
            service,
            limiter: Limiter::new(limit),
            retry,
            timeouts,
            user_agent,
            secrets,
            api,
        }
    }

    /// The same engine drawing on `limiter`'s buckets (another client's) instead of
    /// its own.
    pub(crate) fn sharing_limiter(mut self, limiter: Limiter) -> Self {
        self.limiter = limiter;
        self
    }

    /// The rate-limit buckets this engine draws on.
    pub(crate) fn limiter(&self) -> &Limiter {
        &self.limiter
    }

    /// The operation the generated (snake case) name `name` stands for on this
    /// engine's API.
    pub(crate) fn operation(&self, name: &'static str) -> Operation {
        match self.api {
            Api::Native => crate::operations::lookup(self.service, name),
            Api::PinataV3 => crate::pinata_v3::operation(name),
            Api::Psa => crate::operations::lookup_psa(self.service, name),
        }
    }

    /// The `User-Agent` this engine sends.
    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
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
    ///
    /// A 429 holds back the whole bucket, but only when a retry will really happen,
    /// and only as long as this retry waits: never longer than the policy allows,
    /// whatever the service's `Retry-After` says.
    async fn next(&self, operation: &Operation, attempt: u32, outcome: Outcome<'_>) -> Next {
        if attempt >= self.retry.retries() {
            return Next::Stop;
        }
        let (why, retry_after, pause) = match outcome {
            Outcome::Answer(status, headers) => {
                if !retry::is_retryable_status(status) {
                    return Next::Stop;
                }
                // Refused unprocessed: always safe to send again.
                let rate_limited = status == StatusCode::TOO_MANY_REQUESTS;
                if !rate_limited && !operation.resend_safe {
                    return Next::Stop;
                }
                let retry_after = retry::retry_after(headers, std::time::SystemTime::now());
                (format!("answer {status}"), retry_after, rate_limited)
            }
            // Nothing reached the service.
            Outcome::Unsent => ("connection failed".to_owned(), None, false),
            Outcome::Failed if operation.resend_safe => ("request failed".to_owned(), None, false),
            Outcome::Failed | Outcome::Local | Outcome::Refused => return Next::Stop,
        };
        let Some(wait) = self.retry.wait(attempt, retry_after) else {
            return Next::Stop;
        };
        if pause {
            // Hold back every request of this bucket too: as long as the service
            // asked (already capped by the policy), else the backoff ceiling.
            let hold = retry_after.map_or_else(|| self.retry.backoff_ceiling(attempt), |_| wait);
            self.limiter.pause(operation.bucket, hold).await;
        }
        tracing::info!(
            operation = operation.spec_id,
            attempt = attempt + 1,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying: {why}"
        );
        Next::RetryAfter(wait)
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
            path = logged_path(operation, request.url()),
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
    ) -> (Result<reqwest::Response, AttemptError>, bool) {
        let mut current = request;
        let mut attempt = 0;
        // Whether an earlier attempt may have reached the service (its connection
        // failed after sending, or it answered anything but 429) before this one.
        let mut resent = false;
        loop {
            let spare = current.try_clone();
            self.prepare(&mut current, Some(self.timeouts.request));
            self.limiter.acquire(operation.bucket).await;
            let span = self.span(&operation, &current, attempt);
            let sent = current.url().clone();
            let result = client.execute(current).instrument(span.clone()).await;
            span.in_scope(|| match &result {
                Ok(response) => tracing::debug!(status = response.status().as_u16(), "answered"),
                Err(error) => tracing::debug!(error = %error.without_url_ref(), "failed"),
            });
            let result = match check_origin(&sent, result.map_err(AttemptError::Http)) {
                Ok(result) => result,
                Err(refused) => return (Err(refused), resent),
            };
            let Some(next_request) = spare else {
                return (result, resent);
            };
            let (outcome, maybe_seen) = match &result {
                Ok(response) => (
                    Outcome::Answer(response.status(), response.headers()),
                    response.status() != StatusCode::TOO_MANY_REQUESTS,
                ),
                Err(AttemptError::Http(error)) if error.is_connect() => (Outcome::Unsent, false),
                Err(AttemptError::Http(error)) if error.is_redirect() => (Outcome::Refused, false),
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
            let sent = request.url().clone();
            let result = self
                .watch(client.execute(request), &activity)
                .instrument(span.clone())
                .await;
            span.in_scope(|| match &result {
                Ok(response) => tracing::debug!(status = response.status().as_u16(), "answered"),
                // Without the URL: its query may carry a signature (v3 signed URLs).
                Err(AttemptError::Http(error)) => {
                    tracing::debug!(error = %error.without_url_ref(), "failed")
                }
                Err(error) => tracing::debug!(error = ?error, "failed"),
            });
            let result = check_origin(&sent, result).map_err(|e| self.attempt_error(e))?;
            let outcome = match &result {
                Ok(response) => Outcome::Answer(response.status(), response.headers()),
                Err(AttemptError::Http(error)) if error.is_connect() => Outcome::Unsent,
                Err(AttemptError::Http(error)) if error.is_redirect() => Outcome::Refused,
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
            AttemptError::Redirected(CrossOrigin { from, to }) => Error::CrossOriginRedirect {
                service: self.service,
                from,
                to,
            },
        }
    }
}

/// Fails an answer that came from another origin than `sent`: only an HTTP client
/// given by the user, built without [`redirect::redirect_policy`], follows such a
/// redirect (the credentials went along; the call still fails, loudly).
fn check_origin(
    sent: &url::Url,
    result: Result<reqwest::Response, AttemptError>,
) -> Result<Result<reqwest::Response, AttemptError>, AttemptError> {
    match result {
        Ok(response) if !redirect::same_origin(sent, response.url()) => Err(
            AttemptError::Redirected(CrossOrigin::new(sent, response.url())),
        ),
        other => Ok(other),
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
