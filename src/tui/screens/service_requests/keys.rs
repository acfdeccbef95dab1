//! The keys of the service requests list and of its form.

use crossterm::event::KeyCode;

use crate::api::Permission;
use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Down,
    Up,
    New,
    Reload,
}

pub const LIST_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "next request",
        None,
        Intent::Down,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "previous request",
        None,
        Intent::Up,
    ),
    Binding {
        keys: &[Key::Char('n')],
        shown: "n",
        help: "open a new service request for this customer",
        hint: Some("new request"),
        intent: Intent::New,
        needs: Some(Permission::ServiceRequestsManage),
    },
    bind(
        &[Key::Ctrl('r')],
        "Ctrl-R",
        "reload the list",
        Some("reload"),
        Intent::Reload,
    ),
];
