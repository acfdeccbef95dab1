//! The add-customer form's keys: one table for the key handling, `F1` help and the footer. Every
//! other key edits the focused field (ratatui-textarea's single-line keys: arrows, Home/End,
//! Backspace, Delete, Ctrl-U/Ctrl-K, Ctrl-Z undo), so `?` and `q` are text here.

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Next,
    Previous,
    /// Next field; on the last one, add the customer.
    Enter,
    Submit,
    Cancel,
    Help,
}

pub const FORM_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::Down)],
        "Tab ↓",
        "next field",
        Some("next"),
        Intent::Next,
    ),
    bind(
        &[Key::Code(KeyCode::BackTab), Key::Code(KeyCode::Up)],
        "S-Tab ↑",
        "previous field",
        None,
        Intent::Previous,
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "next field; on the last field, add the customer",
        None,
        Intent::Enter,
    ),
    bind(
        &[Key::Ctrl('s')],
        "Ctrl-S",
        "add the customer (from any field)",
        Some("add"),
        Intent::Submit,
    ),
    bind(
        &[Key::Code(KeyCode::Esc)],
        "Esc",
        "cancel (twice when something was typed)",
        Some("cancel"),
        Intent::Cancel,
    ),
    bind(
        &[Key::Code(KeyCode::F(1))],
        "F1",
        "these keys (? is text in a form)",
        Some("help"),
        Intent::Help,
    ),
];
