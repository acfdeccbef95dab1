//! What keys do on the users screen, mode by mode.

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;

use super::keys::{Intent, LIST_KEYS, RESULT_KEYS, ResultIntent};
use super::{CreateUser, Mode, Picker, Sent, SetRemoved, UpdateLicenses, UserForm, UsersScreen};
use crate::api::Permission;
use crate::api::users::{User, temporary_password};
use crate::tui::command::Command;
use crate::tui::keymap::lookup;
use crate::tui::model::CopyWhat;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;
use crate::tui::widgets::confirm::{Confirm, ConfirmOutcome};
use crate::tui::widgets::form::FormOutcome;
use crate::tui::widgets::picker::{PickItem, PickMode, PickerOutcome};

impl UsersScreen {
    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        match &self.mode {
            Mode::List => self.list_key(ev, ctx),
            Mode::Form(_) => self.form_key(ev, ctx),
            Mode::Confirm { index, dialog } => {
                let index = *index;
                let mut dialog = dialog.clone();
                match dialog.on_key(ev) {
                    ConfirmOutcome::Confirmed => {
                        dialog.set_working(true);
                        self.mode = Mode::Confirm { index, dialog };
                        self.remove(index, ctx);
                    }
                    ConfirmOutcome::Cancelled => {
                        self.mode = Mode::List;
                        self.note = Some(("Nothing removed".into(), Tone::Normal));
                    }
                    ConfirmOutcome::Busy => {}
                }
            }
            Mode::Picker(_) => self.picker_key(ev, ctx),
            Mode::Result { .. } => match lookup(RESULT_KEYS, ev).map(|b| b.intent) {
                Some(ResultIntent::Copy) => {
                    if let Mode::Result { password, .. } = &self.mode {
                        ctx.commands.push(Command::Copy {
                            what: CopyWhat::Password,
                            text: password.clone(),
                        });
                    }
                }
                Some(ResultIntent::Done) => self.mode = Mode::List,
                None => {}
            },
        }
    }

    /// `Esc`: out of the mode, or off the screen from the list. False when the screen closes.
    pub fn step_back(&mut self) -> bool {
        match self.mode {
            Mode::List => false,
            _ => {
                // Leaving the result panel forgets the password: it is shown once.
                self.mode = Mode::List;
                true
            }
        }
    }

    /// Whether the role may `what`; else says who may, in the status line.
    fn may(&mut self, what: &str, ctx: &mut Ctx) -> bool {
        match ctx.allowed(Permission::UsersManage) {
            Ok(()) => true,
            Err(_) => {
                let role = ctx.me.map_or("Your role", |me| me.role.title());
                self.note = Some((
                    format!("{role}s can't {what}: ask a Global admin or an Admin agent"),
                    Tone::Warn,
                ));
                false
            }
        }
    }

    fn list_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Some(intent) = lookup(LIST_KEYS, ev).map(|b| b.intent) else {
            return;
        };
        self.note = None;
        let selected = self.rows.get(self.cursor).cloned();
        match intent {
            Intent::Down => self.cursor = (self.cursor + 1).min(self.rows.len().saturating_sub(1)),
            Intent::Up => self.cursor = self.cursor.saturating_sub(1),
            Intent::Reload => self.reload(ctx),
            Intent::Add if self.may("add users", ctx) => {
                let country = self.data.as_ref().map_or("", |d| d.country.as_str());
                self.mode = Mode::Form(Box::new(UserForm::new(self.row.domain(), country)));
            }
            Intent::Remove if self.may("remove users", ctx) => match selected {
                Some(user) if !user.is_removed() => {
                    let dialog = Confirm::new(
                        "Remove this user?",
                        sanitize(&format!(
                            "{} ({}) from {}",
                            user.display_name,
                            user.user_principal_name,
                            self.row.name()
                        )),
                        "The user can no longer sign in and its licenses are freed for others. \
                         It can be restored for 30 days (without its licenses).",
                        "remove",
                    )
                    .with_working_text("Removing…");
                    self.mode = Mode::Confirm {
                        index: self.cursor,
                        dialog: Box::new(dialog),
                    };
                }
                Some(_) => self.note = Some(("Already removed: r restores it".into(), Tone::Warn)),
                None => self.note = Some(("No user under the cursor".into(), Tone::Warn)),
            },
            Intent::Restore if self.may("restore users", ctx) => match selected {
                Some(user) if user.is_removed() => {
                    if user.restore_days_left(self.read_at) == Some(0) {
                        self.note = Some((
                            "Removed more than 30 days ago: it can no longer be restored; add the user again".into(),
                            Tone::Warn,
                        ));
                    } else {
                        self.set_removed(&user, true, ctx);
                    }
                }
                _ => self.note = Some(("Only a removed user can be restored".into(), Tone::Warn)),
            },
            Intent::Licenses if self.may("assign licenses", ctx) => match selected {
                Some(user) if !user.is_removed() => {
                    let (items, held) = self.license_items(&user);
                    let picker = crate::tui::widgets::picker::Picker::new(items, PickMode::Many)
                        .with_marked(&held);
                    self.mode = Mode::Picker(Picker {
                        user: self.cursor,
                        picker: Box::new(picker),
                    });
                }
                Some(_) => {
                    self.note = Some((
                        "Restore the user before assigning licenses".into(),
                        Tone::Warn,
                    ))
                }
                None => self.note = Some(("No user under the cursor".into(), Tone::Warn)),
            },
            _ => {}
        }
    }

    fn set_removed(&mut self, user: &crate::api::users::User, restore: bool, ctx: &mut Ctx) {
        self.sending = Some(ctx.call(SetRemoved {
            customer_id: self.row.id().to_string(),
            user_id: user.id.clone(),
            etag: user.attributes.etag.clone().unwrap_or_else(|| "*".into()),
            restore,
        }));
    }

    fn remove(&mut self, index: usize, ctx: &mut Ctx) {
        if let Some(user) = self.rows.get(index).cloned() {
            self.set_removed(&user, false, ctx);
        }
    }

    fn form_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Mode::Form(form) = &mut self.mode else {
            return;
        };
        match form.form.on_key(ev) {
            FormOutcome::Stay => {}
            FormOutcome::Help => ctx.help(),
            FormOutcome::Cancel => self.mode = Mode::List,
            FormOutcome::DiscardArmed => {
                self.note = Some((
                    "Esc again discards what you typed; any other key keeps editing".into(),
                    Tone::Warn,
                ))
            }
            FormOutcome::Busy => {
                self.note = Some(("Adding the user… (Esc stops waiting)".into(), Tone::Normal))
            }
            FormOutcome::Submit if self.sending.is_some() => {}
            FormOutcome::Submit => {
                // The same form content goes out again with the same id and password; other
                // content is another user, with a password of its own.
                let password = match &self.sent {
                    Some(sent) => Ok(sent.password.clone()),
                    None => temporary_password(),
                };
                let password = match password {
                    Ok(password) => password,
                    Err(err) => return form.refused(None, err.to_string()),
                };
                let Some(mut new) = form.submit(password) else {
                    return;
                };
                let mut fingerprint = new.clone();
                fingerprint.password_profile.password.clear();
                let request_id = match &self.sent {
                    Some(sent) if sent.fingerprint == fingerprint => sent.request_id.clone(),
                    Some(_) => {
                        match temporary_password() {
                            Ok(fresh) => new.password_profile.password = fresh,
                            Err(err) => return form.refused(None, err.to_string()),
                        }
                        uuid::Uuid::new_v4().to_string()
                    }
                    None => uuid::Uuid::new_v4().to_string(),
                };
                let password = new.password_profile.password.clone();
                self.sent = Some(Sent {
                    fingerprint,
                    request_id: request_id.clone(),
                    password,
                });
                self.sending = Some(ctx.call(CreateUser {
                    customer_id: self.row.id().to_string(),
                    request_id,
                    new: Box::new(new),
                }));
                form.form.set_sending(true);
            }
        }
    }

    /// The SKUs as picker items, and the indexes of those `user` holds.
    fn license_items(&self, user: &User) -> (Vec<PickItem>, Vec<usize>) {
        let mut held = Vec::new();
        let items = self
            .skus()
            .iter()
            .enumerate()
            .map(|(i, sku)| {
                let id = &sku.product_sku.id;
                let holds = user.holds(id);
                if holds {
                    held.push(i);
                }
                let item = PickItem::new(&sku.product_sku.name);
                if !holds && sku.available_units() <= 0 {
                    // The reason says it all (and is what Space on it flashes).
                    item.disabled(&format!(
                        "No {} licenses available: all {} are assigned",
                        sku.product_sku.name, sku.active_units
                    ))
                } else {
                    item.detail(&format!(
                        "{} total · {} assigned · {} available",
                        sku.active_units,
                        sku.consumed_units,
                        sku.available_units()
                    ))
                }
            })
            .collect();
        (items, held)
    }

    fn picker_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let skus = self.skus().to_vec();
        let Mode::Picker(picker) = &mut self.mode else {
            return;
        };
        self.note = None;
        match picker.picker.on_key(ev) {
            PickerOutcome::Stay => {}
            PickerOutcome::Cancelled => self.mode = Mode::List,
            PickerOutcome::Refused(why) => self.note = Some((why, Tone::Warn)),
            PickerOutcome::Chosen(chosen) => {
                let Some(user) = self.rows.get(picker.user).cloned() else {
                    return;
                };
                let marked: BTreeSet<String> = chosen
                    .iter()
                    .filter_map(|&i| skus.get(i))
                    .map(|s| s.product_sku.id.clone())
                    .collect();
                let held: BTreeSet<String> = user
                    .assigned_licenses
                    .iter()
                    .map(|l| l.sku_id.clone())
                    .collect();
                let assign: Vec<String> = marked.difference(&held).cloned().collect();
                let remove: Vec<String> = held.difference(&marked).cloned().collect();
                self.mode = Mode::List;
                if assign.is_empty() && remove.is_empty() {
                    self.note = Some(("No change to the licenses".into(), Tone::Normal));
                    return;
                }
                self.sending = Some(ctx.call(UpdateLicenses {
                    customer_id: self.row.id().to_string(),
                    user_id: user.id.clone(),
                    assign,
                    remove,
                    request_id: uuid::Uuid::new_v4().to_string(),
                }));
            }
        }
    }
}
