//! A form: labelled fields (text, a choice among fixed options, an on/off toggle), `*` on the
//! required ones, the error under the field it is about, a form-level error line and a "sending"
//! state that ignores edits. Pure state: keys in, a [`FormOutcome`] out for the owner to act on;
//! no I/O. Fields are addressed by their wire key, so a backend 400's `data[0]` finds its field.
//! Keys in `keys` (handled in `edit`), the fields in `field`, drawing in `draw`.
//!
//! How a screen uses it (see `screens/new_customer.rs`):
//! ```text
//! const FIELDS: &[FieldSpec] = &[FieldSpec::text("title", "Title").required(), ...];
//! let mut form = Form::new(FIELDS);                      // in the screen's state
//! match form.on_key(ev) { FormOutcome::Submit => { check; ctx.call(..); form.set_sending(true) }
//!                         FormOutcome::Cancel => ctx.close(), FormOutcome::Help => ctx.help(), _ => {} }
//! on_failed: form.show_error(body.data.first().map(String::as_str), why);  // lands at the field
//! draw: FormView { form: &form, theme, title, how, sending: "⠋ Sending…" }.render(area, buf)
//! ```

pub mod draw;
mod edit;
pub mod field;
pub mod keys;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use ratatui::style::{Modifier, Style};

use crate::tui::keymap::Binding;
pub use draw::FormView;
use field::{Field, Value};
pub use field::{FieldSpec, Kind};
pub use keys::{FORM_KEYS, FormIntent};

/// What a key asks of the form's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Handled inside the form (an edit, a move) or nothing to do.
    Stay,
    /// Ctrl-S, or Enter on the last field: check the values and send them.
    Submit,
    /// Esc on an untouched form, a second Esc, or Esc while sending: close.
    Cancel,
    /// The first Esc with something typed: the next one discards it (say so).
    DiscardArmed,
    /// F1: show the form's keys.
    Help,
    /// A key while sending, which changes nothing (say it is on its way).
    Busy,
}

#[derive(Debug, Clone)]
pub struct Form {
    fields: Vec<Field>,
    focus: usize,
    keys: &'static [Binding<FormIntent>],
    sending: bool,
    form_error: Option<String>,
    discard_armed: bool,
}

impl Form {
    pub fn new(specs: &[FieldSpec]) -> Self {
        let mut form = Self {
            fields: specs.iter().copied().map(Field::new).collect(),
            focus: 0,
            keys: FORM_KEYS,
            sending: false,
            form_error: None,
            discard_armed: false,
        };
        form.show_cursor();
        form
    }

    /// Uses `keys` (same intents, the screen's words) for key handling, help and footer.
    pub fn with_keys(mut self, keys: &'static [Binding<FormIntent>]) -> Self {
        self.keys = keys;
        self
    }

    /// Starts `key` at `value` (not counted as typed: Esc still closes at once).
    pub fn with_value(mut self, key: &str, value: &str) -> Self {
        if let Some(field) = self.field_mut(key) {
            field.set_text(value);
            field.initial = field.text();
        }
        self
    }

    /// Puts the cursor of the text field `key` before its text, for a prefilled tail the user
    /// types in front of (a sign-in name's `@domain`).
    pub fn with_cursor_at_start(mut self, key: &str) -> Self {
        if let Some(Field {
            value: Value::Text(area),
            ..
        }) = self.field_mut(key)
        {
            area.move_cursor(ratatui_textarea::CursorMove::Head);
        }
        self
    }

    // ---- read access for the owner, drawing and tests ----

