//! Draws a [`Form`]: an optional title and how-to line, one row per field (marker, label and `*`,
//! then the field), the error under the field it is about, and at the bottom what is being sent or
//! what is wrong with the whole form. When the area is too short, the fields scroll so the focused
//! one (and its error) stays in view. Pure: borrows and draws.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::Form;
use super::field::{Field, Value};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::text::{fit, truncate, width};

pub struct FormView<'a> {
    pub form: &'a Form,
    pub theme: Theme,
    /// The first line, bold (e.g. " Add a new customer: you become its reseller").
    pub title: &'a str,
    /// A dim line under the title saying how the form works; empty for none.
    pub how: &'a str,
    /// Shown at the bottom while sending (e.g. "⠋ Adding Contoso…").
    pub sending: &'a str,
}

/// Fields are no wider than this: a domain or an email fits with room to spare.
const FIELD_CELLS: u16 = 64;
/// Cells before a label's text: a space, the marker, a space.
const MARKER_CELLS: usize = 3;
/// Lines the bottom message may take.
const MESSAGE_LINES: usize = 3;

impl Widget for &FormView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let t = self.theme;
        let cells = usize::from(area.width);
        let message = self.message(cells);
        // Rows kept for the message at the bottom (a blank row first, when there is room).
        let message_rows = match message.len() {
            0 => 0,
            n if area.height >= 6 => n + 1,
            _ => 1,
        };
        let bottom = area
            .bottom()
            .saturating_sub(u16::try_from(message_rows).unwrap_or(u16::MAX));
        let blocks: Vec<Vec<String>> = (0..self.form.len())
            .map(|i| self.error_lines(i, cells))
            .collect();
        let total: usize = blocks.iter().map(|e| 1 + e.len()).sum();
        let mut y = area.y;
        // Title and the how-to line go first when there is room for them and every field.
        let room = usize::from(bottom.saturating_sub(y));
        let preamble: u16 = match room {
            h if h >= total + 3 && !self.how.is_empty() => 3,
            h if h > total && !self.title.is_empty() => 1,
            _ => 0,
        };
        if preamble >= 1 {
            put(buf, area, y, self.title, t.label());
        }
        if preamble == 3 {
            put(buf, area, y + 1, self.how, t.tone(Tone::Dim));
        }
        y += preamble;
        let rows = usize::from(bottom.saturating_sub(y));
        let label_cells = self.label_cells(area.width);
        let first = first_shown(&blocks, self.form.focus(), rows);
        for (i, errors) in blocks.iter().enumerate().skip(first) {
            if y >= bottom {
                break;
            }
            if let Some(field) = self.form.field_at(i) {
                self.draw_field(buf, area, y, i, field, label_cells);
            }
            y += 1;
            for line in errors {
                if y >= bottom {
                    break;
                }
                put(buf, area, y, line, t.tone(Tone::Bad));
                y += 1;
            }
        }
        // The message goes just under the fields, after a blank row when there is room.
        let shown = message_rows.min(message.len());
        let blank = u16::from(message_rows > shown);
        let at = (y + blank).min(area.bottom().saturating_sub(shown as u16));
        for (row, (text, tone)) in (at..).zip(message.iter().take(shown)) {
            put(buf, area, row, text, t.tone(*tone));
        }
    }
}

