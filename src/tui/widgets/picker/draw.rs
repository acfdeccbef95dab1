//! Draws a [`Picker`] in a bordered box filling the area it is given: the filter being typed, one
//! row per item (two with a detail or a reason), the cursor's row reversed, and `↑ more above` /
//! `↓ more below` on the border when the list is longer than the box. Records what it showed in the
//! picker's `view` so scrolling is minimal and PgUp/PgDn move by a box.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Widget};

use super::{PickMode, Picker};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::text::{fit, truncate, width};

pub struct PickerView<'a> {
    pub picker: &'a Picker,
    pub theme: Theme,
    pub title: &'a str,
}

impl Widget for &PickerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 4 || area.height < 3 {
            return;
        }
        let p = self.picker;
        let t = self.theme;
        Clear.render(area, buf);
        let more_above = " ↑ more above ";
        let more_below = " ↓ more below ";
        let title = match p.mode {
            PickMode::Many => format!(" {} · {} marked ", self.title, p.marked().len()),
            PickMode::One => format!(" {} ", self.title),
        };
        let keys = match p.mode {
            PickMode::Many => " Space mark · a all · / filter · Enter done · Esc cancel ",
            PickMode::One => " Enter choose · / filter · Esc cancel ",
        };
        let inner = Block::bordered().inner(area);
        let mut y = inner.y;
        let cells = usize::from(inner.width);
        if p.is_typing() || !p.filter().is_empty() {
            let cursor = if p.is_typing() { "▏" } else { "" };
            put(buf, inner, y, &format!(" /{}{cursor}", p.filter()), t.key());
            y += 1;
        }
        let rows = usize::from(inner.bottom().saturating_sub(y));
        let height = |pos: usize| {
            p.shown()
                .get(pos)
                .and_then(|&i| p.items().get(i))
                .map_or(1, |item| {
                    1 + usize::from(item.detail.is_some() || item.disabled.is_some())
                })
        };
        let offset = scrolled(p.view.get().0, p.cursor_position(), rows, height);
        let mut fitted = 0;
        let mut pos = offset;
        while pos < p.shown().len() && usize::from(y - inner.y) < usize::from(inner.height) {
            if usize::from(inner.bottom() - y) < height(pos) && fitted > 0 {
                break;
            }
            y = self.draw_item(buf, inner, y, pos, cells);
            fitted += 1;
            pos += 1;
        }
        if p.shown().is_empty() {
            let text = if p.filter().is_empty() {
                " nothing to choose from".to_string()
            } else {
                format!(" nothing matches “{}”", p.filter())
            };
            put(buf, inner, y, &text, t.tone(Tone::Dim));
        }
        p.view.set((offset, fitted.max(1)));
        // The marks win over the title and the keys when the border is too short for both.
        let border = usize::from(area.width.saturating_sub(2));
        let mut block = Block::bordered().border_style(t.text());
        let top = if offset > 0 { more_above } else { "" };
        let bottom = if pos < p.shown().len() {
            more_below
        } else {
            ""
        };
        block = block
            .title(truncate(&title, border.saturating_sub(width(top))).into_owned())
            .title_bottom(truncate(keys, border.saturating_sub(width(bottom))).into_owned());
        if !top.is_empty() {
            block = block.title(Line::from(top).right_aligned());
        }
        if !bottom.is_empty() {
            block = block.title_bottom(Line::from(bottom).right_aligned());
        }
        block.render(area, buf);
    }
}

impl PickerView<'_> {
    /// Draws the item at position `pos` of the shown ones from row `y`; returns the next free row.
    fn draw_item(
        &self,
        buf: &mut Buffer,
        inner: Rect,
        mut y: u16,
        pos: usize,
        cells: usize,
    ) -> u16 {
        let p = self.picker;
        let t = self.theme;
        let Some(&i) = p.shown().get(pos) else {
            return y;
        };
        let item = &p.items()[i];
        let here = pos == p.cursor_position();
        let marker = if here { "›" } else { " " };
        let mark = match (p.mode, p.is_marked(i)) {
            (PickMode::Many, true) => "[x] ",
            (PickMode::Many, false) => "[ ] ",
            (PickMode::One, _) => "",
        };
        let style = match (here, item.disabled.is_some()) {
            (true, _) => t.selected(),
            (false, true) => t.tone(Tone::Dim),
            (false, false) => t.text(),
        };
        put(
            buf,
            inner,
            y,
            &fit(&format!(" {marker} {mark}{}", item.label), cells),
            style,
        );
        y += 1;
        let second = match (&item.detail, &item.disabled) {
            (Some(d), Some(why)) => Some(format!("{d} · unavailable: {why}")),
            (Some(d), None) => Some(d.clone()),
            (None, Some(why)) => Some(format!("unavailable: {why}")),
            (None, None) => None,
        };
        if let Some(text) = second
            && y < inner.bottom()
        {
            let indent = " ".repeat(3 + mark.len().min(4));
            put(buf, inner, y, &format!("{indent}{text}"), t.tone(Tone::Dim));
            y += 1;
        }
        y
    }
}

/// The first position to draw: `previous`, moved no more than needed for `cursor` to fit in `rows`.
fn scrolled(previous: usize, cursor: usize, rows: usize, height: impl Fn(usize) -> usize) -> usize {
    let mut first = previous.min(cursor);
    while first < cursor && (first..=cursor).map(&height).sum::<usize>() > rows {
        first += 1;
    }
    first
}

fn put(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    if y < area.bottom() {
        let cells = usize::from(area.width);
        buf.set_stringn(area.x, y, truncate(text, cells), cells, style);
    }
}
