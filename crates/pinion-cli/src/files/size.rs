//! Sizes as people write them on the command line: `100MB`, `1.5GiB`, `512`.

/// Parses a byte count: a number, optionally with a decimal unit (`B`, `KB`, `MB`, `GB`,
/// `TB`: powers of 1000) or a binary one (`KiB`, `MiB`, `GiB`, `TiB`: powers of 1024),
/// case-insensitive, with or without a space. A fraction is allowed when the product is
/// a whole number of bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let factor: u64 = match unit.as_str() {
        "" | "b" => 1,
        "kb" | "k" => 1_000,
        "mb" | "m" => 1_000_000,
        "gb" | "g" => 1_000_000_000,
        "tb" | "t" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit `{unit}`: use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB"
            ));
        }
    };
    let invalid = || format!("`{text}` is not a size such as 100MB, 1.5GiB or 4096");
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (number, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(invalid());
    }
    let too_big = || format!("`{text}` is too large");
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    let mut bytes = whole.checked_mul(factor).ok_or_else(too_big)?;
    if !fraction.is_empty() {
        if fraction.contains('.') || fraction.len() > 12 {
            return Err(invalid());
        }
        let digits: u64 = fraction.parse().map_err(|_| invalid())?;
        let scale = 10u64.pow(u32::try_from(fraction.len()).map_err(|_| invalid())?);
        let scaled = u128::from(digits) * u128::from(factor);
        if scaled % u128::from(scale) != 0 {
            return Err(format!("`{text}` is not a whole number of bytes"));
        }
        let extra = u64::try_from(scaled / u128::from(scale)).map_err(|_| too_big())?;
        bytes = bytes.checked_add(extra).ok_or_else(too_big)?;
    }
    Ok(bytes)
}

/// Parses a TUS chunk size ([`parse_size`]) within the library's bounds (1 MiB to
/// 50 MiB), so that `--chunk-size` is refused as itself, before anything is read.
pub fn parse_chunk_size(text: &str) -> Result<u64, String> {
    let size = parse_size(text)?;
    let bounds = pinion::upload::MIN_TUS_CHUNK..=pinion::pinata_v3::TUS_CHUNK;
    if !bounds.contains(&size) {
        return Err(format!(
            "{size} bytes is outside {}..={} bytes (1MiB to 50MiB)",
            bounds.start(),
            bounds.end()
        ));
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::{parse_chunk_size, parse_size};

    #[test]
    fn chunk_sizes_are_bounded() {
        assert_eq!(parse_chunk_size("8MiB"), Ok(8 << 20));
        assert_eq!(parse_chunk_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_chunk_size("50MiB"), Ok(50 << 20));
        for bad in ["1KiB", "1MB", "51MiB", "0", "x"] {
            assert!(parse_chunk_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimal_and_binary_units() {
        assert_eq!(parse_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_size("100 mb"), Ok(100_000_000));
        assert_eq!(parse_size("1KiB"), Ok(1024));
        assert_eq!(parse_size("1.5GiB"), Ok(1_610_612_736));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("10B"), Ok(10));
        assert_eq!(parse_size(".5KB"), Ok(500));
    }

    #[test]
    fn nonsense_is_refused_without_panicking() {
        for bad in [
            "",
            "MB",
            "1..5MB",
            "1.5.2GB",
            "12XB",
            "-1MB",
            "0.0001B",
            "99999999999TB",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert!(parse_size(&"9".repeat(40)).is_err());
    }
}
