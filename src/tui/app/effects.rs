//! What copying, mailing and saving did, said in the status line (any screen may ask for them).

use std::path::PathBuf;

use crate::clipboard::{Copied, CopyError, How};
use crate::invitation::{MailError, SaveError};
use crate::tui::model::CopyWhat;
use crate::tui::sanitize::sanitize;
use crate::tui::theme::Tone;

use super::App;

impl App {
    pub(super) fn copied(&mut self, what: CopyWhat, result: Result<Copied, CopyError>) {
        match result {
            Ok(copied) => self.note(copied_note(what, copied.how), Tone::Normal),
            Err(error) => {
                if let Some(top) = self.stack.last_mut() {
                    top.copy_failed(what);
                }
                let hint = match what {
                    CopyWhat::Link => " (the link is on the second line)",
                    CopyWhat::Email | CopyWhat::Password | CopyWhat::ApprovalLinks => "",
                };
                let why = sanitize(&error.to_string()).into_owned();
                self.note(format!("{why}{hint}"), Tone::Warn);
            }
        }
    }

    pub(super) fn mail_opened(&mut self, result: Result<(), MailError>) {
        match result {
            Ok(()) => self.note(
                "Opened the draft in your mail app: add the customer's address and send it".into(),
                Tone::Normal,
            ),
            Err(error) => self.note(sanitize(&error.to_string()).into_owned(), Tone::Warn),
        }
    }

    pub(super) fn draft_saved(&mut self, result: Result<PathBuf, SaveError>) {
        match result {
            Ok(path) => self.note(
                format!(
                    "Draft saved as {} (opens as a new message in mail apps)",
                    sanitize(&path.display().to_string())
                ),
                Tone::Normal,
            ),
            Err(error) => self.note(sanitize(&error.to_string()).into_owned(), Tone::Bad),
        }
    }
}

/// What was copied and how, short enough for an 80-column status line (the clipboard module's own
/// sentence names the tmux setting in full and gets cut there).
fn copied_note(what: CopyWhat, how: How) -> String {
    let what = what.noun();
    match how {
        How::Native => format!("Copied {what} to the clipboard"),
        How::Osc52 { in_tmux: false } => {
            format!("Sent {what} to your terminal's clipboard (OSC 52)")
        }
        How::Osc52 { in_tmux: true } => {
            format!("Sent {what} by OSC 52 through tmux (needs set -g set-clipboard on)")
        }
    }
}
