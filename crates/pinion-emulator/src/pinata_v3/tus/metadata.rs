//! The TUS creation's `Upload-Metadata` header: comma-separated `key base64(value)`
//! pairs (a key alone means an empty value), read into the fields the file record gets.

use std::collections::BTreeMap;

use base64::Engine;

use crate::state::tus::UploadMetadata;

/// Why an `Upload-Metadata` header (or the CID version query) was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MetadataError {
    #[error("Upload-Metadata: empty key in pair {0}")]
    EmptyKey(usize),
    #[error("Upload-Metadata: key {0:?} is given twice")]
    DuplicateKey(String),
    #[error("Upload-Metadata: the value of {0:?} is not base64")]
    NotBase64(String),
    #[error("Upload-Metadata: the value of {0:?} is not UTF-8")]
    NotUtf8(String),
    #[error("Upload-Metadata: pair {0} has more than a key and a value")]
    ExtraParts(usize),
    #[error("{0}")]
    Invalid(String),
}

/// The raw pairs of an `Upload-Metadata` header, values decoded (standard base64,
/// padded or not; UTF-8).
pub(crate) fn parse_pairs(header: &str) -> Result<BTreeMap<String, String>, MetadataError> {
    let mut pairs = BTreeMap::new();
    if header.trim().is_empty() {
        return Ok(pairs);
    }
    for (index, pair) in header.split(',').enumerate() {
        let mut parts = pair.trim().split(' ').filter(|part| !part.is_empty());
        let key = parts.next().ok_or(MetadataError::EmptyKey(index + 1))?;
        let value = match parts.next() {
            None => String::new(),
            Some(encoded) => decode(key, encoded)?,
        };
        if parts.next().is_some() {
            return Err(MetadataError::ExtraParts(index + 1));
        }
        if pairs.insert(key.to_owned(), value).is_some() {
            return Err(MetadataError::DuplicateKey(key.to_owned()));
        }
    }
    Ok(pairs)
}

fn decode(key: &str, encoded: &str) -> Result<String, MetadataError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
        .map_err(|_| MetadataError::NotBase64(key.to_owned()))?;
    String::from_utf8(bytes).map_err(|_| MetadataError::NotUtf8(key.to_owned()))
}

/// The file record's fields from the header and the `X-Upload-Option-Cid-Version`
/// query. Keys Pinata does not define are ignored (TUS clients add their own).
pub(crate) fn parse(
    header: Option<&str>,
    query_cid_version: Option<&str>,
) -> Result<UploadMetadata, MetadataError> {
    let mut pairs = parse_pairs(header.unwrap_or_default())?;
    let mut take = |key: &str| pairs.remove(key).filter(|value| !value.is_empty());
    let network = take("network");
    if let Some(network) = &network
        && network != "public"
        && network != "private"
    {
        return Err(MetadataError::Invalid(format!(
            "network must be \"public\" or \"private\", not {network:?}"
        )));
    }
    let keyvalues = match take("keyvalues") {
        None => BTreeMap::new(),
        Some(json) => parse_keyvalues(&json)?,
    };
    let expires_at = take("expires_at")
        .map(|value| {
            value.trim().parse::<i64>().map_err(|_| {
                MetadataError::Invalid(format!("expires_at must be unix seconds, not {value:?}"))
            })
        })
        .transpose()?;
    let cid_version = cid_version(take("cid_version"), query_cid_version)?;
    let flag = |value: Option<String>| value.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Ok(UploadMetadata {
        filename: take("filename"),
        filetype: take("filetype"),
        network,
        group_id: take("group_id"),
        keyvalues,
        cid_version,
        expires_at,
        car: flag(take("car")),
        streamable: flag(take("streamable")),
    })
}

/// `cid_version` from the metadata and the query, which must agree when both are given.
fn cid_version(
    metadata: Option<String>,
    query: Option<&str>,
) -> Result<Option<String>, MetadataError> {
    let check = |value: &str| match value {
        "v0" | "v1" => Ok(value.to_owned()),
        other => Err(MetadataError::Invalid(format!(
            "cid_version must be \"v0\" or \"v1\", not {other:?}"
        ))),
    };
    let metadata = metadata.as_deref().map(check).transpose()?;
    let query = query.filter(|q| !q.is_empty()).map(check).transpose()?;
    match (metadata, query) {
        (Some(a), Some(b)) if a != b => Err(MetadataError::Invalid(format!(
            "cid_version {a:?} in Upload-Metadata and {b:?} in X-Upload-Option-Cid-Version disagree"
        ))),
        (a, b) => Ok(a.or(b)),
    }
}