    pub fn keys(&self) -> &'static [Binding<FormIntent>] {
        self.keys
    }
    pub fn len(&self) -> usize {
        self.fields.len()
    }
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
    pub fn spec(&self, i: usize) -> Option<&FieldSpec> {
        self.fields.get(i).map(|f| &f.spec)
    }
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.spec.key == key)
    }
    pub(crate) fn field_at(&self, i: usize) -> Option<&Field> {
        self.fields.get(i)
    }
    /// The value of `key` as text: what was typed, the option chosen, or `on`/`off`.
    pub fn value(&self, key: &str) -> String {
        self.field(key).map(Field::text).unwrap_or_default()
    }
    /// The value at position `i` (see [`Form::value`]).
    pub fn value_at(&self, i: usize) -> String {
        self.fields.get(i).map(Field::text).unwrap_or_default()
    }
    /// The index of the option chosen in a choice field.
    pub fn choice(&self, key: &str) -> Option<usize> {
        match self.field(key)?.value {
            Value::Choice(i) => Some(i),
            _ => None,
        }
    }
    pub fn is_on(&self, key: &str) -> bool {
        self.field(key)
            .is_some_and(|f| matches!(f.value, Value::Toggle(true)))
    }
    pub fn focus(&self) -> usize {
        self.focus
    }
    pub fn focused_key(&self) -> Option<&'static str> {
        self.spec(self.focus).map(|s| s.key)
    }
    pub fn error(&self, key: &str) -> Option<&str> {
        self.field(key)?.error.as_deref()
    }
    pub fn error_at(&self, i: usize) -> Option<&str> {
        self.fields.get(i)?.error.as_deref()
    }
    /// The first field with an error, and the error.
    pub fn first_error(&self) -> Option<(usize, &str)> {
        self.fields
            .iter()
            .enumerate()
            .find_map(|(i, f)| Some((i, f.error.as_deref()?)))
    }
    pub fn form_error(&self) -> Option<&str> {
        self.form_error.as_deref()
    }
    pub fn is_sending(&self) -> bool {
        self.sending
    }
    pub fn discard_armed(&self) -> bool {
        self.discard_armed
    }
    /// Anything typed or changed that Esc would lose.
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| f.text() != f.initial)
    }

    // ---- the owner's changes ----

    /// Sets `key`'s value (see [`Field::set_text`]); false when there is no such field or option.
    pub fn set_value(&mut self, key: &str, value: &str) -> bool {
        self.field_mut(key).is_some_and(|f| f.set_text(value))
    }

    /// Gives the choice `key` options known only at run time (e.g. agents loaded when the form
    /// opened), in place of its spec's. The chosen option stays chosen when it is still offered,
    /// else the first is. False when `key` is not a choice.
    pub fn set_options(&mut self, key: &str, options: Vec<String>) -> bool {
        let Some(field) = self.field_mut(key) else {
            return false;
        };
        if !matches!(field.value, Value::Choice(_)) {
            return false;
        }
        let chosen = field.text();
        let unchanged = field.text() == field.initial;
        field.loaded = Some(options);
        if !field.set_text(&chosen) {
            field.value = Value::Choice(0);
        }
        if unchanged {
            field.initial = field.text();
        }
        true
    }

    /// Puts `message` under the field `key` and moves the focus there. Returns false (and shows
    /// nothing) when no field has that key: use [`Form::show_error`] to fall back to the form line.
    pub fn set_error(&mut self, key: &str, message: impl Into<String>) -> bool {
        let Some(i) = self.index_of(key) else {
            return false;
        };
        self.fields[i].error = Some(message.into());
        self.focus = i;
        self.show_cursor();
        true
    }

    /// What the backend (or a check) refused: at the field it names when the form has it, else on
    /// the form's error line. Editing resumes.
    pub fn show_error(&mut self, field: Option<&str>, message: impl Into<String>) {
        self.sending = false;
        let message = message.into();
        if let Some(key) = field
            && self.index_of(key).is_some()
        {
            self.set_error(key, message);
        } else {
            self.form_error = Some(message);
        }
    }

    pub fn set_form_error(&mut self, message: Option<String>) {
        self.form_error = message;
    }

    /// Clears every field's error and the form's.
    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
        self.form_error = None;
    }

    /// Marks each empty required field `is required`; true when none was. Focus goes to the first.
    pub fn check_required(&mut self) -> bool {
        let missing: Vec<&'static str> = self
            .fields
            .iter()
            .filter(|f| f.spec.required && f.text().trim().is_empty())
            .map(|f| f.spec.key)
            .collect();
        for key in missing.iter().rev() {
            self.set_error(key, "is required");
        }
        missing.is_empty()
    }

    /// While sending, edits are ignored and errors are cleared; `false` resumes editing.
    pub fn set_sending(&mut self, sending: bool) {
        self.sending = sending;
        if sending {
            self.clear_errors();
        }
    }

    fn move_focus(&mut self, by: usize) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + by) % self.fields.len();
        }
        self.show_cursor();
    }

    /// Only the focused text field shows a cursor.
    fn show_cursor(&mut self) {
        let focus = self.focus;
        for (i, field) in self.fields.iter_mut().enumerate() {
            if let Value::Text(area) = &mut field.value {
                let style = if i == focus {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default()
                };
                area.set_cursor_style(style);
            }
        }
    }

    fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.spec.key == key)
    }
    fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.spec.key == key)
    }
}
