//! Screen snapshots of the customers list on ratatui's `TestBackend`, fed with the same actions the
//! loop would send. The `.snap` files are committed (insta does not write them when `CI=true`).

use crossterm::event::KeyCode;

use crate::api::Role;
use crate::client::ClientError;
use crate::tui::action::{Action, RequestId};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::testing::{
    app, code, ids, key, me, page, sample_detail, screen, showcase_rows, signed_in_with,
};

/// An app of `width`×`height` signed in as `role`, showing the showcase customers.
fn showcase(width: u16, height: u16, role: Role) -> App {
    signed_in_with(role, width, height, showcase_rows())
}

#[test]
fn customers_screen_shows_every_column_and_flags_removed_admin_permissions() {
    let app = showcase(100, 12, Role::GlobalAdmin);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn customers_screen_fits_an_80_column_terminal() {
    let app = showcase(80, 12, Role::GlobalAdmin);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn first_page_shows_rows_and_the_count_of_what_has_arrived() {
    let (mut app, commands) = app(100, 10);
    let (_, list_req) = ids(&commands);
    app.update(Action::CustomersPage {
        req: list_req.unwrap_or(RequestId(0)),
        page: page(crate::tui::testing::plain_rows(1200), 100_000, true),
    });
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn expanded_row_shows_account_services_users_and_licenses_in_place() {
    let mut app = showcase(100, 24, Role::GlobalAdmin);
    app.update(key('j'));
    let commands = app.update(code(KeyCode::Enter));
    let loading = screen(&app);
    assert!(loading.contains("loading account"), "{loading}");
    let Some(Command::LoadDetail { req, row, id }) = commands.into_iter().next() else {
        panic!("expanding asks for the detail");
    };
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(sample_detail()),
    });
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn expanded_row_that_failed_to_load_says_why() {
    let mut app = showcase(100, 12, Role::GlobalAdmin);
    let commands = app.update(code(KeyCode::Enter));
    let Some(Command::LoadDetail { req, row, id }) = commands.into_iter().next() else {
        panic!("expanding asks for the detail");
    };
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Err(ClientError::NotFound {
            description: "no such customer".into(),
        }),
    });
    let text = screen(&app);
    assert!(text.contains("not found: no such customer"), "{text}");
}

#[test]
fn help_lists_every_key_of_the_list() {
    let mut app = showcase(100, 24, Role::GlobalAdmin);
    app.update(key('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_greys_what_a_helpdesk_agent_may_not_do_and_says_who_may() {
    let mut app = showcase(120, 24, Role::HelpdeskAgent);
    app.update(key('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn too_small_terminal_says_what_size_is_needed() {
    let app = showcase(40, 6, Role::GlobalAdmin);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn tiny_terminals_draw_without_panicking() {
    for (w, h) in [(1, 1), (2, 1), (5, 2), (63, 30), (200, 6)] {
        let app = showcase(w, h, Role::GlobalAdmin);
        let _ = screen(&app);
    }
}

#[test]
fn cannot_reach_status_keeps_the_last_data_on_screen() {
    let mut app = showcase(100, 12, Role::GlobalAdmin);
    app.update(key('G'));
    let commands = app.update(crate::tui::testing::ctrl('r'));
    let (_, list_req) = ids(&commands);
    app.update(Action::CustomersFailed {
        req: list_req.unwrap_or(RequestId(0)),
        error: ClientError::Unreachable {
            url: "http://127.0.0.1:8080".into(),
            reason: "connection refused".into(),
        },
        resume: None,
    });
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn filter_being_typed_shows_in_the_status_line_with_the_matches() {
    let mut app = showcase(100, 12, Role::GlobalAdmin);
    app.update(key('/'));
    for c in "TOKYO".chars() {
        app.update(key(c));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn moving_the_cursor_one_row_rewrites_only_the_two_rows_that_changed() {
    let (mut app, commands) = app(120, 40);
    let (me_req, list_req) = ids(&commands);
    app.update(Action::MeLoaded {
        req: me_req.unwrap_or(RequestId(0)),
        result: Ok(me(Role::GlobalAdmin)),
    });
    app.update(Action::CustomersPage {
        req: list_req.unwrap_or(RequestId(0)),
        page: page(crate::tui::testing::plain_rows(500), 500, false),
    });
    app.update(key('j'));
    let Ok((full, moved)) = crate::tui::testing::terminal_bytes(&mut app, [key('j')]) else {
        panic!("drawing to memory cannot fail");
    };
    let percent = moved as f64 * 100.0 / full as f64;
    println!("cursor move: {moved} of {full} bytes ({percent:.1}%)");
    assert!(percent <= 8.0, "{moved} of {full} bytes ({percent:.1}%)");
    // Two rows of 120 cells, plus cursor moves and style changes: well under three rows' worth.
    assert!(moved < 3 * 120 * 4, "{moved} bytes");
}

#[test]
fn rejected_token_says_so_instead_of_showing_an_empty_list() {
    let (mut app, commands) = app(100, 8);
    let (me_req, list_req) = ids(&commands);
    let rejected = || ClientError::Unauthorized {
        description: "unknown token".into(),
    };
    app.update(Action::MeLoaded {
        req: me_req.unwrap_or(RequestId(0)),
        result: Err(rejected()),
    });
    app.update(Action::CustomersFailed {
        req: list_req.unwrap_or(RequestId(0)),
        error: rejected(),
        resume: None,
    });
    insta::assert_snapshot!(screen(&app));
}
