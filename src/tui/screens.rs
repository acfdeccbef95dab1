//! The screens of the dashboard. The customers list is always at the bottom; every other screen is
//! a [`Screen`] on the app's stack over it, and owns its state, its keys, its requests and their
//! results (routed back to it by the request id it issued), and its drawing. The help overlay
//! opens over whichever is on top.
//!
//! Adding a screen is its own folder plus its `mod` line below: the app names no screen but the
//! list. A screen is opened by whoever has the keys at the time (`ctx.open(...)`), and closes
//! itself (`ctx.close()`).
//!
//! One trait rather than one enum of screens: with an enum, every screen would be listed again in
//! each `match` of the app (keys, results, drawing, help), which is the wiring this replaces.

pub mod admin;
pub mod admin_request;
pub mod audit;
pub mod customers;
pub mod help;
pub mod invitation;
pub mod new_customer;
pub mod relationship;
pub mod service_requests;
pub mod support_contacts;
pub mod users;

use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::{EventKind, Me, Permission};
use crate::client::ClientError;

use super::action::{RequestId, RequestIds};
use super::call::{Call, CallBox, Reply};
use super::command::Command;
use super::keymap::{Binding, HelpEntry};
use super::model::CopyWhat;
use super::model::rows::CustomerRow;
use super::theme::{Theme, Tone};
use super::widgets::bars::Hint;

/// A key on the customers list that opens a screen over it, given the customer under the cursor.
pub type Open = fn(Option<&CustomerRow>, &mut Ctx);

/// The keys on the customers list that open screens, in the order `?` and the footer show them
/// (after the list's own keys): **one line per screen**.
pub const OPENERS: &[Binding<Open>] = &[
    invitation::OPEN_DRAFT,
    invitation::OPEN_RESTORE,
    new_customer::OPEN,
    relationship::OPEN_END,
    relationship::OPEN_PURCHASE,
    users::OPEN,
    service_requests::OPEN,
    support_contacts::OPEN,
    audit::OPEN,
    admin_request::OPEN,
    admin::OPEN,
];

/// A screen on the stack over the customers list.
pub trait Screen: std::any::Any + std::fmt::Debug + Send {
    /// As the help overlay's title names it.
    fn title(&self) -> &'static str;
    /// This screen's keys for `?` (the app adds the keys every screen has, unless the screen
    /// [captures input](Screen::captures_input) as a form does).
    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry>;
    /// The footer's hints for this screen (the app adds `? help` and `Esc back` around them).
    fn hints(&self, me: Option<&Me>) -> Vec<Hint>;
    /// True while every key is text for the screen (a form's field, an editor): the app then
    /// handles only `Ctrl-C`, and `?`, `q` and `Esc` reach the screen (`F1` asks for help).
    fn captures_input(&self) -> bool {
        false
    }
    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx);
    /// `Esc` or `q` while not capturing input: step back inside the screen, else close it.
    fn back(&mut self, ctx: &mut Ctx) {
        ctx.close();
    }
    /// Pasted text, in one piece: goes where typing would, never run as keys.
    fn on_paste(&mut self, _text: &str) {}
    /// Whether a result tagged `req` is still awaited by this screen.
    fn awaits(&self, req: RequestId) -> bool;
    /// The answer to a call this screen made with [`Ctx::call`].
    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx);
    /// A call failed for good (the app retries transient trouble itself and counts down in the
    /// status line meanwhile): `why` is ready to show (sanitized); `error` says more (a 412, the
    /// field a 400 names).
    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx);
    /// Something changed for a customer (live event stream, or this dashboard's own change).
    fn on_live(&mut self, _change: &LiveChange, _ctx: &mut Ctx) {}
    /// A copy this screen asked for reached no clipboard: point at the text to select by hand.
    fn copy_failed(&mut self, _what: CopyWhat) {}
    /// Something is on its way (the spinner turns).
    fn is_busy(&self) -> bool {
        false
    }
    /// The body area is now `width`×`height`.
    fn resize(&mut self, _width: u16, _height: u16) {}
    /// The customers the list holds, once, as the screen goes on the stack (a screen about many
    /// customers reads what it needs here; live changes come by [`Screen::on_live`] after).
    fn list_at_open(&mut self, _rows: &customers::rowset::RowSet) {}
    /// The status line's text while nothing more urgent is shown.
    fn status(&self) -> Option<(String, Tone)> {
        None
    }
    /// Draws into `area` (the body between header and status line).
    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look);
}

