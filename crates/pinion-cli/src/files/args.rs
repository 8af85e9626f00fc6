//! `pinion files …` as clap parses it (Pinata's v3 API).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use pinion::pinata_v3::Network;

/// Which v3 network a command works on: public unless `--private`.
#[derive(Debug, Clone, Copy, Args)]
pub struct NetworkArg {
    /// Work on the private network (files reachable only through signed links).
    #[arg(long)]
    pub private: bool,
}

impl NetworkArg {
    /// The network chosen.
    pub fn network(self) -> Network {
        if self.private {
            Network::Private
        } else {
            Network::Public
        }
    }
}

/// `pinion files …`.
#[derive(Debug, Subcommand)]
pub enum FilesCommand {
    /// Upload one file, public or private (files above 100,000,000 bytes go over TUS and
    /// resume where they stopped when the command is run again).
    Upload(UploadArgs),
    /// List files.
    List(ListArgs),
    /// One file, by id.
    Get {
        /// The file id.
        id: String,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Rename a file or merge key-values into its own.
    Update {
        /// The file id.
        id: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// A key-value to set, `key=value` (repeatable).
        #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
        keyvalues: Vec<String>,
        /// A key to remove (repeatable).
        #[arg(long = "remove", value_name = "KEY")]
        remove: Vec<String>,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Delete files, by id.
    Delete {
        /// The file ids.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// A signed download link to a private file, valid for `--expires`.
    Link(LinkArgs),
    /// Pin an existing CID to the public network (Pinata fetches it from IPFS).
    Pin(PinArgs),
    /// A presigned upload URL: anyone holding it may upload one file until it expires.
    SignUpload(SignUploadArgs),
}

/// `pinion files upload`.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// The file.
    pub path: PathBuf,
    #[command(flatten)]
    pub network: NetworkArg,
    /// Add the file to this group.
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// A key-value to attach, `key=value` (repeatable).
    #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
    pub keyvalues: Vec<String>,
    /// The file's name (default: the file name).
    #[arg(long)]
    pub name: Option<String>,
    /// CID version: 0 (Qm…) or 1 (bafy…, the default).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub cid_version: Option<u8>,
    /// Upload over TUS whatever the size, so that rerunning the command after an
    /// interruption resumes it (files above 100,000,000 bytes always are).
    #[arg(long)]
    pub resumable: bool,
    /// The size of each TUS request (1MiB to 50MiB; default 50MiB).
    #[arg(long, value_parser = super::size::parse_chunk_size, value_name = "SIZE")]
    pub chunk_size: Option<u64>,
    /// Forget an interrupted upload of this file and start over from its first byte.
    #[arg(long)]
    pub restart: bool,
}

/// Filters of `pinion files list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub network: NetworkArg,
    /// Only files whose name contains this.
    #[arg(long)]
    pub name: Option<String>,
    /// Only this CID.
    #[arg(long)]
    pub cid: Option<String>,
    /// Only files of this group.
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// Only files with this key-value, `key=value` (repeatable).
    #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
    pub keyvalues: Vec<String>,
    /// Page through every file (default: the first page).
    #[arg(long)]
    pub all: bool,
}

/// `pinion files link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The CID of the private file.
    pub cid: String,
    /// How long the link works, in human units (90s, 15m, 1h, 2d).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub expires: Duration,
    /// The dedicated gateway (e.g. https://example.mypinata.cloud); default:
    /// PINATA_GATEWAY_URL, else the profile's `gateway_url`.
    #[arg(long, value_name = "URL")]
    pub gateway: Option<String>,
}

/// `pinion files pin`.
#[derive(Debug, Args)]
pub struct PinArgs {
    /// The CID.
    pub cid: String,
    /// The file's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Add the file to this group.
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// A key-value to attach, `key=value` (repeatable).
    #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
    pub keyvalues: Vec<String>,
    /// Wait until the job ends: print the pinned file, or fail when the job does.
    #[arg(long)]
    pub wait: bool,
    /// How often to ask while waiting.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "2s", value_name = "DURATION")]
    pub poll_interval: Duration,
    /// How long `--wait` waits before giving up (the job goes on at the service).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "10m", value_name = "DURATION")]
    pub wait_timeout: Duration,
}

/// `pinion files sign-upload`.
#[derive(Debug, Args)]
pub struct SignUploadArgs {
    /// How long the URL works, in human units (90s, 10m, 1h).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub expires: Duration,
    /// The largest file allowed (100MB, 1.5GiB, 4096).
    #[arg(long, value_parser = super::size::parse_size, value_name = "SIZE")]
    pub max_size: Option<u64>,
    /// A MIME type allowed, `image/*` wildcards too (repeatable; default: any file).
    #[arg(long = "mime", value_name = "TYPE")]
    pub mime_types: Vec<String>,
    /// The uploaded file's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Add the uploaded file to this group.
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// A key-value the uploaded file gets, `key=value` (repeatable).
    #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
    pub keyvalues: Vec<String>,
    #[command(flatten)]
    pub network: NetworkArg,
}
