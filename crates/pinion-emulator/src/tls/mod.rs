//! The TLS front (`--tls`), for clients that only speak `https://` to the real hosts.
//!
//! - **`CONNECT` tunnels** on the plain port: `CONNECT api.pinata.cloud:443` (what
//!   `HTTPS_PROXY` makes most clients send) is answered for the hosts the emulator
//!   emulates only, never by dialling out; TLS is terminated inside the tunnel with a
//!   certificate for that host, and the requests in it go through the same router,
//!   routed by that host.
//! - **A direct TLS port** with a certificate for `localhost`, `127.0.0.1` and `::1`,
//!   for clients that insist on `https://` for a local URL.
//!
//! Both present certificates of a local CA ([`authority`]) created once per state.

mod authority;
mod connect;
mod files;
mod leaves;
mod serve;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub(crate) use connect::ConnectFront;
pub(crate) use serve::App;

/// The sub-directory of the state (or temporary) directory that holds the CA.
pub(crate) const DIR: &str = "tls";

/// Why the TLS front could not start.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TlsError {
    /// A CA file could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The stored CA key is unusable or unsafe.
    #[error("the CA key {}: {reason}", path.display())]
    Key { path: PathBuf, reason: String },
    /// A certificate could not be made.
    #[error("cannot make a certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// A certificate was asked for a name the emulator does not emulate.
    #[error("the emulator does not emulate {0}")]
    NotEmulated(String),
}

impl TlsError {
    fn file(path: &Path, source: std::io::Error) -> Self {
        TlsError::File {
            path: path.to_owned(),
            source,
        }
    }
}

/// The crypto provider: aws-lc-rs, the one reqwest and jsonwebtoken already build.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The running TLS front: its certificates and the connections it serves.
#[derive(Debug)]
pub(crate) struct TlsFront {
    leaves: leaves::Leaves,
    connections: TaskTracker,
    stop: CancellationToken,
}

impl TlsFront {
    /// Opens (or creates) the CA in `dir` and prepares the certificates of a front
    /// whose direct port listens on `listen_ip`.
    pub(crate) fn open(dir: &Path, listen_ip: IpAddr) -> Result<Arc<Self>, TlsError> {
        let authority = authority::Authority::open(dir)?;
        Ok(Arc::new(TlsFront {
            leaves: leaves::Leaves::new(authority, listen_ip)?,
            connections: TaskTracker::new(),
            stop: CancellationToken::new(),
        }))
    }

    /// Where the CA certificate (PEM) is.
    pub(crate) fn ca_pem_path(&self) -> &Path {
        self.leaves.ca_pem_path()
    }

    /// Serves the direct TLS port on `listener` until [`shutdown`](Self::shutdown).
    pub(crate) fn serve_direct(self: &Arc<Self>, listener: TcpListener, app: App) {
        let front = Arc::clone(self);
        self.connections.spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = front.stop.cancelled() => return,
                    accepted = listener.accept() => accepted,
                };
                match accepted {
                    Ok((stream, _peer)) => {
                        let _ = stream.set_nodelay(true);
                        let config = front.leaves.direct();
                        let handler = serve::direct_handler(app.clone());
                        front.spawn(serve::serve_tls(
                            stream,
                            config,
                            handler,
                            front.stop.clone(),
                        ));
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the direct TLS port could not accept a connection");
                        // Out of descriptors and the like: let it pass before trying again.
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                }
            }
        });
    }

    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.connections.spawn(task);
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish and
    /// waits for every connection to end.
    pub(crate) async fn shutdown(&self) {
        self.stop_now();
        self.connections.wait().await;
    }

    /// Tells every connection to stop, without waiting (the emulator is dropped).
    pub(crate) fn stop_now(&self) {
        self.stop.cancel();
        self.connections.close();
    }
}
