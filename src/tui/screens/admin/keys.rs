//! The admin relationships screen's keys, as the tables that drive the keys, `?` and the footer.
//! The bulk actions need `adminrelationships.manage`; for other roles they are greyed with why.

use crossterm::event::KeyCode;

use crate::api::Permission;
use crate::tui::keymap::{Binding, Key, bind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextView,
    PreviousView,
    View(usize),
    Filter,
    Mark,
    MarkAll,
    ClearMarks,
    AutoExtend,
    Terminate,
    RequestAgain,
    AssignGroup,
    CopyLink,
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
        needs: Some(Permission::AdminRelationshipsManage),
    }
}

pub const LIST_KEYS: &[Binding<Intent>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "next relationship",
        None,
        Intent::Down,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "previous relationship",
        None,
        Intent::Up,
    ),
    bind(
        &[Key::Code(KeyCode::PageDown)],
        "PgDn",
        "a page down",
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
        "first",
        None,
        Intent::Top,
    ),
    bind(
        &[Key::Char('G'), Key::Code(KeyCode::End)],
        "G",
        "last",
        None,
        Intent::Bottom,
    ),
    bind(
        &[Key::Code(KeyCode::Tab)],
        "Tab",
        "next view: all, expiring ≤30d, pending, expired, no admin access, no assignment",
        Some("view"),
        Intent::NextView,
    ),
    bind(
        &[Key::Code(KeyCode::BackTab)],
        "S-Tab",
        "previous view",
        None,
        Intent::PreviousView,
    ),
    bind(
        &[Key::Char('1')],
        "1",
        "view: all relationships",
        None,
        Intent::View(0),
    ),
    bind(
        &[Key::Char('2')],
        "2",
        "view: active, expiring within 30 days",
        None,
        Intent::View(1),
    ),
    bind(
        &[Key::Char('3')],
        "3",
        "view: pending approval (days of the link's 90)",
        None,
        Intent::View(2),
    ),
    bind(
        &[Key::Char('4')],
        "4",
        "view: expired",
        None,
        Intent::View(3),
    ),
    bind(
        &[Key::Char('5')],
        "5",
        "view: reseller customers without active admin access",
        None,
        Intent::View(4),
    ),
    bind(
        &[Key::Char('6')],
        "6",
        "view: active without any access assignment",
        None,
        Intent::View(5),
    ),
    bind(
        &[Key::Char('/')],
        "/",
        "filter by customer or relationship name as you type",
        Some("filter"),
        Intent::Filter,
    ),
    bind(
        &[Key::Char(' ')],
        "Space",
        "mark or unmark the relationship",
        Some("mark"),
        Intent::Mark,
    ),
    bind(
        &[Key::Char('a')],
        "a",
        "mark every relationship in the view",
        Some("all"),
        Intent::MarkAll,
    ),
    bind(
        &[Key::Char('c')],
        "c",
        "clear the marks",
        None,
        Intent::ClearMarks,
    ),
    manage(
        &[Key::Char('e')],
        "e",
        "marked: enable auto-extend (180 days; not with Global Administrator)",
        Some("auto-extend"),
        Intent::AutoExtend,
    ),
    manage(
        &[Key::Char('x')],
        "x",
        "marked: terminate (ends the partner's admin access)",
        Some("terminate"),
        Intent::Terminate,
    ),
    manage(
        &[Key::Char('r')],
        "r",
        "marked: request again (same roles; new approval links)",
        Some("request again"),
        Intent::RequestAgain,
    ),
    manage(
        &[Key::Char('s')],
        "s",
        "marked: assign a security group to chosen roles",
        Some("assign group"),
        Intent::AssignGroup,
    ),
    bind(
        &[Key::Char('y')],
        "y",
        "copy the approval link of the pending relationship",
        None,
        Intent::CopyLink,
    ),
    bind(
        &[Key::Ctrl('r')],
        "Ctrl-R",
        "reload every relationship",
        None,
        Intent::Reload,
    ),
];

/// While typing the filter.
pub const FILTER_KEYS: &[Binding<()>] = &[
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "keep the filter",
        Some("keep"),
        (),
    ),
    bind(
        &[Key::Code(KeyCode::Esc)],
        "Esc",
        "clear the filter",
        Some("clear"),
        (),
    ),
];

/// The confirmation's keys.
pub const CONFIRM_KEYS: &[Binding<()>] = &[
    bind(&[Key::Char('y')], "y", "send it", Some("send"), ()),
    bind(&[], "other keys", "cancel", Some("cancel"), ()),
];

/// The pickers' keys (the shared picker handles them).
pub const PICKER_KEYS: &[Binding<()>] = &[
    bind(&[Key::Char('j')], "j ↓ k ↑", "move", None, ()),
    bind(&[Key::Char(' ')], "Space", "mark a role", Some("mark"), ()),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter",
        "choose",
        Some("choose"),
        (),
    ),
    bind(
        &[Key::Code(KeyCode::Esc)],
        "Esc",
        "cancel",
        Some("cancel"),
        (),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultIntent {
    Down,
    Up,
    PageDown,
    PageUp,
    CopyLinks,
    Draft,
    Close,
}

pub const RESULT_KEYS: &[Binding<ResultIntent>] = &[
    bind(
        &[Key::Char('j'), Key::Code(KeyCode::Down)],
        "j ↓",
        "next row",
        None,
        ResultIntent::Down,
    ),
    bind(
        &[Key::Char('k'), Key::Code(KeyCode::Up)],
        "k ↑",
        "previous row",
        None,
        ResultIntent::Up,
    ),
    bind(
        &[Key::Code(KeyCode::PageDown)],
        "PgDn",
        "a page down",
        None,
        ResultIntent::PageDown,
    ),
    bind(
        &[Key::Code(KeyCode::PageUp)],
        "PgUp",
        "a page up",
        None,
        ResultIntent::PageUp,
    ),
    bind(
        &[Key::Char('y')],
        "y",
        "copy every new approval link, one per line with its customer",
        Some("copy links"),
        ResultIntent::CopyLinks,
    ),
    bind(
        &[Key::Char('d')],
        "d",
        "the approval email for the customer of the row under the cursor (y, Y, e, m, s there)",
        Some("draft"),
        ResultIntent::Draft,
    ),
    bind(
        &[Key::Code(KeyCode::Enter)],
        "Enter Esc",
        "close the results",
        Some("close"),
        ResultIntent::Close,
    ),
];
