//! The `cid_version` form field of Pinata v3 uploads (multipart, TUS metadata and
//! signed upload URLs): CIDv1 unless asked otherwise (raw leaves, as
//! `pinion cid --cid-version 1`), spelled `v0` / `v1`.

use pinion_cid::CidVersion;

use crate::RuleError;

/// The CID version of a v3 upload that does not ask for one.
pub const V3_DEFAULT: CidVersion = CidVersion::V1;

/// How a CID version is sent in a v3 `cid_version` field.
///
/// ```
/// use pinion_cid::CidVersion;
/// assert_eq!(pinion_rules::cid_version::field(CidVersion::V0), "v0");
/// ```
pub fn field(version: CidVersion) -> &'static str {
    match version {
        CidVersion::V0 => "v0",
        CidVersion::V1 => "v1",
    }
}

/// A received `cid_version`: `v0`/`0` or `v1`/`1`; absent or empty is [`V3_DEFAULT`].
///
/// ```
/// use pinion_cid::CidVersion;
/// use pinion_rules::cid_version::parse_field;
/// assert_eq!(parse_field(None), Ok(CidVersion::V1));
/// assert_eq!(parse_field(Some("0")), Ok(CidVersion::V0));
/// assert!(parse_field(Some("v2")).is_err());
/// ```
pub fn parse_field(text: Option<&str>) -> Result<CidVersion, RuleError> {
    match text {
        None | Some("") => Ok(V3_DEFAULT),
        Some("v1") | Some("1") => Ok(CidVersion::V1),
        Some("v0") | Some("0") => Ok(CidVersion::V0),
        Some(other) => Err(RuleError::CidVersionUnknown {
            given: other.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sent_is_read_back() {
        for version in [CidVersion::V0, CidVersion::V1] {
            assert_eq!(parse_field(Some(field(version))), Ok(version));
        }
        assert_eq!(parse_field(Some("")), Ok(V3_DEFAULT));
        let error = parse_field(Some("V1")).unwrap_err();
        assert_eq!(error.subject(), "cid_version");
        assert_eq!(
            error.to_string(),
            "\"V1\" is not a CID version: give v0 or v1"
        );
    }
}
