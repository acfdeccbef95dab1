//! How the app routes a key: Ctrl-C first, then the help overlay if open, then the add-customer
//! form (it takes every key), then a screen that is capturing typing (the filter, the draft
//! editor), then the keys every screen shares, then the screen on top (the invitation draft over
//! the list).

use crossterm::event::{KeyEvent, KeyEventKind};

use super::{App, Quit};
use crate::tui::command::Command;
use crate::tui::keymap::{GLOBAL_KEYS, GlobalIntent, Key, lookup};
use crate::tui::screens::ScreenId;
use crate::tui::screens::help::{HelpOutcome, HelpState, entries};
use crate::tui::screens::invitation::Outcome;
use crate::tui::screens::new_customer::Outcome as FormOutcome;
use crate::tui::view;

impl App {
    pub(super) fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let areas = view::layout(ratatui::layout::Rect::new(0, 0, width, height));
        self.customers.resize(areas.body.height.saturating_sub(1));
        let (width, height) = self.invitation_size();
        if let Some(screen) = &mut self.invitation {
            screen.resize(width, height);
        }
    }

    /// Pasted text goes where typing would: the form's field, the draft editor, the filter (on the
    /// list it opens the filter). Never run as keys: a pasted `q` must not quit.
    pub(super) fn on_paste(&mut self, text: &str) {
        self.flash = None;
        if self.help.is_some() {
            return;
        }
        if let Some(form) = &mut self.new_customer {
            form.paste(text);
        } else if let Some(screen) = &mut self.invitation {
            screen.paste(text);
        } else {
            self.customers.paste(text);
        }
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
        if let Some(help) = &mut self.help {
            let lines = entries(help.screen, self.me.as_ref()).len();
            if help.on_key(&ev, lines) == HelpOutcome::Close {
                self.help = None;
            }
            return;
        }
        if let Some(form) = &mut self.new_customer {
            // A form takes every key (`?` and `q` are text); its own table has help and cancel.
            let mut ctx = screen_ctx!(self, commands);
            match form.on_key(&ev, &mut ctx) {
                FormOutcome::Stay => {}
                FormOutcome::Close => self.close_new_customer(),
                FormOutcome::Help => self.help = Some(HelpState::new(ScreenId::NewCustomer)),
            }
            return;
        }
        if let Some(screen) = &mut self.invitation {
            let mut ctx = screen_ctx!(self, commands);
            if !screen.captures_input()
                && let Some(binding) = lookup(GLOBAL_KEYS, &ev)
            {
                match binding.intent {
                    GlobalIntent::Help => self.help = Some(HelpState::new(self.top())),
                    // `q` goes back too: only the list quits with it (DESIGN.md §4).
                    GlobalIntent::Back | GlobalIntent::Quit => {
                        if !screen.back() {
                            self.close_invitation();
                        }
                    }
                }
                return;
            }
            if screen.on_key(&ev, &mut ctx) == Outcome::Close {
                self.close_invitation();
            }
            return;
        }
        if !self.customers.captures_input()
            && let Some(binding) = lookup(GLOBAL_KEYS, &ev)
        {
            match binding.intent {
                GlobalIntent::Help => self.help = Some(HelpState::new(self.top())),
                // The list is the bottom screen: Esc there only clears a kept filter.
                GlobalIntent::Back => {
                    self.customers.back();
                }
                GlobalIntent::Quit => self.quit = Some(Quit::User),
            }
            return;
        }
        let mut ctx = screen_ctx!(self, commands);
        self.customers.on_key(&ev, &mut ctx);
        let (reload, invitation, new_customer) = (
            ctx.wants_reload,
            ctx.wants_invitation,
            ctx.wants_new_customer,
        );
        let ctx_customer = ctx.wants_customer_invitation.take();
        if reload {
            self.reload(commands);
        }
        if invitation {
            self.open_invitation(commands);
        }
        if new_customer {
            self.open_new_customer();
        }
        if let Some((id, name)) = ctx_customer {
            self.open_customer_invitation(&id, &name, commands);
        }
    }
}
