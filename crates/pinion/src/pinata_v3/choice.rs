//! Choosing the legacy or the v3 API for what both can do.

use crate::Error;
use crate::config::ClientBuilder;
use crate::credentials::PinataCredentials;
use crate::service::AnyPinningClient;

/// Which Pinata API a [`PinningService`](crate::PinningService) client uses.
///
/// - [`Legacy`](Self::Legacy) (`/pinning`, `/data`): takes a JWT or an API key and
///   secret, and keys scoped with legacy `endpoints`; uploads directories as one
///   request; what the existing tooling and the CLI's `pin` commands use.
/// - [`V3`](Self::V3) (`/v3`): takes only a JWT of a key with `resources` scopes (or an
///   admin key); files have ids and networks (public or private), groups, pin-by-CID
///   queues; Pinata's current SDK and docs use it.
///
/// ```no_run
/// # async fn run() -> Result<(), pinion::Error> {
/// use pinion::PinningService;
/// use pinion::pinata::PinataCredentials;
/// use pinion::pinata_v3::PinataApi;
///
/// let client = pinion::pinata::Client::builder()
///     .credentials(PinataCredentials::jwt(std::env::var("PINATA_JWT").unwrap_or_default()))
///     .api(PinataApi::V3)
///     .build_pinning()?;
/// let pins = client.list_pins().await?;
/// println!("{} pins", pins.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PinataApi {
    /// `api.pinata.cloud` without `/v3`.
    #[default]
    Legacy,
    /// `api.pinata.cloud/v3` and `uploads.pinata.cloud/v3`.
    V3,
}

impl ClientBuilder<PinataCredentials> {
    /// Which API [`build_pinning`](Self::build_pinning) uses (default
    /// [`PinataApi::Legacy`]).
    pub fn api(mut self, api: PinataApi) -> Self {
        self.pinata_api = api;
        self
    }

    /// A [`PinningService`](crate::PinningService) client over the API chosen with
    /// [`api`](Self::api).
    pub fn build_pinning(self) -> Result<AnyPinningClient, Error> {
        Ok(match self.pinata_api {
            PinataApi::Legacy => AnyPinningClient::Pinata(self.build()?),
            PinataApi::V3 => AnyPinningClient::PinataV3(self.build_v3()?),
        })
    }
}
