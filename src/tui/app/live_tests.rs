//! Live changes driven through `update`: rows appear and change by themselves, in the list's sort
//! and filter, never twice, and a stream that gave up says so.

use super::*;
use crate::api::{EventKind, Relationship};
use crate::client::ClientError;
use crate::tui::model::rows::CustomerRow;
use crossterm::event::KeyCode;

use crate::tui::testing::{
    app, code, ctrl, following_the_stream, ids, key, page, plain_rows, screen,
};

fn row(id: &str, name: &str) -> CustomerRow {
    let domain = format!("{}.example", name.to_lowercase().replace(' ', ""));
    CustomerRow::new(id, name, &domain, None, Relationship::Reseller, true)
}

fn created(row: CustomerRow) -> Action {
    Action::CustomerChanged {
        kind: EventKind::CustomerCreated,
        row,
    }
}

fn names(app: &App) -> Vec<String> {
    let rows = app.customers.rows();
    rows.visible()
        .iter()
        .filter_map(|&i| rows.get(i).map(|r| r.name().to_string()))
        .collect()
}

/// Signed in, with the list request's id; the stream follows (nothing loaded yet).
fn started() -> (App, RequestId) {
    following_the_stream(100, 16)
}

fn watches(commands: &[Command]) -> Vec<Option<i64>> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::WatchEvents { after } => Some(*after),
            _ => None,
        })
        .collect()
}

#[test]
fn the_stream_follows_from_the_event_at_which_the_first_page_was_read() {
    let (mut app, commands) = app(100, 16);
    assert!(watches(&commands).is_empty(), "not before the list is read");
    let (_, list) = ids(&commands);
    let list = list.unwrap_or(RequestId(0));
    // A stale load's position is no use.
    let stale = app.update(Action::ListReadAt {
        req: RequestId(999),
        after: Some(3),
    });
    assert!(watches(&stale).is_empty());
    let commands = app.update(Action::ListReadAt {
        req: list,
        after: Some(41),
    });
    assert_eq!(watches(&commands), [Some(41)]);
    // A reload reads the list again; the stream goes on as it is.
    let reload = app.update(ctrl('r'));
    let (_, again) = ids(&reload);
    let commands = app.update(Action::ListReadAt {
        req: again.unwrap_or(RequestId(0)),
        after: Some(57),
    });
    assert!(watches(&commands).is_empty(), "only one stream");
}

#[test]
fn a_new_customer_appears_in_name_order_with_a_note_and_no_key_press() {
    let (mut app, req) = started();
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(3), 3, false),
    });
    app.update(created(row("new", "Customer 0002a")));
    assert_eq!(
        names(&app),
        [
            "Customer 0001",
            "Customer 0002",
            "Customer 0002a",
            "Customer 0003"
        ]
    );
    let text = screen(&app);
    assert!(text.contains("New customer: Customer 0002a"), "{text}");
    assert!(text.contains("4 customers"), "{text}");
}

#[test]
fn a_new_customer_outside_the_filter_is_counted_but_not_shown() {
    let (mut app, req) = started();
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(3), 3, false),
    });
    app.update(key('/'));
    app.update(key('1'));
    app.update(code_enter());
    app.update(created(row("new", "Zeta Corp")));
    assert_eq!(names(&app), ["Customer 0001"]);
    app.update(created(row("new2", "Team 1 Ltd")));
    assert_eq!(names(&app), ["Customer 0001", "Team 1 Ltd"]);
    assert_eq!(app.customers.rows().len(), 5);
}

fn code_enter() -> Action {
    crate::tui::testing::code(crossterm::event::KeyCode::Enter)
}

#[test]
fn an_update_replaces_the_row_in_place_and_keeps_the_cursor_on_its_customer() {
    let (mut app, req) = started();
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(3), 3, false),
    });
    app.update(key('j'));
    let ended = CustomerRow::new(
        "id-0002",
        "Customer 0002",
        "customer0002.example",
        None,
        Relationship::None,
        false,
    );
    app.update(Action::CustomerChanged {
        kind: EventKind::CustomerUpdated,
        row: ended,
    });
    assert_eq!(app.customers.rows().len(), 3);
    let cursor = app.customers.selected().map(|l| l.row);
    assert_eq!(cursor, Some(1));
    let changed = app.customers.rows().get(1).map(|r| r.relationship);
    assert_eq!(changed, Some(Relationship::None));
    assert!(screen(&app).contains("Customer 0002 updated"));
}

