//! The `?` overlay: every key of the screen below it, greyed with the reason where the signed-in role
//! may not use it. Long lines wrap beside the key column; the list scrolls (j/k, PgUp/PgDn, g/G)
//! with a "more below ↓" mark when the terminal is shorter than it.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use crate::tui::keymap::HelpEntry;
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::centered;
use crate::tui::widgets::text::{fit, width};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpState {
    /// The title of the screen whose keys are shown.
    pub title: &'static str,
    /// The first line shown; drawing clamps it to the last page.
    pub scroll: usize,
}

/// What a key does to the open help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpOutcome {
    Stay,
    Close,
}

/// Rows a page of scrolling moves when the caller does not say (see [`HelpState::on_key_paged`]).
const DEFAULT_PAGE: usize = 10;

impl HelpState {
    pub fn new(title: &'static str) -> Self {
        Self { title, scroll: 0 }
    }

    /// `lines` is how many lines the help has as drawn (see [`layout`]); scrolling stops at the last.
    pub fn on_key(&mut self, ev: &KeyEvent, lines: usize) -> HelpOutcome {
        self.on_key_paged(ev, lines, DEFAULT_PAGE)
    }

    /// [`HelpState::on_key`] with the number of lines a page shows, for PgUp/PgDn; both numbers
    /// come from [`layout`] for the terminal's size, so scrolling stops where drawing does.
    pub fn on_key_paged(&mut self, ev: &KeyEvent, lines: usize, page: usize) -> HelpOutcome {
        let last = lines.saturating_sub(page.max(1));
        // Drawing may have shown less than `scroll` says (it clamps): start from what was seen.
        self.scroll = self.scroll.min(last);
        match ev.code {
            KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?') | KeyCode::Char('q') => {
                return HelpOutcome::Close;
            }
            KeyCode::Down | KeyCode::Char('j') => self.scroll = (self.scroll + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => {
                self.scroll = (self.scroll + page.max(1)).min(last)
            }
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(page.max(1)),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll = last,
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

/// Cells of the key column, after a leading space.
const KEYS_WIDTH: usize = 12;
/// The overlay is no wider than this.
const MAX_WIDTH: u16 = 100;
/// Help text is never wrapped narrower than this, even when the key column must give way.
const MIN_TEXT: usize = 12;

/// The overlay's box in `area` for `lines` lines of help.
fn popup(area: Rect, lines: usize) -> Rect {
    centered(
        area,
        MAX_WIDTH,
        u16::try_from(lines + 2).unwrap_or(u16::MAX),
    )
}

/// How many lines the help for `entries` has when drawn in `area`, and how many of them show at
/// once: what scrolling needs to stop at the last page.
pub fn layout(entries: &[HelpEntry], area: Rect) -> (usize, usize) {
    let inner = usize::from(area.width.min(MAX_WIDTH).saturating_sub(2));
    let lines = wrapped(entries, inner, Theme::new(false)).len();
    let shown = usize::from(popup(area, lines).height.saturating_sub(2));
    (lines, shown)
}

impl Widget for &HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 3 || area.height < 3 {
            return;
        }
        let inner_width = usize::from(area.width.min(MAX_WIDTH) - 2);
        let lines = wrapped(self.entries, inner_width, self.theme);
        let popup = popup(area, lines.len());
        Clear.render(popup, buf);
        let height = usize::from(popup.height.saturating_sub(2));
        let scroll = self.state.scroll.min(lines.len().saturating_sub(height));
        let mut block = Block::bordered()
            .title(format!(" Keys: {} ", self.state.title))
            .border_style(self.theme.text());
        let scrolls = lines.len() > height;
        block = block.title_bottom(if scrolls {
            " Esc close · j/k PgDn scroll "
        } else {
            " Esc close "
        });
        if scroll > 0 {
            block = block.title(Line::from(" ↑ more above ").right_aligned());
        }
        if scroll + height < lines.len() {
            block = block.title_bottom(Line::from(" more below ↓ ").right_aligned());
        }
        let inner = block.inner(popup);
        block.render(popup, buf);
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

/// The help as lines `cells` wide: the keys in their column, what they do wrapped beside them. A
/// key the role may not use is greyed, with the reason wrapped under its text.
fn wrapped(entries: &[HelpEntry], cells: usize, theme: Theme) -> Vec<Line<'static>> {
    let dim = theme.tone(Tone::Dim);
    // The key column gives way on a very narrow terminal rather than the text.
    let keys_width = KEYS_WIDTH.min(cells.saturating_sub(MIN_TEXT + 1));
    let text_width = cells.saturating_sub(keys_width + 1).max(1);
    let indent = " ".repeat(keys_width + 1);
    let mut out = Vec::with_capacity(entries.len() + 4);
    for e in entries {
        let (key_style, text_style) = match e.denied {
            Some(_) => (dim, dim),
            None => (theme.key(), theme.text()),
        };
        let mut first = true;
        if width(e.keys) > keys_width {
            // Keys wider than their column get a line of their own.
            out.push(Line::from(Span::styled(format!(" {}", e.keys), key_style)));
            first = false;
        }
        for part in textwrap::wrap(e.help, text_width) {
            let keys = if first {
                format!(" {}", fit(e.keys, keys_width))
            } else {
                indent.clone()
            };
            first = false;
            out.push(Line::from(vec![
                Span::styled(keys, key_style),
                Span::styled(part.into_owned(), text_style),
            ]));
        }
        if let Some(why) = &e.denied {
            for part in textwrap::wrap(why, text_width) {
                out.push(Line::from(Span::styled(format!("{indent}{part}"), dim)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
