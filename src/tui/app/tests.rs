//! `update` driven by actions, as the loop would: state and returned commands are checked, nothing runs.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::*;
use crate::api::{Header, Link, Role};
use crate::client::ClientError;
use crate::tui::action::QuitReason;
use crate::tui::screens::customers::DetailState;
use crate::tui::testing::top_title;
use crate::tui::testing::{
    app, code, ctrl, ids, key, loaded, page, plain_rows, sample_detail, screen,
};
use crate::tui::theme::Tone;
use crate::tui::view;

fn unreachable() -> ClientError {
    ClientError::Unreachable {
        url: "http://127.0.0.1:8080".into(),
        reason: "connection refused".into(),
    }
}

fn selected_name(app: &App) -> Option<String> {
    let line = app.customers.selected()?;
    let row = app.customers.rows().get(line.row)?;
    Some(format!(
        "{}{}",
        row.name(),
        if line.is_row() { "" } else { " (detail)" }
    ))
}

fn detail_request(commands: &[Command]) -> Option<(RequestId, u32, String)> {
    commands.iter().find_map(|c| match c {
        Command::LoadDetail { req, row, id } => Some((*req, *row, id.clone())),
        _ => None,
    })
}

#[test]
fn start_asks_who_is_signed_in_and_for_the_first_page() {
    let (_app, commands) = app(100, 20);
    let (me_req, list_req) = ids(&commands);
    assert!(me_req.is_some());
    assert!(commands.contains(&Command::LoadCustomers {
        req: list_req.unwrap_or(RequestId(0)),
        from: None
    }));
}

#[test]
fn rows_appear_with_the_first_page_and_the_header_counts_what_has_arrived() {
    let (mut app, commands) = app(100, 20);
    let (_, list_req) = ids(&commands);
    let req = list_req.unwrap_or(RequestId(0));
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(1200), 100_000, true),
    });
    assert_eq!(app.customers.lines().len(), 1200);
    assert!(
        app.tick_interval().is_some(),
        "the spinner turns while loading"
    );
    let text = screen(&app);
    assert!(text.contains("1,200 of 100,000"), "{text}");
}

#[test]
fn pages_of_a_replaced_load_are_dropped() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    let old = RequestId(2);
    app.update(ctrl('r'));
    app.update(Action::CustomersPage {
        req: old,
        page: page(plain_rows(50), 50, false),
    });
    assert_eq!(app.customers.rows().len(), 3);
}

#[test]
fn j_k_g_and_shift_g_move_and_stop_at_the_ends() {
    let mut app = loaded(Role::GlobalAdmin, 5);
    app.update(key('k'));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0001"));
    app.update(key('j'));
    app.update(code(KeyCode::Down));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0003"));
    app.update(key('G'));
    app.update(key('j'));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0005"));
    app.update(key('g'));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0001"));
}

#[test]
fn expanding_asks_for_details_once_and_caches_them() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    let commands = app.update(code(KeyCode::Enter));
    let Some((req, row, id)) = detail_request(&commands) else {
        panic!("no detail request in {commands:?}");
    };
    assert_eq!(id, "id-0001");
    assert!(app.customers.is_expanded(row));
    assert_eq!(
        app.customers.lines().len(),
        4,
        "a loading line under the row"
    );
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(sample_detail()),
    });
    let detail_lines = sample_detail().lines.len();
    assert_eq!(app.customers.lines().len(), 3 + detail_lines);
    app.update(code(KeyCode::Left));
    assert_eq!(app.customers.lines().len(), 3);
    let again = app.update(code(KeyCode::Right));
    assert_eq!(detail_request(&again), None, "cached");
    assert_eq!(app.customers.lines().len(), 3 + detail_lines);
}

#[test]
fn moving_through_an_open_row_walks_its_details_and_left_goes_back_to_the_row() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    let commands = app.update(key('l'));
    let Some((req, row, id)) = detail_request(&commands) else {
        panic!("no detail request");
    };
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(sample_detail()),
    });
    app.update(key('l'));
    assert_eq!(
        selected_name(&app).as_deref(),
        Some("Customer 0001 (detail)")
    );
    app.update(key('j'));
    app.update(key('h'));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0001"));
    assert!(app.customers.is_expanded(row));
    app.update(key('h'));
    assert!(!app.customers.is_expanded(row));
    app.update(key('j'));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0002"));
}

#[test]
fn a_detail_nobody_waits_for_is_ignored() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    app.update(Action::DetailLoaded {
        req: RequestId(999),
        row: 0,
        id: "id-0001".into(),
        result: Ok(sample_detail()),
    });
    assert_eq!(app.customers.detail(0), None);
}

