//! The customer's users (`u` on the list): who can sign in, with the licenses each holds, and the
//! removed ones with the days left to restore them; under them the licenses per product (total,
//! assigned, available). `n` adds a user through a form and shows the generated temporary
//! password once; `x` removes after a confirmation; `r` restores; `l` picks licenses.
//! One screen with modes (list, form, confirmation, picker, result): every answer comes back to
//! the list that shows it. Keys in `keys` and `input`, drawing in `draw`.

mod calls;
pub mod draw;
mod form;
mod input;
pub mod keys;
mod screen;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use crate::api::SubscribedSku;
use crate::api::users::User;
use crate::tui::action::RequestId;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;

pub use calls::{
    Added, Changed, CreateUser, LicensesUpdated, LoadUsers, Loaded, SetRemoved, UpdateLicenses,
};
pub use form::UserForm;
pub use screen::OPEN;

/// What the screen is doing over its list.
#[derive(Debug, Clone)]
pub enum Mode {
    List,
    Form(Box<UserForm>),
    /// Asking before removing the user at `index` (into the rows), with the shared dialog.
    Confirm {
        index: usize,
        dialog: Box<crate::tui::widgets::confirm::Confirm>,
    },
    Picker(Picker),
    /// A user was just added: its sign-in name and temporary password, shown this once.
    Result {
        upn: String,
        password: String,
    },
}

/// The licenses picker for one user (the shared picker, many marked): the customer's SKUs in
/// their order, the ones the user holds marked; a SKU with no free unit is greyed with why.
#[derive(Debug, Clone)]
pub struct Picker {
    pub user: usize,
    pub picker: Box<crate::tui::widgets::picker::Picker>,
}

/// The add request last sent: the same form content goes out again with the same request id and
/// password, so a retry never adds a second user.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sent {
    fingerprint: crate::api::users::NewUser,
    request_id: String,
    password: String,
}

#[derive(Debug)]
pub struct UsersScreen {
    row: CustomerRow,
    data: Option<Loaded>,
    /// Active users then removed ones, as the list shows them.
    rows: Vec<User>,
    cursor: usize,
    mode: Mode,
    loading: Option<RequestId>,
    /// A change on its way (add, remove, restore, licenses).
    sending: Option<RequestId>,
    sent: Option<Sent>,
    /// When the data was read, for the days left to restore.
    read_at: chrono::DateTime<chrono::Utc>,
    note: Option<(String, Tone)>,
}

impl UsersScreen {
    pub fn new(row: &CustomerRow, ctx: &mut Ctx) -> Self {
        let mut screen = Self {
            row: row.clone(),
            data: None,
            rows: Vec::new(),
            cursor: 0,
            mode: Mode::List,
            loading: None,
            sending: None,
            sent: None,
            read_at: chrono::Utc::now(),
            note: None,
        };
        screen.reload(ctx);
        screen
    }

    pub fn reload(&mut self, ctx: &mut Ctx) {
        self.loading = Some(ctx.call(LoadUsers {
            customer_id: self.row.id().to_string(),
        }));
    }

    pub fn customer(&self) -> &CustomerRow {
        &self.row
    }
    pub fn rows(&self) -> &[User] {
        &self.rows
    }
    pub fn skus(&self) -> &[SubscribedSku] {
        self.data.as_ref().map_or(&[], |d| d.skus.as_slice())
    }
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    pub fn mode(&self) -> &Mode {
        &self.mode
    }
    pub fn is_loaded(&self) -> bool {
        self.data.is_some()
    }
    pub fn is_busy(&self) -> bool {
        self.loading.is_some() || self.sending.is_some()
    }
    pub fn note(&self) -> Option<&(String, Tone)> {
        self.note.as_ref()
    }
    pub fn read_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.read_at
    }

    pub fn awaits(&self, req: RequestId) -> bool {
        self.loading == Some(req) || self.sending == Some(req)
    }

    fn selected(&self) -> Option<&User> {
        self.rows.get(self.cursor)
    }

    /// A SKU id as the list's licenses column shows it: its part number (short), else its name.
    pub fn sku_name(&self, sku_id: &str) -> String {
        let sku = self.skus().iter().find(|s| s.product_sku.id == sku_id);
        match sku {
            Some(s) if !s.product_sku.sku_part_number.is_empty() => {
                s.product_sku.sku_part_number.clone()
            }
            Some(s) => s.product_sku.name.clone(),
            None => sku_id.to_string(),
        }
    }

    pub fn loaded(&mut self, req: RequestId, data: Loaded, now: chrono::DateTime<chrono::Utc>) {
        if self.loading != Some(req) {
            return;
        }
        self.loading = None;
        let keep = self.selected().map(|u| u.id.clone());
        self.rows = data.active.iter().chain(&data.removed).cloned().collect();
        self.cursor = keep
            .and_then(|id| self.rows.iter().position(|u| u.id == id))
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
        self.data = Some(data);
        self.read_at = now;
    }

    /// A change went through: say so, and read everything again (licenses and units moved).
    fn done(&mut self, note: String, ctx: &mut Ctx) {
        self.sending = None;
        if matches!(self.mode, Mode::Confirm { .. }) {
            self.mode = Mode::List;
        }
        self.note = Some((note, Tone::Normal));
        self.reload(ctx);
    }

    pub fn failed(&mut self, req: RequestId, field: Option<&str>, why: String) {
        if self.loading == Some(req) {
            self.loading = None;
            self.note = Some((format!("Could not load the users: {why}"), Tone::Bad));
            return;
        }
        self.sending = None;
        match &mut self.mode {
            Mode::Form(form) => form.refused(field, why),
            _ => {
                if matches!(self.mode, Mode::Confirm { .. }) {
                    self.mode = Mode::List;
                }
                self.note = Some((why, Tone::Bad));
            }
        }
    }

    /// A user was added: the result panel shows the password this once.
    pub fn added(&mut self, user: &User, ctx: &mut Ctx) {
        let password = self.sent.take().map(|s| s.password).unwrap_or_default();
        self.mode = Mode::Result {
            upn: crate::tui::sanitize::sanitize(&user.user_principal_name).into_owned(),
            password,
        };
        self.done(format!("Added {}", user.user_principal_name), ctx);
    }

    pub fn changed(&mut self, user: &User, ctx: &mut Ctx) {
        let note = match user.is_removed() {
            true => format!(
                "Removed {}: licenses freed; restorable for 30 days",
                user.user_principal_name
            ),
            false => format!("Restored {}", user.user_principal_name),
        };
        self.done(crate::tui::sanitize::sanitize(&note).into_owned(), ctx);
    }

    pub fn licenses_updated(&mut self, ctx: &mut Ctx) {
        self.done("Licenses updated".into(), ctx);
    }
}
