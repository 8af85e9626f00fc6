//! The rules every v3 upload path applies to what it is asked to record (the multipart
//! `POST /files`, TUS uploads and signed upload URLs), written once here so that the
//! paths cannot drift apart: the CAR refusal, `expires_at`, `cid_version` and its
//! default, the MIME type a file is recorded with, `network`, `keyvalues` and the
//! group a file may join.

use std::collections::BTreeMap;

use pinion_cid::CidVersion;
use pinion_rules::metadata::{MAX_KEYVALUES, check_keyvalue_count};
use pinion_rules::upload::DEFAULT_MIME;
use serde_json::{Map, Value};

use crate::content;
use crate::pinata_v3::Network;
use crate::state::Data;

/// Why a CAR upload (`car=true`) is refused: the emulator stores files, not CARs.
pub(crate) const CAR_REFUSED: &str = "car uploads are not supported by the pinion emulator: \
     upload the file itself (see spec/pinata-v3-uploads.sources.md)";

/// An `expires_at` as sent in a form: Unix seconds after `now`.
pub(crate) fn parse_expiry(text: &str, now: i64) -> Result<i64, String> {
    let at: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expires_at must be Unix seconds, not {text:?}"))?;
    check_expiry(at, now)
}

/// `at` (Unix seconds) when it is after `now`; an expiry now or in the past is refused.
pub(crate) fn check_expiry(at: i64, now: i64) -> Result<i64, String> {
    if at <= now {
        return Err(format!(
            "expires_at must be in the future (now is {now}), not {at}"
        ));
    }
    Ok(at)
}

/// A form's `cid_version` by the rule the library shares
/// ([`pinion_rules::cid_version::parse_field`]): absent or empty is the v3 default, v1.
pub(crate) fn cid_version(text: Option<&str>) -> Result<CidVersion, String> {
    pinion_rules::cid_version::parse_field(text).map_err(|_| {
        format!(
            "cid_version must be v0 or v1, not {:?}",
            text.unwrap_or_default()
        )
    })
}

/// The MIME type a file declares: the declared type unless empty or generic
/// (`application/octet-stream` says nothing), else the type of its name's extension;
/// `None` when neither says anything. See [`recorded_mime`] for the type to record.
pub(crate) fn declared_mime(declared: Option<&str>, name: Option<&str>) -> Option<String> {
    declared
        .filter(|mime| !mime.is_empty() && *mime != DEFAULT_MIME)
        .map(str::to_owned)
        .or_else(|| name.and_then(content::mime_for).map(str::to_owned))
}

/// The MIME type a file is recorded with: [`declared_mime`], else
/// `application/octet-stream`.
pub(crate) fn recorded_mime(declared: Option<&str>, name: Option<&str>) -> String {
    declared_mime(declared, name).unwrap_or_else(|| DEFAULT_MIME.to_owned())
}

/// A form's `network`: `public` or `private`; `None` when absent or empty (the caller
/// applies its default, private for uploads, reference §3.1).
pub(crate) fn network(text: Option<&str>) -> Result<Option<Network>, String> {
    match text {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| format!("network must be public or private, not {text:?}")),
    }
}

/// Refuses more than [`MAX_KEYVALUES`] key-values on a file.
pub(crate) fn check_keyvalues(count: usize) -> Result<(), String> {
    check_keyvalue_count(count).map_err(|_| {
        format!("a file may have at most {MAX_KEYVALUES} keyvalues, {count} were given")
    })
}

/// A form's `keyvalues`: a JSON object, bare (the SDK) or wrapped in `{"keyvalues": …}`
/// (the docs), at most [`MAX_KEYVALUES`] pairs.
pub(crate) fn keyvalues(text: &str) -> Result<Map<String, Value>, String> {
    let parsed: Map<String, Value> = serde_json::from_str(text)
        .map_err(|error| format!("keyvalues must be a JSON object of strings: {error}"))?;
    let map = match parsed.get("keyvalues") {
        Some(Value::Object(inner)) if parsed.len() == 1 => inner.clone(),
        _ => parsed,
    };
    check_keyvalues(map.len())?;
    Ok(map)
}