#[test]
fn filter_narrows_as_you_type_enter_keeps_it_and_esc_clears_it() {
    let mut app = loaded(Role::GlobalAdmin, 30);
    app.update(key('/'));
    for c in "0002".chars() {
        app.update(key(c));
    }
    assert_eq!(app.customers.lines().len(), 1);
    app.update(code(KeyCode::Backspace));
    assert_eq!(app.customers.lines().len(), 9, "0001..0009");
    app.update(code(KeyCode::Enter));
    assert!(app.customers.input().is_none());
    assert_eq!(app.customers.lines().len(), 9);
    app.update(key('j'));
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0002"));
    app.update(code(KeyCode::Esc));
    assert_eq!(app.customers.lines().len(), 30);
    assert!(!app.should_quit());
}

#[test]
fn q_types_into_the_filter_but_quits_from_the_list() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    app.update(key('/'));
    app.update(key('q'));
    assert!(!app.should_quit());
    assert_eq!(app.customers.input(), Some("q"));
    app.update(code(KeyCode::Esc));
    app.update(key('q'));
    assert!(app.should_quit());
}

#[test]
fn ctrl_c_quits_from_the_filter_and_from_the_help() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    app.update(key('/'));
    app.update(ctrl('c'));
    assert!(app.should_quit());
    let mut app = loaded(Role::GlobalAdmin, 3);
    app.update(key('?'));
    app.update(ctrl('c'));
    assert!(app.should_quit());
}

#[test]
fn help_opens_with_question_mark_and_esc_or_q_close_it_without_quitting() {
    let mut app = loaded(Role::GlobalAdmin, 3);
    app.update(key('?'));
    assert!(app.help().is_some());
    app.update(code(KeyCode::Esc));
    assert!(app.help().is_none());
    app.update(key('?'));
    app.update(key('q'));
    assert!(app.help().is_none());
    assert!(!app.should_quit());
}

#[test]
fn signals_and_closed_input_quit() {
    for reason in [
        QuitReason::HangUp,
        QuitReason::Terminated,
        QuitReason::InputClosed,
    ] {
        let mut app = loaded(Role::GlobalAdmin, 1);
        app.update(Action::Quit(reason));
        assert!(app.should_quit(), "{reason:?}");
    }
}

#[test]
fn an_unreachable_backend_keeps_the_rows_and_retries_from_the_failed_page() {
    let (mut app, commands) = app(100, 20);
    let (_, list_req) = ids(&commands);
    let req = list_req.unwrap_or(RequestId(0));
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(1000), 3000, true),
    });
    let resume = Link {
        uri: "/customers?size=1000&seekOperation=Next".into(),
        method: "GET".into(),
        headers: vec![Header {
            key: "MS-ContinuationToken".into(),
            value: "abc".into(),
        }],
    };
    let commands = app.update(Action::CustomersFailed {
        req,
        error: unreachable(),
        resume: Some(resume.clone()),
    });
    assert_eq!(commands, [Command::RetryAfter(Duration::from_secs(1))]);
    assert_eq!(app.customers.rows().len(), 1000, "the last data stays");
    let (status, _) = view::status_text(&app);
    assert_eq!(status, "cannot reach http://127.0.0.1:8080, retrying in 1s");
    let commands = app.update(Action::Retry);
    assert_eq!(
        commands,
        [Command::LoadCustomers {
            req,
            from: Some(resume)
        }]
    );
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(10), 3000, true),
    });
    assert_eq!(view::status_text(&app).0, "", "recovered");
}

#[test]
fn a_rejected_token_names_the_profile_and_is_not_retried() {
    let (mut app, commands) = app(100, 20);
    let (me_req, _) = ids(&commands);
    let commands = app.update(Action::MeLoaded {
        req: me_req.unwrap_or(RequestId(0)),
        result: Err(ClientError::Unauthorized {
            description: "unknown token".into(),
        }),
    });
    assert!(commands.is_empty());
    let (status, tone) = view::status_text(&app);
    assert!(
        status.starts_with("token rejected for profile global"),
        "{status}"
    );
    assert_eq!(tone, Tone::Bad);
}

