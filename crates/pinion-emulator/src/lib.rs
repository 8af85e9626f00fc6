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
//! | dedicated gateway | `http://127.0.0.1:PORT/gateway` (`/ipfs/<cid>[/path]`) |
//!
//! Requests whose `Host` is a real service host (`api.pinata.cloud`,
//! `uploads.pinata.cloud`, `managed.mypinata.cloud`, the W3IPFS hosts, `<name>.mypinata.cloud`) are routed by
//! host instead, so clients configured for the real services work through a proxy or
//! a hosts-file entry. Admin credentials for every service are provisioned on first
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
mod faults;
mod gateway;
mod guard;
mod jwt;
mod limits;
mod pinata;
mod pinata_v3;
mod secrets;
mod service;
mod signals;
pub(crate) mod signed_url;
mod state;
mod store;
mod submarine;
mod temp_dirs;
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
    AdminCredentials, AdminSecrets, PinataAccess, PinataAdmin, SubmarineAccess, W3ipfsAccess,
    W3ipfsAdmin,
};
pub use faults::Faults;
pub use signals::stop_requested;

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
        let credentials = AdminCredentials::new(&origin, &state.meta().admin);

        let service = app_service(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                axum::ServiceExt::<axum::extract::Request>::into_make_service(service),
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
            stop: Some(stop),
            server,
        })
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
        state::gateway::load(&store, &mut data)?;
        state::tus::load(&store, &mut data)?;
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
        // Now, not when the last connection task lets go of the state.
        self.state.blobs.discard_temporary();
    }
}
