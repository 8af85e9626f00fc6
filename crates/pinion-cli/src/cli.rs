//! The command line, as clap parses it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// Where credentials come from, the output modes and the exit codes (`pinion --help`).
const AFTER_HELP: &str = "\
Credentials: --local, else the environment (PINATA_JWT or PINATA_API_KEY + PINATA_API_SECRET,
PINATA_SUBMARINE_KEY, W3IPFS_API_KEY + W3IPFS_SECRET_KEY or W3IPFS_JWT, PSA_TOKEN), else the
profile stored by `pinion auth login` in credentials.toml (mode 0600). A Pinning Service API
endpoint (--service psa) is named by --base-url or PSA_BASE_URL; its token may also come from
--token-stdin.

Output: tables by default; --json prints JSON (errors as {\"error\", \"exit_code\"} on stderr);
-q prints the bare value (CID, content id, token) as the last line.

Exit codes: 0 success, 1 other failure, 2 usage error, 3 authentication or missing scope,
4 not found, 5 rate limited, 6 network (connection failed or timed out).";

/// pinion: Pinata and W3IPFS from the shell, safely.
///
/// Run any command with --local to use an embedded emulator instead of the real services
/// (no account, no network): `pinion --local pin file ./photo.jpg`.
#[derive(Debug, Parser)]
#[command(
    name = "pinion",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_long_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The pinning service to talk to.
    #[arg(long, global = true, value_enum, env = "PINION_SERVICE")]
    pub service: Option<ServiceName>,
    /// The profile of config.toml / credentials.toml to use.
    #[arg(long, global = true, env = "PINION_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// The service's API base URL (overrides the profile and *_BASE_URL variables).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Read the Pinning Service API access token from standard input (--service psa).
    #[arg(long, global = true)]
    pub token_stdin: bool,
    /// Use an embedded emulator whose state lives in your data dir, with admin
    /// credentials provisioned on first use: every command works offline.
    #[arg(long, global = true)]
    pub local: bool,
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only the essential value (the last line is the bare CID, id or token).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More logging (-v info, -vv debug, -vvv trace). Secrets are never logged.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Give up on a request after this long (e.g. 30s, 2m).
    #[arg(long, global = true, value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// Allow plain http:// to hosts other than this machine (an emulator in CI, say).
    ///
    /// Credentials then cross the network unencrypted. http:// to this machine
    /// (127.0.0.1, ::1, localhost) needs no opt-in.
    #[arg(
        long,
        global = true,
        env = "PINION_ALLOW_INSECURE_HTTP",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub allow_insecure_http: bool,
}

/// The pinning services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceName {
    /// Pinata (api.pinata.cloud).
    Pinata,
    /// W3IPFS (api.w3ipfs.aioz.network).
    W3ipfs,
    /// Any IPFS Pinning Service API endpoint (--base-url; token from PSA_TOKEN, the
    /// profile or --token-stdin); with --local, the emulator's Pinata /psa.
    Psa,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check or store credentials.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Create, list and revoke API keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Content access tokens for private (Submarine) content.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Pin a file, a directory, JSON or an existing CID.
    #[command(subcommand)]
    Pin(PinCommand),
    /// List and inspect pins.
    #[command(subcommand)]
    Pins(PinsCommand),
    /// Unpin a CID (Pinata), a pin id (W3IPFS) or a request id (PSA).
    Unpin {
        /// The CID (Pinata), pin id (W3IPFS) or request id (PSA).
        target: String,
    },
    /// List Pinata's pin-by-CID jobs.
    Jobs(JobsArgs),
    /// Change a pin's name and key-values (Pinata).
    #[command(subcommand)]
    Metadata(MetadataCommand),
    /// Storage used by the account.
    Usage,
    /// Compute the CID of a file or directory locally, without the network.
    Cid(CidArgs),
    /// NFTs on W3IPFS.
    #[command(subcommand)]
    Nft(NftCommand),
    /// Private content on Pinata Submarine.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Files on Pinata's v3 API, public or private (`--private`), and signed links.
    #[command(subcommand)]
    Files(crate::files::FilesCommand),
    /// Groups of files on Pinata's v3 API.
    #[command(subcommand)]
    Groups(crate::groups::GroupsCommand),
    /// Hot swaps on Pinata's v3 API: serve one CID in place of another.
    #[command(subcommand)]
    Swap(crate::swap::SwapCommand),
    /// Serve the emulator in the foreground.
    Emulator(EmulatorArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write man pages for every command into a directory.
    Man {
        /// Where to write them.
        #[arg(long, default_value = ".", value_name = "DIR")]
        out_dir: PathBuf,
    },
}

/// `pinion auth …`.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Check that the credentials work (an admin key on Pinata).
    Test,
    /// Store credentials in the profile (credentials.toml, mode 0600). Secrets are read
    /// from stdin, a file or a prompt without echo; never pass them as arguments.
    Login(LoginArgs),
    /// Remove the profile's stored credentials.
    Logout,
}

