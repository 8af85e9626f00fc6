//! Reading a secret without exposing it: from a file, from stdin, or from a prompt that
//! does not echo. Never from a command-line argument (shell history, `ps`).

use std::io::BufRead;
use std::path::Path;

use anyhow::{Context, Result, bail};
use secrecy::SecretString;

/// Where to read the secret from.
pub enum Source<'a> {
    /// The first line of a file.
    File(&'a Path),
    /// The first line of standard input.
    Stdin,
    /// An interactive prompt without echo.
    Prompt(&'a str),
}

/// Reads one secret (its first line, trimmed); refuses an empty one.
pub fn read(source: Source<'_>) -> Result<SecretString> {
    let line = match source {
        Source::File(path) => {
            crate::config::check_private(path).or_else(|error| {
                // A secrets file others can read is worth a warning, not a refusal:
                // the user chose it; say how to fix it.
                eprintln!("warning: {error:#}");
                Ok::<_, anyhow::Error>(())
            })?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the secret from {}", path.display()))?;
            text.lines().next().unwrap_or_default().to_owned()
        }
        Source::Stdin => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the secret from standard input")?;
            line
        }
        Source::Prompt(prompt) => rpassword::prompt_password(prompt).context(
            "reading the secret from the terminal (use --stdin or --from-file in scripts)",
        )?,
    };
    let secret = line.trim().to_owned();
    if secret.is_empty() {
        bail!("the secret is empty: give it on the first line of the file or of stdin");
    }
    Ok(SecretString::from(secret))
}
