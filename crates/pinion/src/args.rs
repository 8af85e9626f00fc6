//! Checks of arguments shared by the clients, made before any request is sent.

use std::num::NonZeroU64;

use pinion_rules::RuleError;

use crate::Error;

/// Refuses an empty or blank string argument.
pub(crate) fn non_empty(what: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(what, "is empty"));
    }
    Ok(())
}

/// A count or offset as the `int64` the specs use.
pub(crate) fn to_i64(what: &str, n: u64) -> Result<i64, Error> {
    i64::try_from(n).map_err(|_| Error::invalid_input(what, format!("{n} is too large")))
}

/// A broken service rule (`pinion-rules`) as an [`Error::InvalidInput`].
pub(crate) fn rule(error: RuleError) -> Error {
    Error::invalid_input(error.subject(), error.to_string())
}

/// A Pinata or Submarine page limit: unset, or 1 to 1000.
pub(crate) fn page_limit(limit: Option<u64>) -> Result<Option<NonZeroU64>, Error> {
    match limit {
        None => Ok(None),
        Some(n) => Ok(NonZeroU64::new(
            pinion_rules::paging::check_page_limit(n).map_err(rule)?,
        )),
    }
}

/// Refuses key-values that are not strings, numbers or booleans (`null` too, unless
/// `null_removes`: then it removes the key).
pub(crate) fn scalar_keyvalues<'a>(
    keyvalues: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
    null_removes: bool,
) -> Result<(), Error> {
    for (key, value) in keyvalues {
        let scalar = value.is_string() || value.is_number() || value.is_boolean();
        if !(scalar || null_removes && value.is_null()) {
            return Err(Error::invalid_input(
                format!("keyvalue `{key}`"),
                if null_removes {
                    "must be a string, number, boolean or null (null removes the key)"
                } else {
                    "must be a string, a number or a boolean"
                },
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn arguments_break_the_rules_with_clear_messages() {
        assert!(non_empty("name", "  ").is_err());
        assert!(to_i64("offset", u64::MAX).is_err());
        assert_eq!(page_limit(None).unwrap(), None);
        assert_eq!(page_limit(Some(1000)).unwrap().map(u64::from), Some(1000));
        let error = page_limit(Some(1001)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid page limit: 1001 is out of range: give 1 to 1000"
        );
        let map = |v: Value| v.as_object().unwrap().clone();
        let null = map(json!({"gone": null}));
        assert!(scalar_keyvalues(&null, true).is_ok());
        assert!(scalar_keyvalues(&null, false).is_err());
        assert!(scalar_keyvalues(&map(json!({"a": [1]})), true).is_err());
    }
}
