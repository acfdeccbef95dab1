//! How the app routes a key: Ctrl-C first, then the help overlay if open, then the screen on top
//! (a screen capturing typing gets every key; else the keys every screen shares come first), and
//! with no screen open, the list.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::{App, Quit};
use crate::tui::command::Command;
use crate::tui::keymap::{GLOBAL_KEYS, GlobalIntent, Key, help_entries, lookup};
use crate::tui::layout::layout;
use crate::tui::screens::help::{HelpOutcome, HelpState};

impl App {
    pub(super) fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let areas = layout(ratatui::layout::Rect::new(0, 0, width, height));
        self.customers.resize(areas.body.height.saturating_sub(1));
        let (width, height) = self.body_size();
        for screen in &mut self.stack {
            screen.resize(width, height);
        }
    }

    /// Pasted text goes where typing would: the top screen, else the filter (on the list it opens
    /// the filter). Never run as keys: a pasted `q` must not quit.
    pub(super) fn on_paste(&mut self, text: &str) {
        self.flash = None;
        if self.help.is_some() {
            return;
        }
        match self.stack.last_mut() {
            Some(screen) => screen.on_paste(text),
            None => self.customers.paste(text),
        }
    }

    /// The help lines for the screen on top: its own keys, then the keys every screen has
    /// (a form that captures typing has no `?` or `q`: only its own keys).
    pub fn help_entries(&self) -> Vec<crate::tui::keymap::HelpEntry> {
        let me = self.me.as_ref();
        let mut out = match self.top() {
            Some(screen) if screen.captures_input() => return screen.help(me),
            Some(screen) => screen.help(me),
            None => {
                let mut list = help_entries(crate::tui::screens::customers::keys::KEYS, me);
                list.extend(help_entries(crate::tui::screens::OPENERS, me));
                list
            }
        };
        out.extend(help_entries(GLOBAL_KEYS, me));
        out
    }

    pub(super) fn open_help(&mut self) {
        let title = self.top().map_or("Customers", |s| s.title());
        self.help = Some(HelpState::new(title));
    }

    pub(super) fn on_key(&mut self, ev: KeyEvent, commands: &mut Vec<Command>) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        self.flash = None;
        if Key::Ctrl('c').matches(&ev) {
            self.quit = Some(Quit::User);
            return;
        }
        if self.help.is_some() {
            // Scrolling stops where drawing does: the help as wrapped for the body's width.
            let (width, height) = self.size();
            let body =
                crate::tui::layout::layout(ratatui::layout::Rect::new(0, 0, width, height)).body;
            let (lines, page) = crate::tui::screens::help::layout(&self.help_entries(), body);
            if let Some(help) = &mut self.help
                && help.on_key_paged(&ev, lines, page) == HelpOutcome::Close
            {
                self.help = None;
            }
            return;
        }
        if let Some(top) = self.stack.len().checked_sub(1) {
            let captures = self.stack[top].captures_input();
            if !captures && let Some(binding) = lookup(GLOBAL_KEYS, &ev) {
                match binding.intent {
                    GlobalIntent::Help => self.open_help(),
                    // `q` goes back too: only the list quits with it (DESIGN.md §4).
                    GlobalIntent::Back | GlobalIntent::Quit => {
                        self.on_screen(top, commands, |s, ctx| s.back(ctx))
                    }
                }
                return;
            }
            self.on_screen(top, commands, |s, ctx| s.on_key(&ev, ctx));
            return;
        }
        if !self.customers.captures_input()
            && let Some(binding) = lookup(GLOBAL_KEYS, &ev)
        {
            match binding.intent {
                GlobalIntent::Help => self.open_help(),
                // The list is the bottom screen: Esc there only clears a kept filter.
                GlobalIntent::Back => {
                    self.customers.back();
                }
                GlobalIntent::Quit => self.quit = Some(Quit::User),
            }
            return;
        }
        self.on_list(commands, |list, ctx| {
            list.on_key(&ev, ctx);
        });
    }
}
