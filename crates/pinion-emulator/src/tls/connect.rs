//! `CONNECT host:443` on the plain port: a tunnel to an emulated host, never to
//! anywhere else. The emulator answers `200`, terminates TLS inside the tunnel with a
//! certificate for that host and serves the requests in it as that host.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use futures::future::BoxFuture;
use hyper_util::rt::TokioIo;
use tower::{Service, ServiceExt};

use super::TlsFront;
use super::serve::{App, Handler, connect_inside_tls, serve_tls};
use crate::service::plain;

/// The port tunnels are accepted for: the real hosts serve HTTPS there only.
const HTTPS_PORT: u16 = 443;

/// The application with `CONNECT` answered in front of it: tunnels when the TLS
/// front runs, a refusal saying how to start it otherwise.
#[derive(Clone)]
pub(crate) struct ConnectFront {
    app: App,
    tls: Option<Arc<TlsFront>>,
}

impl ConnectFront {
    pub(crate) fn new(app: App, tls: Option<Arc<TlsFront>>) -> Self {
        ConnectFront { app, tls }
    }
}

impl Service<Request> for ConnectFront {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.app.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() != Method::CONNECT {
            return Box::pin(self.app.call(request));
        }
        let response = match &self.tls {
            Some(tls) => open_tunnel(request, tls, self.app.clone()),
            None => refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                "pinion emulator: CONNECT tunnels need the TLS front; start the emulator \
                 with --tls (plain requests with an absolute http:// or https:// target \
                 work without it)",
            ),
        };
        Box::pin(async move { Ok(response) })
    }
}

/// Checks the target, answers `200` and serves the tunnel once the connection is
/// handed over.
fn open_tunnel(mut request: Request, tls: &Arc<TlsFront>, app: App) -> Response {
    let host = match tunnel_host(&request) {
        Ok(host) => host,
        Err(refusal) => return refusal,
    };
    let config = match tls.leaves.for_host(&host) {
        Ok(config) => config,
        Err(error) => {
            tracing::warn!(%error, "no certificate for a CONNECT target");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "pinion emulator: no certificate could be made for this host",
            );
        }
    };
    let upgrade = hyper::upgrade::on(&mut request);
    let stop = tls.stop.clone();
    tls.spawn(async move {
        match upgrade.await {
            Ok(upgraded) => {
                serve_tls(
                    TokioIo::new(upgraded),
                    config,
                    tunnel_handler(app, host),
                    stop,
                )
                .await;
            }
            Err(error) => tracing::debug!(%error, "CONNECT tunnel was not handed over"),
        }
    });
    Response::new(axum::body::Body::empty())
}

/// The host a `CONNECT` asks for (lowercase, without a trailing dot), when the
/// emulator emulates it on port 443; the refusal to send otherwise.
fn tunnel_host(request: &Request) -> Result<String, Response> {
    let Some(authority) = request.uri().authority() else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "pinion emulator: CONNECT needs a host:port target",
        ));
    };
    let host = authority.host().trim_end_matches('.').to_ascii_lowercase();
    if crate::wire::service_of_host(&host).is_none() {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            &format!(
                "pinion emulator: refusing CONNECT to {}: it tunnels only to the hosts it \
                 emulates ({}) and never connects anywhere else",
                printable(authority.as_str()),
                crate::wire::emulated_hosts()
            ),
        ));
    }
    if authority.port_u16() != Some(HTTPS_PORT) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            &format!(
                "pinion emulator: refusing CONNECT to {}: tunnels are for HTTPS on port \
                 {HTTPS_PORT}; send plain HTTP requests to this port directly",
                printable(authority.as_str())
            ),
        ));
    }
    Ok(host)
}

/// Each request in a tunnel is served as the tunnel's host: one naming another host
/// is answered `421 Misdirected Request`, as a real server would.
fn tunnel_handler(app: App, host: String) -> Handler {
    let host = Arc::<str>::from(host);
    Arc::new(move |mut request: Request| {
        let app = app.clone();
        let host = Arc::clone(&host);
        Box::pin(async move {
            if request.method() == Method::CONNECT {
                return connect_inside_tls();
            }
            let named = request.uri().host().map(str::to_owned).or_else(|| {
                request
                    .headers()
                    .get(header::HOST)
                    .and_then(|value| value.to_str().ok())
                    .map(|value| {
                        value
                            .rsplit_once(':')
                            .map_or(value, |(name, _)| name)
                            .to_owned()
                    })
            });
            match named {
                Some(named) if !named.trim_end_matches('.').eq_ignore_ascii_case(&host) => {
                    return refuse(
                        StatusCode::MISDIRECTED_REQUEST,
                        &format!(
                            "pinion emulator: this tunnel is for {host}, not {}",
                            printable(&named)
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    if let Ok(value) = HeaderValue::from_str(&host) {
                        request.headers_mut().insert(header::HOST, value);
                    }
                }
            }
            match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        })
    })
}

fn refuse(status: StatusCode, text: &str) -> Response {
    plain(status, text)
}

/// A client-sent name for a message: at most 100 characters, control characters
/// replaced.
fn printable(text: &str) -> String {
    text.chars()
        .take(100)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(uri: &str) -> Result<String, StatusCode> {
        let request = Request::builder()
            .method(Method::CONNECT)
            .uri(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        tunnel_host(&request).map_err(|refusal| refusal.status())
    }

    #[test]
    fn tunnels_are_for_emulated_hosts_on_port_443_only() {
        assert_eq!(target("api.pinata.cloud:443").unwrap(), "api.pinata.cloud");
        assert_eq!(target("API.Pinata.Cloud.:443").unwrap(), "api.pinata.cloud");
        assert_eq!(
            target("my-gw.mypinata.cloud:443").unwrap(),
            "my-gw.mypinata.cloud"
        );
        assert_eq!(target("example.com:443"), Err(StatusCode::FORBIDDEN));
        assert_eq!(target("127.0.0.1:443"), Err(StatusCode::FORBIDDEN));
        assert_eq!(target("api.pinata.cloud:8443"), Err(StatusCode::FORBIDDEN));
        assert_eq!(target("api.pinata.cloud"), Err(StatusCode::FORBIDDEN));
        assert_eq!(
            target("/data/testAuthentication"),
            Err(StatusCode::BAD_REQUEST)
        );
    }
}
