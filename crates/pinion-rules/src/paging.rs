//! Page limits of the Pinata and Submarine listings (`pageLimit`, `limit`).

use crate::RuleError;

/// The smallest page limit.
pub const MIN_PAGE_LIMIT: u64 = 1;

/// The largest page limit.
pub const MAX_PAGE_LIMIT: u64 = 1000;

/// Refuses a page limit outside [`MIN_PAGE_LIMIT`]`..=`[`MAX_PAGE_LIMIT`]; returns it
/// otherwise.
///
/// ```
/// assert_eq!(pinion_rules::paging::check_page_limit(1000), Ok(1000));
/// assert!(pinion_rules::paging::check_page_limit(0).is_err());
/// ```
pub fn check_page_limit(limit: u64) -> Result<u64, RuleError> {
    if (MIN_PAGE_LIMIT..=MAX_PAGE_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(RuleError::PageLimitOutOfRange { given: limit })
    }
}

/// Like [`check_page_limit`] for a limit given as a signed number (a query parameter
/// read by a server).
pub fn check_page_limit_i64(limit: i64) -> Result<u64, RuleError> {
    match u64::try_from(limit) {
        Ok(limit) => check_page_limit(limit),
        Err(_) => Err(RuleError::PageLimitOutOfRange { given: 0 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_from_one_to_a_thousand_pass() {
        for limit in [1, 10, 999, 1000] {
            assert_eq!(check_page_limit(limit), Ok(limit));
        }
        for limit in [0, 1001, u64::MAX] {
            let error = check_page_limit(limit).unwrap_err();
            assert_eq!(error, RuleError::PageLimitOutOfRange { given: limit });
            assert!(error.to_string().contains("give 1 to 1000"), "{error}");
        }
        assert_eq!(check_page_limit_i64(5), Ok(5));
        assert!(check_page_limit_i64(-3).is_err());
    }
}
