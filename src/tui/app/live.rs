//! The live event stream as the app sees it: changes go into the list with a short note in the
//! status line; a stream that gave up is reported, and `Ctrl-R` starts it again.
//!
//! When it starts: with the list's first page the backend says which event was its latest as it
//! read that page (`CSPDash-Last-Event-Id`), and the stream is opened after exactly that event.
//! Every change from then on arrives, whether the page already showed it or a later page will
//! (changes are merged by id, never duplicated), and no older history is replayed. A backend
//! that does not say gets a stream from "now". Once connected, the client resumes by
//! `Last-Event-ID` across reconnects, so nothing is lost later either.

use crate::api::EventKind;
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::command::Command;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::customers::rows::CustomerRow;
use crate::tui::theme::Tone;

use super::App;

/// Whether live updates are coming in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Live {
    /// Not followed yet: it starts with the list's first page (and again after a reload when
    /// it had stopped).
    #[default]
    Off,
    /// Following the stream; trouble on the way is retried by the client.
    On,
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
            self.live = Live::On;
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
        let mut ctx = screen_ctx!(self, commands);
        self.customers.apply_live(row, &mut ctx);
        let note = match kind {
            EventKind::CustomerCreated => format!("New customer: {name}"),
            EventKind::CustomerUpdated => format!("{name} updated"),
        };
        if !known {
            ctx.flash(note, Tone::Normal);
        }
    }

    pub(super) fn live_trouble(&mut self, error: &ClientError, ended: bool) {
        if ended {
            let why = sanitize(&error.to_string()).into_owned();
            tracing::warn!("live updates stopped: {why}");
            self.live = Live::Stopped(why);
        } else {
            // The client reconnects by itself; other requests report an unreachable backend.
            tracing::info!("live updates: {error}; reconnecting");
        }
    }
}
