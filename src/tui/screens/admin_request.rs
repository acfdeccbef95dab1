//! "Request admin access" (`d` on a customer): a granular delegated admin relationship (GDAP) for
//! the customer under the cursor. The form opens filled so that `Ctrl-S` alone sends a sensible
//! request: a name with the month, the least-privilege helpdesk roles, 730 days, auto-extend on.
//! The roles come from the catalog (`api::gdap::roles`), picked one by one (each with its line
//! of description) or by template; auto-extend is switched off, and says why, while Global
//! Administrator is among them. For a customer whose admin access ended, the roles of its newest
//! ended relationship are proposed instead.
//!
//! The input is checked by the backend's own rules (`api::gdap::validate`) before sending;
//! sending creates the relationship and locks it for approval, then opens the invitation draft
//! screen with the approval email and link. Keys and fields in `fields`, calls in `calls`,
//! drawing in `draw`, the screen glue in `screen`.

mod calls;
pub mod draw;
pub mod fields;
mod screen;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use crossterm::event::{KeyCode, KeyEvent};

use crate::api::gdap::validate::{self, AUTO_EXTEND, DISPLAY_NAME, DURATION, ROLES};
use crate::api::gdap::{
    AUTO_EXTEND_DAYS, AccessDetails, DEFAULT_DURATION_DAYS, NewAdminRelationship,
    RelationshipCustomer, days_to_iso, roles,
};
use crate::invitation::AdminRequest;
use crate::tui::action::RequestId;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;
use crate::tui::widgets::form::{Form, FormOutcome};
use crate::tui::widgets::picker::{PickItem, PickMode, Picker, PickerOutcome};
use fields::{CUSTOM, FIELDS, FORM_KEYS, TEMPLATE, TEMPLATE_OPTIONS};

pub use calls::{LoadTarget, Previous, RequestAccess, Requested, Target, newest_ended};
pub use screen::OPEN;

/// Why auto-extend is off, in the backend's words.
pub const NO_AUTO_EXTEND: &str =
    "auto-extend is not possible while Global Administrator is among the roles";

/// What a key did to the screen, for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    Help,
}

#[derive(Debug)]
pub struct AdminRequestScreen {
    row: CustomerRow,
    form: Form,
    /// The roles chosen, as catalog ids in the catalog's order.
    roles: Vec<&'static str>,
    /// Open while choosing roles.
    picker: Option<Picker>,
    /// Whether the user wants auto-extend (it is shown off while Global Administrator is in).
    extend_wanted: bool,
    /// Reading the customer's tenant id (and its previous roles).
    loading: Option<RequestId>,
    tenant_id: Option<String>,
    /// Ctrl-S came before the tenant id: send as soon as it arrives.
    send_when_loaded: bool,
    /// The relationship whose roles are proposed, when its access ended.
    previous: Option<Previous>,
    /// Reading the customer failed (the request can't name its tenant).
    load_failed: Option<String>,
    sending: Option<RequestId>,
    /// The last request sent: the same input goes out with the same request ids.
    sent: Option<RequestAccess>,
}

impl AdminRequestScreen {
    /// The form for `row`, filled with the defaults; asks for the customer's tenant id (and, when
    /// its access ended, the roles it had).
    pub fn open(row: &CustomerRow, ctx: &mut Ctx) -> Self {
        let name = crate::api::gdap::default_relationship_name(row.name(), ctx.today);
        let form = Form::new(&FIELDS)
            .with_keys(FORM_KEYS)
            .with_value(DISPLAY_NAME, &name)
            .with_value(DURATION, &DEFAULT_DURATION_DAYS.to_string())
            .with_value(AUTO_EXTEND, "on");
        let loading = ctx.call(LoadTarget {
            customer_id: row.id().to_string(),
            previous: row.admin.needs_request(),
        });
        let mut screen = Self {
            row: row.clone(),
            form,
            roles: Vec::new(),
            picker: None,
            extend_wanted: true,
            loading: Some(loading),
            tenant_id: None,
            send_when_loaded: false,
            previous: None,
            load_failed: None,
            sending: None,
            sent: None,
        };
        screen.set_roles(roles::LEAST_PRIVILEGE_HELPDESK.roles.to_vec(), true);
        screen
    }

