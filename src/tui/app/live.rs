//! The live event stream as the app sees it: changes go into the list with a short note in the
//! status line; whether it is connected, lost (and when the client tries again), or gave up, for
//! the header and status line; `Ctrl-R` starts a stream that gave up again.
//!
//! When it starts: with the list's first page the backend says which event was its latest as it
//! read that page (`CSPDash-Last-Event-Id`), and the stream is opened after exactly that event.
//! Every change from then on arrives, whether the page already showed it or a later page will
//! (changes are merged by id, never duplicated), and no older history is replayed. A backend
//! that does not say gets a stream from "now". Once connected, the client resumes by
//! `Last-Event-ID` across reconnects, so nothing is lost later either.

use std::time::{Duration, Instant};

use crate::api::EventKind;
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::command::Command;
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::LiveChange;
use crate::tui::theme::Tone;

use super::App;

/// Whether live updates are coming in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Live {
    /// Not followed yet: it starts with the list's first page (and again after a reload when
    /// it had stopped).
    #[default]
    Off,
    /// Following the stream; not connected yet.
    Connecting,
    /// Connected: changes arrive as they happen (the header says `live`).
    Connected,
    /// The connection is lost; the client tries again at `retry_at`, and again after that
    /// until it is back. `why` is for the status line, sanitized.
    Lost { retry_at: Instant, why: String },
    /// The stream gave up for a reason retrying cannot fix (token rejected, not allowed).
    Stopped(String),
}

impl App {
    pub fn live(&self) -> &Live {
        &self.live
    }

    /// The current load read its first page at event `after`: follow the stream from there,
    /// unless it is followed already.
    pub(super) fn list_read_at(
        &mut self,
        req: RequestId,
        after: Option<i64>,
        commands: &mut Vec<Command>,
    ) {
        if self.customers.is_current_load(req) && self.live == Live::Off {
            self.live = Live::Connecting;
            commands.push(Command::WatchEvents { after });
        }
    }

    pub(super) fn customer_changed(
        &mut self,
        kind: EventKind,
        row: CustomerRow,
        commands: &mut Vec<Command>,
    ) {
        let name = row.name().to_string();
        // The event of a customer this dashboard added itself: the list has it and the status
        // line already says so.
        let known = kind == EventKind::CustomerCreated && self.customers.rows().holds(&row);
        let change = LiveChange {
            kind,
            row: row.clone(),
        };
        self.on_list(commands, |list, ctx| {
            list.apply_live(row, ctx);
        });
        self.tell_screens(&change, commands);
        let note = match kind {
            EventKind::CustomerCreated => format!("New customer: {name}"),
            EventKind::CustomerUpdated | EventKind::PurchasePermissionUpdated => {
                format!("{name} updated")
            }
            EventKind::UserCreated => format!("{name}: user added"),
            EventKind::UserUpdated => format!("{name}: user changed"),
            EventKind::UserDeleted => format!("{name}: user removed"),
            EventKind::SupportContactsUpdated => format!("{name}: support contacts changed"),
            EventKind::ServiceRequestCreated => format!("{name}: service request opened"),
            EventKind::AdminRelationshipCreated => format!("{name}: admin access requested"),
            EventKind::AdminRelationshipUpdated => format!("{name}: admin access changed"),
        };
        if !known {
            self.note(note, Tone::Normal);
        }
    }

    pub(super) fn live_trouble(&mut self, error: &ClientError, ended: bool) {
        if ended {
            let why = sanitize(&error.to_string()).into_owned();
            tracing::warn!("live updates stopped: {why}");
            self.live = Live::Stopped(why);
        } else {
            // One unreadable event; the stream goes on.
            tracing::info!("live updates: {error}");
        }
    }

    /// The stream is connected (again): the backend answers, so requests waiting for a retry
    /// go out now rather than at their timer.
    pub(super) fn live_connected(&mut self, commands: &mut Vec<Command>) {
        if !self.following() {
            return;
        }
        if matches!(self.live, Live::Lost { .. }) {
            tracing::info!("live updates: connected again");
        }
        self.live = Live::Connected;
        let due = self.conn.succeeded();
        commands.extend(due.into_iter().filter(|c| self.still_wanted(c)));
    }

    /// The stream lost its connection; the client tries again in `retry_in`.
    pub(super) fn live_lost(&mut self, error: &ClientError, retry_in: Duration) {
        if !self.following() {
            return;
        }
        tracing::info!("live updates: {error}; reconnecting in {retry_in:?}");
        self.live = Live::Lost {
            retry_at: self.now + retry_in,
            why: sanitize(&error.to_string()).into_owned(),
        };
    }

    /// Whether a stream is followed (its reports are wanted).
    fn following(&self) -> bool {
        matches!(
            self.live,
            Live::Connecting | Live::Connected | Live::Lost { .. }
        )
    }

    /// Whether the header counts down to the stream's next attempt.
    pub(super) fn live_counting_down(&self) -> bool {
        matches!(&self.live, Live::Lost { retry_at, .. } if *retry_at > self.now)
    }
}
