//! The audit screen's keys, as the tables that drive both the key handling and `?`.

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Detail,
    Customer,
    TypeCustomer,
    Range,
    Reload,
}

pub const LIST_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "next record (older)",
        None,
        Intent::Down,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "previous record (newer)",
        None,
        Intent::Up,
    ),
    bind(
        &[Key::Code(KeyCode::PageDown)],
        "PgDn",
        "a page down (more load as you go)",
        None,
        Intent::PageDown,
    ),
    bind(
        &[Key::Code(KeyCode::PageUp)],
        "PgUp",
        "a page up",
        None,
        Intent::PageUp,
    ),
    bind(
        &[Key::Char('g'), Key::Code(KeyCode::Home)],
        "g",
        "newest record",
        None,
        Intent::Top,
    ),
    bind(
        &[Key::Char('G'), Key::Code(KeyCode::End)],
        "G",
        "last record loaded",
        None,
        Intent::Bottom,
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "the record in full",
        Some("full"),
        Intent::Detail,
    ),
    bind(
        &[Key::Char('c')],
        "c",
        "only the customer under the list's cursor (again: every customer)",
        Some("customer"),
        Intent::Customer,
    ),
    bind(
        &[Key::Char('C')],
        "C",
        "only one customer: type its id",
        None,
        Intent::TypeCustomer,
    ),
    bind(
        &[Key::Char('f')],
        "f",
        "time range: all, last 24 h, 7 days, 30 days",
        Some("range"),
        Intent::Range,
    ),
    bind(
        &[Key::Ctrl('r')],
        "Ctrl-R",
        "reload from the newest record",
        Some("reload"),
        Intent::Reload,
    ),
];

/// In the full view of one record, `Enter` (or `Esc`) goes back to the list.
pub const DETAIL_KEYS: &[Binding<Intent>] = &[bind(
    &[Key::Code(KeyCode::Enter)],
    "Enter Esc",
    "back to the records",
    Some("back"),
    Intent::Detail,
)];

/// While typing a customer id.
pub const TYPING_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "only this customer (empty: every customer)",
        Some("apply"),
        Intent::Customer,
    ),
    bind(
        &[Key::Code(KeyCode::Esc)],
        "Esc",
        "cancel",
        Some("cancel"),
        Intent::TypeCustomer,
    ),
];
