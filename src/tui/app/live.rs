//! The live event stream as the app sees it: changes go into the list with a short note in the
//! status line; a stream that gave up is reported, and `Ctrl-R` starts it again.
//!
//! When it starts: the stream is opened from "now" (no `Last-Event-ID`; the backend then starts
//! at its newest event) in the same batch of commands as the first page of the list, and before
//! it, so it is normally listening before the list is read. Changes the list also contains are
//! merged by id, never duplicated. What remains is a window of a few milliseconds in which the
//! first page could be read before the stream is registered; a change in exactly that window to
//! a customer on an already-read page would be missed until `Ctrl-R`. Replaying history instead
//! (`Some(0)`) would close it but replays every change ever made on each start. Once connected,
//! the client resumes by `Last-Event-ID` across reconnects, so nothing is lost later.

use crate::api::EventKind;
use crate::client::ClientError;
use crate::tui::command::Command;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Ctx;
use crate::tui::screens::customers::rows::CustomerRow;
use crate::tui::theme::Tone;

use super::App;

/// Whether live updates are coming in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Live {
    /// Not started yet (before `start`).
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

    /// Starts following the stream unless it already is.
    pub(super) fn watch_events(&mut self, commands: &mut Vec<Command>) {
        if self.live != Live::On {
            self.live = Live::On;
            commands.push(Command::WatchEvents);
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
        let mut ctx = Ctx::new(
            self.me.as_ref(),
            &mut self.ids,
            commands,
            &mut self.flash,
            self.now,
        );
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
