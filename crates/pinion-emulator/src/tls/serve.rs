//! HTTP/1.1 over TLS: the handshake (bounded in time), then the requests of the
//! connection handed to a handler, until the client closes or the emulator stops.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use futures::future::BoxFuture;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

use crate::service::plain;

/// The whole application (edge and routers) as one cloneable service.
pub(crate) type App = BoxCloneSyncService<Request, Response, Infallible>;

/// What answers each request of a TLS connection.
pub(crate) type Handler = Arc<dyn Fn(Request) -> BoxFuture<'static, Response> + Send + Sync>;

/// A client that has not finished its handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Completes the TLS handshake on `io` with `config`, then serves HTTP/1.1 requests
/// with `handler` until the connection ends or `stop` is cancelled (then idle
/// connections close at once and a request in flight is finished first).
pub(crate) async fn serve_tls<IO>(
    io: IO,
    config: Arc<rustls::ServerConfig>,
    handler: Handler,
    stop: CancellationToken,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let handshake = TlsAcceptor::from(config).accept(io);
    let tls = tokio::select! {
        () = stop.cancelled() => return,
        done = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake) => match done {
            Ok(Ok(tls)) => tls,
            Ok(Err(error)) => {
                tracing::debug!(%error, "TLS handshake failed");
                return;
            }
            Err(_) => {
                tracing::debug!("TLS handshake timed out");
                return;
            }
        },
    };
    let service =
        hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let mut request = request.map(Body::new);
            // The emulator is the TLS end itself: URLs it builds back to itself (TUS
            // locations, signed upload URLs) must say https, whatever the client sent.
            request.headers_mut().insert(
                axum::http::header::HeaderName::from_static("x-forwarded-proto"),
                axum::http::HeaderValue::from_static("https"),
            );
            let response = handler(request);
            async move { Ok::<_, Infallible>(response.await) }
        });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tls), service);
    tokio::pin!(connection);
    tokio::select! {
        served = connection.as_mut() => {
            if let Err(error) = served {
                tracing::debug!(%error, "TLS connection ended with an error");
            }
        }
        () = stop.cancelled() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// The direct port's handler: every request to the application, as on the plain port,
/// except `CONNECT`.
pub(crate) fn direct_handler(app: App) -> Handler {
    Arc::new(move |request: Request| {
        let app = app.clone();
        Box::pin(async move {
            if request.method() == Method::CONNECT {
                return connect_inside_tls();
            }
            match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        })
    })
}

/// `CONNECT` over TLS: tunnels are opened on the plain port only.
pub(crate) fn connect_inside_tls() -> Response {
    let mut response = plain(
        StatusCode::METHOD_NOT_ALLOWED,
        "pinion emulator: CONNECT is answered on the plain HTTP port only",
    );
    response.headers_mut().insert(
        axum::http::header::ALLOW,
        axum::http::HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    response
}
