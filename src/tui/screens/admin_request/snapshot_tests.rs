//! Snapshots of the request form and of the approval draft it leads to.

use crossterm::event::KeyCode;

use super::RequestAccess;
use super::tests::{add_global_admin, pending, ready};
use crate::api::Role;
use crate::tui::testing::{answer, code, ctrl, find_call, key, screen};

#[test]
fn snapshot_of_the_form_with_its_defaults() {
    insta::assert_snapshot!(screen(&ready(Role::AdminAgent)));
}

#[test]
fn snapshot_of_the_form_with_global_administrator_and_auto_extend_off() {
    let mut app = ready(Role::GlobalAdmin);
    add_global_admin(&mut app);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_of_the_role_picker() {
    let mut app = ready(Role::GlobalAdmin);
    for _ in 0..2 {
        app.update(code(KeyCode::Tab));
    }
    app.update(code(KeyCode::Enter));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_of_a_refused_duration() {
    let mut app = ready(Role::AdminAgent);
    for _ in 0..3 {
        app.update(code(KeyCode::Tab));
    }
    app.update(ctrl('u'));
    for c in "1000".chars() {
        app.update(key(c));
    }
    app.update(ctrl('s'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_of_the_approval_draft() {
    let mut app = ready(Role::AdminAgent);
    let commands = app.update(ctrl('s'));
    let (_, _, call) = find_call::<RequestAccess>(&commands).expect("sent");
    let answered = pending(call);
    app.update(answer::<RequestAccess>(&commands, answered));
    insta::assert_snapshot!(screen(&app));
}
