//! Create a Pinata key that may only pin files and unpin, for at most 100 requests,
//! then show it cannot list pins.
//!
//! `cargo run -p pinion --example least_privilege_key`

mod support;

use pinion::credentials::PinataCredentials;
use pinion::pinata::PinListFilter;
use pinion::scopes::Capability;
use pinion::scopes::pinata::PinataPermissions;
use secrecy::ExposeSecret;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let services = support::services().await?;
    let capabilities = [Capability::PinFile, Capability::Unpin];
    let permissions = PinataPermissions::for_capabilities(&capabilities)?;
    let key = services
        .pinata
        .generate_api_key("ci uploader", permissions, Some(100))
        .await?;
    // The secret and JWT are in `key` (redacted in Debug); store them now, they are
    // never shown again.
    println!("created key {} ({key:?})", key.api_key());

    let scoped = pinion::pinata::Client::builder()
        .base_url(&services.pinata_base_url)
        .credentials(PinataCredentials::jwt(key.jwt().expose_secret()))
        .build()?;
    match scoped.pins_page(&PinListFilter::default(), 0).await {
        Err(pinion::Error::Forbidden { needed, .. }) => {
            println!("as expected, the key may not list pins (needs {needed:?})");
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
