//! The invitation-draft screen's status line and footer hints, which follow what the user is
//! doing: reading the draft, picking a reseller, editing, or answering the link refusal.

use super::keys::{DRAFT_KEYS, Intent, PICKER_KEYS, REFUSAL_KEYS};
use super::{InvitationScreen, Stage};
use crate::tui::keymap::footer_hints as hints;
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

/// The status line when nothing else is to be said.
pub fn invitation_status(screen: &InvitationScreen) -> (String, Tone) {
    match screen.stage() {
        Stage::Ready(r) if r.editor.as_ref().is_some_and(|e| e.is_refused()) => (
            "The link must stay in the email: Enter puts it back".into(),
            Tone::Warn,
        ),
        Stage::Ready(r) if r.editor.is_some() => (
            "Editing: Esc when done · Ctrl-U undo · Ctrl-R redo".into(),
            Tone::Dim,
        ),
        Stage::Ready(_) if screen.approval_request().is_some() => (
            "Send this email to a Global admin of the customer: the link lets them approve".into(),
            Tone::Dim,
        ),
        Stage::Ready(_) => (
            "Send this email to your customer: the link lets them accept".into(),
            Tone::Dim,
        ),
        Stage::Picking { .. } => ("Enter chooses · Esc goes back".into(), Tone::Dim),
        _ => (String::new(), Tone::Normal),
    }
}

/// The footer's key hints for the screen's current state (after `? help`, when not editing).
pub fn invitation_hints(screen: &InvitationScreen) -> Vec<Hint> {
    let back = Hint {
        key: "Esc",
        label: "back".into(),
        enabled: true,
    };
    match screen.stage() {
        Stage::Ready(r) => match &r.editor {
            Some(e) if e.is_refused() => hints(REFUSAL_KEYS, |_| true),
            Some(_) => vec![Hint {
                key: "Esc",
                label: "done editing".into(),
                enabled: true,
            }],
            None => {
                let mut out = hints(DRAFT_KEYS, |_| true);
                if !screen.resellers().is_empty() {
                    out.push(Hint {
                        key: "p",
                        label: "reseller".into(),
                        enabled: true,
                    });
                }
                out
            }
        },
        Stage::Picking { .. } => {
            let mut out = hints(PICKER_KEYS, |_| true);
            out.push(back);
            out
        }
        Stage::Failed(_) => vec![
            Hint {
                key: "^R",
                label: "try again".into(),
                enabled: true,
            },
            back,
        ],
        _ => hints(DRAFT_KEYS, |i| *i == Intent::Done),
    }
}
