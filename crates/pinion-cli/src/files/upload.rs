//! `pinion files upload`: one file through Pinata's v3 API.
//!
//! Files above the multipart limit, and any file with `--resumable`, go over TUS and
//! are resumable across processes: the library hands over a resume handle as soon as
//! the upload exists on the service (before its first byte), which is kept in the
//! pending-upload [journal](super::journal) until the upload completes. Running the
//! same command again (same service, profile, endpoint, network, name, group,
//! key-values, CID version and file) continues from where the service stands.
//!
//! What happens to an entry that cannot be used:
//! - unreadable (corrupt, foreign format, a handle this pinion cannot read, or made
//!   with the `--local` emulator at a port it no longer has): said on stderr, discarded,
//!   and the upload starts afresh (there is nothing to resume from, and an upload URL is
//!   never sent to whatever listens at an old address);
//! - the file changed since the interrupted run (size, modification time or inode):
//!   refused, nothing sent, with the advice to rerun with `--restart`, the same as the
//!   library refuses a file that changes while it is sent;
//! - `--restart`: discarded (and said so), the upload starts from its first byte.
//!
//! A second run of the same upload while one is going is refused ([`UploadLock`]).

use std::path::Path;

use anyhow::{Context as _, Result};
use pinion::pinata_v3::{MULTIPART_LIMIT, ResumeHandle, UploadedFile};
use pinion::upload::UploadOptions;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::args::UploadArgs;
use super::journal::{FileIdentity, Journal, Pending, UploadKey};
use super::upload_lock::UploadLock;
use crate::context::Ctx;
use crate::exit::Usage;
use crate::output::bytes;
use crate::pin::{keyvalues, progress, version};

/// Runs `pinion files upload`.
pub async fn upload(ctx: &Ctx, args: UploadArgs) -> Result<()> {
    if args.path.is_dir() {
        return Err(Usage(format!(
            "{} is a directory: `pinion files upload` takes one file (`pinion pin dir` pins a directory publicly)",
            args.path.display()
        ))
        .into());
    }
    let canonical = std::fs::canonicalize(&args.path)
        .with_context(|| format!("reading {}", args.path.display()))?;
    let identity =
        FileIdentity::of(&canonical).with_context(|| format!("reading {}", args.path.display()))?;
    let len = identity.len;
    let mut journal = Journal::new(
        &ctx.paths.data_dir,
        &key(ctx, &args, canonical)?,
        identity.clone(),
    );
    if let Some(local) = ctx.local() {
        journal = journal.served_at(&local.pinata.uploads_url);
    }
    // Over TUS unless small and not asked for: only then is there a journal to keep.
    let wants_tus = args.resumable || len > MULTIPART_LIMIT;
    let lock = match UploadLock::take(journal.path()) {
        Ok(Some(lock)) => Some(lock),
        Ok(None) => anyhow::bail!(
            "another `pinion files upload` of {} with the same options is running: wait for it to end (or stop it), then run this again",
            args.path.display()
        ),
        // A multipart upload needs no journal: an unwritable data directory is no
        // reason to refuse it.
        Err(_) if !wants_tus => None,
        Err(error) => {
            return Err(error).with_context(|| {
                format!(
                    "locking {} (resumable uploads keep their journal there)",
                    journal.path().display()
                )
            });
        }
    };
    let handle = match &lock {
        Some(_) => pending_handle(&args, &journal, &identity)?,
        None => None,
    };
    let tus = handle.is_some() || wants_tus;
    let mut options = options(&args)?;
    // Checked by the library whichever way the file goes.
    if let Some(size) = args.chunk_size {
        options = options.tus_chunk_size(size);
    }
    if tus {
        options = options.resumable(true);
        let writer = journal.clone();
        options = options.on_resume_handle(move |handle: &ResumeHandle| {
            writer.save(&SecretString::from(handle.to_json()))
        });
    }
    let bar = progress(ctx, &args.path);
    if let Some(bar) = &bar {
        options = bar.attach(options);
    }
    let client = ctx.pinata_v3()?;
    let result = match &handle {
        Some(handle) => client.resume_upload(handle, options).await,
        None => {
            client
                .upload_file(args.network.network(), args.path.clone(), options)
                .await
        }
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    let file = match result {
        Ok(file) => file,
        Err(error) => {
            // A changed file cannot be resumed: the library's error says to start over.
            let resumable = tus
                && journal.path().exists()
                && !matches!(error, pinion::Error::FileChanged { .. });
            let error = anyhow::Error::new(error);
            return Err(if resumable {
                error.context(format!(
                    "uploading {} (run the same command again to resume it, or add --restart to start over)",
                    args.path.display()
                ))
            } else {
                error.context(format!("uploading {}", args.path.display()))
            });
        }
    };
    let cleaned = match lock {
        Some(lock) => journal.discard().and_then(|_| lock.release()),
        None => Ok(()),
    };
    if let Err(error) = cleaned {
        eprintln!(
            "warning: {} is uploaded but its journal entry {} could not be removed ({error}); \
             rerunning the command finds the file already there",
            args.path.display(),
            journal.path().display()
        );
    }
    print_uploaded(ctx, &file, len);
    Ok(())
}

/// The interrupted upload to resume, if the journal holds a usable one: `--restart`
/// forgets it (and says so), an unreadable one is reported and forgotten, one for a
/// file that changed since is refused.
fn pending_handle(
    args: &UploadArgs,
    journal: &Journal,
    identity: &FileIdentity,
) -> Result<Option<ResumeHandle>> {
    if args.restart {
        let forgot = journal
            .discard()
            .with_context(|| format!("removing {}", journal.path().display()))?;
        if forgot {
            eprintln!(
                "note: forgot the interrupted upload of {}; starting over",
                args.path.display()
            );
        }
        return Ok(None);
    }
    match journal.load() {
        Pending::None => Ok(None),
        Pending::Found(text) => match ResumeHandle::from_json(text.expose_secret()) {
            Ok(handle) => Ok(Some(handle)),
            Err(error) => {
                start_afresh(&args.path, journal, &error.to_string())?;
                Ok(None)
            }
        },
        Pending::Unreadable(why) => {
            start_afresh(&args.path, journal, &why)?;
            Ok(None)
        }
        // Exit 1, as the library's refusal of a file changing while it is sent.
        Pending::Changed { was } => Err(anyhow::anyhow!(
            "{} changed since its upload was interrupted ({}): rerun with --restart to upload it as it is now",
            args.path.display(),
            was.differences(identity)
        )),
    }
}

/// Says why the journal entry is unusable, discards it, and lets the upload start
/// from the beginning.
fn start_afresh(path: &Path, journal: &Journal, why: &str) -> Result<()> {
    eprintln!(
        "warning: the journal entry of an interrupted upload of {} ({}) cannot be used: {why}; starting over",
        path.display(),
        journal.path().display()
    );
    journal
        .discard()
        .with_context(|| format!("removing {}", journal.path().display()))?;
    Ok(())
}

/// What makes this command the same upload as an interrupted one.
fn key(ctx: &Ctx, args: &UploadArgs, path: std::path::PathBuf) -> Result<UploadKey> {
    let keyvalues = keyvalues(&args.keyvalues)?
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            (key, value)
        })
        .collect();
    Ok(UploadKey {
        service: "pinata".to_owned(),
        profile: ctx.profile_name.clone(),
        endpoint: ctx.pinata_endpoint(),
        network: args.network.network().to_string(),
        name: args.name.clone(),
        group: args.group.clone(),
        keyvalues,
        cid_version: args.cid_version,
        path,
    })
}