impl FormView<'_> {
    fn draw_field(
        &self,
        buf: &mut Buffer,
        area: Rect,
        y: u16,
        i: usize,
        field: &Field,
        label: u16,
    ) {
        let t = self.theme;
        let focused = i == self.form.focus();
        let wrong = field.error.is_some();
        let marker = match (focused, wrong) {
            (_, true) => "✗",
            (true, false) => "›",
            _ => " ",
        };
        let star = if field.spec.required { " *" } else { "" };
        // A cell is kept between the label and the field, however narrow.
        let text = fit(
            &format!(" {marker} {}{star}", field.spec.label),
            usize::from(label.saturating_sub(1)),
        );
        let style = match (focused, wrong) {
            (_, true) => t.tone(Tone::Bad),
            (true, false) => t.key(),
            _ => t.text(),
        };
        put(buf, area, y, &text, style);
        let at = Rect {
            x: area.x + label.min(area.width),
            y,
            width: area.width.saturating_sub(label + 1).min(FIELD_CELLS),
            height: 1,
        };
        if at.width == 0 {
            return;
        }
        let value_style = if focused && !self.form.is_sending() {
            t.selected()
        } else {
            t.text()
        };
        match &field.value {
            Value::Text(text_area) => text_area.as_ref().render(at, buf),
            Value::Choice(chosen) => {
                let option = field.options().get(*chosen).copied().unwrap_or("");
                let count = field.options().len();
                let shown = format!("‹ {option} ›");
                put_in(buf, at, &shown, value_style);
                let rest = usize::from(at.width).saturating_sub(width(&shown) + 1);
                if rest > 0 {
                    let of = format!("{} of {count}", chosen + 1);
                    let x = at.x + u16::try_from(width(&shown) + 1).unwrap_or(at.width);
                    buf.set_stringn(x, y, truncate(&of, rest), rest, t.tone(Tone::Dim));
                }
            }
            Value::Toggle(on) => {
                let shown = if *on { "[x] yes" } else { "[ ] no" };
                put_in(buf, at, shown, value_style);
            }
        }
    }

    /// Cells for marker, label and `*`: as wide as the longest, at most half the area.
    fn label_cells(&self, area_width: u16) -> u16 {
        let longest = (0..self.form.len())
            .filter_map(|i| self.form.spec(i))
            .map(|s| width(s.label))
            .max()
            .unwrap_or(0);
        let cells = MARKER_CELLS + longest + " *".len() + 1;
        u16::try_from(cells).unwrap_or(u16::MAX).min(area_width / 2)
    }

    /// The error of field `i` as lines under it: `Label: message`, wrapped, indented like labels.
    fn error_lines(&self, i: usize, cells: usize) -> Vec<String> {
        let Some(field) = self.form.field_at(i) else {
            return Vec::new();
        };
        let Some(message) = &field.error else {
            return Vec::new();
        };
        wrap(
            &format!("{}: {message}", field.spec.label),
            cells,
            MARKER_CELLS,
        )
    }

    /// What goes under the fields: what is being sent, or what is wrong with the whole form.
    fn message(&self, cells: usize) -> Vec<(String, Tone)> {
        let (text, tone) = if self.form.is_sending() {
            (self.sending, Tone::Normal)
        } else if let Some(error) = self.form.form_error() {
            (error, Tone::Bad)
        } else {
            return Vec::new();
        };
        let mut lines = wrap(text, cells, 1);
        lines.truncate(MESSAGE_LINES);
        lines.into_iter().map(|l| (l, tone)).collect()
    }
}

/// `text` wrapped to `cells` with `indent` spaces before every line.
fn wrap(text: &str, cells: usize, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let options = textwrap::Options::new(cells.saturating_sub(indent + 1).max(1))
        .initial_indent(&pad)
        .subsequent_indent(&pad);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// The first field shown so that the focused one and its error lines fit in `rows`, scrolling no
/// more than needed.
fn first_shown(blocks: &[Vec<String>], focus: usize, rows: usize) -> usize {
    let height = |i: usize| blocks.get(i).map_or(1, |e| 1 + e.len());
    let mut first = 0;
    while first < focus && (first..=focus).map(height).sum::<usize>() > rows {
        first += 1;
    }
    first
}

fn put(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    if y >= area.y && y < area.bottom() {
        buf.set_stringn(
            area.x,
            y,
            truncate(text, usize::from(area.width)),
            usize::from(area.width),
            style,
        );
    }
}

fn put_in(buf: &mut Buffer, at: Rect, text: &str, style: Style) {
    let cells = usize::from(at.width);
    buf.set_stringn(at.x, at.y, truncate(text, cells), cells, style);
}