/// Where `auth login` reads each secret from.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// What to store.
    #[arg(value_enum)]
    pub kind: SecretKind,
    /// The API key (for key pairs; not secret on its own).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Read the secret from this file (first line).
    #[arg(long, value_name = "FILE", conflicts_with = "stdin")]
    pub from_file: Option<PathBuf>,
    /// Read the secret from standard input (first line).
    #[arg(long)]
    pub stdin: bool,
    /// Never used: a secret given as an argument is refused (shell history, `ps`).
    #[arg(hide = true, value_name = "SECRET")]
    pub secret_argument: Option<String>,
    /// Never used: a secret given as an option is refused (shell history, `ps`).
    #[arg(
        long = "secret",
        hide = true,
        alias = "jwt",
        alias = "api-secret",
        alias = "secret-key",
        alias = "token"
    )]
    pub secret_option: Option<String>,
}

/// The kinds of secret a profile stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecretKind {
    /// A Pinata JWT.
    PinataJwt,
    /// A Pinata key pair (`--api-key` plus the secret).
    PinataKey,
    /// A Submarine key.
    SubmarineKey,
    /// A W3IPFS key pair (`--api-key` plus the secret key).
    W3ipfsKey,
    /// A W3IPFS JWT.
    W3ipfsJwt,
    /// A Pinning Service API access token (--base-url stores its endpoint).
    PsaToken,
}

/// `pinion keys …`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key with least-privilege scopes. The secret is printed once.
    Create(KeysCreateArgs),
    /// List the account's keys (secrets are never listed).
    List {
        /// Page through every key.
        #[arg(long)]
        all: bool,
    },
    /// Revoke (Pinata) or delete (W3IPFS) a key.
    Revoke {
        /// The API key (Pinata) or key id (W3IPFS).
        key: String,
    },
}

/// `pinion keys create`.
#[derive(Debug, Args)]
pub struct KeysCreateArgs {
    /// The key's name.
    pub name: String,
    /// A capability to grant (repeatable): pin-file, pin-json, pin-by-cid, unpin,
    /// list-pins, pin-jobs, edit-metadata, usage, list-nfts, pin-nft, unpin-nft, admin.
    #[arg(long = "capability", short = 'c', value_name = "CAPABILITY")]
    pub capabilities: Vec<String>,
    /// A raw scope flag of the service (repeatable): Pinata `endpoints.pinning.unpin`,
    /// W3IPFS `pinning.unpin`…
    #[arg(long = "scope", value_name = "FLAG")]
    pub scopes: Vec<String>,
    /// A v3 `resources` scope to grant (repeatable, Pinata): org:files:write,
    /// org:groups:read… Makes a v3 key.
    #[arg(long = "resource", value_name = "SCOPE", conflicts_with = "scopes")]
    pub resources: Vec<String>,
    /// Make a Pinata v3 key: each --capability maps onto the least `resources` scope
    /// (implied by --resource).
    #[arg(long, conflicts_with = "scopes")]
    pub v3: bool,
    /// Make an admin key.
    #[arg(long)]
    pub admin: bool,
    /// How many requests the key may make (Pinata).
    #[arg(long, value_name = "N")]
    pub max_uses: Option<u64>,
}

/// `pinion token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a content access token and print it with the access links.
    Create(TokenCreateArgs),
}

/// `pinion token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// Submarine content ids (UUIDs) the token opens.
    #[arg(required = true, value_name = "CONTENT_ID")]
    pub content_ids: Vec<String>,
    /// How long the token is valid, in human units (90s, 15m, 1h, 2d).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "1h")]
    pub ttl: Duration,
    /// The dedicated gateway for the links (e.g. https://example.mypinata.cloud).
    #[arg(long, value_name = "URL")]
    pub gateway: Option<String>,
}