#[test]
fn a_transient_detail_failure_keeps_loading_and_is_retried() {
    let mut app = loaded(Role::GlobalAdmin, 2);
    let commands = app.update(code(KeyCode::Enter));
    let Some((req, row, id)) = detail_request(&commands) else {
        panic!("no detail request");
    };
    let commands = app.update(Action::DetailLoaded {
        req,
        row,
        id: id.clone(),
        result: Err(unreachable()),
    });
    assert_eq!(commands, [Command::RetryAfter(Duration::from_secs(1))]);
    assert_eq!(app.customers.detail(row), Some(&DetailState::Loading(req)));
    assert_eq!(
        app.update(Action::Retry),
        [Command::LoadDetail { req, row, id }]
    );
}

#[test]
fn a_helpdesk_agent_pressing_r_or_n_is_told_which_roles_may() {
    let mut app = loaded(Role::HelpdeskAgent, 2);
    app.update(key('r'));
    let (status, tone) = view::status_text(&app);
    assert!(
        status.contains(
            "Helpdesk agents can't request relationships: ask a Global admin, an Admin agent or a Sales agent"
        ),
        "{status}"
    );
    assert_eq!(tone, Tone::Bad);
    app.update(key('n'));
    assert!(
        view::status_text(&app)
            .0
            .contains("Helpdesk agents can't add customers: ask a Global admin")
    );
    app.update(key('j'));
    assert_eq!(
        view::status_text(&app).0,
        "",
        "messages last until the next key"
    );
}

#[test]
fn s_cycles_the_sort_and_keeps_the_selected_customer_selected() {
    let mut app = loaded(Role::GlobalAdmin, 20);
    app.update(key('G'));
    app.update(key('s'));
    assert_eq!(app.customers.rows().sort().label(), "domain");
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0020"));
    app.update(key('s'));
    app.update(key('s'));
    assert_eq!(app.customers.rows().sort().label(), "name");
}

#[test]
fn reload_keeps_the_old_rows_until_the_new_first_page_and_keeps_the_cursor_customer() {
    let mut app = loaded(Role::GlobalAdmin, 10);
    app.update(key('j'));
    app.update(key('j'));
    let commands = app.update(ctrl('r'));
    let (_, list_req) = ids(&commands);
    let Some(req) = list_req else {
        panic!("no reload in {commands:?}");
    };
    assert_eq!(app.customers.rows().len(), 10);
    let mut fresh = plain_rows(10);
    fresh.remove(0);
    app.update(Action::CustomersPage {
        req,
        page: page(fresh, 9, false),
    });
    assert_eq!(app.customers.rows().len(), 9);
    assert_eq!(selected_name(&app).as_deref(), Some("Customer 0003"));
}

#[test]
fn nothing_ticks_when_idle() {
    let app = loaded(Role::GlobalAdmin, 10);
    assert_eq!(app.tick_interval(), None);
}

#[test]
fn a_slow_backend_is_reported_after_three_seconds_without_a_page() {
    let (mut app, commands) = app(100, 20);
    let (_, list_req) = ids(&commands);
    app.now += Duration::from_secs(2);
    app.update(Action::Tick);
    assert_eq!(view::status_text(&app).0, "");
    app.now += Duration::from_secs(2);
    app.update(Action::Tick);
    assert_eq!(
        view::status_text(&app).0,
        "waiting for http://127.0.0.1:8080… 4s"
    );
    app.update(Action::CustomersPage {
        req: list_req.unwrap_or(RequestId(0)),
        page: page(plain_rows(10), 10, false),
    });
    assert_eq!(view::status_text(&app).0, "", "the page arrived");
}

#[test]
fn while_waiting_to_retry_only_the_countdown_ticks() {
    let (mut app, commands) = app(100, 20);
    let (me_req, _) = ids(&commands);
    assert_eq!(app.tick_interval(), Some(SPINNER_TICK));
    app.update(Action::MeLoaded {
        req: me_req.unwrap_or(RequestId(0)),
        result: Err(unreachable()),
    });
    assert_eq!(app.tick_interval(), Some(COUNTDOWN_TICK));
}

#[test]
fn text_pasted_on_the_list_filters_and_is_never_run_as_keys() {
    let mut app = loaded(Role::GlobalAdmin, 30);
    // As keys, `q` would quit and `r` would open the draft.
    app.update(Action::Paste("customer 002\r\nq r".into()));
    assert!(!app.should_quit());
    assert_eq!(top_title(&app), "Customers");
    assert_eq!(app.customers.input(), Some("customer 002  q r"));
    app.update(Action::Paste(String::new()));
    app.update(code(KeyCode::Esc));
    app.update(Action::Paste("Customer 002".into()));
    assert_eq!(
        app.customers.progress().matching,
        Some(10),
        "Customer 0020 to 0029"
    );
}
