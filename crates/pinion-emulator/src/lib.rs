//! A faithful local stand-in for **Pinata** (with **Submarine** and a dedicated
//! gateway) and **W3IPFS**, for tests, benchmarks and offline use.
//!
//! One process serves every service. On a plain address each has a base URL (what a
//! client puts in front of the paths of its spec in `spec/`):
//!
//! | service | base URL |
//! |---|---|
//! | Pinata (`spec/pinata.yaml`) | `http://127.0.0.1:PORT/pinata` |
//! | Pinata v3 (`spec/pinata-v3.yaml`) | `http://127.0.0.1:PORT/pinata/v3` (also serves the upload routes) |
//! | Pinata v3 uploads (`spec/pinata-v3-uploads.yaml`) | `http://127.0.0.1:PORT/pinata-uploads/v3` |
//! | Submarine (`spec/pinata-submarine.yaml`) | `http://127.0.0.1:PORT/submarine/api/v1` |
//! | W3IPFS (`spec/w3ipfs.yaml`) | `http://127.0.0.1:PORT/w3ipfs/api` |
//! | IPFS Pinning Service API (`spec/psa.yaml`) | `http://127.0.0.1:PORT/pinata/psa` (Pinata key JWT), `http://127.0.0.1:PORT/w3ipfs/api/psa` (W3IPFS login JWT) |
//! | dedicated gateway | `http://127.0.0.1:PORT/gateway` (`/ipfs/<cid>[/path]`) |
//!
//! Requests whose `Host` is a real service host (`api.pinata.cloud`,
//! `uploads.pinata.cloud`, `managed.mypinata.cloud`, the W3IPFS hosts, `<name>.mypinata.cloud`) are routed by
//! host instead, so clients configured for the real services work through a proxy or
//! a hosts-file entry. With [`EmulatorBuilder::tls`] (`--tls`) it also answers
//! `CONNECT` for those hosts with TLS terminated by a local CA, and opens a direct TLS
//! port ([`TlsAccess`]). Admin credentials for every service are provisioned on first
//! start ([`RunningEmulator::credentials`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), pinion_emulator::EmulatorError> {
//! let emulator = pinion_emulator::Emulator::builder().start().await?;
//! let pinata = &emulator.credentials().pinata;
//! println!("Pinata at {} (JWT in pinata.jwt)", pinata.base_url);
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

// Handlers refuse a request by returning the finished error `Response` early
// (`Result<_, Response>`); boxing it to please this lint would only add noise.
#![allow(clippy::result_large_err)]

mod app;
mod blobs;
mod clock;
mod content;
mod control;
mod credentials;
mod cuts;
mod faults;
mod gateway;
mod guard;
mod jwt;
mod limits;
mod pinata;
mod pinata_v3;
mod psa;
mod secrets;
mod service;
mod signals;
pub(crate) mod signed_url;
mod state;
mod store;
mod submarine;
mod temp_dirs;
mod tls;
mod unread_body;
mod w3ipfs;
pub mod wire;

#[doc(hidden)]
pub mod fuzzing;
#[doc(hidden)]
pub mod scale;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::Layer;

pub use credentials::{
    AdminCredentials, AdminSecrets, PinataAccess, PinataAdmin, SubmarineAccess, TlsAccess,
    W3ipfsAccess, W3ipfsAdmin,
};
pub use faults::Faults;
pub use signals::stop_requested;
pub use state::received::TusReceived;

use crate::blobs::BlobStore;
use crate::limits::RateLimiter;
use crate::state::{AppState, Data, Meta, State};
use crate::store::Store;

/// Why the emulator could not start or store its state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The state directory or database could not be opened.
    #[error("cannot open the emulator state at {}: {reason}", path.display())]
    State {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Reading or writing the state database failed.
    #[error("emulator state store: {0}")]
    Store(String),
    /// The fault settings are invalid.
    #[error("invalid faults: {0}")]
    Faults(String),
    /// The clock cannot be moved that far.
    #[error("{0}")]
    Clock(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The TLS front could not start (its CA unreadable, unsafe or not writable).
    #[error("TLS front: {0}")]
    Tls(String),
}

/// Entry point: `Emulator::builder()...start()`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: `127.0.0.1`, any free port, state in memory, no
    /// enforced rate limit, no faults.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            state_dir: None,
            temp_dir: None,
            rate_limit: None,
            faults: Faults::default(),
            tls_port: None,
            psa_retrievable: false,
        }
    }
}

