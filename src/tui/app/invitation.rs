//! The app's side of the invitation-draft screen: opening it from the list, closing it, and the
//! results of its requests and of copying, mailing and saving, which end up in the status line.

use crate::client::ClientError;
use crate::clipboard::How;
use crate::tui::action::Action;
use crate::tui::command::Command;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Ctx;
use crate::tui::screens::invitation::{CopyWhat, InvitationScreen};
use crate::tui::theme::Tone;
use crate::tui::view;

use super::App;

impl App {
    /// `r` on the list (the role was checked there): open the draft screen over it.
    pub(super) fn open_invitation(&mut self, commands: &mut Vec<Command>) {
        let Some(me) = self.me.as_ref() else {
            self.flash = Some(crate::tui::screens::Flash {
                text: "Still signing in: press r again in a moment".into(),
                tone: Tone::Warn,
            });
            return;
        };
        let size = self.invitation_size();
        let mut ctx = Ctx::new(Some(me), &mut self.ids, commands, &mut self.flash, self.now);
        self.invitation = Some(InvitationScreen::open(me, size, &mut ctx));
    }

    /// `R` on the list (the role was checked there): the draft with the link issued for this
    /// customer, which restores its relationship and admin permissions.
    pub(super) fn open_customer_invitation(
        &mut self,
        customer_id: &str,
        customer_name: &str,
        commands: &mut Vec<Command>,
    ) {
        let Some(me) = self.me.as_ref() else {
            self.note(
                "Still signing in: press R again in a moment".into(),
                Tone::Warn,
            );
            return;
        };
        let size = self.invitation_size();
        let mut ctx = Ctx::new(Some(me), &mut self.ids, commands, &mut self.flash, self.now);
        self.invitation = Some(InvitationScreen::open_for_customer(
            me,
            customer_id,
            customer_name,
            size,
            &mut ctx,
        ));
    }

    pub(super) fn close_invitation(&mut self) {
        self.invitation = None;
    }

    /// The size of the area the screen draws in.
    pub(super) fn invitation_size(&self) -> (u16, u16) {
        let (width, height) = self.size;
        let body = view::layout(ratatui::layout::Rect::new(0, 0, width, height)).body;
        (body.width, body.height)
    }

    pub(super) fn invitation_result(&mut self, action: Action, commands: &mut Vec<Command>) {
        match action {
            Action::InvitationLoaded { req, result } => {
                if !self.invitation.as_ref().is_some_and(|s| s.awaits(req)) {
                    return;
                }
                match result {
                    Ok(start) => {
                        if let Some(s) = &mut self.invitation {
                            s.loaded(req, start);
                        }
                        commands.extend(self.conn.succeeded());
                    }
                    Err(e) => {
                        let retry = match self.invitation.as_ref().and_then(|s| s.customer()) {
                            Some(customer) => Command::LoadCustomerLink {
                                req,
                                customer_id: customer.id.clone(),
                            },
                            None => Command::LoadInvitation { req },
                        };
                        self.invitation_failed(retry, e, commands);
                    }
                }
            }
            Action::InvitationLink {
                req,
                reseller_id,
                result,
            } => {
                if !self.invitation.as_ref().is_some_and(|s| s.awaits(req)) {
                    return;
                }
                match result {
                    Ok(link) => {
                        if let Some(s) = &mut self.invitation {
                            s.link_loaded(req, &link);
                        }
                        commands.extend(self.conn.succeeded());
                    }
                    Err(e) => {
                        let retry = Command::LoadResellerLink { req, reseller_id };
                        self.invitation_failed(retry, e, commands);
                    }
                }
            }
            Action::Copied { what, result } => match result {
                Ok(copied) => self.note(copied_note(what, copied.how), Tone::Normal),
                Err(why) => {
                    if let Some(s) = &mut self.invitation {
                        s.copy_failed(what);
                    }
                    let hint = match what {
                        CopyWhat::Link => " (the link is on the second line)",
                        CopyWhat::Email => "",
                    };
                    self.note(format!("{}{hint}", sanitize(&why)), Tone::Warn);
                }
            },
            Action::MailOpened { result } => match result {
                Ok(()) => self.note(
                    "Opened the draft in your mail app: add the customer's address and send it"
                        .into(),
                    Tone::Normal,
                ),
                Err(why) => self.note(sanitize(&why).into_owned(), Tone::Warn),
            },
            Action::DraftSaved { result } => match result {
                Ok(path) => self.note(
                    format!(
                        "Draft saved as {} (opens as a new message in mail apps)",
                        sanitize(&path.display().to_string())
                    ),
                    Tone::Normal,
                ),
                Err(why) => self.note(sanitize(&why).into_owned(), Tone::Bad),
            },
            _ => {}
        }
    }

    /// A load of the screen failed: transient trouble is retried (the status line counts down),
    /// anything else is shown on the screen.
    fn invitation_failed(
        &mut self,
        retry: Command,
        error: ClientError,
        commands: &mut Vec<Command>,
    ) {
        let req = match &retry {
            Command::LoadInvitation { req }
            | Command::LoadResellerLink { req, .. }
            | Command::LoadCustomerLink { req, .. } => *req,
            _ => return,
        };
        if let Some(why) = self.failed(retry, error, commands)
            && let Some(s) = &mut self.invitation
        {
            s.failed(req, why);
        }
    }

    fn note(&mut self, text: String, tone: Tone) {
        self.flash = Some(crate::tui::screens::Flash { text, tone });
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
