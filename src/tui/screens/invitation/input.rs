//! The invitation-draft screen's key handling: the draft's keys, the reseller picker's, the
//! editor's (everything goes to the editor but `Esc`), and the refusal's.

use crossterm::event::{KeyCode, KeyEvent};

use super::keys::{DRAFT_KEYS, Intent, PICKER_KEYS, PickIntent, REFUSAL_KEYS, RefusalIntent};
use super::{
    CopyWhat, Editor, InvitationScreen, LoadDirect, LoadForCustomer, LoadForReseller, Ready, Stage,
    layout,
};
use crate::invitation::{mailto_url, restore_link};
use crate::tui::command::Command;
use crate::tui::keymap::lookup;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;

/// What a key did to the screen as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Done: back to the customers list.
    Close,
}

impl InvitationScreen {
    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Stage::Ready(ready) = &mut self.stage
            && let Some(editor) = &mut ready.editor
        {
            if editor.is_refused() {
                on_refusal_key(ready, ev, ctx);
            } else if ev.code == KeyCode::Esc {
                leave_editor(ready, ctx);
            } else {
                editor.input(*ev);
            }
            return Outcome::Stay;
        }
        if self.is_picking() {
            if let Some(b) = lookup(PICKER_KEYS, ev) {
                self.pick(b.intent, ctx);
            }
            return Outcome::Stay;
        }
        match lookup(DRAFT_KEYS, ev).map(|b| b.intent) {
            Some(Intent::Done) => Outcome::Close,
            Some(intent) => {
                self.apply(intent, ctx);
                Outcome::Stay
            }
            None => Outcome::Stay,
        }
    }

    /// `Esc`/`q` when not editing: back to the draft from picking again; false when the screen
    /// itself should close.
    pub fn step_back(&mut self) -> bool {
        let stage = std::mem::replace(&mut self.stage, Stage::Failed(String::new()));
        match stage {
            Stage::Picking {
                previous: Some(ready),
                ..
            } => {
                self.stage = Stage::Ready(ready);
                true
            }
            other => {
                self.stage = other;
                false
            }
        }
    }

    fn apply(&mut self, intent: Intent, ctx: &mut Ctx) {
        if intent == Intent::Retry {
            if matches!(self.stage, Stage::Failed(_)) {
                // The same link again: this customer's, or the general one.
                let req = match &self.customer {
                    Some(customer) => ctx.call(LoadForCustomer {
                        customer_id: customer.id.clone(),
                    }),
                    None => ctx.call(LoadDirect),
                };
                self.stage = Stage::Loading(req);
            }
            return;
        }
        let has_resellers = !self.resellers.is_empty();
        let partner = self.signer.partner.clone();
        let Stage::Ready(ready) = &mut self.stage else {
            return;
        };
        let draft = &ready.draft;
        match intent {
            Intent::CopyLink => ctx.commands.push(Command::Copy {
                what: CopyWhat::Link,
                text: draft.link.clone(),
            }),
            Intent::CopyEmail => ctx.commands.push(Command::Copy {
                what: CopyWhat::Email,
                text: draft.full_text(),
            }),
            Intent::Edit => {
                ready.editor = Some(Editor::new(draft));
                ready.manual = None;
            }
            Intent::Mail => {
                let url = mailto_url("", &draft.subject, &draft.body);
                ctx.commands.push(Command::OpenMail { url });
                ctx.flash("Opening the draft in your mail app…", Tone::Dim);
            }
            Intent::Save => ctx.commands.push(Command::SaveDraft {
                from: partner,
                subject: draft.subject.clone(),
                body: draft.body.clone(),
            }),
            Intent::Pick if self.approval.is_some() => ctx.flash(
                "This link approves admin access: there is no reseller to bind",
                Tone::Dim,
            ),
            Intent::Pick if self.customer.is_some() => ctx.flash(
                "This link restores one customer, which keeps its indirect reseller",
                Tone::Dim,
            ),
            Intent::Pick if has_resellers => self.pick_again(),
            Intent::Pick => ctx.flash(
                "No indirect resellers: this link is for a direct relationship",
                Tone::Normal,
            ),
            Intent::ScrollDown => {
                let (width, height) = self.size;
                let max = layout::max_scroll(ready, width, height);
                ready.scroll = (ready.scroll + 1).min(max);
            }
            Intent::ScrollUp => ready.scroll = ready.scroll.saturating_sub(1),
            Intent::Top => ready.scroll = 0,
            Intent::Retry | Intent::Done => {}
        }
    }

    /// `p` on the draft: the picker, on the reseller the draft is for; `Esc` comes back to it.
    fn pick_again(&mut self) {
        let stage = std::mem::replace(&mut self.stage, Stage::Failed(String::new()));
        let Stage::Ready(ready) = stage else {
            self.stage = stage;
            return;
        };
        let cursor = ready
            .reseller
            .as_ref()
            .and_then(|r| self.resellers.iter().position(|x| x.id == r.id))
            .map_or(0, |i| i + 1);
        self.stage = Stage::Picking {
            cursor,
            previous: Some(ready),
        };
    }

    fn pick(&mut self, intent: PickIntent, ctx: &mut Ctx) {
        let Stage::Picking { cursor, .. } = &mut self.stage else {
            return;
        };
        let last = self.resellers.len();
        match intent {
            PickIntent::Down => *cursor = (*cursor + 1).min(last),
            PickIntent::Up => *cursor = cursor.saturating_sub(1),
            PickIntent::Choose => {
                let chosen = *cursor;
                match (chosen.checked_sub(1), self.direct.clone()) {
                    (None, Some(link)) => {
                        self.stage = Stage::Ready(Box::new(self.draft(link, None)));
                    }
                    (Some(index), _) => {
                        let Some(reseller) = self.resellers.get(index) else {
                            return;
                        };
                        let req = ctx.call(LoadForReseller {
                            reseller_id: reseller.id.clone(),
                        });
                        self.stage = Stage::LoadingLink {
                            req,
                            reseller: index,
                        };
                    }
                    (None, None) => {}
                }
            }
        }
    }
}

/// `Esc` in the editor: keep the edits if the link is still there, else refuse.
fn leave_editor(ready: &mut Ready, ctx: &mut Ctx) {
    let Some(editor) = &mut ready.editor else {
        return;
    };
    match ready.draft.from_edited(&editor.text()) {
        Ok(draft) => {
            let changed = draft != ready.draft;
            ready.draft = draft;
            ready.editor = None;
            if changed {
                ctx.flash("Draft updated (y / Y copy it as edited)", Tone::Normal);
            }
        }
        Err(_) => editor.refuse(),
    }
}

fn on_refusal_key(ready: &mut Ready, ev: &KeyEvent, ctx: &mut Ctx) {
    let Some(editor) = &mut ready.editor else {
        return;
    };
    match lookup(REFUSAL_KEYS, ev).map(|b| b.intent) {
        Some(RefusalIntent::Restore) => {
            let restored = restore_link(&editor.text(), &ready.draft.link);
            editor.set_text(&restored);
            leave_editor(ready, ctx);
            if ready.editor.is_none() {
                ctx.flash("The link is back in the draft", Tone::Normal);
            }
        }
        Some(RefusalIntent::KeepEditing) => editor.keep_editing(),
        Some(RefusalIntent::Discard) => {
            ready.editor = None;
            ctx.flash("Edits discarded: the draft is as it was", Tone::Normal);
        }
        None => {}
    }
}
