//! The request form as a screen on the stack, and the list's key that opens it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::draw::AdminRequestView;
use super::fields::FORM_KEYS;
use super::{AdminRequestScreen, Outcome, Requested, Target};
use crate::api::{Me, Permission};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, footer_hints, help_entries};
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::invitation::InvitationScreen;
use crate::tui::screens::{Ctx, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

/// `d` on the list (for delegated admin).
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('d')],
    shown: "d",
    help: "request admin access (GDAP): roles, duration, auto-extend → approval email",
    hint: None,
    intent: open,
    needs: Some(Permission::AdminRelationshipsManage),
};

fn open(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(row) = row else {
        ctx.flash("No customer under the cursor", Tone::Warn);
        return;
    };
    let screen = AdminRequestScreen::open(row, ctx);
    ctx.open(screen);
}

impl Screen for AdminRequestScreen {
    fn title(&self) -> &'static str {
        if self.picker().is_some() {
            "Choose the roles"
        } else {
            "Request admin access"
        }
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(FORM_KEYS, me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        if self.picker().is_some() {
            // The picker's own keys are on its border.
            return Vec::new();
        }
        footer_hints(FORM_KEYS, |_| true)
    }

    fn captures_input(&self) -> bool {
        true
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        match self.handle_key(ev, ctx) {
            Outcome::Stay => {}
            Outcome::Close => ctx.close(),
            Outcome::Help => ctx.help(),
        }
    }

    fn on_paste(&mut self, text: &str) {
        self.paste(text);
    }

    fn awaits(&self, req: RequestId) -> bool {
        AdminRequestScreen::awaits(self, req)
    }

    /// The tenant id arrived; or the request went out: on to the approval email.
    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx) {
        let reply = match reply.downcast::<Target>() {
            Ok(target) => return self.target_loaded(req, *target, ctx),
            Err(other) => other,
        };
        let Ok(relationship) = reply.downcast::<Requested>() else {
            return;
        };
        let link = relationship.approval_url.clone().unwrap_or_default();
        let opened = match ctx.me {
            Some(me) => InvitationScreen::approval(me, ctx.body, &link, self.request_words()),
            None => Err("still signing in".to_string()),
        };
        match opened {
            Ok(draft) => {
                ctx.close();
                ctx.open(draft);
                ctx.flash(
                    format!(
                        "Admin access requested for {}: send the approval link to its Global admin",
                        self.row().name()
                    ),
                    Tone::Normal,
                );
            }
            Err(why) => {
                let why = if link.is_empty() {
                    "the backend sent no approval link".to_string()
                } else {
                    why
                };
                self.failed(req, None, why);
            }
        }
    }

    /// Refused: back to the form, at the field the backend named, in its words.
    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, _ctx: &mut Ctx) {
        let (field, said) = match error {
            ClientError::Status { body, .. } => (
                body.data.first().cloned(),
                Some(sanitize(&body.description).into_owned()),
            ),
            _ => (None, None),
        };
        self.failed(req, field.as_deref(), said.unwrap_or(why));
    }

    fn is_busy(&self) -> bool {
        self.is_sending() || self.is_loading()
    }

    fn status(&self) -> Option<(String, Tone)> {
        Some((String::new(), Tone::Normal))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = AdminRequestView {
            screen: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
