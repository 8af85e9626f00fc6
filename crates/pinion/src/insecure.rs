//! Plain `http://`: allowed to this machine, refused to any other host unless the user
//! opted in, since every request carries credentials.

use std::net::IpAddr;

use url::{Host, Url};

use crate::Error;

/// Refuses `url` (already checked by `parse_base_url`) when it is plain `http://` to a
/// host that is not loopback and `allowed` is false.
pub(crate) fn check(what: &str, url: &str, allowed: bool) -> Result<(), Error> {
    let Ok(parsed) = Url::parse(url) else {
        return Ok(());
    };
    if allowed || parsed.scheme() != "http" || is_loopback(&parsed) {
        return Ok(());
    }
    let host = parsed.host_str().unwrap_or_default();
    Err(Error::invalid_input(
        what,
        format!(
            "`{url}` is plain http to {host}, which is not this machine, so the credentials would cross the network unencrypted: use https://, or allow it explicitly (an emulator container in CI, say) with ClientBuilder::allow_insecure_http(true), the CLI's --allow-insecure-http or {}=1",
            crate::config::ALLOW_INSECURE_HTTP_VAR
        ),
    ))
}

/// Whether the URL's host is this machine: `127.0.0.0/8`, `::1` (also as an
/// IPv4-mapped address) or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).to_canonical().is_loopback(),
        Some(Host::Domain(name)) => {
            let name = name.strip_suffix('.').unwrap_or(name);
            name.eq_ignore_ascii_case("localhost")
        }
        None => false,
    }
}

/// Reads a yes/no setting the way the CLI's flags do: `1`, `true`, `yes`, `on`, `y`,
/// `t` or `0`, `false`, `no`, `off`, `n`, `f`, in any case; `None` for anything else.
pub(crate) fn parse_yes_no(value: &str) -> Option<bool> {
    let value = value.trim().to_ascii_lowercase();
    match value.as_str() {
        "1" | "true" | "yes" | "on" | "y" | "t" => Some(true),
        "0" | "false" | "no" | "off" | "n" | "f" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_off_this_machine_only() {
        for fine in [
            "https://api.pinata.cloud",
            "http://127.0.0.1:8080/pinata",
            "http://127.8.9.10",
            "http://[::1]:8080",
            "http://[::ffff:127.0.0.1]:8080",
            "http://localhost:8080",
            "http://LOCALHOST.:8080",
        ] {
            assert!(check("base URL", fine, false).is_ok(), "{fine}");
        }
        for refused in [
            "http://emulator:8080/pinata",
            "http://api.pinata.cloud",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.evil.example",
            "http://0.0.0.0:8080",
        ] {
            let error = check("base URL", refused, false).unwrap_err().to_string();
            assert!(error.starts_with("invalid base URL"), "{error}");
            assert!(error.contains("allow_insecure_http(true)"), "{error}");
            assert!(error.contains("--allow-insecure-http"), "{error}");
            assert!(error.contains("PINION_ALLOW_INSECURE_HTTP=1"), "{error}");
            assert!(check("base URL", refused, true).is_ok(), "{refused}");
        }
    }

    #[test]
    fn yes_and_no_are_read_like_the_cli_reads_them() {
        for yes in ["1", "true", "YES", " on ", "y", "T"] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["0", "false", "No", "off", "n", "F"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
        for neither in ["", "2", "maybe", "enable"] {
            assert_eq!(parse_yes_no(neither), None, "{neither}");
        }
    }
}
