//! Exit codes and how errors are reported.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | any other failure |
//! | 2 | usage error: a bad argument or option (also clap's own usage errors) |
//! | 3 | authentication: missing, refused or insufficient credentials |
//! | 4 | not found |
//! | 5 | rate limited |
//! | 6 | network: connection failed or timed out |

use std::process::ExitCode;

use pinion::Error;

/// A failure of the command line itself with its exit code (usage errors the library
/// cannot see, such as a secret given as an argument).
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Missing credentials: an authentication error.
#[derive(Debug)]
pub struct NoCredentials(pub String);

impl std::fmt::Display for NoCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoCredentials {}

/// Something that does not exist: exit code 4.
#[derive(Debug)]
pub struct NotFound(pub String);

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotFound {}

/// The exit code for an error.
pub fn code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<Usage>() {
            return 2;
        }
        if cause.is::<NoCredentials>() {
            return 3;
        }
        if cause.is::<NotFound>() {
            return 4;
        }
        if let Some(error) = cause.downcast_ref::<Error>() {
            return match error {
                Error::InvalidInput { .. } | Error::Scope(_) | Error::Unsupported { .. } => 2,
                Error::Unauthorized { .. } | Error::Forbidden { .. } => 3,
                Error::RateLimited { .. } => 5,
                Error::Timeout { .. } | Error::Transport { .. } => 6,
                _ if error.status().is_some_and(|s| s.as_u16() == 404) => 4,
                _ => 1,
            };
        }
    }
    1
}

/// Prints the error (as JSON on stderr with `--json`) and gives its exit code.
pub fn report(error: &anyhow::Error, json: bool) -> ExitCode {
    let code = code(error);
    if json {
        let value = serde_json::json!({ "error": format!("{error:#}"), "exit_code": code });
        eprintln!("{value}");
    } else {
        eprintln!("error: {error:#}");
    }
    ExitCode::from(code)
}
