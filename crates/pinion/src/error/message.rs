//! The sentences of [`Error`](super::Error)'s `Display`: what the service said, the
//! wait it asked for, and what to do about a missing capability.

use std::time::Duration;

use http::StatusCode;

use crate::scopes::{Capability, Service};

pub(super) fn api_message(
    service: Service,
    status: StatusCode,
    reason: Option<&str>,
    details: Option<&str>,
    message: Option<&str>,
    body: Option<&str>,
) -> String {
    let mut text = format!("{service} answered {status}");
    let parts: Vec<&str> = [reason, details, message]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    if !parts.is_empty() {
        text.push_str(": ");
        text.push_str(&parts.join(": "));
    } else if let Some(body) = body.filter(|body| !body.trim().is_empty()) {
        text.push_str(": ");
        text.push_str(body.trim());
    }
    text
}

pub(super) fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |after| {
        format!(" (it asked to wait {}s)", after.as_secs())
    })
}

pub(super) fn with_message(message: Option<&str>) -> String {
    message
        .filter(|m| !m.is_empty())
        .map_or_else(String::new, |m| format!(" ({m})"))
}

pub(super) fn needed_hint(needed: Option<Capability>) -> String {
    match needed {
        Some(Capability::Admin) => "; this operation needs an admin key".to_owned(),
        Some(capability) => format!(
            "; it needs the `{capability}` capability ({}): create a key that has it, or check that the key has uses left",
            capability.description()
        ),
        None => "; check the key's scopes and remaining uses".to_owned(),
    }
}