/// Settings of an emulator to start.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    addr: SocketAddr,
    state_dir: Option<PathBuf>,
    temp_dir: Option<PathBuf>,
    rate_limit: Option<u32>,
    faults: Faults,
    /// The direct TLS port when the TLS front is on (0: a free one).
    tls_port: Option<u16>,
    /// PSA pins of content the emulator does not hold count as retrieved.
    psa_retrievable: bool,
}

impl EmulatorBuilder {
    /// The port to listen on (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// The address to listen on (default `127.0.0.1:0`).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Keeps keys, pins and content in `dir` across restarts (created if missing).
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// Where an emulator without a state directory keeps uploads while it runs (default:
    /// the system's temp directory). It makes a `pinion-emulator-*` directory there,
    /// removed when the emulator stops or is dropped; at start-up it also removes those
    /// of emulators killed before they could (`kill -9`).
    pub fn temp_dir(mut self, parent: impl Into<PathBuf>) -> Self {
        self.temp_dir = Some(parent.into());
        self
    }

    /// Answers 429 with `Retry-After` once a client has sent `per_minute` requests to
    /// one service in the current minute.
    pub fn rate_limit_per_minute(mut self, per_minute: u32) -> Self {
        self.rate_limit = Some(per_minute);
        self
    }

    /// Starts the TLS front (`--tls`): `CONNECT host:443` answered for the emulated hosts
    /// (TLS terminated with certificates of a local CA, never a connection out), and a
    /// direct TLS port on a free port ([`tls_port`](Self::tls_port) picks it). The CA is
    /// created once and kept in the state directory (in the temporary one without);
    /// [`RunningEmulator::tls`] says where its certificate is.
    pub fn tls(mut self, on: bool) -> Self {
        self.tls_port = on.then_some(self.tls_port.unwrap_or(0));
        self
    }

    /// Starts the TLS front with its direct port on `port` (0 picks a free one).
    pub fn tls_port(mut self, port: u16) -> Self {
        self.tls_port = Some(port);
        self
    }

    /// `--psa-retrievable`: an IPFS Pinning Service API pin (Pinata's `/psa`, W3IPFS's
    /// `/api/psa`) of content the emulator does not hold counts as retrieved from the
    /// network at its next step, as if the network had it, instead of staying `queued`.
    /// Content it holds only privately is still never pinned (it is not on the network).
    pub fn psa_retrievable(mut self, on: bool) -> Self {
        self.psa_retrievable = on;
        self
    }

