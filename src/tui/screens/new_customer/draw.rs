//! Draws the add-customer form: a title, one line per field (label, then the field itself), and
//! under them what is wrong or that the customer is being added. When the body is too short for
//! all of it, the fields scroll so the focused one stays in view. Pure: borrows and draws.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{FIELDS, NewCustomerScreen};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::text::fit;

pub struct NewCustomerView<'a> {
    pub screen: &'a NewCustomerScreen,
    pub theme: Theme,
    pub spinner: &'a str,
}

/// Cells before a field: marker, label, `*`, padding.
const LABEL_CELLS: u16 = 24;
/// Fields are no wider than this: a domain or an email fits with room to spare.
const FIELD_CELLS: u16 = 64;
const TITLE: &str = " Add a new customer: you become its reseller";
const HOW: &str =
    " * required · Tab next field · Enter on the last field or Ctrl-S adds · Esc cancels";

impl Widget for &NewCustomerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let t = self.theme;
        let message = self.message();
        // Lines kept for the message at the bottom (a blank line and the message, when it fits).
        let message_rows: u16 = match &message {
            Some(_) if area.height >= 6 => 2,
            Some(_) => 1,
            None => 0,
        };
        let mut y = area.y;
        let bottom = area.bottom().saturating_sub(message_rows);
        let field_count = FIELDS.len() as u16;
        // Title and the how-to line go first when there is room for them and every field.
        let preamble: u16 = match bottom.saturating_sub(y) {
            h if h >= field_count + 3 => 3,
            h if h > field_count => 1,
            _ => 0,
        };
        if preamble >= 1 {
            put(buf, area, y, TITLE, t.label());
        }
        if preamble == 3 {
            put(buf, area, y + 1, HOW, t.tone(Tone::Dim));
        }
        y += preamble;
        let rows = usize::from(bottom.saturating_sub(y));
        let first = first_field(self.screen.focus(), rows, FIELDS.len());
        for (i, spec) in FIELDS.iter().enumerate().skip(first).take(rows) {
            let focused = i == self.screen.focus();
            let wrong = self.screen.problem().is_some_and(|p| p.field == Some(i));
            let marker = match (focused, wrong) {
                (_, true) => "✗",
                (true, false) => "›",
                _ => " ",
            };
            let star = if spec.required { " *" } else { "" };
            let label = fit(
                &format!(" {marker} {}{star}", spec.label),
                usize::from(LABEL_CELLS),
            );
            let style = match (focused, wrong) {
                (_, true) => t.tone(Tone::Bad),
                (true, false) => t.key(),
                _ => t.text(),
            };
            put(buf, area, y, &label, style);
            let field = Rect {
                x: area.x + LABEL_CELLS.min(area.width),
                y,
                width: area.width.saturating_sub(LABEL_CELLS + 1).min(FIELD_CELLS),
                height: 1,
            };
            if let Some(text_area) = self.screen.field(i)
                && field.width > 0
            {
                text_area.render(field, buf);
            }
            y += 1;
        }
        if let Some((text, tone)) = message {
            // Just under the fields, after a blank line when there is room.
            let at = Rect {
                y: (y + message_rows - 1).min(area.bottom().saturating_sub(1)),
                height: 1,
                ..area
            };
            Paragraph::new(Line::from(Span::styled(format!(" {text}"), t.tone(tone))))
                .wrap(Wrap { trim: false })
                .render(at, buf);
        }
    }
}

impl NewCustomerView<'_> {
    /// What goes under the fields: the customer being added, or what is wrong.
    fn message(&self) -> Option<(String, Tone)> {
        let screen = self.screen;
        if screen.is_sending() {
            return Some((
                format!("{} Adding {}…", self.spinner, screen.company()),
                Tone::Normal,
            ));
        }
        let problem = screen.problem()?;
        let text = match problem.field.and_then(|i| FIELDS.get(i)) {
            Some(spec) => format!("{}: {}", spec.label, problem.message),
            None => format!("Could not add the customer: {}", problem.message),
        };
        Some((text, Tone::Bad))
    }
}

/// The first field shown so that `focus` is among the `rows` shown, scrolling no more than needed.
fn first_field(focus: usize, rows: usize, count: usize) -> usize {
    if rows == 0 || rows >= count {
        0
    } else {
        focus.saturating_sub(rows - 1).min(count - rows)
    }
}

fn put(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: ratatui::style::Style) {
    if y < area.bottom() {
        buf.set_stringn(area.x, y, text, usize::from(area.width), style);
    }
}
