//! The dialog's keys: `y` confirms, anything else cancels (as every confirmation does).

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Confirm,
    Cancel,
}

pub const KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('y')],
        "y",
        "yes: make the change",
        Some("yes"),
        Intent::Confirm,
    ),
    bind(
        &[Key::Code(KeyCode::Esc), Key::Char('n')],
        "n Esc",
        "cancel (so does any other key)",
        Some("cancel"),
        Intent::Cancel,
    ),
];