/// Metadata options shared by the pin commands.
#[derive(Debug, Args, Clone)]
pub struct PinOptions {
    /// The pin's name (default: the file or directory name).
    #[arg(long)]
    pub name: Option<String>,
    /// A key-value to attach, `key=value` (repeatable).
    #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
    pub keyvalues: Vec<String>,
    /// CID version: 0 (Qm…) or 1 (bafy…).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub cid_version: Option<u8>,
    /// Wrap the content in a directory.
    #[arg(long)]
    pub wrap: bool,
    /// Add to this group (Pinata).
    #[arg(long, value_name = "GROUP_ID")]
    pub group: Option<String>,
    /// Compute the CID locally and fail if the service's differs (the default).
    #[arg(long, overrides_with = "no_verify")]
    pub verify: bool,
    /// Do not compare the service's CID with the one computed locally.
    #[arg(long, overrides_with = "verify")]
    pub no_verify: bool,
    /// Upload nothing when the CID is already pinned.
    #[arg(long)]
    pub skip_existing: bool,
}

/// `pinion pin …`.
#[derive(Debug, Subcommand)]
pub enum PinCommand {
    /// Pin one file.
    File {
        /// The file.
        path: PathBuf,
        #[command(flatten)]
        options: PinOptions,
    },
    /// Pin a directory, recursively.
    Dir {
        /// The directory.
        path: PathBuf,
        /// Include hidden files (names starting with a dot).
        #[arg(long)]
        hidden: bool,
        /// Follow symbolic links that stay inside the directory (by default every
        /// link is left out, with a warning; links leading outside never count).
        #[arg(long)]
        follow_symlinks: bool,
        #[command(flatten)]
        options: PinOptions,
    },
    /// Pin JSON from a file, or from stdin with `-` (Pinata).
    Json {
        /// The JSON file, or `-`.
        path: PathBuf,
        #[command(flatten)]
        options: PinOptions,
    },
    /// Pin an existing CID (the service fetches it from IPFS).
    Cid {
        /// The CID.
        cid: String,
        /// The pin's name.
        #[arg(long)]
        name: Option<String>,
        /// A key-value to attach, `key=value` (repeatable; a PSA pin's `meta`).
        #[arg(
            long = "keyvalue",
            short = 'k',
            visible_alias = "meta",
            value_name = "KEY=VALUE"
        )]
        keyvalues: Vec<String>,
        /// A multiaddr of a node that has the content (repeatable; Pinata, and a PSA
        /// pin's `origins`).
        #[arg(long = "host-node", visible_alias = "origin", value_name = "MULTIADDR")]
        host_nodes: Vec<String>,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

/// Waiting until a Pinning Service API pin is pinned.
#[derive(Debug, Args, Clone)]
pub struct WaitArgs {
    /// Wait until the pin is pinned; fail if it fails (--service psa).
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this long (e.g. 30s, 10m).
    #[arg(
        long,
        requires = "wait",
        value_parser = humantime::parse_duration,
        default_value = "10m",
        value_name = "DURATION"
    )]
    pub wait_timeout: Duration,
}

/// `pinion pins …`.
#[derive(Debug, Subcommand)]
pub enum PinsCommand {
    /// List pins.
    List(PinsListArgs),
    /// One pin, by CID (Pinata), pin id (W3IPFS) or request id (PSA).
    Get {
        /// The CID, pin id or request id.
        target: String,
    },
    /// Replace a pin request by one of another CID (--service psa).
    Replace(PinsReplaceArgs),
}