    /// Faults to inject from the start.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Opens the state, provisions admin credentials on first use and starts serving.
    /// Returns once the server accepts connections.
    pub async fn start(self) -> Result<RunningEmulator, EmulatorError> {
        let state = self.open_state()?;

        let listener =
            TcpListener::bind(self.addr)
                .await
                .map_err(|source| EmulatorError::Bind {
                    addr: self.addr,
                    source,
                })?;
        let addr = listener.local_addr()?;
        let origin = format!("http://{addr}");
        let mut credentials = AdminCredentials::new(&origin, &state.meta().admin);

        let app = tls::App::new(app_service(state.clone()));
        let tls = match self.tls_port {
            Some(port) => {
                let (front, access) = self.start_tls(&state, addr, port, app.clone()).await?;
                credentials.tls = Some(access);
                Some(front)
            }
            None => None,
        };
        let service = tls::ConnectFront::new(app, tls.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            // Through a listener whose connections fault injection can cut mid-request.
            axum::serve(
                cuts::CuttableListener(listener),
                axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
                    cuts::CutSwitch,
                >(service),
            )
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
        });
        tracing::info!(%origin, "pinion emulator listening");
        Ok(RunningEmulator {
            addr,
            origin,
            credentials,
            state,
            tls,
            stop: Some(stop),
            server,
        })
    }

    /// Opens the CA (beside the state, or in the temporary directory), binds the direct
    /// TLS port on the plain port's IP and starts serving it.
    async fn start_tls(
        &self,
        state: &AppState,
        plain: SocketAddr,
        port: u16,
        app: tls::App,
    ) -> Result<(Arc<tls::TlsFront>, TlsAccess), EmulatorError> {
        let dir = match (&self.state_dir, state.blobs.temporary_dir()) {
            (Some(state_dir), _) => state_dir.join(tls::DIR),
            (None, Some(temporary)) => temporary.join(tls::DIR),
            (None, None) => {
                return Err(EmulatorError::Tls(
                    "no directory to keep the CA in".to_owned(),
                ));
            }
        };
        // Absolute, so the path in the credentials works from any directory.
        let dir = std::path::absolute(&dir)?;
        let front = tls::TlsFront::open(&dir, plain.ip())
            .map_err(|error| EmulatorError::Tls(error.to_string()))?;
        let wanted = SocketAddr::new(plain.ip(), port);
        let listener = TcpListener::bind(wanted)
            .await
            .map_err(|source| EmulatorError::Bind {
                addr: wanted,
                source,
            })?;
        let https_addr = listener.local_addr()?;
        front.serve_direct(listener, app);
        let access = TlsAccess {
            ca_pem: front.ca_pem_path().to_owned(),
            https_origin: format!("https://{https_addr}"),
            proxy_url: format!("http://{plain}"),
        };
        tracing::info!(https_origin = %access.https_origin, ca = %access.ca_pem.display(), "TLS front listening");
        Ok((front, access))
    }

    /// Validates the faults, opens the state and provisions admin credentials on first
    /// use: everything [`start`](Self::start) does before it listens.
    fn open_state(&self) -> Result<AppState, EmulatorError> {
        self.faults.validate().map_err(EmulatorError::Faults)?;
        let (store, blobs) = match &self.state_dir {
            Some(dir) => open_state_dir(dir)?,
            None => {
                let parent = self.temp_dir.clone().unwrap_or_else(std::env::temp_dir);
                (Store::memory(), BlobStore::temporary_in(&parent)?)
            }
        };
        let mut data = Data::default();
        state::load_table::<Meta>(&store, &mut data)?;
        state::load_table::<content::StoredObject>(&store, &mut data)?;
        pinata::load(&store, &mut data)?;
        submarine::load(&store, &mut data)?;
        w3ipfs::load(&store, &mut data)?;
        psa::load(&store, &mut data)?;
        state::gateway::load(&store, &mut data)?;
        state::tus::load(&store, &mut data)?;
        data.psa.retrievable = self.psa_retrievable;
        let first_start = data.meta.is_empty();
        if first_start {
            data.meta.insert(
                "meta".into(),
                Meta {
                    jwt_secret: hex::encode(secrets::random_bytes::<32>()),
                    pinata_user_id: secrets::uuid(),
                    w3ipfs_user_id: secrets::uuid(),
                    // Filled in just below, once the state can sign keys.
                    admin: AdminSecrets {
                        pinata: PinataAdmin {
                            jwt: String::new(),
                            api_key: String::new(),
                            api_secret: String::new(),
                        },
                        submarine_api_key: String::new(),
                        w3ipfs: W3ipfsAdmin {
                            api_key: String::new(),
                            secret_key: String::new(),
                            jwt: String::new(),
                        },
                    },
                },
            );
        }
        let state: AppState = Arc::new(State::new(
            data,
            store,
            blobs,
            self.faults.clone(),
            RateLimiter::new(self.rate_limit),
        ));
        if first_start {
            provision(&state)?;
        }
        Ok(state)
    }
}

/// The whole application as one service: the edge (routing by host or prefix, rate
/// limits, faults) in front of every service's router.
fn app_service(
    state: AppState,
) -> impl tower::Service<
    axum::extract::Request,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future: Send,
> + Clone
+ Send
+ 'static {
    axum::middleware::from_fn_with_state(state.clone(), app::edge).layer(app::router(state))
}

fn open_state_dir(dir: &Path) -> Result<(Store, BlobStore), EmulatorError> {
    let fail = |reason: String| EmulatorError::State {
        path: dir.to_owned(),
        reason,
    };
    store::create_private_dir(dir).map_err(|e| fail(e.to_string()))?;
    let store = Store::open(&dir.join("state.redb"))?;
    let blobs = BlobStore::persistent(&dir.join("blobs")).map_err(|e| fail(e.to_string()))?;
    Ok((store, blobs))
}

/// Creates every service's admin credentials and records them in the meta row.
fn provision(state: &AppState) -> Result<(), EmulatorError> {
    let meta = state.meta();
    state.write(|tx| {
        let admin = AdminSecrets {
            pinata: pinata::provision_admin(state, tx, &meta.pinata_user_id),
            submarine_api_key: submarine::provision_admin(state, tx),
            w3ipfs: w3ipfs::provision_admin(state, tx, &meta.w3ipfs_user_id),
        };
        tx.put(Meta { admin, ..meta });
    })
}

