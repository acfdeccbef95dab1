//! The add-customer form's keys: the shared form's intents in this form's words, one table for the
//! key handling, `F1` help and the footer. Every other key edits the focused field (arrows,
//! Home/End, Backspace, Delete, Ctrl-U clears, Ctrl-Z undoes), so `?` and `q` are text here.

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};
use crate::tui::widgets::form::FormIntent;
use crate::tui::widgets::form::keys::{CANCEL, CLEAR, HELP, NEXT, PREVIOUS};

pub const FORM_KEYS: &[Binding<FormIntent>] = &[
    NEXT,
    PREVIOUS,
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
    CANCEL,
    HELP,
    CLEAR,
];