/// What drawing may know besides the screen's own state.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub theme: Theme,
    pub spinner: &'static str,
    pub me: Option<&'a Me>,
    /// The wall clock's date (days left, days waiting); fixed in tests.
    pub today: chrono::NaiveDate,
}

/// A change to one customer, as screens hear of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveChange {
    pub kind: EventKind,
    /// The customer as it is now, in compact form.
    pub row: CustomerRow,
}

impl LiveChange {
    pub fn customer_id(&self) -> &str {
        self.row.id()
    }
}

/// A one-line message in the status line until the next key press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub tone: Tone,
}

/// What a screen asks of the app, done in order after the screen's handler returns.
#[derive(Debug)]
pub enum Request {
    /// Push this screen on top.
    Open(Box<dyn Screen>),
    /// Close the screen that asked.
    Close,
    /// Open the help overlay for the screen on top.
    Help,
    /// Start over: sign in again if needed, reload the list.
    Reload,
    /// A customer this dashboard changed: update its row in the list (and in open screens).
    Changed(LiveChange),
    /// A customer this dashboard added: into the list, under the cursor, said in the status line.
    Added(CustomerRow),
}

/// What a screen may touch while handling a key or a result, besides its own state.
pub struct Ctx<'a> {
    pub me: Option<&'a Me>,
    pub ids: &'a mut RequestIds,
    pub commands: &'a mut Vec<Command>,
    pub flash: &'a mut Option<Flash>,
    /// When this is happening (the loop's clock; screens read no clock themselves).
    pub now: Instant,
    /// The wall clock's date (a request's default name carries the month).
    pub today: chrono::NaiveDate,
    /// The body area's size, for a screen being opened.
    pub body: (u16, u16),
    requests: Vec<Request>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        me: Option<&'a Me>,
        ids: &'a mut RequestIds,
        commands: &'a mut Vec<Command>,
        flash: &'a mut Option<Flash>,
        now: Instant,
        body: (u16, u16),
    ) -> Self {
        Self {
            me,
            ids,
            commands,
            flash,
            now,
            today: chrono::NaiveDate::default(),
            body,
            requests: Vec::new(),
        }
    }

    /// The date it is (the app's `today`).
    pub fn on(mut self, today: chrono::NaiveDate) -> Self {
        self.today = today;
        self
    }

    pub fn flash(&mut self, text: impl Into<String>, tone: Tone) {
        *self.flash = Some(Flash {
            text: text.into(),
            tone,
        });
    }

    /// Sends `call` to the backend; its answer comes back to this screen's
    /// [`Screen::on_reply`] (or `on_failed`) tagged with the returned id.
    pub fn call(&mut self, call: impl Call) -> RequestId {
        let req = self.ids.next_id();
        self.commands.push(Command::Call {
            req,
            call: CallBox::new(call),
        });
        req
    }

    /// Whether the signed-in role may do this; else the sentence saying why not and who may.
    pub fn allowed(&self, permission: Permission) -> Result<(), String> {
        super::keymap::allowed(self.me, permission)
    }

    pub fn open(&mut self, screen: impl Screen + 'static) {
        self.requests.push(Request::Open(Box::new(screen)));
    }
    pub fn close(&mut self) {
        self.requests.push(Request::Close);
    }
    pub fn help(&mut self) {
        self.requests.push(Request::Help);
    }
    pub fn reload(&mut self) {
        self.requests.push(Request::Reload);
    }
    /// This dashboard changed a customer (the answer to its own PATCH, say).
    pub fn changed(&mut self, kind: EventKind, row: CustomerRow) {
        self.requests
            .push(Request::Changed(LiveChange { kind, row }));
    }
    pub fn added(&mut self, row: CustomerRow) {
        self.requests.push(Request::Added(row));
    }

    /// What the handler asked for, in order.
    pub fn into_requests(self) -> Vec<Request> {
        self.requests
    }
}