/// `pinion pins replace`.
#[derive(Debug, Args)]
pub struct PinsReplaceArgs {
    /// The request id of the pin to replace.
    pub requestid: String,
    /// The CID to pin instead.
    pub cid: String,
    /// The new pin's name.
    #[arg(long)]
    pub name: Option<String>,
    /// A key-value of the new pin's `meta`, `key=value` (repeatable).
    #[arg(long = "meta", value_name = "KEY=VALUE")]
    pub meta: Vec<String>,
    /// A multiaddr of a node that has the content (repeatable).
    #[arg(long = "origin", value_name = "MULTIADDR")]
    pub origins: Vec<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// Filters of `pins list`.
#[derive(Debug, Args)]
pub struct PinsListArgs {
    /// Only this CID (repeatable up to 10 with --service psa).
    #[arg(long)]
    pub cid: Vec<String>,
    /// Only pins whose name contains this (PSA: matched as --match says).
    #[arg(long)]
    pub name: Option<String>,
    /// How --name matches (PSA): exact (default), iexact, partial or ipartial.
    #[arg(long = "match", requires = "name", value_name = "HOW")]
    pub name_match: Option<String>,
    /// pinned, unpinned or all; PSA: queued, pinning, pinned, failed (comma-separated)
    /// or all.
    #[arg(long)]
    pub status: Option<String>,
    /// A key-value filter `key=value` (repeatable; a PSA pin's `meta`).
    #[arg(
        long = "keyvalue",
        short = 'k',
        visible_alias = "meta",
        value_name = "KEY=VALUE"
    )]
    pub keyvalues: Vec<String>,
    /// Created strictly before this date (PSA, RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub before: Option<String>,
    /// Created strictly after this date (PSA, RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub after: Option<String>,
    /// Pinned at or after this date (RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub pinned_after: Option<String>,
    /// Pinned at or before this date (RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub pinned_before: Option<String>,
    /// Only pins at least this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub min_size: Option<u64>,
    /// Only pins at most this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<u64>,
    /// Only pins in this group (Pinata).
    #[arg(long, value_name = "GROUP_ID")]
    pub group: Option<String>,
    /// How many to show (one page).
    #[arg(long, default_value_t = 10)]
    pub limit: u32,
    /// Page through every pin.
    #[arg(long)]
    pub all: bool,
}

/// `pinion jobs`.
#[derive(Debug, Args)]
pub struct JobsArgs {
    /// Only jobs in this status (prechecking, searching, retrieving, expired, …).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this CID.
    #[arg(long)]
    pub cid: Option<String>,
    /// Page through every job.
    #[arg(long)]
    pub all: bool,
}

/// `pinion metadata …`.
#[derive(Debug, Subcommand)]
pub enum MetadataCommand {
    /// Set a pin's name and key-values (merged; `--remove KEY` deletes one).
    Set {
        /// The CID.
        cid: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// A key-value to set, `key=value` (repeatable).
        #[arg(long = "keyvalue", short = 'k', value_name = "KEY=VALUE")]
        keyvalues: Vec<String>,
        /// A key to remove (repeatable).
        #[arg(long, value_name = "KEY")]
        remove: Vec<String>,
    },
}

/// `pinion cid`.
#[derive(Debug, Args)]
pub struct CidArgs {
    /// A file or directory.
    pub path: PathBuf,
    /// CID version: 0 (Qm…) or 1 (bafy…).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub cid_version: u8,
    /// Include hidden files of a directory.
    #[arg(long)]
    pub hidden: bool,
    /// Follow symbolic links of a directory that stay inside it, as `pin dir
    /// --follow-symlinks` does.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Wrap in a directory, as `--wrap` uploads do.
    #[arg(long)]
    pub wrap: bool,
}

/// `pinion nft …` (W3IPFS).
#[derive(Debug, Subcommand)]
pub enum NftCommand {
    /// Upload an asset with its metadata as an NFT.
    Create {
        /// The asset file.
        asset: PathBuf,
        /// The NFT metadata: a JSON file.
        #[arg(long, value_name = "FILE")]
        metadata: PathBuf,
    },
    /// List NFTs.
    List {
        /// Page through every NFT.
        #[arg(long)]
        all: bool,
    },
    /// One NFT.
    Get {
        /// The NFT id.
        id: String,
    },
    /// Unpin an NFT.
    Unpin {
        /// The NFT id.
        id: String,
    },
}

/// `pinion content …` (Submarine).
#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Upload a file or directory as private content.
    Upload {
        /// The file or directory.
        path: PathBuf,
        /// The content's name.
        #[arg(long)]
        name: Option<String>,
        /// Include hidden files of a directory.
        #[arg(long)]
        hidden: bool,
    },
    /// List content.
    List {
        /// Only content whose name contains this.
        #[arg(long)]
        name: Option<String>,
        /// Page through everything.
        #[arg(long)]
        all: bool,
    },
    /// One content item.
    Get {
        /// The content id (UUID).
        id: String,
    },
    /// Rename, or make public (pin to IPFS).
    Update {
        /// The content id (UUID).
        id: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// Make it public.
        #[arg(long)]
        public: bool,
    },
    /// Delete content.
    Delete {
        /// The content id (UUID).
        id: String,
    },
}

/// `pinion emulator`.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Keep state in this directory (default: the --local state in your data dir).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Keep state in memory only.
    #[arg(long, conflicts_with = "state_dir")]
    pub memory: bool,
    /// Write the base URLs and admin credentials as JSON (mode 0600).
    #[arg(long, value_name = "FILE")]
    pub credentials_out: Option<PathBuf>,
}
