//! A picker: a list of items (a label, an optional detail line, or greyed with the reason it can't
//! be chosen) to choose one of, or to mark many of with `Space` (`a` marks all / none). j/k/↑/↓,
//! g/G, PgUp/PgDn move; `/` narrows by typed text; Enter chooses, Esc cancels. Pure state: keys in,
//! a [`PickerOutcome`] out for the owner; drawing in `draw` (it scrolls to keep the cursor shown).
//!
//! How a screen uses it:
//! ```text
//! let items = agents.iter().map(|a| PickItem::new(&a.name).detail(&a.email)).collect();
//! let mut p = Picker::new(items, PickMode::Many).with_marked(&already);
//! match p.on_key(ev) { PickerOutcome::Chosen(ix) => send ix, PickerOutcome::Cancelled => ctx.close(),
//!                      PickerOutcome::Refused(why) => ctx.flash(why, Tone::Warn), PickerOutcome::Stay => {} }
//! draw: PickerView { picker: &p, theme, title: "Support contacts" }.render(centered(area, 60, 16), buf)
//! ```

pub mod draw;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::sanitize::sanitize;
pub use draw::PickerView;

/// One line (or two, with a detail or a reason) of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub label: String,
    pub detail: Option<String>,
    /// Why it can't be chosen, if it can't: it is shown greyed with this.
    pub disabled: Option<String>,
}

impl PickItem {
    /// Text may come from the backend: it is sanitized here, before any drawing.
    pub fn new(label: &str) -> Self {
        Self {
            label: sanitize(label).into_owned(),
            detail: None,
            disabled: None,
        }
    }
    pub fn detail(mut self, detail: &str) -> Self {
        self.detail = Some(sanitize(detail).into_owned());
        self
    }
    pub fn disabled(mut self, reason: &str) -> Self {
        self.disabled = Some(sanitize(reason).into_owned());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickMode {
    /// Enter (or Space) chooses the item under the cursor.
    One,
    /// Space marks, Enter chooses the marked ones (possibly none).
    Many,
}

/// What a key asks of the picker's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerOutcome {
    Stay,
    /// Indexes into the items given, ascending.
    Chosen(Vec<usize>),
    Cancelled,
    /// A greyed item was chosen or marked: say why it can't be.
    Refused(String),
}

#[derive(Debug, Clone)]
pub struct Picker {
    items: Vec<PickItem>,
    mode: PickMode,
    marked: Vec<bool>,
    /// Indexes of the items the filter lets through, in order.
    shown: Vec<usize>,
    /// Position in `shown`.
    cursor: usize,
    filter: String,
    typing: bool,
    /// The first position drawn and how many items fitted, as the last drawing left them, so
    /// scrolling is minimal and PgDn moves by what was seen.
    pub(crate) view: Cell<(usize, usize)>,
}

impl Picker {
    pub fn new(items: Vec<PickItem>, mode: PickMode) -> Self {
        let shown = (0..items.len()).collect();
        Self {
            marked: vec![false; items.len()],
            items,
            mode,
            shown,
            cursor: 0,
            filter: String::new(),
            typing: false,
            view: Cell::new((0, 0)),
        }
    }

    /// Starts with `indexes` marked (e.g. the support contacts a customer already has).
    pub fn with_marked(mut self, indexes: &[usize]) -> Self {
        for &i in indexes {
            if let Some(m) = self.marked.get_mut(i) {
                *m = true;
            }
        }
        self
    }

    // ---- read access ----

    pub fn items(&self) -> &[PickItem] {
        &self.items
    }
    pub fn mode(&self) -> PickMode {
        self.mode
    }
    /// Indexes of the items shown (all, or those matching the filter).
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }
    /// The item under the cursor, as an index into the items.
    pub fn cursor(&self) -> Option<usize> {
        self.shown.get(self.cursor).copied()
    }
    pub(crate) fn cursor_position(&self) -> usize {
        self.cursor
    }
    pub fn is_marked(&self, i: usize) -> bool {
        self.marked.get(i).copied().unwrap_or(false)
    }
    /// The marked items' indexes, ascending.
    pub fn marked(&self) -> Vec<usize> {
        (0..self.items.len()).filter(|&i| self.marked[i]).collect()
    }
    pub fn filter(&self) -> &str {
        &self.filter
    }
    pub fn is_typing(&self) -> bool {
        self.typing
    }

