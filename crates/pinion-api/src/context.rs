//! What every generated client carries besides its base URL.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future returned by an [`Executor`].
pub type ExecuteFuture<'a> =
    Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// Sends the requests of a generated client. The default sends each request once with
/// the client's `reqwest::Client`; the `pinion` crate supplies one that adds rate
/// limiting, retries and tracing under every generated operation.
pub trait Executor: Send + Sync + 'static {
    /// Sends `request` (already authenticated) for the operation `operation_id`.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a>;
}

/// The `inner` value of each generated client: its credentials and how it sends requests.
///
/// ```
/// use pinion_api::{ClientContext, auth::PinataCredentials, pinata};
/// let context = ClientContext::new(PinataCredentials::jwt("eyJ..."));
/// let client = pinata::Client::new("https://api.pinata.cloud", context);
/// ```
#[derive(Clone)]
pub struct ClientContext<C> {
    credentials: C,
    executor: Option<Arc<dyn Executor>>,
}

impl<C> ClientContext<C> {
    /// A context that sends every request once, as it is.
    pub fn new(credentials: C) -> Self {
        Self {
            credentials,
            executor: None,
        }
    }

    /// Sends requests through `executor` instead.
    pub fn with_executor(mut self, executor: Arc<dyn Executor>) -> Self {
        self.executor = Some(executor);
        self
    }

    /// The credentials every request is authenticated with.
    pub fn credentials(&self) -> &C {
        &self.credentials
    }

    /// The executor, when one is set.
    pub fn executor(&self) -> Option<&Arc<dyn Executor>> {
        self.executor.as_ref()
    }
}

impl<C: fmt::Debug> fmt::Debug for ClientContext<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientContext")
            .field("credentials", &self.credentials)
            .field("executor", &self.executor.as_ref().map(|_| "custom"))
            .finish()
    }
}
