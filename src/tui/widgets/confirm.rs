//! A confirmation dialog: a centred box that names what is about to change (the subject, e.g. the
//! customer) and what it means, wrapped to fit; `y` confirms, any other key cancels. While the
//! change is on its way it says so and waits (Esc stops waiting). Pure state and drawing, no I/O.
//!
//! How a screen uses it:
//! ```text
//! let c = Confirm::new("End the relationship?", "Contoso Ltd (contoso.com)",
//!     "You can no longer sell to or manage this customer; your admin access ends.", "end it");
//! match c.on_key(ev) { ConfirmOutcome::Confirmed => { ctx.call(..); c.set_working(true) }
//!                      ConfirmOutcome::Cancelled => ctx.close(), ConfirmOutcome::Busy => {} }
//! draw: ConfirmView { confirm: &c, theme: look.theme, spinner: look.spinner }.render(area, buf)
//! ```

#[cfg(test)]
mod tests;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::centered;
use crate::tui::theme::{Theme, Tone};

/// What a key asks of the dialog's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// `y`: make the change (and usually [`Confirm::set_working`]).
    Confirmed,
    /// Any other key, or Esc while working: close without (waiting for) the change.
    Cancelled,
    /// A key while working, other than Esc: nothing to do.
    Busy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The box's title: the question (e.g. "End the relationship?").
    pub title: String,
    /// What it is about, shown first and bold (e.g. "Contoso Ltd (contoso.onmicrosoft.com)").
    pub subject: String,
    /// What confirming means, in plain words.
    pub consequence: String,
    /// What `y` does, for the key line (e.g. "end it").
    pub action: String,
    /// Shown instead of the key line while the change is on its way (e.g. "Ending…").
    pub working_text: String,
    working: bool,
}

impl Confirm {
    pub fn new(
        title: impl Into<String>,
        subject: impl Into<String>,
        consequence: impl Into<String>,
        action: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            subject: subject.into(),
            consequence: consequence.into(),
            action: action.into(),
            working_text: "Working…".into(),
            working: false,
        }
    }

    pub fn with_working_text(mut self, text: impl Into<String>) -> Self {
        self.working_text = text.into();
        self
    }

    pub fn is_working(&self) -> bool {
        self.working
    }

    /// The change was sent (`true`) or came back refused (`false`: `y` may be pressed again).
    pub fn set_working(&mut self, working: bool) {
        self.working = working;
    }

    pub fn on_key(&mut self, ev: &KeyEvent) -> ConfirmOutcome {
        let plain = !ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.working {
            return if ev.code == KeyCode::Esc {
                ConfirmOutcome::Cancelled
            } else {
                ConfirmOutcome::Busy
            };
        }
        match ev.code {
            KeyCode::Char('y' | 'Y') if plain => ConfirmOutcome::Confirmed,
            _ => ConfirmOutcome::Cancelled,
        }
    }
}

/// The dialog drawn centred over `area` (what is below stays visible around it).
pub struct ConfirmView<'a> {
    pub confirm: &'a Confirm,
    pub theme: Theme,
    /// The spinner frame shown while working.
    pub spinner: &'a str,
}

/// The box is at most this wide: short lines read better than a full-width banner.
const MAX_WIDTH: u16 = 64;

impl Widget for &ConfirmView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 4 || area.height < 3 {
            return;
        }
        let width = area.width.min(MAX_WIDTH);
        // Borders take two columns and two rows; a column of margin on each side inside.
        let lines = self.lines(usize::from(width - 4));
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let popup = centered(area, width, height);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title(format!(" {} ", self.confirm.title))
            .border_style(self.theme.text());
        let inner = block.inner(popup);
        block.render(popup, buf);
        let text = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        Paragraph::new(lines).render(text, buf);
    }
}

impl ConfirmView<'_> {
    /// The dialog's lines for `cells` columns: subject and consequence wrapped, then the keys.
    fn lines(&self, cells: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let c = self.confirm;
        let wrapped = |text: &str, style| -> Vec<Line<'static>> {
            textwrap::wrap(text, cells.max(1))
                .into_iter()
                .map(|l| Line::from(Span::styled(l.into_owned(), style)))
                .collect()
        };
        let mut out = wrapped(&c.subject, t.label());
        out.extend(wrapped(&c.consequence, t.tone(Tone::Normal)));
        out.push(Line::from(""));
        if c.working {
            out.extend(wrapped(
                &format!("{} {}", self.spinner, c.working_text),
                t.text(),
            ));
        } else {
            let yes = vec![
                Span::styled("y", t.key()),
                Span::styled(format!(" {}  ", c.action), t.text()),
            ];
            let no = vec![
                Span::styled("any other key", t.key()),
                Span::styled(" cancels", t.text()),
            ];
            // One line when it fits, else one line each.
            if Line::from(yes.clone()).width() + Line::from(no.clone()).width() <= cells {
                out.push(Line::from([yes, no].concat()));
            } else {
                out.push(Line::from(yes));
                out.push(Line::from(no));
            }
        }
        out
    }
}
