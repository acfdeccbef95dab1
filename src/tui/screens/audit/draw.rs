//! Drawing the audit log: a line saying which records these are, the columns, the records (the
//! one under the cursor reversed); or one record in full, wrapped.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{AuditScreen, Line};
use crate::tui::theme::{Theme, Tone};

pub struct AuditView<'a> {
    pub screen: &'a AuditScreen,
    pub theme: Theme,
    pub spinner: &'static str,
}

/// Column widths (when, agent, customer, operation); the change takes the rest.
fn widths(total: u16) -> [u16; 4] {
    if total >= 120 {
        [17, 22, 24, 24]
    } else {
        [12, 13, 15, 17]
    }
}

/// The time as it fits its column: the year goes on narrow terminals.
fn when(line: &Line, width: u16) -> String {
    match width {
        w if w >= 120 => line.when.clone(),
        _ => line.when.get(5..).unwrap_or(&line.when).to_string(),
    }
}

impl Widget for &AuditView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let s = self.screen;
        let customer = s
            .customer
            .as_ref()
            .map_or("every customer", |c| c.name.as_str());
        let summary = format!("Audit log · {customer} · {}", s.range.label());
        let (end, _) = buf.set_stringn(
            area.x,
            area.y,
            summary,
            usize::from(area.width),
            self.theme.label(),
        );
        if s.stale {
            // Beside the filters, where the eye is: the status line may be showing a flash.
            let room = area.width.saturating_sub(end - area.x);
            let hint = "  · new records — Ctrl-R";
            let style = self.theme.tone(Tone::Warn);
            buf.set_stringn(end, area.y, hint, usize::from(room), style);
        }
        let body = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        if s.detail
            && let Some(line) = s.selected()
        {
            return detail(line, self.theme).render(body, buf);
        }
        if s.lines.is_empty() {
            let text = match (&s.error, s.is_loading()) {
                (_, true) => format!("{} Loading the audit log…", self.spinner),
                (Some(_), false) => "The audit log could not be read (see below).".to_string(),
                (None, false) => "No records for this customer and time range.".to_string(),
            };
            buf.set_stringn(
                body.x,
                body.y,
                text,
                usize::from(body.width),
                self.theme.tone(Tone::Dim),
            );
            return;
        }
        self.table(body, buf);
    }
}

impl AuditView<'_> {
    fn table(&self, area: Rect, buf: &mut Buffer) {
        let s = self.screen;
        let widths = widths(area.width);
        let titles = [
            "When (UTC)",
            "Agent",
            "Customer",
            "Operation",
            "Before → after",
        ];
        self.row(
            area,
            area.y,
            &widths,
            titles.map(String::from),
            self.theme.column_titles(),
            buf,
        );
        let rows = usize::from(area.height.saturating_sub(1));
        for (i, line) in s.lines.iter().enumerate().skip(s.top).take(rows) {
            let y = area.y + 1 + (i - s.top) as u16;
            let style = if i == s.cursor {
                self.theme.selected()
            } else {
                self.theme.text()
            };
            if i == s.cursor {
                buf.set_style(
                    Rect {
                        y,
                        height: 1,
                        ..area
                    },
                    style,
                );
            }
            let cells = [
                when(line, area.width),
                line.agent.clone(),
                line.customer.clone(),
                line.operation.clone(),
                line.change(),
            ];
            self.row(area, y, &widths, cells, style, buf);
        }
    }

    fn row(
        &self,
        area: Rect,
        y: u16,
        widths: &[u16; 4],
        cells: [String; 5],
        style: ratatui::style::Style,
        buf: &mut Buffer,
    ) {
        let mut x = area.x;
        let right = area.x + area.width;
        for (i, cell) in cells.iter().enumerate() {
            if x >= right {
                break;
            }
            let width = widths.get(i).copied().unwrap_or(right - x).min(right - x);
            buf.set_stringn(x, y, cell, usize::from(width.saturating_sub(1)), style);
            x = x.saturating_add(width);
        }
    }
}

/// One record in full: every field on its own line, long ones wrapped.
fn detail(line: &Line, theme: Theme) -> Paragraph<'static> {
    let field = |label: &'static str, value: &str| {
        TextLine::from(vec![
            Span::styled(format!("{label:<11}"), theme.label()),
            Span::styled(value.to_string(), theme.text()),
        ])
    };
    let mut lines = vec![
        field("When", &format!("{} UTC", line.when)),
        field("Agent", &line.agent),
        field("Customer", &line.customer),
        field("Operation", &line.operation),
        field("Resource", &line.resource),
        field("Before", &line.before),
        field("After", &line.after),
    ];
    if !line.details.is_empty() {
        lines.push(field("Details", &line.details));
    }
    lines.push(TextLine::from(""));
    lines.push(TextLine::styled(
        "Enter or Esc: back to the records",
        theme.tone(Tone::Dim),
    ));
    Paragraph::new(lines).wrap(Wrap { trim: false })
}
