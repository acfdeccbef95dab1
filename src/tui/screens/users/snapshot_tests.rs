//! Screen snapshots of the users screen and its form, confirmation, picker and result panel, at
//! 100×30 and at 80×24. The `.snap` files are committed.

use crossterm::event::KeyCode;

use super::tests::{opened, user};
use super::{Added, CreateUser};
use crate::api::Role;
use crate::tui::testing::{answer, code, ctrl, key, screen};

/// The generated password differs each run: masked for the snapshot.
fn masked(text: String) -> String {
    const SHOWN: &str = "Temporary password: ";
    match text.find(SHOWN) {
        Some(at) => {
            let start = at + SHOWN.len();
            let end = text[start..]
                .char_indices()
                .nth(16)
                .map_or(text.len(), |(i, _)| start + i);
            format!("{}{}{}", &text[..start], "*".repeat(16), &text[end..])
        }
        None => text,
    }
}

#[test]
fn users_list() {
    insta::assert_snapshot!(screen(&opened(Role::GlobalAdmin, 100, 30)));
}

#[test]
fn users_list_80x24() {
    insta::assert_snapshot!(screen(&opened(Role::GlobalAdmin, 80, 24)));
}

#[test]
fn add_user_form_80x24() {
    let mut app = opened(Role::GlobalAdmin, 80, 24);
    app.update(key('n'));
    for c in "lena".chars() {
        app.update(key(c));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn result_panel_80x24() {
    let mut app = opened(Role::GlobalAdmin, 80, 24);
    app.update(key('n'));
    for c in "lena".chars() {
        app.update(key(c));
    }
    app.update(code(KeyCode::Tab));
    for c in "Lena".chars() {
        app.update(key(c));
    }
    let commands = app.update(ctrl('s'));
    let added = user("u-9", "Lena", "lena@customer0001.example", &[]);
    app.update(answer::<CreateUser>(&commands, Added(added)));
    insta::assert_snapshot!(masked(screen(&app)));
}

#[test]
fn remove_confirmation_80x24() {
    let mut app = opened(Role::GlobalAdmin, 80, 24);
    app.update(key('j'));
    app.update(key('x'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn license_picker() {
    let mut app = opened(Role::GlobalAdmin, 100, 30);
    app.update(key('l'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_for_a_sales_agent_greys_the_changes() {
    let mut app = opened(Role::SalesAgent, 100, 30);
    app.update(key('?'));
    insta::assert_snapshot!(screen(&app));
}
