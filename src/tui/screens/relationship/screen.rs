//! The dialog as a screen on the stack, and the list's keys that open it (`x`, `b`).

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::draw::DialogView;
use super::keys::{Intent, KEYS};
use super::{ChangeDialog, CustomerRead, PurchaseRead, PurchaseSet, RelationshipSet, Stage, Topic};
use crate::api::{Me, Permission};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, footer_hints, help_entries, lookup};
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::{Ctx, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

/// `x` on the list.
pub const OPEN_END: Binding<Open> = Binding {
    keys: &[Key::Char('x')],
    shown: "x",
    help: "end the relationship with this customer (on an ended one: reinstate it)",
    hint: None,
    intent: open_end,
    needs: Some(Permission::CustomersUpdate),
};

/// `b` on the list.
pub const OPEN_PURCHASE: Binding<Open> = Binding {
    keys: &[Key::Char('b')],
    shown: "b",
    help: "purchase permission on/off (the customer may buy its own products)",
    hint: None,
    intent: open_purchase,
    needs: Some(Permission::PurchasePermissionUpdate),
};

fn open_end(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    open(Topic::Relationship, row, ctx);
}

fn open_purchase(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    open(Topic::Purchase, row, ctx);
}

fn open(topic: Topic, row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(row) = row else {
        ctx.flash("No customer under the cursor", Tone::Warn);
        return;
    };
    let dialog = ChangeDialog::open(topic, row, ctx);
    ctx.open(dialog);
}

impl Screen for ChangeDialog {
    fn title(&self) -> &'static str {
        match self.topic {
            Topic::Relationship => "End or reinstate a relationship",
            Topic::Purchase => "Purchase permission",
        }
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(KEYS, me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        footer_hints(KEYS, |_| true)
    }

    /// `y` confirms; any other key cancels, also while the customer is still being read. Once the
    /// change is sent, keys wait for its answer (closing then would hide how it went).
    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        if matches!(self.stage, Stage::Sending { .. } | Stage::Reloading(_)) {
            return;
        }
        match lookup(KEYS, ev).map(|b| b.intent) {
            Some(Intent::Confirm) if matches!(self.stage, Stage::Confirm(_)) => self.confirm(ctx),
            // `y` before the read arrived: nothing to confirm yet.
            Some(Intent::Confirm) => {}
            _ => ctx.close(),
        }
    }

    fn back(&mut self, ctx: &mut Ctx) {
        if !matches!(self.stage, Stage::Sending { .. } | Stage::Reloading(_)) {
            ctx.close();
        }
    }

    fn awaits(&self, req: RequestId) -> bool {
        ChangeDialog::awaits(self, req)
    }

    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx) {
        let reply = match reply.downcast::<CustomerRead>() {
            Ok(read) => return self.customer_read(req, *read, ctx),
            Err(other) => other,
        };
        let reply = match reply.downcast::<PurchaseRead>() {
            Ok(read) => return self.purchase_read(req, *read),
            Err(other) => other,
        };
        let reply = match reply.downcast::<RelationshipSet>() {
            Ok(set) => return self.relationship_set(req, *set, ctx),
            Err(other) => other,
        };
        if let Ok(set) = reply.downcast::<PurchaseSet>() {
            self.purchase_set(req, *set, ctx);
        }
    }

    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx) {
        self.failed(req, error, why, ctx);
    }

    fn is_busy(&self) -> bool {
        ChangeDialog::is_busy(self)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = DialogView {
            dialog: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
