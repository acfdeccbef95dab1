//! The ISO 8601 durations GDAP uses: whole days (`P730D`) and zero (`PT0S`). Graph writes other
//! forms too (`P2Y`, `PT0S`, `P180D`); only what can be a whole number of days reads.

/// `PT0S`: auto-extend off.
pub fn off() -> String {
    "PT0S".to_string()
}

/// `P{days}D`, or `PT0S` for zero.
pub fn days_to_iso(days: u32) -> String {
    if days == 0 {
        off()
    } else {
        format!("P{days}D")
    }
}

/// Whole days of `PnD`, `PnW`, `PT0S`, `P0D`; None for anything else (months and years have no
/// fixed length, so a duration in them is refused rather than guessed).
pub fn iso_to_days(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('P')?;
    if rest == "T0S" || rest == "T0H" || rest == "T0M" {
        return Some(0);
    }
    let (number, unit) = rest.split_at(rest.len().checked_sub(1)?);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) || number.len() > 6 {
        return None;
    }
    let n: u32 = number.parse().ok()?;
    match unit {
        "D" => Some(n),
        "W" => n.checked_mul(7),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_read_and_write_back() {
        assert_eq!(iso_to_days("P730D"), Some(730));
        assert_eq!(iso_to_days("P180D"), Some(180));
        assert_eq!(iso_to_days("PT0S"), Some(0));
        assert_eq!(iso_to_days("P2W"), Some(14));
        assert_eq!(days_to_iso(730), "P730D");
        assert_eq!(days_to_iso(0), "PT0S");
    }

    #[test]
    fn months_years_and_junk_are_refused() {
        for bad in [
            "P2Y",
            "P6M",
            "730",
            "PD",
            "P-1D",
            "P1.5D",
            "",
            "P",
            "P99999999D",
            "PT5S",
        ] {
            assert_eq!(iso_to_days(bad), None, "{bad}");
        }
    }
}
