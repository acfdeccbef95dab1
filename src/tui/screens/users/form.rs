//! The add-user form, on the shared form widget: sign-in name (prefilled with `@<customer
//! domain>`, the cursor before it), names, usage location (the customer's country) and "must
//! change the password at next sign-in". The password is not typed: the dashboard generates one
//! when the form is sent and shows it once afterwards. Checked with the backend's own rules
//! (`api::users::validate`) before sending.

use crate::api::users::validate::{self, check_new_user};
use crate::api::users::{NewUser, PasswordProfile};
use crate::api::validate::Invalid;
use crate::tui::widgets::form::{FieldSpec, Form};

use super::keys::FORM_KEYS;

/// The toggle's key: the backend's name for it in a new user's body.
pub const FORCE_CHANGE: &str = "passwordProfile.forceChangePassword";

/// The form's fields, by the names the backend uses in its 400s.
pub const FIELDS: [FieldSpec; 6] = [
    FieldSpec::text(validate::UPN, "Sign-in name").required(),
    FieldSpec::text(validate::FIRST_NAME, "First name"),
    FieldSpec::text(validate::LAST_NAME, "Last name"),
    FieldSpec::text(validate::DISPLAY_NAME, "Display name"),
    FieldSpec::text(validate::USAGE_LOCATION, "Usage location").required(),
    FieldSpec::toggle(FORCE_CHANGE, "Must change password"),
];

#[derive(Debug, Clone)]
pub struct UserForm {
    pub form: Form,
    domain: String,
}

impl UserForm {
    pub fn new(domain: &str, country: &str) -> Self {
        let form = Form::new(&FIELDS)
            .with_keys(FORM_KEYS)
            .with_value(validate::UPN, &format!("@{domain}"))
            .with_cursor_at_start(validate::UPN)
            .with_value(validate::USAGE_LOCATION, &country.to_ascii_uppercase())
            .with_value(FORCE_CHANGE, "on");
        Self {
            form,
            domain: domain.to_string(),
        }
    }

    /// The new user with `password`, checked; a broken rule is shown at its field.
    pub fn submit(&mut self, password: String) -> Option<NewUser> {
        let f = &self.form;
        let new = NewUser {
            user_principal_name: f.value(validate::UPN),
            first_name: f.value(validate::FIRST_NAME),
            last_name: f.value(validate::LAST_NAME),
            display_name: f.value(validate::DISPLAY_NAME),
            usage_location: f.value(validate::USAGE_LOCATION),
            password_profile: PasswordProfile {
                password,
                force_change_password: f.is_on(FORCE_CHANGE),
            },
        };
        match check_new_user(new, &self.domain) {
            Ok(new) => {
                self.form.clear_errors();
                Some(new)
            }
            Err(Invalid { field, message }) => {
                self.refused(Some(field), message);
                None
            }
        }
    }

    /// The backend (or the check) refused: at the field it names, focused, or about the request.
    pub fn refused(&mut self, field: Option<&str>, message: String) {
        self.form.clear_errors();
        self.form.show_error(field, message);
    }
}