/// The upload's options from the command line (name, key-values, CID version, group).
fn options(args: &UploadArgs) -> Result<UploadOptions> {
    let mut options = UploadOptions::default();
    if let Some(name) = &args.name {
        options = options.name(name);
    }
    for (key, value) in keyvalues(&args.keyvalues)? {
        options = options.keyvalue(key, value);
    }
    if let Some(v) = version(args.cid_version) {
        options = options.cid_version(v);
    }
    if let Some(group) = &args.group {
        options = options.group(group);
    }
    Ok(options)
}

/// The `--json` object of `files upload` (documented in the README).
fn uploaded_json(file: &UploadedFile) -> Value {
    json!({
        "id": file.id,
        "cid": file.cid,
        "size": file.size,
        "network": file.network.to_string(),
        "name": file.name,
        "duplicate": file.duplicate.unwrap_or(false),
        "verified": file.verified,
        "resumed_from": file.resumed_from,
        "bytes_sent": file.bytes_sent,
    })
}

/// Prints the uploaded file; `len` is the local file's length (the service's `size`
/// counts the DAG, a little more).
fn print_uploaded(ctx: &Ctx, file: &UploadedFile, len: u64) {
    ctx.out.print(uploaded_json(file), &[&file.cid], || {
        let what = if file.duplicate == Some(true) {
            "already there"
        } else {
            "uploaded"
        };
        let mut text = format!(
            "{what} {} on the {} network ({})\n",
            file.name.as_deref().unwrap_or("(unnamed)"),
            file.network,
            bytes(file.size),
        );
        if file.resumed_from > 0 {
            text.push_str(&format!("  resumed at {} of {len}\n", file.resumed_from));
        }
        text.push_str(&format!("  file id: {}\n{}", file.id, file.cid));
        text
    });
}
