//! `pinion cid PATH`: the CID the services will return, computed locally (no network).
//!
//! A directory is read with the same walk an upload uses (`pinion::cid::walk_directory`
//! with the options `pin dir` would use), so the CID printed here is the one `pinion pin
//! dir` pins with the same flags.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context as _, Result};
use pinion::cid::{CidVersion, DirectoryBuilder, hash_reader, walk_directory};
use pinion::upload::UploadOptions;
use serde_json::json;

use crate::cli::CidArgs;
use crate::exit::Usage;
use crate::output::Output;
use crate::pin::warn_skipped_links;

/// `pinion cid PATH`.
pub fn cid(out: &Output, args: &CidArgs) -> Result<()> {
    let version = if args.cid_version == 0 {
        CidVersion::V0
    } else {
        CidVersion::V1
    };
    let meta = std::fs::metadata(&args.path)
        .with_context(|| format!("cannot read {}", args.path.display()))?;
    let (cid, size, is_dir) = if meta.is_dir() {
        let options = UploadOptions::default()
            .include_hidden(args.hidden)
            .follow_symlinks(args.follow_symlinks)
            .wrap_with_directory(args.wrap)
            .walk_options();
        let hashing = || format!("hashing {}", args.path.display());
        let walk = walk_directory(&args.path, &options).with_context(hashing)?;
        warn_skipped_links(walk.skipped());
        if walk.files().is_empty() {
            return Err(Usage(format!(
                "{} has no files: nothing could be uploaded (empty directories are left out, as uploads cannot carry them)",
                args.path.display()
            ))
            .into());
        }
        let summary = walk.hash(version).with_context(hashing)?;
        (summary.cid, summary.pin_size, true)
    } else {
        let file =
            File::open(&args.path).with_context(|| format!("opening {}", args.path.display()))?;
        let summary = hash_reader(BufReader::new(file), version)
            .with_context(|| format!("hashing {}", args.path.display()))?;
        if args.wrap {
            let name = file_name(&args.path)?;
            let mut builder = DirectoryBuilder::new(version);
            builder
                .add_file(&name, summary)
                .with_context(|| format!("wrapping {name}"))?;
            let dir = builder.finish();
            (dir.cid, dir.pin_size, false)
        } else {
            (summary.cid, summary.pin_size, false)
        }
    };
    let cid = cid.to_string();
    out.print(
        json!({ "cid": cid, "pin_size": size, "directory": is_dir, "cid_version": args.cid_version }),
        &[&cid],
        || cid.clone(),
    );
    Ok(())
}

fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Usage(format!("{} has no file name", path.display())).into())
}
