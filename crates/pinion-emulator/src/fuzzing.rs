//! **Not a stable API**: hooks for the fuzz targets in `fuzz/` (see `fuzz/README.md`).
//!
//! [`Harness::get`] builds the real application once per process — state in memory,
//! admin credentials provisioned, the same code path as
//! [`EmulatorBuilder::start`](crate::EmulatorBuilder::start) — and
//! [`Harness::send`] passes a request through it in-process (no socket) on a runtime
//! the harness owns.

use std::convert::Infallible;
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

use crate::state::AppState;
use crate::{AdminCredentials, Emulator};

/// The emulator's application with in-memory state, and a runtime to drive it.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    service: BoxCloneSyncService<Request, Response, Infallible>,
    state: AppState,
    credentials: AdminCredentials,
}

/// What the emulator answered.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: http::StatusCode,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

static HARNESS: LazyLock<Harness> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let state = Emulator::builder()
        .open_state()
        .expect("in-memory emulator state");
    let credentials = AdminCredentials::new("http://emulator.invalid", &state.meta().admin);
    Harness {
        runtime,
        service: BoxCloneSyncService::new(crate::app_service(state.clone())),
        state,
        credentials,
    }
});

impl std::fmt::Debug for Harness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Harness").finish_non_exhaustive()
    }
}

impl Harness {
    /// The process-wide harness, built on first use.
    pub fn get() -> &'static Harness {
        &HARNESS
    }

    /// The state behind the application.
    pub(crate) fn state(&self) -> &AppState {
        &self.state
    }

    /// Base URLs (under `http://emulator.invalid`) and admin credentials.
    pub fn credentials(&self) -> &AdminCredentials {
        &self.credentials
    }

    /// Sends `request` (path as a client sends it, e.g. `/pinata/data/pinList?...`)
    /// through the whole application and reads the whole answer. Must not be called
    /// from inside another tokio runtime.
    pub fn send(&self, request: http::Request<impl Into<Body>>) -> Answer {
        self.runtime.block_on(async {
            let Ok(response) = self.service.clone().oneshot(request.map(Into::into)).await;
            let (parts, body) = response.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .expect("the emulator's answer body can be read");
            Answer {
                status: parts.status,
                headers: parts.headers,
                body,
            }
        })
    }
}

/// Whether `token` is a JWT the emulator signed (signature checked with its secret;
/// claims decoded as any JSON). The error says why not.
pub fn jwt_verify(token: &str) -> Result<serde_json::Value, String> {
    crate::jwt::verify::<serde_json::Value>(Harness::get().state.jwt_secret(), token)
        .map_err(|error| format!("{error:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_authentication(token: &str) -> http::StatusCode {
        let request = http::Request::get("/pinata/data/testAuthentication")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        Harness::get().send(request).status
    }

    #[test]
    fn the_harness_serves_the_real_application() {
        let jwt = Harness::get().credentials().pinata.jwt.clone();
        assert_eq!(test_authentication(&jwt), http::StatusCode::OK);
        assert_eq!(
            test_authentication("not.a.token"),
            http::StatusCode::UNAUTHORIZED
        );
        assert!(jwt_verify(&jwt).is_ok());
        assert!(jwt_verify("a.b.c").is_err());
    }
}
