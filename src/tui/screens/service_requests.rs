//! `t` on a customer: its service requests (title, severity, status, age), newest first; `n`
//! opens one through a form ([`form`]). Live `serviceRequest.*` events for the customer reload
//! the list. Roles: Global admin, Admin agent and Helpdesk agent (the opener says who may).

mod calls;
mod draw;
pub mod form;
mod keys;

#[cfg(test)]
mod tests;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::{EventKind, Me, Permission, ServiceRequest};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, footer_hints, help_entries, lookup};
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::{Ctx, LiveChange, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

pub use calls::{LoadRequests, OpenRequest, Opened, Requests};
use keys::{Intent, LIST_KEYS};

/// `t` on the list.
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('t')],
    shown: "t",
    help: "service requests for this customer (list; n opens one)",
    hint: None,
    intent: open,
    needs: Some(Permission::ServiceRequestsManage),
};

fn open(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(row) = row else {
        ctx.flash("No customer under the cursor", Tone::Warn);
        return;
    };
    let screen = ServiceRequestsScreen::new(row.clone(), ctx);
    ctx.open(screen);
}

#[derive(Debug)]
pub struct ServiceRequestsScreen {
    row: CustomerRow,
    loaded: Option<Requests>,
    loading: Option<RequestId>,
    failed: Option<String>,
    cursor: usize,
}

impl ServiceRequestsScreen {
    /// Opens on `row` and asks for its requests at once.
    pub fn new(row: CustomerRow, ctx: &mut Ctx) -> Self {
        let mut screen = Self {
            row,
            loaded: None,
            loading: None,
            failed: None,
            cursor: 0,
        };
        screen.reload(ctx);
        screen
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.loading = Some(ctx.call(LoadRequests {
            customer_id: self.row.id().to_string(),
        }));
    }

    pub fn requests(&self) -> &[ServiceRequest] {
        self.loaded.as_ref().map_or(&[], |r| r.items.as_slice())
    }

    pub fn customer(&self) -> &CustomerRow {
        &self.row
    }
}

impl Screen for ServiceRequestsScreen {
    fn title(&self) -> &'static str {
        "Service requests"
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(LIST_KEYS, me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        footer_hints(LIST_KEYS, |_| true)
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Some(binding) = lookup(LIST_KEYS, ev) else {
            return;
        };
        let count = self.requests().len();
        match binding.intent {
            Intent::Down if count > 0 => self.cursor = (self.cursor + 1).min(count - 1),
            Intent::Up => self.cursor = self.cursor.saturating_sub(1),
            Intent::Down => {}
            Intent::Reload => self.reload(ctx),
            Intent::New => match ctx.allowed(Permission::ServiceRequestsManage) {
                Err(why) => ctx.flash(format!("Can't open a service request: {why}"), Tone::Warn),
                Ok(()) => {
                    let form = form::NewRequestScreen::new(self.row.clone(), ctx);
                    ctx.open(form);
                }
            },
        }
    }

    fn awaits(&self, req: RequestId) -> bool {
        self.loading == Some(req)
    }

    fn on_reply(&mut self, _req: RequestId, reply: Reply, _ctx: &mut Ctx) {
        if let Ok(requests) = reply.downcast::<Requests>() {
            self.loading = None;
            self.failed = None;
            self.cursor = self.cursor.min(requests.items.len().saturating_sub(1));
            self.loaded = Some(*requests);
        }
    }

    fn on_failed(&mut self, _req: RequestId, _error: &ClientError, why: String, _ctx: &mut Ctx) {
        self.loading = None;
        self.failed = Some(why);
    }

    /// A request opened here or by someone else for this customer: read the list again.
    fn on_live(&mut self, change: &LiveChange, ctx: &mut Ctx) {
        let ours = change.customer_id() == self.row.id();
        if ours && change.kind == EventKind::ServiceRequestCreated {
            self.reload(ctx);
        }
    }

    fn is_busy(&self) -> bool {
        self.loading.is_some()
    }

    fn status(&self) -> Option<(String, Tone)> {
        self.failed.as_ref().map(|why| {
            (
                format!("Could not load the service requests: {why}"),
                Tone::Bad,
            )
        })
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        draw::draw_list(self, frame, area, look);
    }
}
