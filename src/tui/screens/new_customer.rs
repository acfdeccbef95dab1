//! The add-customer form (`n` on the list): the fields Partner Center asks for when a partner adds
//! a customer directly (company, primary domain, billing contact and address), on the shared
//! [`Form`] widget. It checks the input with the backend's own rules (`api::validate`) before
//! sending, shows what the backend refuses under the field it names, and sends the same
//! `MS-RequestId` again for the same input, so a retry after a lost answer never adds the customer
//! twice. Keys in `keys`, drawing in `draw`.

mod call;
pub mod draw;
pub mod keys;
mod screen;

#[cfg(test)]
mod tests;

use crossterm::event::KeyEvent;

use crate::api::validate::{self, check_new_customer};
use crate::api::{Address, BillingProfile, NewCompanyProfile, NewCustomer};
use crate::tui::action::RequestId;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;
use crate::tui::widgets::form::{FieldSpec, Form, FormOutcome};
use keys::FORM_KEYS;

pub use call::CreateCustomer;
pub use screen::OPEN;

/// The fields, keyed by the JSON path the backend names in its errors.
pub const FIELDS: [FieldSpec; 9] = [
    FieldSpec::text(validate::COMPANY_NAME, "Company name")
        .required()
        .example("Contoso Ltd"),
    FieldSpec::text(validate::DOMAIN, "Primary domain")
        .required()
        .example("contoso.onmicrosoft.com"),
    FieldSpec::text(validate::FIRST_NAME, "Contact first name"),
    FieldSpec::text(validate::LAST_NAME, "Contact last name"),
    FieldSpec::text(validate::EMAIL, "Contact email")
        .required()
        .example("billing@contoso.com"),
    FieldSpec::text(validate::ADDRESS_LINE1, "Address").example("1 Microsoft Way"),
    FieldSpec::text(validate::CITY, "City"),
    FieldSpec::text(validate::POSTAL_CODE, "Postal code"),
    FieldSpec::text(validate::COUNTRY, "Country")
        .required()
        .example("US (two letters)"),
];

/// What the form says is wrong: at a field, or (`field: None`) about the whole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Option<usize>,
    pub message: String,
}

/// What a key did to the form, for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    Help,
}

#[derive(Debug)]
pub struct NewCustomerScreen {
    form: Form,
    /// The add request on its way.
    sending: Option<RequestId>,
    /// What is wrong, as the form shows it (kept here in the words the backend or check used).
    problem: Option<Problem>,
    /// The last body sent and its request id: the same body is sent with the same id again.
    sent: Option<(Box<NewCustomer>, String)>,
}

impl NewCustomerScreen {
    pub fn new() -> Self {
        Self {
            form: Form::new(&FIELDS)
                .with_keys(FORM_KEYS)
                .with_value(validate::COUNTRY, "US"),
            sending: None,
            problem: None,
            sent: None,
        }
    }

    // ---- read access for drawing, the app and tests ----

    pub fn form(&self) -> &Form {
        &self.form
    }
    pub fn value(&self, i: usize) -> String {
        self.form.value_at(i)
    }
    pub fn focus(&self) -> usize {
        self.form.focus()
    }
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }
    pub fn is_sending(&self) -> bool {
        self.sending.is_some()
    }
    pub fn discard_armed(&self) -> bool {
        self.form.discard_armed()
    }
    pub fn awaits(&self, req: RequestId) -> bool {
        self.sending == Some(req)
    }
    /// The company name typed, for messages.
    pub fn company(&self) -> String {
        self.value(0).trim().to_string()
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        let outcome = self.form.on_key(ev);
        self.forget_fixed_problem();
        match outcome {
            FormOutcome::Stay => {}
            FormOutcome::Submit => self.submit(ctx),
            FormOutcome::Help => return Outcome::Help,
            FormOutcome::DiscardArmed => ctx.flash(
                "Esc again discards what you typed; any other key keeps editing",
                Tone::Warn,
            ),
            FormOutcome::Cancel => {
                if self.sending.is_some() {
                    ctx.flash(
                        "Stopped waiting: if the backend got it, the customer still appears in the list",
                        Tone::Warn,
                    );
                }
                return Outcome::Close;
            }
            FormOutcome::Busy => {
                ctx.flash("Adding the customer… (Esc stops waiting)", Tone::Normal)
            }
        }
        Outcome::Stay
    }

    /// Pasted text goes into the focused field, on one line (line breaks and tabs become spaces).
    pub fn paste(&mut self, text: &str) {
        self.form.paste(text);
        self.forget_fixed_problem();
    }

    /// Editing the field at fault clears its error in the form; the problem goes with it.
    fn forget_fixed_problem(&mut self) {
        if let Some(Problem { field: Some(i), .. }) = self.problem
            && self.form.error_at(i).is_none()
        {
            self.problem = None;
        }
    }

    fn body(&self) -> NewCustomer {
        let v = |i: usize| self.value(i);
        NewCustomer {
            company_profile: NewCompanyProfile { domain: v(1) },
            billing_profile: BillingProfile {
                company_name: v(0),
                first_name: v(2),
                last_name: v(3),
                email: v(4),
                default_address: Address {
                    address_line1: v(5),
                    city: v(6),
                    postal_code: v(7),
                    country: v(8),
                    ..Address::default()
                },
                ..BillingProfile::default()
            },
            associated_partner_id: None,
        }
    }

    /// Checks the input by the backend's rules; sends it if they hold, else points at the field.
    fn submit(&mut self, ctx: &mut Ctx) {
        match check_new_customer(self.body()) {
            Err(invalid) => self.point_at(Some(invalid.field), invalid.message),
            Ok(new) => {
                let new = Box::new(new);
                let request_id = match &self.sent {
                    Some((body, id)) if *body == new => id.clone(),
                    _ => uuid::Uuid::new_v4().to_string(),
                };
                self.sent = Some((new.clone(), request_id.clone()));
                let req = ctx.call(CreateCustomer { request_id, new });
                self.sending = Some(req);
                self.problem = None;
                self.form.set_sending(true);
            }
        }
    }

    /// The backend refused (`field`: the JSON path it named, if any); editing resumes there.
    pub fn refused(&mut self, req: RequestId, field: Option<&str>, message: String) {
        if !self.awaits(req) {
            return;
        }
        self.sending = None;
        self.form.set_sending(false);
        self.point_at(field, message);
    }

    /// Shows `message` under the field `wire` names, or as the form's own error when no field
    /// has that name.
    fn point_at(&mut self, wire: Option<&str>, message: String) {
        self.form.clear_errors();
        let field = wire.and_then(|w| self.form.index_of(w));
        match (wire, field) {
            (Some(wire), Some(_)) => {
                self.form.set_error(wire, message.clone());
            }
            _ => self
                .form
                .set_form_error(Some(format!("Could not add the customer: {message}"))),
        }
        self.problem = Some(Problem { field, message });
    }
}

impl Default for NewCustomerScreen {
    fn default() -> Self {
        Self::new()
    }
}
