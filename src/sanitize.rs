//! Makes backend strings harmless before any widget sees them.
//!
//! Names come from customers' own tenants and from the acceptance form, so they are untrusted. ratatui
//! drops C0 controls in cells but keeps bidi overrides and invisible characters, which can reorder or
//! hide what a partner reads ("Contoso" that is really "osotnoC", two rows that look the same). Here:
//! - line breaks and tabs become a space, runs of whitespace collapse, ends are trimmed;
//! - every other C0/C1 control and DEL becomes U+FFFD, so tampering stays visible;
//! - bidi embeddings/overrides/isolates and marks, zero-width and other invisible characters,
//!   variation selectors and tag characters are removed (the last two also keep our column widths equal
//!   to what the terminal draws);
//! - runs of combining marks are capped, and the whole string is capped at a number of characters.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Longest field we keep, in characters: more than any real company name or address line, and it
/// bounds the memory a hostile backend can make us hold per row.
pub const MAX_FIELD_CHARS: usize = 256;

/// Combining marks kept after one base character ("Zalgo" text would otherwise smear over rows).
const MAX_COMBINING_RUN: usize = 3;

/// What to do with one character.
enum Fate {
    Keep,
    Space,
    Replace,
    Drop,
}

fn fate(c: char) -> Fate {
    match c {
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
            Fate::Space
        }
        '\u{00}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Fate::Replace,
        // Bidi embeddings, overrides, isolates and marks (incl. the Arabic letter mark).
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Fate::Drop,
        // Zero-width space/joiners, word joiner and invisible operators, BOM, soft hyphen,
        // Mongolian vowel separator, combining grapheme joiner.
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{AD}'
        | '\u{180E}'
        | '\u{34F}' => Fate::Drop,
        // Blank-looking fillers often used to fake an empty or duplicate name.
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => Fate::Drop,
        // Variation selectors, tags, interlinear annotation.
        '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}'
        | '\u{E0000}'..='\u{E007F}'
        | '\u{FFF9}'..='\u{FFFB}' => Fate::Drop,
        c if c.is_whitespace() => Fate::Space,
        _ => Fate::Keep,
    }
}

/// Cleans `s` for display, keeping at most [`MAX_FIELD_CHARS`] characters. Borrows when nothing
/// changes, which is the common case (100,000 rows are cleaned on load).
pub fn sanitize(s: &str) -> Cow<'_, str> {
    sanitize_max(s, MAX_FIELD_CHARS)
}

/// [`sanitize`] with an explicit cap in characters.
pub fn sanitize_max(s: &str, max_chars: usize) -> Cow<'_, str> {
    if is_clean(s, max_chars) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    let mut chars = 0;
    let mut pending_space = false;
    let mut combining_run = 0;
    for c in s.chars() {
        if chars >= max_chars {
            break;
        }
        let c = match fate(c) {
            Fate::Drop => continue,
            Fate::Space => {
                pending_space = !out.is_empty();
                continue;
            }
            Fate::Replace => char::REPLACEMENT_CHARACTER,
            Fate::Keep => c,
        };
        if c.width() == Some(0) {
            combining_run += 1;
            if combining_run > MAX_COMBINING_RUN {
                continue;
            }
        } else {
            combining_run = 0;
        }
        if pending_space {
            // A space that would be the last character kept would be a trailing space.
            if chars + 1 >= max_chars {
                break;
            }
            out.push(' ');
            chars += 1;
            pending_space = false;
        }
        out.push(c);
        chars += 1;
    }
    Cow::Owned(out)
}

