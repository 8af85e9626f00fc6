//! Upload private content to Submarine, mint a one-hour access token for it and print
//! the gateway link that opens it.
//!
//! `cargo run -p pinion --example access_link`

mod support;

use std::time::Duration;

use pinion::token::ContentTokenRequest;
use pinion::upload::{UploadOptions, UploadSource};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let services = support::services().await?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("report.txt");
    std::fs::write(&path, "quarterly figures, members only\n")?;

    let uploaded = services
        .submarine
        .upload(
            UploadSource::File(path),
            UploadOptions::default().name("Q3 report"),
            false,
        )
        .await?;
    let content_id = uploaded
        .id
        .clone()
        .ok_or("Submarine returned no content id")?;
    println!("uploaded {} as content {content_id}", uploaded.cid);

    // Refused before any request: a lifetime under a second, or ids that are not UUIDs.
    let request = ContentTokenRequest::from_strings(3600, [content_id.as_str()])?;
    let token = services.submarine.create_access_token(&request).await?;
    println!(
        "token expires at {:?} (the token itself stays secret: {token:?})",
        token.expires_at()
    );
    let link = services
        .submarine
        .access_link(&uploaded.cid, None, &token)?;
    println!("{link}");

    let bad = ContentTokenRequest::new(Duration::from_millis(1500), []);
    println!("a 1.5 s lifetime is refused: {}", bad.unwrap_err());
    Ok(())
}
