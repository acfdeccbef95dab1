//! Failed requests as the app handles them: transient trouble is queued for the retry timer (see
//! [`super::connection`]), anything else becomes a reason to show; and, when the timer fires, which
//! queued requests are still wanted (a reload or a closed screen may have replaced them).

use crate::client::ClientError;
use crate::tui::command::Command;
use crate::tui::sanitize::sanitize;

use super::App;
use super::connection;

impl App {
    /// A request failed: transient errors queue `retry` (and maybe start the retry timer) and
    /// return None; otherwise the reason to show.
    pub(super) fn failed(
        &mut self,
        retry: Command,
        error: &ClientError,
        commands: &mut Vec<Command>,
    ) -> Option<String> {
        if error.is_transient() {
            commands.extend(self.conn.failed(retry, error, self.now));
            return None;
        }
        if let ClientError::Unauthorized { .. } = error {
            self.conn.rejected();
            return Some(format!(
                "token rejected for profile {}",
                self.session.profile
            ));
        }
        Some(sanitize(&error.to_string()).into_owned())
    }

    /// Shows `why` until the next success or reload, unless the token was rejected (which says more).
    pub(super) fn give_up(&mut self, why: String) {
        if *self.conn.health() != connection::Health::Rejected {
            self.conn.broken(why);
        }
    }

    /// Whether a queued retry is still awaited (a reload may have replaced it meanwhile).
    pub(super) fn still_wanted(&mut self, command: &Command) -> bool {
        match command {
            Command::LoadMe { req } => self.me_req == Some(*req),
            Command::LoadCustomers { req, .. } => self.customers.is_current_load(*req),
            Command::LoadDetail { req, row, .. } => self.customers.awaits_detail(*req, *row),
            Command::Call { req, .. } => self.screen_awaits(*req),
            Command::RetryAfter(_)
            | Command::WatchEvents { .. }
            | Command::Copy { .. }
            | Command::OpenMail { .. }
            | Command::SaveDraft { .. } => true,
        }
    }
}
