//! The invitation draft as a screen on the stack, and the list's keys that open it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::draw::InvitationView;
use super::hints::{invitation_hints, invitation_status};
use super::keys::{DRAFT_KEYS, PICKER_KEYS};
use super::{InvitationScreen, Outcome, ResellerLink, Start};
use crate::api::{Me, Permission};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, help_entries};
use crate::tui::model::CopyWhat;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::{Ctx, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

/// `r` on the list: the draft with the partner's direct link, at once.
pub const OPEN_DRAFT: Binding<Open> = Binding {
    keys: &[Key::Char('r')],
    shown: "r",
    help: "request a reseller relationship (invitation draft with your link)",
    hint: Some("request"),
    intent: open_draft,
    needs: Some(Permission::RelationshipsRequest),
};

/// `R` on the list: the draft with a link for the customer under the cursor only.
pub const OPEN_RESTORE: Binding<Open> = Binding {
    keys: &[Key::Char('R')],
    shown: "R",
    help: "restore this customer (a link for it only: relationship and admin permissions)",
    // The footer is full at 80 columns; the expanded row of a customer that needs it points here.
    hint: None,
    intent: open_restore,
    needs: Some(Permission::RelationshipsRequest),
};

fn open_draft(_: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(me) = ctx.me else {
        ctx.flash("Still signing in: press r again in a moment", Tone::Warn);
        return;
    };
    let screen = InvitationScreen::open(me, ctx.body, ctx);
    ctx.open(screen);
}

fn open_restore(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(row) = row else {
        ctx.flash("No customer under the cursor", Tone::Warn);
        return;
    };
    let Some(me) = ctx.me else {
        ctx.flash("Still signing in: press R again in a moment", Tone::Warn);
        return;
    };
    let screen = InvitationScreen::open_for_customer(me, row.id(), row.name(), ctx.body, ctx);
    ctx.open(screen);
}

impl Screen for InvitationScreen {
    fn title(&self) -> &'static str {
        if self.is_picking() {
            "Choose an indirect reseller"
        } else if self.approval_request().is_some() {
            "Admin access approval draft"
        } else {
            "Invitation draft"
        }
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        if self.is_picking() {
            help_entries(PICKER_KEYS, me)
        } else {
            help_entries(DRAFT_KEYS, me)
        }
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        invitation_hints(self)
    }

    fn captures_input(&self) -> bool {
        InvitationScreen::captures_input(self)
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        if self.handle_key(ev, ctx) == Outcome::Close {
            ctx.close();
        }
    }

    fn back(&mut self, ctx: &mut Ctx) {
        if !self.step_back() {
            ctx.close();
        }
    }

    fn on_paste(&mut self, text: &str) {
        self.paste(text);
    }

    fn awaits(&self, req: RequestId) -> bool {
        InvitationScreen::awaits(self, req)
    }

    fn on_reply(&mut self, req: RequestId, reply: Reply, _ctx: &mut Ctx) {
        let reply = match reply.downcast::<Start>() {
            Ok(start) => return self.loaded(req, *start),
            Err(other) => other,
        };
        if let Ok(link) = reply.downcast::<ResellerLink>() {
            self.link_loaded(req, &link.0);
        }
    }

    fn on_failed(&mut self, req: RequestId, _error: &ClientError, why: String, _ctx: &mut Ctx) {
        self.failed(req, why);
    }

    fn copy_failed(&mut self, what: CopyWhat) {
        InvitationScreen::copy_failed(self, what);
    }

    fn is_busy(&self) -> bool {
        InvitationScreen::is_busy(self)
    }

    fn resize(&mut self, width: u16, height: u16) {
        InvitationScreen::resize(self, width, height);
    }

    fn status(&self) -> Option<(String, Tone)> {
        Some(invitation_status(self))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = InvitationView {
            screen: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
