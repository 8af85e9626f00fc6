#![allow(dead_code)] // each example uses part of it
// Shared by the examples (`mod support;`): the services to talk to. With
// credentials in the environment (PINATA_JWT, PINATA_SUBMARINE_KEY, … and their
// *_BASE_URL) the examples use them; otherwise they start a local emulator, so every
// example runs offline as it is.

use pinion::credentials::{PinataCredentials, SubmarineCredentials};

pub struct Services {
    pub pinata: pinion::pinata::Client,
    pub submarine: pinion::submarine::Client,
    /// Where Pinata is, for clients made with other credentials.
    pub pinata_base_url: String,
    /// Keeps the emulator running while the example does.
    _emulator: Option<pinion_emulator::RunningEmulator>,
}

pub async fn services() -> Result<Services, Box<dyn std::error::Error>> {
    if std::env::var_os("PINATA_JWT").is_some() {
        return Ok(Services {
            pinata: pinion::pinata::Client::from_env()?,
            submarine: pinion::submarine::Client::from_env()?,
            pinata_base_url: std::env::var("PINATA_BASE_URL")
                .unwrap_or_else(|_| "https://api.pinata.cloud".to_owned()),
            _emulator: None,
        });
    }
    let emulator = pinion_emulator::Emulator::builder().start().await?;
    let c = emulator.credentials().clone();
    eprintln!(
        "(no PINATA_JWT in the environment: using a local emulator at {})",
        emulator.origin()
    );
    let pinata = pinion::pinata::Client::builder()
        .base_url(&c.pinata.base_url)
        .credentials(PinataCredentials::jwt(&c.pinata.jwt))
        .build()?;
    let submarine = pinion::submarine::Client::builder()
        .base_url(&c.submarine.base_url)
        .credentials(SubmarineCredentials::new(&c.submarine.api_key))
        .gateway_url(&c.submarine.gateway_url)
        .build()?;
    Ok(Services {
        pinata,
        submarine,
        pinata_base_url: c.pinata.base_url.clone(),
        _emulator: Some(emulator),
    })
}