/// Key-values kept as strings (a TUS upload's metadata, a signed URL's grant) as a
/// file records them.
pub(crate) fn recorded_keyvalues(pairs: &BTreeMap<String, String>) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(key, value)| (key.clone(), Value::String(value.clone())))
        .collect()
}

/// Refuses a `group_id` that is not a group on `network`: a file joins only a group of
/// its own network.
pub(crate) fn check_group(data: &Data, group: &str, network: Network) -> Result<(), String> {
    let known = data
        .pinata
        .groups
        .get(group)
        .is_some_and(|row| row.network == network);
    if known {
        Ok(())
    } else {
        Err(format!(
            "group_id: there is no group with id {group} on the {network} network"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_must_be_in_the_future() {
        assert_eq!(parse_expiry("200", 100), Ok(200));
        assert_eq!(parse_expiry(" 200 ", 100), Ok(200));
        assert!(parse_expiry("100", 100).is_err());
        assert!(parse_expiry("soon", 100).is_err());
        assert_eq!(check_expiry(101, 100), Ok(101));
        assert!(check_expiry(99, 100).is_err());
    }

    #[test]
    fn cid_version_defaults_to_v1() {
        assert_eq!(cid_version(None), Ok(CidVersion::V1));
        assert_eq!(cid_version(Some("")), Ok(CidVersion::V1));
        assert_eq!(cid_version(Some("1")), Ok(CidVersion::V1));
        assert_eq!(cid_version(Some("v0")), Ok(CidVersion::V0));
        assert_eq!(cid_version(Some("0")), Ok(CidVersion::V0));
        assert!(cid_version(Some("v2")).is_err());
    }

    #[test]
    fn a_generic_or_empty_declaration_gives_way_to_the_extension() {
        assert_eq!(recorded_mime(Some("text/csv"), Some("a.png")), "text/csv");
        assert_eq!(
            recorded_mime(Some(DEFAULT_MIME), Some("a.png")),
            "image/png"
        );
        assert_eq!(recorded_mime(Some(""), Some("a.png")), "image/png");
        assert_eq!(recorded_mime(None, Some("README")), DEFAULT_MIME);
        assert_eq!(recorded_mime(None, None), DEFAULT_MIME);
        assert_eq!(declared_mime(None, Some("README")), None);
    }

    #[test]
    fn network_is_public_private_or_absent() {
        assert_eq!(network(None), Ok(None));
        assert_eq!(network(Some("")), Ok(None));
        assert_eq!(network(Some("public")), Ok(Some(Network::Public)));
        assert_eq!(network(Some("private")), Ok(Some(Network::Private)));
        assert!(network(Some("both")).is_err());
    }

    #[test]
    fn keyvalues_are_bare_or_wrapped() {
        let bare = keyvalues(r#"{"env":"prod"}"#).unwrap();
        let wrapped = keyvalues(r#"{"keyvalues":{"env":"prod"}}"#).unwrap();
        assert_eq!(bare, wrapped);
        assert_eq!(bare["env"], "prod");
        let eleven: Map<String, Value> = (0..11).map(|n| (n.to_string(), "v".into())).collect();
        assert!(keyvalues(&Value::Object(eleven).to_string()).is_err());
        assert!(keyvalues("[1]").is_err());
        assert!(check_keyvalues(MAX_KEYVALUES).is_ok());
        assert!(check_keyvalues(MAX_KEYVALUES + 1).is_err());
    }

    #[test]
    fn string_keyvalues_are_recorded_as_json_strings() {
        let pairs = BTreeMap::from([("env".to_owned(), "prod".to_owned())]);
        let recorded = recorded_keyvalues(&pairs);
        assert_eq!(Value::Object(recorded), serde_json::json!({"env": "prod"}));
    }
}
