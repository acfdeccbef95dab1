//! The invitation-draft screen's keys (DESIGN.md §4), as tables that drive both the key handling and
//! `?`: one for the draft, one for the indirect-reseller picker shown before it, and the keys of the
//! refusal shown when the editor is left without the link.

use crossterm::event::KeyCode;

use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    CopyLink,
    CopyEmail,
    Edit,
    Mail,
    Save,
    /// Choose another indirect reseller (only when the partner has some).
    Pick,
    ScrollDown,
    ScrollUp,
    Top,
    /// Load the link again after a failure.
    Retry,
    Done,
}

pub const DRAFT_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('y')],
        "y",
        "copy the personalized link",
        Some("copy link"),
        Intent::CopyLink,
    ),
    bind(
        &[Key::Char('Y')],
        "Y",
        "copy the whole email (subject and body, link included)",
        Some("copy email"),
        Intent::CopyEmail,
    ),
    bind(
        &[Key::Char('e')],
        "e",
        "edit the draft (Esc leaves the editor; the link must stay)",
        Some("edit"),
        Intent::Edit,
    ),
    bind(
        &[Key::Char('m')],
        "m",
        "open the draft in your mail app (mailto:), or say why it can't",
        Some("mail app"),
        Intent::Mail,
    ),
    bind(
        &[Key::Char('s'), Key::Char('w')],
        "s w",
        "save the draft as an .eml file (opens as a new message in mail apps)",
        Some("save .eml"),
        Intent::Save,
    ),
    bind(
        &[Key::Char('p')],
        "p",
        "bind an indirect reseller into the link (or none: direct)",
        None,
        Intent::Pick,
    ),
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "scroll down",
        None,
        Intent::ScrollDown,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "scroll up",
        None,
        Intent::ScrollUp,
    ),
    bind(
        &[Key::Char('g'), Key::Code(KeyCode::Home)],
        "g Home",
        "back to the top",
        None,
        Intent::Top,
    ),
    bind(
        &[Key::Ctrl('r')],
        "Ctrl-R",
        "load the link again (after an error)",
        None,
        Intent::Retry,
    ),
    bind(
        &[Key::Code(KeyCode::Enter), Key::Char('d')],
        "Enter d",
        "Done: back to the customers list",
        Some("done"),
        Intent::Done,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickIntent {
    Down,
    Up,
    Choose,
}

pub const PICKER_KEYS: &[Binding<PickIntent>] = &[
    Binding {
        keys: &[Key::Char('j'), Key::Code(KeyCode::Down)],
        shown: "j ↓",
        help: "next",
        hint: None,
        intent: PickIntent::Down,
        needs: None,
    },
    Binding {
        keys: &[Key::Char('k'), Key::Code(KeyCode::Up)],
        shown: "k ↑",
        help: "previous",
        hint: None,
        intent: PickIntent::Up,
        needs: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        shown: "Enter",
        help: "use this indirect reseller (or none: a direct relationship)",
        hint: Some("choose"),
        intent: PickIntent::Choose,
        needs: None,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalIntent {
    Restore,
    KeepEditing,
    Discard,
}

/// Shown in the refusal itself; the editor's own keys are ratatui-textarea's.
pub const REFUSAL_KEYS: &[Binding<RefusalIntent>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Enter), Key::Char('r')],
        shown: "Enter r",
        help: "put the link back and leave the editor",
        hint: Some("put it back"),
        intent: RefusalIntent::Restore,
        needs: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc), Key::Char('e')],
        shown: "Esc e",
        help: "keep editing",
        hint: Some("keep editing"),
        intent: RefusalIntent::KeepEditing,
        needs: None,
    },
    Binding {
        keys: &[Key::Char('x')],
        shown: "x",
        help: "discard your edits",
        hint: Some("discard edits"),
        intent: RefusalIntent::Discard,
        needs: None,
    },
];
