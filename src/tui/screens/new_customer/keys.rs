//! The add-customer form's keys: the shared form's intents in this form's words, one table for the
//! key handling, `F1` help and the footer. Every other key edits the focused field (arrows,
//! Home/End, Backspace, Delete, Ctrl-U clears, Ctrl-Z undoes), so `?` and `q` are text here.

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};
use crate::tui::widgets::form::FormIntent;
use crate::tui::widgets::form::keys::CLEAR;

pub const FORM_KEYS: &[Binding<FormIntent>] = &[
    bind(
        &[Key::Code(KeyCode::Tab), Key::Code(KeyCode::Down)],
        "Tab ↓",
        "next field",
        Some("next"),
        FormIntent::Next,
    ),
    bind(
        &[Key::Code(KeyCode::BackTab), Key::Code(KeyCode::Up)],
        "S-Tab ↑",
        "previous field",
        None,
        FormIntent::Previous,
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "next field; on the last field, add the customer",
        None,
        FormIntent::Enter,
    ),
    bind(
        &[Key::Ctrl('s')],
        "Ctrl-S",
        "add the customer (from any field)",
        Some("add"),
        FormIntent::Submit,
    ),
    bind(
        &[Key::Code(KeyCode::Esc)],
        "Esc",
        "cancel (twice when something was typed)",
        Some("cancel"),
        FormIntent::Cancel,
    ),
    bind(
        &[Key::Code(KeyCode::F(1))],
        "F1",
        "these keys (? is text in a form)",
        Some("help"),
        FormIntent::Help,
    ),
    CLEAR,
];
