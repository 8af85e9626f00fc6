//! Failures without an answer: timeouts, refused connections and refused redirects.

use super::{Error, TimeoutPhase};
use crate::redirect::CrossOrigin;
use crate::scopes::Service;

/// Turns a reqwest failure into [`Error::Timeout`], [`Error::CrossOriginRedirect`] or
/// [`Error::Transport`] (whose source carries no URL: queries may hold tokens).
pub(crate) fn from_reqwest(
    service: Service,
    error: reqwest::Error,
    timeouts: &crate::config::Timeouts,
) -> Error {
    if let Some(CrossOrigin { from, to }) = crate::redirect::refused_cross_origin(&error) {
        return Error::CrossOriginRedirect { service, from, to };
    }
    if error.is_timeout() {
        if error.is_connect() {
            return Error::Timeout {
                service,
                phase: TimeoutPhase::Connect,
                after: timeouts.connect,
            };
        }
        return Error::Timeout {
            service,
            phase: TimeoutPhase::Request,
            after: timeouts.request,
        };
    }
    // A connect error whose cause is the connect timeout.
    if error.is_connect() && source_chain_mentions_timeout(&error) {
        return Error::Timeout {
            service,
            phase: TimeoutPhase::Connect,
            after: timeouts.connect,
        };
    }
    Error::Transport {
        service,
        source: error.without_url(),
    }
}

fn source_chain_mentions_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if e.to_string().to_ascii_lowercase().contains("timed out") {
            return true;
        }
        current = e.source();
    }
    false
}
