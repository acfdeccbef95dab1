//! The `?` overlay: every key of the screen below it, greyed with the reason where the signed-in role
//! may not use it. Scrolls when the terminal is shorter than the list.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use crate::tui::keymap::HelpEntry;
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::centered;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpState {
    /// The title of the screen whose keys are shown.
    pub title: &'static str,
    pub scroll: usize,
}

/// What a key does to the open help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpOutcome {
    Stay,
    Close,
}

impl HelpState {
    pub fn new(title: &'static str) -> Self {
        Self { title, scroll: 0 }
    }

    /// `lines` is how many help lines there are (scrolling stops at the last).
    pub fn on_key(&mut self, ev: &KeyEvent, lines: usize) -> HelpOutcome {
        match ev.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => return HelpOutcome::Close,
            KeyCode::Down | KeyCode::Char('j') => {
                self.scroll = (self.scroll + 1).min(lines.saturating_sub(1))
            }
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            _ => {}
        }
        HelpOutcome::Stay
    }
}

/// The overlay as a widget, drawn over whatever is below.
pub struct HelpView<'a> {
    pub state: HelpState,
    pub entries: &'a [HelpEntry],
    pub theme: Theme,
}

const KEYS_WIDTH: usize = 12;

impl Widget for &HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = self.lines();
        let popup = centered(
            area,
            100,
            u16::try_from(lines.len() + 2).unwrap_or(u16::MAX),
        );
        Clear.render(popup, buf);
        let title = format!(" Keys: {} ", self.state.title);
        let block = Block::bordered()
            .title(title)
            .title_bottom(" Esc close · j/k scroll ")
            .border_style(self.theme.text());
        let inner = block.inner(popup);
        block.render(popup, buf);
        let height = usize::from(inner.height);
        let scroll = self.state.scroll.min(lines.len().saturating_sub(height));
        for (line, y) in lines.iter().skip(scroll).zip(inner.top()..inner.bottom()) {
            line.render(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                buf,
            );
        }
    }
}

impl HelpView<'_> {
    /// One line per key; a key the role may not use is greyed, with the reason on a second line.
    fn lines(&self) -> Vec<Line<'static>> {
        let dim = self.theme.tone(Tone::Dim);
        let mut out = Vec::with_capacity(self.entries.len() + 4);
        for e in self.entries {
            let (key_style, text_style) = match e.denied {
                Some(_) => (dim, dim),
                None => (self.theme.key(), self.theme.text()),
            };
            out.push(Line::from(vec![
                Span::styled(format!(" {:<w$}", e.keys, w = KEYS_WIDTH), key_style),
                Span::styled(e.help, text_style),
            ]));
            if let Some(why) = &e.denied {
                let indent = " ".repeat(KEYS_WIDTH + 1);
                out.push(Line::from(Span::styled(format!("{indent}{why}"), dim)));
            }
        }
        out
    }
}