    // ---- keys ----

    pub fn on_key(&mut self, ev: &KeyEvent) -> PickerOutcome {
        if ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return PickerOutcome::Stay;
        }
        if self.typing {
            return self.on_filter_key(ev.code);
        }
        let page = self.view.get().1.max(1);
        match ev.code {
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1),
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1),
            KeyCode::PageDown => self.move_by(page as isize),
            KeyCode::PageUp => self.move_by(-(page as isize)),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = self.shown.len().saturating_sub(1),
            KeyCode::Char('/') => self.typing = true,
            KeyCode::Char(' ') if self.mode == PickMode::Many => return self.toggle_mark(),
            KeyCode::Char('a') if self.mode == PickMode::Many => self.mark_all_or_none(),
            KeyCode::Enter | KeyCode::Char(' ') => return self.choose(),
            KeyCode::Esc if !self.filter.is_empty() => self.set_filter(String::new()),
            KeyCode::Esc | KeyCode::Char('q') => return PickerOutcome::Cancelled,
            _ => {}
        }
        PickerOutcome::Stay
    }

    /// Typing the filter: text narrows, Backspace widens, Enter keeps it, Esc drops it.
    fn on_filter_key(&mut self, code: KeyCode) -> PickerOutcome {
        match code {
            KeyCode::Char(c) => {
                let mut filter = self.filter.clone();
                filter.push(c);
                self.set_filter(filter);
            }
            KeyCode::Backspace => {
                let mut filter = self.filter.clone();
                if filter.pop().is_none() {
                    self.typing = false;
                }
                self.set_filter(filter);
            }
            KeyCode::Enter => self.typing = false,
            KeyCode::Esc => {
                self.typing = false;
                self.set_filter(String::new());
            }
            KeyCode::Down => self.move_by(1),
            KeyCode::Up => self.move_by(-1),
            _ => {}
        }
        PickerOutcome::Stay
    }

    /// Pasted text goes into the filter while it is being typed; elsewhere it is ignored.
    pub fn paste(&mut self, text: &str) {
        if self.typing {
            let mut filter = self.filter.clone();
            filter.push_str(&sanitize(text));
            self.set_filter(filter);
        }
    }

    fn move_by(&mut self, by: isize) {
        let last = self.shown.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(by).min(last);
    }

    fn toggle_mark(&mut self) -> PickerOutcome {
        let Some(i) = self.cursor() else {
            return PickerOutcome::Stay;
        };
        if let Some(why) = &self.items[i].disabled {
            return PickerOutcome::Refused(why.clone());
        }
        self.marked[i] = !self.marked[i];
        PickerOutcome::Stay
    }

    /// `a`: marks every shown item that may be chosen, or unmarks them when all already were.
    fn mark_all_or_none(&mut self) {
        let enabled: Vec<usize> = self
            .shown
            .iter()
            .copied()
            .filter(|&i| self.items[i].disabled.is_none())
            .collect();
        let all = enabled.iter().all(|&i| self.marked[i]);
        for i in enabled {
            self.marked[i] = !all;
        }
    }

    fn choose(&mut self) -> PickerOutcome {
        if self.mode == PickMode::Many {
            return PickerOutcome::Chosen(self.marked());
        }
        match self.cursor() {
            None => PickerOutcome::Stay,
            Some(i) => match &self.items[i].disabled {
                Some(why) => PickerOutcome::Refused(why.clone()),
                None => PickerOutcome::Chosen(vec![i]),
            },
        }
    }

    /// Narrows to items whose label or detail holds `filter` (ignoring case); the cursor stays on
    /// its item when that is still shown.
    fn set_filter(&mut self, filter: String) {
        let at = self.cursor();
        let needle = filter.to_lowercase();
        self.shown = (0..self.items.len())
            .filter(|&i| {
                let item = &self.items[i];
                needle.is_empty()
                    || item.label.to_lowercase().contains(&needle)
                    || item
                        .detail
                        .as_ref()
                        .is_some_and(|d| d.to_lowercase().contains(&needle))
            })
            .collect();
        self.filter = filter;
        self.cursor = at
            .and_then(|i| self.shown.iter().position(|&s| s == i))
            .unwrap_or(0);
    }
}
