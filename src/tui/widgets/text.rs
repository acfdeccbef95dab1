//! Text measured in terminal cells: truncation with an ellipsis, padding, thousands separators.
//!
//! Widths are counted per character with `unicode-width` (CJK is two cells). Strings reaching here are
//! already sanitized, so there are no controls, variation selectors or joiners whose width a terminal
//! might count differently.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub const ELLIPSIS: char = '…';

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `max_cells` cells, ending in `…` when it was cut. A wide character that would
/// straddle the limit is dropped rather than split.
pub fn truncate(s: &str, max_cells: usize) -> Cow<'_, str> {
    if s.len() <= max_cells || width(s) <= max_cells {
        // Byte length bounds width from above for the common ASCII case.
        return Cow::Borrowed(s);
    }
    if max_cells == 0 {
        return Cow::Borrowed("");
    }
    let budget = max_cells - 1;
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    let mut out = String::with_capacity(end + ELLIPSIS.len_utf8());
    out.push_str(s[..end].trim_end());
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// `s` truncated to `cells` and padded with spaces to exactly `cells` cells.
pub fn fit(s: &str, cells: usize) -> String {
    let cut = truncate(s, cells);
    let pad = cells.saturating_sub(width(&cut));
    let mut out = String::with_capacity(cut.len() + pad);
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_left_alone() {
        assert_eq!(truncate("Contoso", 10), "Contoso");
        assert_eq!(truncate("Contoso", 7), "Contoso");
    }

    #[test]
    fn long_text_ends_in_an_ellipsis_within_the_width() {
        let name = "A".repeat(120);
        let cut = truncate(&name, 20);
        assert_eq!(width(&cut), 20);
        assert!(cut.ends_with(ELLIPSIS));
    }

    #[test]
    fn wide_characters_are_not_split_at_the_edge() {
        // Each ideograph is two cells: 4 cells of budget before the ellipsis fit two of them.
        let cut = truncate("東京都渋谷区", 6);
        assert_eq!(cut, "東京…");
        assert_eq!(width(&cut), 5);
        assert_eq!(width(&fit("東京都渋谷区", 6)), 6);
    }

    #[test]
    fn fit_pads_to_the_exact_width() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn thousands_separators_group_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1200), "1,200");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
