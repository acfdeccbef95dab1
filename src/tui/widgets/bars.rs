//! The three one-line bars around a screen: the header (who is signed in where, and the load
//! progress), the status line (problems, messages, the filter being typed) and the key-hint footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::text::{truncate, width};
use crate::tui::theme::{Theme, Tone};

/// Title bar: `left` (partner, cloud, agent) and `right` (progress) on one reversed line; the right
/// side wins when the line is too narrow.
pub struct Header<'a> {
    pub left: &'a str,
    pub right: &'a str,
    pub theme: Theme,
}

impl Widget for &Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let style = self.theme.header();
        buf.set_style(area, style);
        let cells = usize::from(area.width);
        let right = truncate(self.right, cells.saturating_sub(1));
        let right_width = width(&right);
        let left_cells = cells.saturating_sub(right_width + 2);
        buf.set_stringn(
            area.x,
            area.y,
            truncate(self.left, left_cells),
            left_cells,
            style,
        );
        let x = area
            .right()
            .saturating_sub(u16::try_from(right_width + 1).unwrap_or(0));
        buf.set_stringn(x, area.y, &right, right_width, style);
    }
}

/// The status line: a message in a tone, or the filter being typed (`/text` with the cursor after it).
pub struct StatusLine<'a> {
    pub text: &'a str,
    pub tone: Tone,
    pub theme: Theme,
}

impl Widget for &StatusLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let cells = usize::from(area.width.saturating_sub(1));
        buf.set_stringn(
            area.x + 1,
            area.y,
            truncate(self.text, cells),
            cells,
            self.theme.tone(self.tone),
        );
    }
}

/// One key hint in the footer; `enabled: false` greys it (the role may not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: &'static str,
    pub label: String,
    pub enabled: bool,
}

/// The key hints, as many as fit.
pub struct Footer<'a> {
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut x = area.x + 1;
        for hint in self.hints {
            let need = width(hint.key) + 1 + width(&hint.label);
            if usize::from(x) + need > usize::from(area.right()) {
                break;
            }
            let (key_style, label_style) = if hint.enabled {
                (self.theme.key(), self.theme.tone(Tone::Dim))
            } else {
                let dim = self.theme.tone(Tone::Dim);
                (dim, dim)
            };
            let (after_key, _) = buf.set_stringn(x, area.y, hint.key, need, key_style);
            let (end, _) = buf.set_stringn(after_key + 1, area.y, &hint.label, need, label_style);
            x = end + 2;
        }
    }
}
