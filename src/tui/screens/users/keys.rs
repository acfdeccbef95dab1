//! The users screen's key tables, one per mode: they drive the keys, `?` and the footer. The
//! changes need `users.manage`; for other roles `?` greys them with the reason.

use crossterm::event::KeyCode;

use crate::api::Permission;
use crate::tui::keymap::{Binding, Key, bind};
use crate::tui::widgets::form::FormIntent;
use crate::tui::widgets::form::keys::{CANCEL, CLEAR, NEXT, PREVIOUS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Down,
    Up,
    Add,
    Remove,
    Restore,
    Licenses,
    Reload,
}

const fn manage(
    keys: &'static [Key],
    shown: &'static str,
    help: &'static str,
    hint: Option<&'static str>,
    intent: Intent,
) -> Binding<Intent> {
    Binding {
        keys,
        shown,
        help,
        hint,
        intent,
        needs: Some(Permission::UsersManage),
    }
}

pub const LIST_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "next user",
        None,
        Intent::Down,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "previous user",
        None,
        Intent::Up,
    ),
    manage(
        &[Key::Char('n')],
        "n",
        "add a user (a temporary password is made and shown once)",
        Some("add"),
        Intent::Add,
    ),
    manage(
        &[Key::Char('x'), Key::Code(KeyCode::Delete)],
        "x Del",
        "remove the user (licenses freed; restorable for 30 days)",
        Some("remove"),
        Intent::Remove,
    ),
    manage(
        &[Key::Char('r')],
        "r",
        "restore a removed user (within 30 days)",
        Some("restore"),
        Intent::Restore,
    ),
    manage(
        &[Key::Char('l')],
        "l",
        "assign or remove the user's licenses",
        Some("licenses"),
        Intent::Licenses,
    ),
    bind(
        &[Key::Ctrl('r')],
        "Ctrl-R",
        "reload users and licenses",
        None,
        Intent::Reload,
    ),
];

/// The licenses picker's keys, for `?` and the footer; the shared picker handles them itself.
pub const PICKER_KEYS: &[Binding<()>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "next product",
        None,
        (),
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "previous product",
        None,
        (),
    ),
    bind(
        &[Key::Char(' ')],
        "Space",
        "mark or unmark the license (refused when none is available)",
        Some("mark"),
        (),
    ),
    bind(&[Key::Char('a')], "a", "mark all or none", None, ()),
    bind(
        &[Key::Char('/')],
        "/",
        "narrow the products by typed text",
        None,
        (),
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "apply: assign what is marked, remove what is not",
        Some("apply"),
        (),
    ),
];

/// Keys of the panel that shows a new user's temporary password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultIntent {
    Copy,
    Done,
}

pub const RESULT_KEYS: &[Binding<ResultIntent>] = &[
    bind(
        &[Key::Char('y')],
        "y",
        "copy the temporary password",
        Some("copy"),
        ResultIntent::Copy,
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "done (the password is not shown again)",
        Some("done"),
        ResultIntent::Done,
    ),
];

/// The add-user form's keys: the shared form's intents in this form's words, for the key
/// handling, `?` (F1) and the footer.
pub const FORM_KEYS: &[Binding<FormIntent>] = &[
    NEXT,
    PREVIOUS,
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "next field; on the last line, add the user",
        None,
        FormIntent::Enter,
    ),
    bind(
        &[
            Key::Code(KeyCode::Left),
            Key::Code(KeyCode::Right),
            Key::Char(' '),
        ],
        "Space",
        "on the last line: must change the password at next sign-in, yes or no",
        None,
        FormIntent::Change,
    ),
    bind(
        &[Key::Ctrl('s')],
        "Ctrl-S",
        "add the user (Enter on the last line too)",
        Some("add"),
        FormIntent::Submit,
    ),
    CANCEL,
    bind(
        &[Key::Code(KeyCode::F(1))],
        "F1",
        "these keys (? is text in a form)",
        None,
        FormIntent::Help,
    ),
    CLEAR,
];

/// The confirmation's keys.
pub const CONFIRM_KEYS: &[Binding<()>] = &[
    bind(
        &[Key::Char('y')],
        "y",
        "remove the user",
        Some("remove"),
        (),
    ),
    bind(&[], "any other key", "cancel", Some("cancel"), ()),
];
