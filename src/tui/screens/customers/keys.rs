//! The customers list's own keys (DESIGN.md §4): one table that drives both the key handling and
//! `?`. The keys that open other screens are listed with those screens (`screens::OPENERS`).

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    /// Open the row; on an open row, step into its details.
    Expand,
    /// Open or close the row.
    Toggle,
    /// Close the row; on a detail line, go to its row.
    Collapse,
    Filter,
    Sort,
    Reload,
}

pub const KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "move down",
        None,
        Intent::Down,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "move up",
        None,
        Intent::Up,
    ),
    bind(
        &[Key::Char('g'), Key::Code(KeyCode::Home)],
        "g Home",
        "first customer",
        None,
        Intent::Top,
    ),
    bind(
        &[Key::Char('G'), Key::Code(KeyCode::End)],
        "G End",
        "last customer",
        None,
        Intent::Bottom,
    ),
    bind(
        &[Key::Code(KeyCode::PageDown), Key::Ctrl('f')],
        "PgDn Ctrl-F",
        "page down",
        None,
        Intent::PageDown,
    ),
    bind(
        &[Key::Code(KeyCode::PageUp), Key::Ctrl('b')],
        "PgUp Ctrl-B",
        "page up",
        None,
        Intent::PageUp,
    ),
    bind(
        &[Key::Code(KeyCode::Right), Key::Char('l')],
        "→ l",
        "expand: account, services, users, licenses (on an open row: step in)",
        Some("expand"),
        Intent::Expand,
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "expand / collapse the row",
        None,
        Intent::Toggle,
    ),
    bind(
        &[Key::Code(KeyCode::Left), Key::Char('h')],
        "← h",
        "collapse (on a detail line: go to its row)",
        None,
        Intent::Collapse,
    ),
    bind(
        &[Key::Char('/')],
        "/",
        "filter by company name or domain as you type; Enter keeps, Esc clears",
        Some("filter"),
        Intent::Filter,
    ),
    bind(
        &[Key::Char('s')],
        "s",
        "sort by name → domain → relationship",
        Some("sort"),
        Intent::Sort,
    ),
    bind(
        &[Key::Ctrl('r')],
        "Ctrl-R",
        "reload the list from the backend",
        Some("reload"),
        Intent::Reload,
    ),
];
