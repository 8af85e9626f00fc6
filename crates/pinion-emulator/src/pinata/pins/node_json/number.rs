//! JavaScript's `Number::toString` (ECMA-262 §6.1.6.1.20) for finite doubles: the
//! shortest digits that read back to the same double, in plain notation for decimal
//! exponents from -7 to 20 and in `1.5e+300` notation outside.

/// `String(x)` for a finite `x` (`-0` prints as `0`, as in JavaScript).
pub(super) fn to_js_string(x: f64) -> String {
    debug_assert!(x.is_finite());
    if x == 0.0 {
        return "0".to_owned();
    }
    if x < 0.0 {
        return format!("-{}", to_js_string(-x));
    }
    // Rust's `{:e}` gives the shortest round-trip digits too, as `d.ddde±x`.
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent: i64 = exponent.parse().expect("`{:e}` writes a decimal exponent");
    // In the standard's terms: x = 0.digits × 10^n, k digits.
    let k = digits.len() as i64;
    let n = exponent + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (whole, fraction) = digits.split_at(n as usize);
        format!("{whole}.{fraction}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        format!("{first}{fraction}e{sign}{}", (n - 1).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::to_js_string;

    #[test]
    fn prints_as_javascript_does() {
        for (x, expected) in [
            (1.0, "1"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345678901234.0, "1.2345678901234569e+23"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.23e-7, "1.23e-7"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
        ] {
            assert_eq!(to_js_string(x), expected, "{x:?}");
        }
    }
}
