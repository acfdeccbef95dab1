//! The form's own keys, as a table for the key handling, `F1` help and the footer. A screen may
//! declare its own table with the same intents to word them for its form ("add the customer").
//! Every other key edits the focused text field, so `?` and `q` are text in a form.

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormIntent {
    Next,
    Previous,
    /// Next field; on the last one, submit.
    Enter,
    Submit,
    Cancel,
    Help,
    /// Change a choice or a toggle. In a text field these keys edit instead (move the cursor, type
    /// a space), so the form only acts on this intent when a choice or toggle has the focus.
    Change,
    /// Clear the focused text field.
    Clear,
}

pub const FORM_KEYS: &[Binding<FormIntent>] = &[
    NEXT,
    PREVIOUS,
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "next field; on the last field, send",
        None,
        FormIntent::Enter,
    ),
    bind(
        &[Key::Ctrl('s')],
        "Ctrl-S",
        "send (from any field)",
        Some("send"),
        FormIntent::Submit,
    ),
    CANCEL,
    HELP,
    CHANGE,
    CLEAR,
];

// The bindings every form words alike; a screen's own table lists them beside its own wording
// of Enter and Ctrl-S.

/// `Tab` / `↓`: the next field.
pub const NEXT: Binding<FormIntent> = bind(
    &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::Down)],
    "Tab ↓",
    "next field",
    Some("next"),
    FormIntent::Next,
);

/// `Shift-Tab` / `↑`: the previous field.
pub const PREVIOUS: Binding<FormIntent> = bind(
    &[Key::Code(KeyCode::BackTab), Key::Code(KeyCode::Up)],
    "S-Tab ↑",
    "previous field",
    None,
    FormIntent::Previous,
);

/// `Esc`: cancel, asking first when something was typed.
pub const CANCEL: Binding<FormIntent> = bind(
    &[Key::Code(KeyCode::Esc)],
    "Esc",
    "cancel (twice when something was typed)",
    Some("cancel"),
    FormIntent::Cancel,
);

/// `F1`: the form's keys (`?` is text in a form).
pub const HELP: Binding<FormIntent> = bind(
    &[Key::Code(KeyCode::F(1))],
    "F1",
    "these keys (? is text in a form)",
    Some("help"),
    FormIntent::Help,
);

/// `← → Space` on a choice or toggle; screens with their own table include it as is.
pub const CHANGE: Binding<FormIntent> = bind(
    &[
        Key::Code(KeyCode::Left),
        Key::Code(KeyCode::Right),
        Key::Char(' '),
    ],
    "← → Space",
    "change a choice or switch a toggle (in a text field: move, type a space)",
    None,
    FormIntent::Change,
);

/// `Ctrl-U` clears the focused text field (`Ctrl-Z` undoes it).
pub const CLEAR: Binding<FormIntent> = bind(
    &[Key::Ctrl('u')],
    "Ctrl-U",
    "clear the field (Ctrl-Z undoes)",
    None,
    FormIntent::Clear,
);