/// A running emulator. Dropping it stops the server too and removes its temporary
/// directory; [`shutdown`](Self::shutdown) waits for in-flight requests first.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    origin: String,
    credentials: AdminCredentials,
    state: AppState,
    tls: Option<Arc<tls::TlsFront>>,
    stop: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Base URLs and admin credentials of every service.
    pub fn credentials(&self) -> &AdminCredentials {
        &self.credentials
    }

    /// The TLS front's CA certificate, direct port and proxy URL, when it runs.
    pub fn tls(&self) -> Option<&TlsAccess> {
        self.credentials.tls.as_ref()
    }

    /// Replaces the faults being injected.
    pub fn set_faults(&self, faults: Faults) -> Result<(), EmulatorError> {
        faults.validate().map_err(EmulatorError::Faults)?;
        *self
            .state
            .faults
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = faults;
        Ok(())
    }

    /// The faults being injected.
    pub fn faults(&self) -> Faults {
        self.state
            .faults
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The TUS upload bytes received and request cuts done since the start or the
    /// last [`reset_tus_received`](Self::reset_tus_received) (also
    /// `GET /_emulator/tus/received`).
    pub fn tus_received(&self) -> TusReceived {
        self.state.received.snapshot()
    }

    /// Sets the counts of [`tus_received`](Self::tus_received) back to 0 (also
    /// `POST /_emulator/tus/received/reset`).
    pub fn reset_tus_received(&self) {
        self.state.received.reset();
    }

    /// Moves the emulator's clock forward (tokens expire, jobs age) without sleeping;
    /// refused beyond 100 years ahead of the wall clock in total.
    pub fn advance_clock(&self, by: Duration) -> Result<(), EmulatorError> {
        self.state
            .clock
            .advance(by)
            .map_err(|too_far| EmulatorError::Clock(too_far.to_string()))
    }

    /// Stops accepting connections and waits for in-flight requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.server).await;
        if let Some(tls) = &self.tls {
            tls.shutdown().await;
        }
        // A connection task can outlive the server by a moment, still holding the
        // state: close the database now so a restart on the same directory opens it.
        self.state.close();
    }

    /// Serves until `signal` completes, then shuts down gracefully like
    /// [`shutdown`](Self::shutdown); returns early if the server fails.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> Result<(), EmulatorError> {
        tokio::select! {
            joined = &mut self.server => {
                self.stop = None;
                return match joined {
                    Ok(result) => result.map_err(EmulatorError::Io),
                    Err(join) => Err(EmulatorError::Io(std::io::Error::other(join))),
                };
            }
            () = signal => {}
        }
        self.shutdown().await;
        Ok(())
    }

    /// Serves until the server fails (it does not stop on its own).
    pub async fn wait(mut self) -> Result<(), EmulatorError> {
        match (&mut self.server).await {
            Ok(result) => result.map_err(EmulatorError::Io),
            Err(join) => Err(EmulatorError::Io(std::io::Error::other(join))),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if self.stop.is_some() {
            self.server.abort();
        }
        if let Some(tls) = &self.tls {
            tls.stop_now();
        }
        // Now, not when the last connection task lets go of the state.
        self.state.close();
        self.state.blobs.discard_temporary();
    }
}

#[cfg(test)]
mod shutdown_tests {
    use super::Emulator;

    /// A task of the stopped emulator that still holds the state (a connection
    /// finishing, a background job) must not keep the database open: a restart on the
    /// same directory right after `shutdown` opens it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn shutdown_closes_the_database_while_the_state_is_still_held() {
        let dir = tempfile::tempdir().unwrap();
        let first = Emulator::builder()
            .state_dir(dir.path())
            .start()
            .await
            .unwrap();
        let lingering = first.state.clone();
        first.shutdown().await;
        let second = Emulator::builder()
            .state_dir(dir.path())
            .start()
            .await
            .expect("the state directory opens again after shutdown");
        second.shutdown().await;
        // Writes from what outlived the first emulator fail instead of reaching disk.
        let late = lingering.write(|tx| {
            let meta = tx.data().meta.get("meta").cloned().unwrap();
            tx.put(meta);
        });
        assert!(late.is_err(), "a write after shutdown must be refused");
    }
}
