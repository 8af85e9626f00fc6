//! Pin a directory with a progress bar on stderr and check the CID the service returns
//! against the one computed locally.
//!
//! `cargo run -p pinion --example pin_directory [DIR]` (default: a small generated site)

mod support;

use pinion::cid::{CidVersion, HashDirectoryOptions, hash_directory};
use pinion::upload::UploadOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let services = support::services().await?;
    let scratch = tempfile::tempdir()?;
    let dir = match std::env::args().nth(1) {
        Some(dir) => std::path::PathBuf::from(dir),
        None => {
            let site = scratch.path().join("site");
            std::fs::create_dir_all(site.join("css"))?;
            std::fs::write(site.join("index.html"), "<h1>hello</h1>\n")?;
            std::fs::write(site.join("css/site.css"), "h1 { color: teal }\n")?;
            std::fs::write(site.join("big.bin"), vec![7u8; 3 << 20])?;
            site
        }
    };

    let local = hash_directory(&dir, CidVersion::V1, &HashDirectoryOptions::new())?;
    println!("local CID   {}", local.cid);

    let options = UploadOptions::default()
        .cid_version(CidVersion::V1)
        .verify(true)
        .on_progress(|progress| {
            if let Some(total) = progress.total {
                eprint!(
                    "\r{:>5.1}% of {total} bytes",
                    progress.sent as f64 * 100.0 / total as f64
                );
            }
        });
    let pinned = services.pinata.pin_directory(&dir, options).await?;
    eprintln!();
    println!("pinned CID  {} (verified: {})", pinned.cid, pinned.verified);
    assert_eq!(pinned.cid, local.cid.to_string());
    Ok(())
}