#[test]
fn a_change_arriving_while_the_list_loads_is_not_added_twice_when_its_page_comes() {
    let (mut app, req) = started();
    let rows = plain_rows(4);
    app.update(Action::CustomersPage {
        req,
        page: page(rows[..2].to_vec(), 4, true),
    });
    // Customer 0004 changes before its page arrives; the page then carries it too.
    app.update(created(rows[3].clone()));
    app.update(Action::CustomersPage {
        req,
        page: page(rows[2..].to_vec(), 4, false),
    });
    assert_eq!(
        names(&app),
        [
            "Customer 0001",
            "Customer 0002",
            "Customer 0003",
            "Customer 0004"
        ]
    );
}

#[test]
fn a_page_that_skips_a_row_a_live_change_brought_keeps_every_row_findable() {
    let (mut app, req) = started();
    let rows = plain_rows(4);
    app.update(Action::CustomersPage {
        req,
        page: page(rows[..2].to_vec(), 4, true),
    });
    // The first row of the next page changes before that page arrives.
    app.update(created(rows[2].clone()));
    app.update(Action::CustomersPage {
        req,
        page: page(rows[2..].to_vec(), 4, false),
    });
    for n in ["0001", "0002", "0003", "0004"] {
        app.update(Action::Paste(n.into()));
        assert_eq!(names(&app), [format!("Customer {n}")], "filter {n}");
        app.update(code(KeyCode::Esc));
    }
}

#[test]
fn a_change_arriving_during_a_reload_survives_the_fresh_rows() {
    let (mut app, req) = started();
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(2), 2, false),
    });
    let commands = app.update(ctrl('r'));
    let (_, reload) = ids(&commands);
    // Created after the reload's first page was read: only the event knows it.
    app.update(created(row("new", "Aardvark")));
    app.update(Action::CustomersPage {
        req: reload.unwrap_or(RequestId(0)),
        page: page(plain_rows(2), 2, false),
    });
    assert_eq!(names(&app), ["Aardvark", "Customer 0001", "Customer 0002"]);
}

#[test]
fn a_stream_that_gave_up_says_so_and_ctrl_r_starts_it_again() {
    let (mut app, req) = started();
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(2), 2, false),
    });
    app.update(Action::LiveConnected);
    app.update(Action::LiveTrouble {
        error: ClientError::Decode {
            url: "http://127.0.0.1:8080/v1/events".into(),
            reason: "not JSON".into(),
        },
        ended: false,
    });
    assert_eq!(
        app.live(),
        &live::Live::Connected,
        "one unreadable event does not stop the stream"
    );
    app.update(Action::LiveTrouble {
        error: ClientError::Forbidden {
            description: "no".into(),
        },
        ended: true,
    });
    let text = screen(&app);
    assert!(text.contains("live updates stopped: not allowed"), "{text}");
    let commands = app.update(ctrl('r'));
    assert!(watches(&commands).is_empty(), "{commands:?}");
    let (_, reload) = ids(&commands);
    let commands = app.update(Action::ListReadAt {
        req: reload.unwrap_or(RequestId(0)),
        after: Some(7),
    });
    assert_eq!(
        watches(&commands),
        [Some(7)],
        "started again from the reload's read"
    );
    let again = app.update(ctrl('r'));
    let (_, reload) = ids(&again);
    let again = app.update(Action::ListReadAt {
        req: reload.unwrap_or(RequestId(0)),
        after: Some(8),
    });
    assert!(watches(&again).is_empty(), "only one stream");
}

#[test]
fn a_new_customer_above_the_cursor_at_the_top_of_the_list_is_shown_not_scrolled_away() {
    // More rows than the screen holds, so the view could scroll.
    let (mut app, req) = started();
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(50), 50, false),
    });
    app.update(created(row("first", "Aardvark Äpfel GmbH")));
    let text = screen(&app);
    // In the list itself, not only in the status note.
    assert!(text.contains("▸ Aardvark Äpfel GmbH"), "{text}");
    // The cursor stays on the customer it was on.
    let selected = app
        .customers
        .selected()
        .and_then(|line| app.customers.rows().get(line.row))
        .map(|r| r.name().to_string());
    assert_eq!(selected.as_deref(), Some("Customer 0001"));
}
