//! The users screen on the stack, and the list's key that opens it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::draw::UsersView;
use super::keys::{CONFIRM_KEYS, LIST_KEYS, PICKER_KEYS, RESULT_KEYS};
use super::{Added, Changed, LicensesUpdated, Loaded, Mode, UsersScreen};
use crate::api::Me;
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, footer_hints, help_entries};
use crate::tui::model::CopyWhat;
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::{Ctx, LiveChange, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

/// `u` on the list. Every role may look; the changes inside need `users.manage`.
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('u')],
    shown: "u",
    help: "the customer's users and their licenses (add, remove, restore, assign licenses)",
    hint: None,
    intent: open,
    needs: None,
};

fn open(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(row) = row else {
        ctx.flash("No customer under the cursor", Tone::Warn);
        return;
    };
    let screen = UsersScreen::new(row, ctx);
    ctx.open(screen);
}

impl Screen for UsersScreen {
    fn title(&self) -> &'static str {
        match self.mode() {
            Mode::List => "Users and licenses",
            Mode::Form(_) => "Add a user",
            Mode::Confirm { .. } => "Remove a user",
            Mode::Picker(_) => "Licenses of a user",
            Mode::Result { .. } => "User added",
        }
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        match self.mode() {
            Mode::List => help_entries(LIST_KEYS, me),
            Mode::Form(form) => help_entries(form.form.keys(), me),
            Mode::Confirm { .. } => help_entries(CONFIRM_KEYS, me),
            Mode::Picker(_) => help_entries(PICKER_KEYS, me),
            Mode::Result { .. } => help_entries(RESULT_KEYS, me),
        }
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        match self.mode() {
            Mode::List => footer_hints(LIST_KEYS, |_| true),
            Mode::Form(form) => footer_hints(form.form.keys(), |_| true),
            Mode::Confirm { .. } => footer_hints(CONFIRM_KEYS, |_| true),
            Mode::Picker(_) => footer_hints(PICKER_KEYS, |_| true),
            Mode::Result { .. } => footer_hints(RESULT_KEYS, |_| true),
        }
    }

    /// The form takes every key (`?` and `q` are text); the confirmation every key too (anything
    /// but `y` cancels); the picker while its filter is typed.
    fn captures_input(&self) -> bool {
        match self.mode() {
            Mode::Form(_) | Mode::Confirm { .. } => true,
            // Typing a filter: `q` and `?` are text.
            Mode::Picker(p) => p.picker.is_typing(),
            _ => false,
        }
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        self.handle_key(ev, ctx);
    }

    fn back(&mut self, ctx: &mut Ctx) {
        if !self.step_back() {
            ctx.close();
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Mode::Form(form) = &mut self.mode {
            form.form.paste(text);
        }
    }

    fn awaits(&self, req: RequestId) -> bool {
        UsersScreen::awaits(self, req)
    }

    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx) {
        let reply = match reply.downcast::<Loaded>() {
            Ok(data) => return self.loaded(req, *data, chrono::Utc::now()),
            Err(other) => other,
        };
        let reply = match reply.downcast::<Added>() {
            Ok(added) => return self.added(&added.0, ctx),
            Err(other) => other,
        };
        let reply = match reply.downcast::<Changed>() {
            Ok(changed) => return self.changed(&changed.0, ctx),
            Err(other) => other,
        };
        if reply.downcast::<LicensesUpdated>().is_ok() {
            self.licenses_updated(ctx);
        }
    }

    /// Refused: a 412 reloads (someone else changed the user); a 400/409 naming a field goes to
    /// the form's field; anything else to the status line, in the backend's words.
    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx) {
        let (field, said) = match error {
            ClientError::Status { status: 412, .. } => {
                self.failed(
                    req,
                    None,
                    "Changed by someone else — reloaded, try again".into(),
                );
                return self.reload(ctx);
            }
            ClientError::Status { body, .. } => (
                body.data.first().cloned(),
                Some(sanitize(&body.description).into_owned()),
            ),
            _ => (None, None),
        };
        self.failed(req, field.as_deref(), said.unwrap_or(why));
    }

    fn on_live(&mut self, change: &LiveChange, ctx: &mut Ctx) {
        // Another agent's change to this customer's users (or this dashboard's): show it now,
        // unless a change of ours is on its way (its answer reloads anyway).
        if change.customer_id() == self.customer().id() && !self.is_busy() {
            self.reload(ctx);
        }
    }

    fn copy_failed(&mut self, _what: CopyWhat) {
        self.note = Some((
            "Could not copy: select the password on the screen by hand".into(),
            Tone::Warn,
        ));
    }

    fn is_busy(&self) -> bool {
        UsersScreen::is_busy(self)
    }

    fn status(&self) -> Option<(String, Tone)> {
        self.note().cloned()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = UsersView {
            screen: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
