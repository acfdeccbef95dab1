//! Where the draft's lines go at a given width, shared by drawing and scrolling. The link is
//! never cut: when it does not fit beside its label it stands alone from the first column, and
//! when it does not fit the width at all it continues on the next rows. Body lines longer than
//! the width (only the link: the prose is wrapped at 72 columns) continue the same way.

use unicode_width::UnicodeWidthChar;

use super::{CopyWhat, Ready};

/// The label in front of the link, when both fit on one row.
pub const LINK_LABEL: &str = " Link      ";

/// How the link is laid out above the email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRows<'a> {
    /// Label and link on one row.
    pub labelled: bool,
    pub rows: Vec<&'a str>,
}

pub fn link_rows(ready: &Ready, width: u16) -> LinkRows<'_> {
    let link = ready.draft.link.as_str();
    let cells = usize::from(width);
    // One space of margin after the highlighted link.
    let fits_beside = LINK_LABEL.len() + 1 + crate::tui::widgets::text::width(link) < cells;
    if fits_beside && ready.manual != Some(CopyWhat::Link) {
        LinkRows {
            labelled: true,
            rows: vec![link],
        }
    } else {
        LinkRows {
            labelled: false,
            rows: split_cells(link, cells),
        }
    }
}

/// What the draft says under a demo link, one row each.
pub const DEMO_NOTE: [&str; 2] = [
    " Demo link (this machine's loopback address, new every run): no customer can open it.",
    " For real links set public_url in config.toml, or start with --public-url URL.",
];

/// A link to this machine's loopback address: what the embedded backend hands out unless it was
/// given a public URL. Nobody else can open it, and its port changes every run.
pub fn is_demo_link(link: &str) -> bool {
    crate::client::is_loopback(link)
}

/// Rows of the demo note (none for a real link).
pub fn note_rows(ready: &Ready) -> usize {
    if is_demo_link(&ready.draft.link) {
        DEMO_NOTE.len()
    } else {
        0
    }
}

/// Rows above the body: title, link, demo note, subject, rule.
pub fn fixed_rows(ready: &Ready, width: u16) -> usize {
    3 + link_rows(ready, width).rows.len() + note_rows(ready)
}

/// The body as rows of at most `width` cells (after a one-cell margin), each with whether it is
/// (part of) the link.
pub fn body_rows(ready: &Ready, width: u16) -> Vec<(&str, bool)> {
    let cells = usize::from(width.saturating_sub(1));
    let link = ready.draft.link.as_str();
    ready
        .draft
        .body
        .lines()
        .flat_map(|line| {
            let is_link = line.trim() == link;
            split_cells(line, cells)
                .into_iter()
                .map(move |row| (row, is_link))
        })
        .collect()
}

/// The furthest the body scrolls in a body area of `width`×`height`.
pub fn max_scroll(ready: &Ready, width: u16, height: u16) -> usize {
    let room = usize::from(height).saturating_sub(fixed_rows(ready, width));
    body_rows(ready, width).len().saturating_sub(room)
}

/// `text` cut into pieces of at most `cells` terminal cells (an empty text is one empty piece).
pub fn split_cells(text: &str, cells: usize) -> Vec<&str> {
    let cells = cells.max(2);
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > cells {
            out.push(&text[start..i]);
            (start, used) = (i, 0);
        }
        used += w;
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_every_character_and_respects_the_width() {
        assert_eq!(split_cells("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(split_cells("", 3), [""]);
        assert_eq!(split_cells("東京都", 4), ["東京", "都"]);
    }
}