/// True when [`sanitize_max`] would return `s` unchanged: printable characters only, no leading,
/// trailing or doubled spaces, no long combining runs, short enough.
fn is_clean(s: &str, max_chars: usize) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let mut count = 0;
    let mut prev_space = false;
    let mut combining_run = 0;
    for c in s.chars() {
        count += 1;
        if count > max_chars {
            return false;
        }
        if c == ' ' {
            if prev_space {
                return false;
            }
            prev_space = true;
            combining_run = 0;
            continue;
        }
        prev_space = false;
        if c.is_ascii_graphic() {
            combining_run = 0;
            continue;
        }
        if !matches!(fate(c), Fate::Keep) {
            return false;
        }
        if c.width() == Some(0) {
            combining_run += 1;
            if combining_run > MAX_COMBINING_RUN {
                return false;
            }
        } else {
            combining_run = 0;
        }
    }
    true
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_names_are_borrowed_not_copied() {
        assert!(matches!(sanitize("Contoso Ltd"), Cow::Borrowed(_)));
        assert!(matches!(sanitize("株式会社 東京"), Cow::Borrowed(_)));
        assert!(matches!(sanitize("Café Müller"), Cow::Borrowed(_)));
    }

    #[test]
    fn c0_and_c1_controls_become_replacement_characters() {
        assert_eq!(sanitize("a\u{1b}[31mb"), "a\u{FFFD}[31mb");
        assert_eq!(sanitize("x\u{7}y\u{0}z"), "x\u{FFFD}y\u{FFFD}z");
        assert_eq!(sanitize("c1\u{9B}31m"), "c1\u{FFFD}31m");
        assert_eq!(sanitize("del\u{7F}"), "del\u{FFFD}");
    }

    #[test]
    fn line_breaks_and_tabs_become_single_spaces_and_ends_are_trimmed() {
        assert_eq!(sanitize("  Contoso\r\n\tLtd  "), "Contoso Ltd");
        assert_eq!(sanitize("a\u{2028}b\u{85}c"), "a b c");
        assert_eq!(sanitize("a     b"), "a b");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_removed() {
        // "Contoso" spoofed with a right-to-left override.
        assert_eq!(sanitize("\u{202E}osotnoC\u{202C}"), "osotnoC");
        assert_eq!(sanitize("a\u{2066}b\u{2069}c\u{2067}d\u{2068}e"), "abcde");
        assert_eq!(sanitize("x\u{200E}y\u{200F}z\u{61C}"), "xyz");
        for c in '\u{202A}'..='\u{202E}' {
            assert_eq!(sanitize(&format!("a{c}b")), "ab", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn zero_width_and_invisible_characters_are_removed() {
        assert_eq!(sanitize("Con\u{200B}toso"), "Contoso");
        assert_eq!(sanitize("\u{FEFF}Contoso\u{2060}"), "Contoso");
        assert_eq!(sanitize("a\u{200C}b\u{200D}c\u{AD}d"), "abcd");
        assert_eq!(sanitize("\u{3164}"), "");
        assert_eq!(sanitize("tag\u{E0041}\u{E007F}"), "tag");
    }

    #[test]
    fn variation_selectors_are_removed_so_widths_stay_predictable() {
        assert_eq!(sanitize("\u{263A}\u{FE0F}"), "\u{263A}");
    }

    #[test]
    fn long_runs_of_combining_marks_are_capped() {
        let zalgo = format!("a{}", "\u{301}".repeat(50));
        assert_eq!(sanitize(&zalgo).chars().count(), 1 + MAX_COMBINING_RUN);
        assert_eq!(sanitize("e\u{301}"), "e\u{301}");
    }

    #[test]
    fn length_is_capped_in_characters() {
        let long = "x".repeat(1000);
        assert_eq!(sanitize(&long).chars().count(), MAX_FIELD_CHARS);
        assert_eq!(sanitize_max("abcdef", 3), "abc");
        assert_eq!(sanitize_max("ab  cd", 3), "ab");
    }

    #[test]
    fn cjk_and_accented_text_is_kept_as_is() {
        assert_eq!(sanitize("東京 Trading Co."), "東京 Trading Co.");
        assert_eq!(sanitize("Ærøskøbing A/S"), "Ærøskøbing A/S");
    }
}
