//! The add-user form: sign-in name (prefilled with `@<customer domain>`), names, usage location
//! (the customer's country) and "must change the password at next sign-in". The password is not
//! typed: the dashboard generates one when the form is sent and shows it once afterwards.
//! Checked with the backend's own rules (`api::users::validate`) before sending.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::users::validate::{self, check_new_user};
use crate::api::users::{NewUser, PasswordProfile};
use crate::api::validate::Invalid;

/// One line of the form: its label and the JSON path the backend names in its errors.
pub struct FieldSpec {
    pub label: &'static str,
    pub wire: &'static str,
    pub required: bool,
}

pub const FIELDS: [FieldSpec; 5] = [
    FieldSpec {
        label: "Sign-in name",
        wire: validate::UPN,
        required: true,
    },
    FieldSpec {
        label: "First name",
        wire: validate::FIRST_NAME,
        required: false,
    },
    FieldSpec {
        label: "Last name",
        wire: validate::LAST_NAME,
        required: false,
    },
    FieldSpec {
        label: "Display name",
        wire: validate::DISPLAY_NAME,
        required: false,
    },
    FieldSpec {
        label: "Usage location",
        wire: validate::USAGE_LOCATION,
        required: true,
    },
];
/// The toggle after the text fields.
pub const FORCE_CHANGE: usize = FIELDS.len();
/// Longest text a field takes (the backend's limit is lower for most).
const MAX_FIELD_CHARS: usize = 256;

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKey {
    Stay,
    /// Ctrl-S, or Enter on the last line: send what `submit` gives.
    Submit,
    Cancel,
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserForm {
    pub values: [String; 5],
    /// Cursor per field, in characters.
    cursors: [usize; 5],
    pub force_change: bool,
    pub focus: usize,
    domain: String,
    /// What is wrong, at a field (index) or about the whole request (None).
    pub problem: Option<(Option<usize>, String)>,
}

impl UserForm {
    pub fn new(domain: &str, country: &str) -> Self {
        let values = [
            format!("@{domain}"),
            String::new(),
            String::new(),
            String::new(),
            country.to_ascii_uppercase(),
        ];
        let cursors = [0, 0, 0, 0, values[4].chars().count()];
        Self {
            values,
            cursors,
            force_change: true,
            focus: 0,
            domain: domain.to_string(),
            problem: None,
        }
    }

    pub fn cursor(&self) -> usize {
        self.cursors.get(self.focus).copied().unwrap_or(0)
    }

    pub fn on_key(&mut self, ev: &KeyEvent) -> FormKey {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Char('s') if ctrl => return FormKey::Submit,
            KeyCode::Char('c') if ctrl => return FormKey::Cancel,
            KeyCode::Esc => return FormKey::Cancel,
            KeyCode::F(1) => return FormKey::Help,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % (FIELDS.len() + 1),
            KeyCode::BackTab | KeyCode::Up => {
                self.focus = (self.focus + FIELDS.len()) % (FIELDS.len() + 1)
            }
            KeyCode::Enter if self.focus == FORCE_CHANGE => return FormKey::Submit,
            KeyCode::Enter => self.focus += 1,
            KeyCode::Char(' ') if self.focus == FORCE_CHANGE => {
                self.force_change = !self.force_change
            }
            _ if self.focus < FIELDS.len() => self.edit(ev),
            _ => {}
        }
        FormKey::Stay
    }

    fn edit(&mut self, ev: &KeyEvent) {
        let (value, cursor) = (&mut self.values[self.focus], &mut self.cursors[self.focus]);
        let len = value.chars().count();
        let at = |value: &str, chars: usize| {
            value
                .char_indices()
                .nth(chars)
                .map_or(value.len(), |(i, _)| i)
        };
        match ev.code {
            KeyCode::Char(c)
                if !ev.modifiers.contains(KeyModifiers::CONTROL) && len < MAX_FIELD_CHARS =>
            {
                value.insert(at(value, *cursor), c);
                *cursor += 1;
            }
            KeyCode::Backspace if *cursor > 0 => {
                *cursor -= 1;
                value.remove(at(value, *cursor));
            }
            KeyCode::Delete if *cursor < len => {
                value.remove(at(value, *cursor));
            }
            KeyCode::Left => *cursor = cursor.saturating_sub(1),
            KeyCode::Right => *cursor = (*cursor + 1).min(len),
            KeyCode::Home => *cursor = 0,
            KeyCode::End => *cursor = len,
            _ => {}
        }
    }

    /// Pasted text goes into the focused field, without line breaks.
    pub fn paste(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            let ev = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            self.edit(&ev);
        }
    }

    /// The new user with `password`, checked; a broken rule is shown at its field.
    pub fn submit(&mut self, password: String) -> Option<NewUser> {
        let [upn, first, last, display, location] = self.values.clone();
        let new = NewUser {
            user_principal_name: upn,
            first_name: first,
            last_name: last,
            display_name: display,
            usage_location: location,
            password_profile: PasswordProfile {
                password,
                force_change_password: self.force_change,
            },
        };
        match check_new_user(new, &self.domain) {
            Ok(new) => {
                self.problem = None;
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
        let index = field.and_then(|f| FIELDS.iter().position(|spec| spec.wire == f));
        if let Some(i) = index {
            self.focus = i;
        }
        self.problem = Some((index, message));
    }
}
