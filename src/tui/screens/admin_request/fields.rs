//! The request form's fields and keys. Fields are keyed by the JSON path the backend names in a
//! 400 (`displayName`, `duration`, ...), so its refusal lands under the field it is about; the
//! template is the form's own (the backend sees only the roles it chose).

use crossterm::event::KeyCode;

use crate::api::gdap::validate::{AUTO_EXTEND, DISPLAY_NAME, DURATION, ROLES};
use crate::api::gdap::{MAX_NAME_CHARS, roles::TEMPLATES};
use crate::tui::keymap::{Binding, Key, bind};
use crate::tui::widgets::form::FieldSpec;
use crate::tui::widgets::form::FormIntent;
use crate::tui::widgets::form::keys::{CANCEL, CHANGE, CLEAR, HELP, NEXT, PREVIOUS};

pub const TEMPLATE: &str = "template";

/// The last choice of the template field: the roles as picked, matching no template.
pub const CUSTOM: &str = "Custom (the roles below)";

/// The template choice's options: every template, then [`CUSTOM`].
pub const TEMPLATE_OPTIONS: &[&str] = &[
    TEMPLATES[0].name,
    TEMPLATES[1].name,
    TEMPLATES[2].name,
    TEMPLATES[3].name,
    CUSTOM,
];

pub const FIELDS: [FieldSpec; 5] = [
    FieldSpec::text(DISPLAY_NAME, "Name")
        .required()
        .max_chars(MAX_NAME_CHARS)
        .example("Contoso admin access 2026-12"),
    FieldSpec::choice(TEMPLATE, "Template", TEMPLATE_OPTIONS),
    // One option at a time: the summary of the roles chosen (Enter opens the picker).
    FieldSpec::choice(ROLES, "Roles", &[""]).required(),
    FieldSpec::text(DURATION, "Duration (days)")
        .required()
        .max_chars(4)
        .example("730 (1 to 730)"),
    FieldSpec::toggle(AUTO_EXTEND, "Auto-extend 180 days"),
];

pub const FORM_KEYS: &[Binding<FormIntent>] = &[
    NEXT,
    PREVIOUS,
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "next field; on Roles, choose the roles; on the last field, send the request",
        None,
        FormIntent::Enter,
    ),
    bind(
        &[Key::Ctrl('s')],
        "Ctrl-S",
        "send the request for approval (from any field)",
        Some("send"),
        FormIntent::Submit,
    ),
    CANCEL,
    HELP,
    CHANGE,
    CLEAR,
];