    // ---- read access for drawing, the app and tests ----

    pub fn row(&self) -> &CustomerRow {
        &self.row
    }
    pub fn form(&self) -> &Form {
        &self.form
    }
    pub fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref()
    }
    pub fn roles(&self) -> &[&'static str] {
        &self.roles
    }
    pub fn previous(&self) -> Option<&Previous> {
        self.previous.as_ref()
    }
    pub fn load_failed(&self) -> Option<&str> {
        self.load_failed.as_deref()
    }
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }
    pub fn is_sending(&self) -> bool {
        self.sending.is_some()
    }
    pub fn awaits(&self, req: RequestId) -> bool {
        self.loading == Some(req) || self.sending == Some(req)
    }
    /// Global Administrator is among the roles: auto-extend is off.
    pub fn has_global_admin(&self) -> bool {
        self.roles.contains(&roles::GLOBAL_ADMINISTRATOR)
    }
    /// The name typed, in characters, for the counter.
    pub fn name_chars(&self) -> usize {
        self.form.value(DISPLAY_NAME).chars().count()
    }
    /// What the request would ask for, as the approval email words it.
    pub fn request_words(&self) -> AdminRequest {
        let (days, extend) = (self.duration_days().unwrap_or(0), self.extend_days());
        AdminRequest {
            customer: self.row.name().to_string(),
            name: self.form.value(DISPLAY_NAME).trim().to_string(),
            roles: self
                .roles
                .iter()
                .filter_map(|id| roles::find(id))
                .map(|r| (r.name.to_string(), r.description.to_string()))
                .collect(),
            duration_days: days,
            auto_extend_days: extend,
            purpose: purpose(self.template()).to_string(),
        }
    }

    /// The template the chosen roles are, if any.
    pub fn template(&self) -> Option<&'static roles::Template> {
        roles::TEMPLATES.iter().find(|t| {
            t.roles.len() == self.roles.len() && t.roles.iter().all(|r| self.roles.contains(r))
        })
    }

    // ---- keys ----

    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Some(picker) = &mut self.picker {
            match picker.on_key(ev) {
                PickerOutcome::Chosen(marked) => {
                    let chosen = marked
                        .into_iter()
                        .filter_map(|i| roles::REQUESTABLE.get(i).map(|r| r.id))
                        .collect();
                    self.picker = None;
                    self.set_roles(chosen, false);
                }
                PickerOutcome::Cancelled => self.picker = None,
                PickerOutcome::Refused(why) => ctx.flash(why, Tone::Warn),
                PickerOutcome::Stay => {}
            }
            return Outcome::Stay;
        }
        let focused = self.form.focused_key();
        let opens_picker = matches!(
            ev.code,
            KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right
        ) && ev.modifiers.is_empty();
        if focused == Some(ROLES) && opens_picker && !self.form.is_sending() {
            self.open_picker();
            return Outcome::Stay;
        }
        let toggles = matches!(ev.code, KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right);
        if focused == Some(AUTO_EXTEND) && toggles && self.has_global_admin() {
            ctx.flash(
                format!("Auto-extend stays off: {NO_AUTO_EXTEND}"),
                Tone::Warn,
            );
            return Outcome::Stay;
        }
        let template_before = self.form.choice(TEMPLATE);
        let outcome = self.form.on_key(ev);
        if self.form.choice(TEMPLATE) != template_before {
            self.template_chosen();
        }
        if focused == Some(AUTO_EXTEND) && !self.has_global_admin() {
            self.extend_wanted = self.form.is_on(AUTO_EXTEND);
        }
        match outcome {
            FormOutcome::Stay => {}
            FormOutcome::Submit => self.submit(ctx),
            FormOutcome::Help => return Outcome::Help,
            FormOutcome::DiscardArmed => ctx.flash(
                "Esc again discards the request; any other key keeps editing",
                Tone::Warn,
            ),
            FormOutcome::Cancel => {
                if self.sending.is_some() {
                    ctx.flash(
                        "Stopped waiting: if the backend got it, the request shows in the list",
                        Tone::Warn,
                    );
                }
                return Outcome::Close;
            }
            FormOutcome::Busy => {
                ctx.flash("Sending the request… (Esc stops waiting)", Tone::Normal)
            }
        }
        Outcome::Stay
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.picker {
            Some(picker) => picker.paste(text),
            None => self.form.paste(text),
        }
    }

    fn open_picker(&mut self) {
        let items = roles::REQUESTABLE
            .iter()
            .map(|r| PickItem::new(r.name).detail(r.description))
            .collect();
        let marked: Vec<usize> = roles::REQUESTABLE
            .iter()
            .enumerate()
            .filter(|(_, r)| self.roles.contains(&r.id))
            .map(|(i, _)| i)
            .collect();
        self.picker = Some(Picker::new(items, PickMode::Many).with_marked(&marked));
    }

    /// The template field changed: its roles replace the chosen ones (Custom keeps them).
    fn template_chosen(&mut self) {
        let chosen = self.form.value(TEMPLATE);
        if let Some(t) = roles::TEMPLATES.iter().find(|t| t.name == chosen) {
            self.set_roles(t.roles.to_vec(), false);
        }
    }

    /// Sets the roles (kept in the catalog's order), and what follows from them: the template
    /// shown, the roles' summary, auto-extend. `initial` leaves the form untouched for Esc.
    fn set_roles(&mut self, chosen: Vec<&'static str>, initial: bool) {
        self.roles = roles::REQUESTABLE
            .iter()
            .map(|r| r.id)
            .filter(|id| chosen.contains(id))
            .collect();
        let template = self.template().map_or(CUSTOM, |t| t.name);
        let extend = if self.extend_wanted && !self.has_global_admin() {
            "on"
        } else {
            "off"
        };
        let summary = self.summary();
        let mut form = std::mem::replace(&mut self.form, Form::new(&[]));
        if initial {
            form = form
                .with_value(TEMPLATE, template)
                .with_value(AUTO_EXTEND, extend);
            form.set_options(ROLES, vec![summary]);
        } else {
            form.set_value(TEMPLATE, template);
            form.set_value(AUTO_EXTEND, extend);
            form.set_options(ROLES, vec![summary]);
            form.set_form_error(None);
        }
        self.form = form;
        debug_assert!(TEMPLATE_OPTIONS.contains(&template));
    }

    /// `4 roles: Directory Readers, Global Reader, …` (the field cuts what does not fit).
    fn summary(&self) -> String {
        let names: Vec<&str> = self.roles.iter().map(|id| roles::name_of(id)).collect();
        match names.len() {
            0 => "none chosen (Enter chooses)".to_string(),
            1 => format!("1 role: {}", names[0]),
            n => format!("{n} roles: {}", names.join(", ")),
        }
    }

    fn duration_days(&self) -> Option<u32> {
        let text = self.form.value(DURATION);
        let text = text.trim();
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    }

    fn extend_days(&self) -> u32 {
        if self.form.is_on(AUTO_EXTEND) {
            AUTO_EXTEND_DAYS
        } else {
            0
        }
    }

    /// The body as the backend reads it. A duration that is not a number of days is sent as
    /// zero days, which the rules refuse in their own words ("must be 1 to 730 days").
    fn body(&self) -> NewAdminRelationship {
        NewAdminRelationship {
            display_name: self.form.value(DISPLAY_NAME),
            duration: format!("P{}D", self.duration_days().unwrap_or(0)),
            auto_extend_duration: days_to_iso(self.extend_days()),
            customer: RelationshipCustomer {
                tenant_id: self.tenant_id.clone().unwrap_or_default(),
                display_name: self.row.name().to_string(),
            },
            access_details: AccessDetails::of(&self.roles),
        }
    }

    /// Checks the input by the backend's rules and sends it; waits for the tenant id first.
    fn submit(&mut self, ctx: &mut Ctx) {
        self.form.clear_errors();
        if let Err(invalid) = validate::check_new(&NewAdminRelationship {
            customer: RelationshipCustomer {
                tenant_id: "checked-on-arrival".into(),
                display_name: String::new(),
            },
            ..self.body()
        }) {
            return self.point_at(Some(&invalid.field), invalid.message);
        }
        if self.loading.is_some() {
            self.send_when_loaded = true;
            self.form.set_sending(true);
            return;
        }
        if self.tenant_id.is_none() {
            let why = self.load_failed.clone().unwrap_or_default();
            return self.point_at(None, format!("the customer could not be read: {why}"));
        }
        let new = Box::new(self.body());
        let call = match &self.sent {
            Some(sent) if sent.new == new => sent.clone(),
            _ => RequestAccess {
                create_id: uuid::Uuid::new_v4().to_string(),
                lock_id: uuid::Uuid::new_v4().to_string(),
                new,
            },
        };
        self.sent = Some(call.clone());
        self.sending = Some(ctx.call(call));
        self.form.set_sending(true);
    }

    // ---- results ----

    /// The tenant id (and the previous roles) arrived.
    pub fn target_loaded(&mut self, req: RequestId, target: Target, ctx: &mut Ctx) {
        if self.loading != Some(req) {
            return;
        }
        self.loading = None;
        self.tenant_id = Some(target.tenant_id);
        // The proposal replaces the template only while the user has not chosen roles.
        let untouched = self.template() == Some(&roles::LEAST_PRIVILEGE_HELPDESK);
        if let Some(previous) = target.previous
            && untouched
        {
            self.set_roles(previous.role_ids.clone(), !self.form.is_dirty());
            self.previous = Some(previous);
        }
        if std::mem::take(&mut self.send_when_loaded) {
            self.form.set_sending(false);
            self.submit(ctx);
        }
    }

    /// Reading the customer or sending failed for good: `field` is what a 400 named.
    pub fn failed(&mut self, req: RequestId, field: Option<&str>, message: String) {
        if self.loading == Some(req) {
            self.loading = None;
            self.load_failed = Some(message.clone());
            if std::mem::take(&mut self.send_when_loaded) {
                self.form.set_sending(false);
                self.point_at(None, format!("the customer could not be read: {message}"));
            }
        } else if self.sending == Some(req) {
            self.sending = None;
            self.form.set_sending(false);
            self.point_at(field, message);
        }
    }

    /// Shows `message` under the field `wire` names (a role's index names the roles), or as the
    /// form's own error.
    fn point_at(&mut self, wire: Option<&str>, message: String) {
        self.form.set_sending(false);
        let key = wire.map(|w| if w.starts_with(ROLES) { ROLES } else { w });
        match key.filter(|k| self.form.index_of(k).is_some()) {
            Some(key) => {
                self.form.set_error(key, message);
            }
            None => self
                .form
                .set_form_error(Some(format!("Could not request admin access: {message}"))),
        }
    }
}

/// What the partner will do with the roles, for the email ("We will use it to …").
pub fn purpose(template: Option<&roles::Template>) -> &'static str {
    match template.map(|t| t.name) {
        Some(name) if name == roles::LEAST_PRIVILEGE_HELPDESK.name => {
            "answer your support requests: look into problems, reset passwords of users who \
             are not admins and open Microsoft support requests on your behalf"
        }
        Some("User and license management") => {
            "manage your users, groups and licenses: add and remove users, assign licenses \
             and reset passwords when you ask us to"
        }
        Some("Security reader") => {
            "review your security alerts, settings and reports and advise you, without \
             changing anything"
        }
        Some("Full admin without Global Administrator") => {
            "manage the services we provide you day to day: users, licenses, mail, sites, \
             Teams, devices, apps and security settings"
        }
        _ => "manage the services we provide you, with only the roles listed below",
    }
}
