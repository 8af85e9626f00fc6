//! Pin metadata: how many key-values a pin may carry.

use crate::RuleError;

/// The most key-values a Pinata pin (or Submarine item) may carry.
pub const MAX_KEYVALUES: usize = 10;

/// Refuses more than [`MAX_KEYVALUES`] key-values.
///
/// ```
/// assert!(pinion_rules::metadata::check_keyvalue_count(11).is_err());
/// ```
pub fn check_keyvalue_count(count: usize) -> Result<(), RuleError> {
    if count > MAX_KEYVALUES {
        return Err(RuleError::TooManyKeyValues { given: count });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_key_values_pass_and_eleven_are_refused() {
        assert_eq!(check_keyvalue_count(0), Ok(()));
        assert_eq!(check_keyvalue_count(MAX_KEYVALUES), Ok(()));
        let error = check_keyvalue_count(11).unwrap_err();
        assert_eq!(error, RuleError::TooManyKeyValues { given: 11 });
        assert_eq!(error.to_string(), "11 were given, at most 10 are allowed");
        assert_eq!(error.subject(), "keyvalues");
    }
}
