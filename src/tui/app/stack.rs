//! The screens over the list: handing one (or the list) a [`Ctx`], doing what it asked for
//! afterwards, and routing each call's answer to the screen that made it.

use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::command::Command;
use crate::tui::layout::layout;
use crate::tui::screens::customers::CustomersScreen;
use crate::tui::screens::{Ctx, LiveChange, Request, Screen};
use crate::tui::theme::Tone;

use super::App;

/// Which screen a handler runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    List,
    /// Index into the stack.
    Screen(usize),
}

impl App {
    /// The body area's size: where screens draw.
    pub(super) fn body_size(&self) -> (u16, u16) {
        let (width, height) = self.size;
        let body = layout(ratatui::layout::Rect::new(0, 0, width, height)).body;
        (body.width, body.height)
    }

    /// Runs `f` on the list with a context, then does what it asked for.
    pub(super) fn on_list(
        &mut self,
        commands: &mut Vec<Command>,
        f: impl FnOnce(&mut CustomersScreen, &mut Ctx),
    ) {
        let body = self.body_size();
        let mut ctx = Ctx::new(
            self.me.as_ref(),
            &mut self.ids,
            commands,
            &mut self.flash,
            self.now,
            body,
        )
        .on(self.today);
        f(&mut self.customers, &mut ctx);
        let requests = ctx.into_requests();
        self.apply(Target::List, requests, commands);
    }

    /// Runs `f` on the screen at `index` of the stack with a context, then does what it asked for.
    pub(super) fn on_screen(
        &mut self,
        index: usize,
        commands: &mut Vec<Command>,
        f: impl FnOnce(&mut dyn Screen, &mut Ctx),
    ) {
        let body = self.body_size();
        let Some(screen) = self.stack.get_mut(index) else {
            return;
        };
        let mut ctx = Ctx::new(
            self.me.as_ref(),
            &mut self.ids,
            commands,
            &mut self.flash,
            self.now,
            body,
        )
        .on(self.today);
        f(screen.as_mut(), &mut ctx);
        let requests = ctx.into_requests();
        self.apply(Target::Screen(index), requests, commands);
    }

    fn apply(&mut self, from: Target, requests: Vec<Request>, commands: &mut Vec<Command>) {
        let mut from = from;
        for request in requests {
            match request {
                Request::Open(mut screen) => {
                    let (width, height) = self.body_size();
                    screen.resize(width, height);
                    screen.list_at_open(self.customers.rows());
                    self.stack.push(screen);
                }
                Request::Close => {
                    if let Target::Screen(i) = from
                        && i < self.stack.len()
                    {
                        self.stack.remove(i);
                        // Later requests of a closed screen (open the next one) still apply.
                        from = Target::List;
                    }
                }
                Request::Help => self.open_help(),
                Request::Reload => self.reload(commands),
                Request::Changed(change) => self.changed_here(change, commands),
                Request::Added(row) => {
                    let (name, domain) = (row.name().to_string(), row.domain().to_string());
                    let mut shown = false;
                    self.on_list(commands, |list, ctx| shown = list.add_and_select(row, ctx));
                    let text = if shown {
                        format!("Added {name} ({domain}): you are its reseller")
                    } else {
                        format!(
                            "Added {name} ({domain}); the filter hides it (Esc clears the filter)"
                        )
                    };
                    self.note(text, Tone::Normal);
                }
            }
        }
    }

    /// A customer changed: the list's row, then every open screen, hear of it.
    pub(super) fn tell_screens(&mut self, change: &LiveChange, commands: &mut Vec<Command>) {
        for i in (0..self.stack.len()).rev() {
            self.on_screen(i, commands, |s, ctx| s.on_live(change, ctx));
        }
    }

    /// This dashboard's own change (the answer to its PATCH): as a live event, without the flash.
    fn changed_here(&mut self, change: LiveChange, commands: &mut Vec<Command>) {
        let row = change.row.clone();
        self.on_list(commands, |list, ctx| {
            list.apply_live(row, ctx);
        });
        self.tell_screens(&change, commands);
    }

    /// The answer to a screen's call: to the screen awaiting it (dropped when none does: it was
    /// closed, or asked again since). Transient trouble is retried with the same call.
    pub(super) fn reply(
        &mut self,
        req: RequestId,
        result: Result<Reply, ClientError>,
        commands: &mut Vec<Command>,
    ) {
        let call = self.calls.remove(&req);
        let Some(index) = self.stack.iter().rposition(|s| s.awaits(req)) else {
            return;
        };
        match result {
            Ok(reply) => {
                commands.extend(self.conn.succeeded());
                self.on_screen(index, commands, |s, ctx| s.on_reply(req, reply, ctx));
            }
            Err(error) => {
                let why = match call {
                    Some(call) => self.failed(Command::Call { req, call }, &error, commands),
                    None => Some(crate::tui::sanitize::sanitize(&error.to_string()).into_owned()),
                };
                if let Some(why) = why {
                    self.on_screen(index, commands, |s, ctx| s.on_failed(req, &error, why, ctx));
                }
            }
        }
    }

    /// Whether any open screen still awaits `req` (a queued retry of a closed screen is
    /// dropped, and forgotten).
    pub(super) fn screen_awaits(&mut self, req: RequestId) -> bool {
        let awaited = self.stack.iter().any(|s| s.awaits(req));
        if !awaited {
            self.calls.remove(&req);
        }
        awaited
    }

    pub(super) fn note(&mut self, text: String, tone: Tone) {
        self.flash = Some(crate::tui::screens::Flash { text, tone });
    }
}