/// `keyvalues` (the form's rule, [`rules::keyvalues`](crate::pinata_v3::files::rules::keyvalues)),
/// its values strings (numbers and booleans are taken as their text).
fn parse_keyvalues(json: &str) -> Result<BTreeMap<String, String>, MetadataError> {
    let object = crate::pinata_v3::files::rules::keyvalues(json).map_err(MetadataError::Invalid)?;
    object
        .into_iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => Ok((key, text)),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {
                Ok((key, value.to_string()))
            }
            _ => Err(MetadataError::Invalid(
                "keyvalues values must be strings".into(),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn the_sdk_header_is_read_in_full() {
        // As pinata@2.5.6 builds it: no space after commas, an empty filetype.
        let header = format!(
            "filename {},filetype ,network {},group_id {},keyvalues {},streamable {},car {},cid_version {},expires_at {}",
            b64("big.bin"),
            b64("public"),
            b64("0191"),
            b64(r#"{"env":"prod"}"#),
            b64("true"),
            b64("false"),
            b64("v0"),
            b64("1900000000"),
        );
        let parsed = parse(Some(&header), None).unwrap();
        assert_eq!(parsed.filename.as_deref(), Some("big.bin"));
        assert_eq!(parsed.filetype, None, "empty value");
        assert_eq!(parsed.network.as_deref(), Some("public"));
        assert_eq!(parsed.group_id.as_deref(), Some("0191"));
        assert_eq!(parsed.keyvalues["env"], "prod");
        assert!(parsed.streamable);
        assert!(!parsed.car);
        assert_eq!(parsed.cid_version.as_deref(), Some("v0"));
        assert_eq!(parsed.expires_at, Some(1_900_000_000));
    }

    #[test]
    fn keys_alone_unpadded_values_and_utf8_names_are_accepted() {
        let name = "résumé 📄.pdf";
        let unpadded = b64(name).trim_end_matches('=').to_owned();
        let header = format!("filetype, filename {unpadded} , relativePath");
        let pairs = parse_pairs(&header).unwrap();
        assert_eq!(pairs["filename"], name);
        assert_eq!(pairs["filetype"], "");
        assert_eq!(pairs["relativePath"], "");
        assert!(parse(None, None).unwrap() == UploadMetadata::default());
    }

    #[test]
    fn malformed_headers_are_refused() {
        assert_eq!(
            parse_pairs("a YQ==,a YQ==").unwrap_err(),
            MetadataError::DuplicateKey("a".into())
        );
        assert_eq!(
            parse_pairs("a !!!").unwrap_err(),
            MetadataError::NotBase64("a".into())
        );
        assert_eq!(
            parse_pairs("a /w==").unwrap_err(),
            MetadataError::NotUtf8("a".into())
        );
        assert_eq!(parse_pairs("a,,b").unwrap_err(), MetadataError::EmptyKey(2));
        assert_eq!(
            parse_pairs("a YQ== YQ==").unwrap_err(),
            MetadataError::ExtraParts(1)
        );
        let bad = |header: String| parse(Some(&header), None).is_err();
        assert!(bad(format!("network {}", b64("both"))));
        assert!(bad(format!("keyvalues {}", b64("[1]"))));
        assert!(bad(format!("keyvalues {}", b64(r#"{"a":{"b":1}}"#))));
        assert!(bad(format!("expires_at {}", b64("tomorrow"))));
        assert!(bad(format!("cid_version {}", b64("v2"))));
        let eleven: serde_json::Map<String, serde_json::Value> = (0..11)
            .map(|i| (format!("k{i}"), serde_json::Value::from("v")))
            .collect();
        let eleven = serde_json::Value::Object(eleven).to_string();
        assert!(bad(format!("keyvalues {}", b64(&eleven))));
    }

    #[test]
    fn wrapped_keyvalues_are_unwrapped() {
        let header = format!("keyvalues {}", b64(r#"{"keyvalues":{"a":"1","n":2}}"#));
        let parsed = parse(Some(&header), None).unwrap();
        assert_eq!(parsed.keyvalues["a"], "1");
        assert_eq!(parsed.keyvalues["n"], "2");
    }

    #[test]
    fn the_query_gives_the_cid_version_and_must_agree_with_the_metadata() {
        assert_eq!(
            parse(None, Some("v0")).unwrap().cid_version.as_deref(),
            Some("v0")
        );
        let v1 = format!("cid_version {}", b64("v1"));
        assert_eq!(
            parse(Some(&v1), Some("v1")).unwrap().cid_version.as_deref(),
            Some("v1")
        );
        assert!(parse(Some(&v1), Some("v0")).is_err());
        assert!(parse(None, Some("v9")).is_err());
    }

    proptest::proptest! {
        /// Hostile headers and queries are refused or read, never a panic.
        #[test]
        fn any_header_parses_or_is_refused(header in "\\PC{0,200}", query in "\\PC{0,8}") {
            let _ = parse(Some(&header), Some(&query));
        }

        /// Whatever the values, well-formed pairs read back as sent.
        #[test]
        fn encoded_values_round_trip(name in "\\PC{0,40}", kind in "[a-z]{1,10}/[a-z]{1,10}") {
            let header = format!("filename {},filetype {}", b64(&name), b64(&kind));
            let parsed = parse(Some(&header), None).unwrap();
            proptest::prop_assert_eq!(parsed.filename, Some(name).filter(|n| !n.is_empty()));
            proptest::prop_assert_eq!(parsed.filetype, Some(kind));
        }
    }
}
