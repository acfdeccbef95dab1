//! The customers list's key handling: moving, opening and closing rows, typing the filter, and the
//! actions that reach beyond the list (reload, request a relationship, new customer).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::{Intent, KEYS};
use super::tree::{LineRef, find_line};
use super::{CustomersScreen, DetailState};
use crate::tui::command::Command;
use crate::tui::keymap::{allowed, lookup};
use crate::tui::screens::{Ctx, OPENERS};
use crate::tui::theme::Tone;

impl CustomersScreen {
    /// Handles `ev` if it is one of this screen's keys.
    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        if self.input.is_some() {
            self.on_filter_key(ev);
            return true;
        }
        let Some(binding) = lookup(KEYS, ev) else {
            return self.open_screen(ev, ctx);
        };
        if let Some(needs) = binding.needs
            && let Err(why) = allowed(ctx.me, needs)
        {
            // The sentence names the action, why not and whom to ask.
            ctx.flash(why, Tone::Bad);
            return true;
        }
        self.apply(binding.intent, ctx);
        true
    }

    /// `Esc` on the list: clears a kept filter. False when there was nothing to go back from.
    pub fn back(&mut self) -> bool {
        if self.rows.filter().is_empty() {
            return false;
        }
        self.set_filter(String::new());
        true
    }

    /// The list area is `height` lines tall (below the column titles).
    pub fn resize(&mut self, height: u16) {
        self.view.height = usize::from(height);
        self.view.settle(self.lines.len());
    }

    fn apply(&mut self, intent: Intent, ctx: &mut Ctx) {
        let len = self.lines.len();
        let here = self.selected();
        match intent {
            Intent::Down => self.view.move_by(1, len),
            Intent::Up => self.view.move_by(-1, len),
            Intent::Top => self.view.move_by(isize::MIN, len),
            Intent::Bottom => self.view.move_by(isize::MAX, len),
            Intent::PageDown => self.view.page(true, len),
            Intent::PageUp => self.view.page(false, len),
            Intent::Expand => match here {
                Some(l) if l.is_row() && self.expanded.contains(&l.row) => {
                    self.view.move_by(1, len)
                }
                Some(l) if l.is_row() => self.expand(l.row, ctx),
                _ => {}
            },
            Intent::Toggle => match here {
                Some(l) if self.expanded.contains(&l.row) => self.collapse(l.row),
                Some(l) => self.expand(l.row, ctx),
                None => {}
            },
            Intent::Collapse => match here {
                Some(l) if !l.is_row() => self.go_to_row(l.row),
                Some(l) if self.expanded.contains(&l.row) => self.collapse(l.row),
                _ => {}
            },
            Intent::Filter => self.input = Some(self.rows.filter().to_string()),
            Intent::Sort => {
                self.rows.set_sort(self.rows.sort().next());
                self.rebuild(true);
            }
            Intent::Reload => ctx.reload(),
        }
    }

    /// A key that opens a screen over the list, on the customer under the cursor (on a detail
    /// line too: it belongs to its row's customer).
    fn open_screen(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool {
        let Some(opener) = lookup(OPENERS, ev) else {
            return false;
        };
        if let Some(needs) = opener.needs
            && let Err(why) = allowed(ctx.me, needs)
        {
            // The sentence names the action, why not and whom to ask.
            ctx.flash(why, Tone::Bad);
            return true;
        }
        let row = self.selected().and_then(|l| self.rows.get(l.row)).cloned();
        (opener.intent)(row.as_ref(), ctx);
        true
    }

    fn on_filter_key(&mut self, ev: &KeyEvent) {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let mut text = self.input.take().unwrap_or_default();
        match ev.code {
            KeyCode::Esc => return self.set_filter(String::new()),
            KeyCode::Enter => {
                if text.trim().is_empty() {
                    self.set_filter(String::new());
                }
                return;
            }
            KeyCode::Down => self.view.move_by(1, self.lines.len()),
            KeyCode::Up => self.view.move_by(-1, self.lines.len()),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('u') if ctrl => text.clear(),
            KeyCode::Char(c) if !ctrl && !ev.modifiers.contains(KeyModifiers::ALT) => text.push(c),
            _ => {}
        }
        if text != self.rows.filter() {
            self.rows.set_filter(&text);
            self.rebuild(false);
        }
        self.input = Some(text);
    }

    /// Pasted text joins the filter being typed, or opens the filter with it.
    pub fn paste(&mut self, pasted: &str) {
        let mut text = self
            .input
            .take()
            .unwrap_or_else(|| self.rows.filter().to_string());
        text.extend(pasted.chars().map(|c| if c.is_control() { ' ' } else { c }));
        if text != self.rows.filter() {
            self.rows.set_filter(&text);
            self.rebuild(false);
        }
        self.input = Some(text);
    }

    fn set_filter(&mut self, text: String) {
        self.input = None;
        if text != self.rows.filter() {
            self.rows.set_filter(&text);
            self.rebuild(false);
        }
    }

    fn expand(&mut self, row: u32, ctx: &mut Ctx) {
        self.expanded.insert(row);
        let cached = matches!(
            self.details.get(&row),
            Some(DetailState::Loaded(_) | DetailState::Loading(_))
        );
        if !cached && let Some(r) = self.rows.get(row) {
            let req = ctx.ids.next_id();
            let id = r.id().to_string();
            self.details.insert(row, DetailState::Loading(req));
            ctx.commands.push(Command::LoadDetail { req, row, id });
        }
        self.rebuild(true);
    }

    fn collapse(&mut self, row: u32) {
        self.go_to_row(row);
        self.expanded.remove(&row);
        if matches!(self.details.get(&row), Some(DetailState::Failed(_))) {
            // Opening it again should try again.
            self.details.remove(&row);
        }
        self.rebuild(true);
    }

    fn go_to_row(&mut self, row: u32) {
        if let Some(i) = find_line(&self.lines, LineRef::row(row), self.view.cursor) {
            self.view.cursor = i;
            self.view.settle(self.lines.len());
        }
    }
}
