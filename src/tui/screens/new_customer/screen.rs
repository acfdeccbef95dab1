//! The add-customer form as a screen on the stack, and the list's key that opens it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::call::Created;
use super::draw::NewCustomerView;
use super::keys::FORM_KEYS;
use super::{NewCustomerScreen, Outcome};
use crate::api::{Me, Permission};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, footer_hints, help_entries};
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::{Ctx, Look, Open, Screen};
use crate::tui::widgets::bars::Hint;

/// `n` on the list.
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('n')],
    shown: "n",
    help: "add a new customer",
    hint: Some("new"),
    intent: open,
    needs: Some(Permission::CustomersCreate),
};

fn open(_: Option<&CustomerRow>, ctx: &mut Ctx) {
    ctx.open(NewCustomerScreen::new());
}

impl Screen for NewCustomerScreen {
    fn title(&self) -> &'static str {
        "Add a new customer"
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(FORM_KEYS, me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        footer_hints(FORM_KEYS, |_| true)
    }

    /// A form takes every key (`?` and `q` are text); its own table has help and cancel.
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
        NewCustomerScreen::awaits(self, req)
    }

    /// Added: the form closes and the customer is put in the list under the cursor.
    fn on_reply(&mut self, _req: RequestId, reply: Reply, ctx: &mut Ctx) {
        if let Ok(customer) = reply.downcast::<Created>() {
            ctx.close();
            ctx.added(CustomerRow::from_customer(&customer));
        }
    }

    /// Refused: back to the form, next to the field the backend named (a taken domain, a rule
    /// the form does not know), in the backend's words without the status code in front.
    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, _ctx: &mut Ctx) {
        let (field, said) = match error {
            ClientError::Status { body, .. } => (
                body.data.first().cloned(),
                Some(sanitize(&body.description).into_owned()),
            ),
            _ => (None, None),
        };
        self.refused(req, field.as_deref(), said.unwrap_or(why));
    }

    fn is_busy(&self) -> bool {
        self.is_sending()
    }

    fn status(&self) -> Option<(String, crate::tui::theme::Tone)> {
        Some((String::new(), crate::tui::theme::Tone::Normal))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = NewCustomerView {
            screen: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
