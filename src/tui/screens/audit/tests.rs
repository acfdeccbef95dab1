//! The audit screen driven through the app as the loop would: keys in, calls out, the backend's
//! pages given back as replies; what the user sees as snapshots.
#![allow(clippy::unwrap_used)]

use crossterm::event::KeyCode;

use super::{AuditScreen, LoadAudit, Range};
use crate::api::{
    Attributes, AuditRecord, Collection, EventKind, Header, Link, Links, Relationship, Role,
};
use crate::client::ClientError;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::rows::CustomerRow;
use crate::tui::testing::{
    code, ctrl, find_call, key, plain_rows, refuse, reply, screen, signed_in_with, top_title,
};

fn record(id: i64) -> AuditRecord {
    let customer = format!("Customer {:04}", id % 7 + 1);
    AuditRecord {
        id,
        agent_id: "agent-1".into(),
        agent: "Ada Lovelace".into(),
        customer_id: format!("id-{:04}", id % 7 + 1),
        customer_name: customer,
        operation_type: if id % 2 == 0 {
            "endRelationship"
        } else {
            "reinstateRelationship"
        }
        .into(),
        operation_date: format!("2026-12-01T{:02}:{:02}:00Z", 10 + id / 60 % 10, id % 60),
        resource_type: "customer".into(),
        before: if id % 2 == 0 {
            "relationshipToPartner reseller"
        } else {
            "relationshipToPartner none"
        }
        .into(),
        after: if id % 2 == 0 {
            "relationshipToPartner none"
        } else {
            "relationshipToPartner reseller"
        }
        .into(),
        details: String::new(),
    }
}

/// A page of records `from` down to `from - n + 1` (newest first), with a next link when `more`.
fn page(from: i64, n: i64, total: u64, more: bool) -> Collection<AuditRecord> {
    let next = more.then(|| Link {
        uri: "/auditrecords?size=100&seekOperation=Next".into(),
        method: "GET".into(),
        headers: vec![Header {
            key: "MS-ContinuationToken".into(),
            value: format!("after-{}", from - n + 1),
        }],
    });
    Collection {
        total_count: total,
        items: (0..n).map(|i| record(from - i)).collect(),
        links: Links { next },
        attributes: Attributes::collection(),
    }
}

/// The audit calls among `commands`.
fn audit_calls(commands: &[Command]) -> Vec<(crate::tui::action::RequestId, LoadAudit)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Call { req, call } => call.get::<LoadAudit>().map(|l| (*req, l.clone())),
            _ => None,
        })
        .collect()
}

/// Signed in as `role` at `w`×`h` with the audit screen opened by `A` and its first call.
fn opened(role: Role, w: u16, h: u16) -> (App, Vec<Command>) {
    let mut app = signed_in_with(role, w, h, plain_rows(5));
    app.update(key('j'));
    let commands = app.update(key('A'));
    (app, commands)
}

fn audit(app: &App) -> &AuditScreen {
    app.screen::<AuditScreen>().unwrap()
}

#[test]
fn a_opens_the_newest_records_with_who_what_and_before_after() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 120, 14);
    assert_eq!(top_title(&app), "Audit log");
    let (req, call) = audit_calls(&commands).remove(0);
    assert_eq!(
        call,
        LoadAudit {
            customer_id: None,
            range: Range::All,
            next: None,
        }
    );
    app.update(reply(req, page(240, 100, 240, true)));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_audit_screen_fits_80_by_24() {
    let (mut app, commands) = opened(Role::AdminAgent, 80, 24);
    let (req, _) = audit_calls(&commands).remove(0);
    app.update(reply(req, page(12, 12, 12, false)));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn scrolling_near_the_end_loads_the_next_page_once_and_appends_it() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 100, 20);
    let (req, _) = audit_calls(&commands).remove(0);
    app.update(reply(req, page(150, 100, 150, true)));
    assert_eq!(audit(&app).lines.len(), 100);
    // Far from the end: nothing more is asked for.
    let commands = app.update(key('j'));
    assert!(audit_calls(&commands).is_empty());
    let mut asked = Vec::new();
    for _ in 0..6 {
        asked.extend(audit_calls(&app.update(code(KeyCode::PageDown))));
    }
    assert_eq!(
        asked.len(),
        1,
        "one page asked for, however many keys: {asked:?}"
    );
    let (req, call) = asked.remove(0);
    assert_eq!(call.next.unwrap().headers[0].value, "after-51");
    app.update(reply(req, page(50, 50, 150, false)));
    let s = audit(&app);
    assert_eq!(s.lines.len(), 150);
    let ids: Vec<i64> = s.lines.iter().map(|l| l.id).collect();
    assert_eq!(
        ids,
        (1..=150).rev().collect::<Vec<_>>(),
        "newest first, each once"
    );
    // At the end with nothing more: no call.
    assert!(audit_calls(&app.update(key('G'))).is_empty());
    assert!(
        crate::tui::screens::Screen::status(audit(&app))
            .unwrap()
            .0
            .starts_with("150 of 150")
    );
}

#[test]
fn c_narrows_to_the_customer_under_the_lists_cursor_and_f_steps_the_time_range() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 100, 20);
    let (req, _) = audit_calls(&commands).remove(0);
    app.update(reply(req, page(10, 10, 10, false)));
    let (_, call) = audit_calls(&app.update(key('c'))).remove(0);
    assert_eq!(
        call.customer_id.as_deref(),
        Some("id-0002"),
        "row 2 was under the cursor"
    );
    let (_, call) = audit_calls(&app.update(key('f'))).remove(0);
    assert_eq!(
        (call.customer_id.as_deref(), call.range),
        (Some("id-0002"), Range::Day)
    );
    let (req, call) = audit_calls(&app.update(key('f'))).remove(0);
    assert_eq!(call.range, Range::Week);
    app.update(reply(req, page(3, 1, 1, false)));
    assert!(
        screen(&app).contains("Audit log · Customer 0002 · last 7 days"),
        "{}",
        screen(&app)
    );
    let (_, call) = audit_calls(&app.update(key('c'))).remove(0);
    assert_eq!(call.customer_id, None, "c again: every customer");
    // Typed: C, the id, Enter.
    app.update(key('C'));
    for c in "id-0005".chars() {
        app.update(key(c));
    }
    let (_, call) = audit_calls(&app.update(code(KeyCode::Enter))).remove(0);
    assert_eq!(call.customer_id.as_deref(), Some("id-0005"));
}

#[test]
fn enter_shows_a_record_in_full_wrapped_and_esc_goes_back() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 64, 16);
    let (req, _) = audit_calls(&commands).remove(0);
    let mut long = page(2, 2, 2, false);
    long.items[0].details =
        "a long note that cannot fit one line of a narrow terminal, so it wraps \
                             onto the next lines instead of being cut"
            .into();
    app.update(reply(req, long));
    app.update(code(KeyCode::Enter));
    insta::assert_snapshot!(screen(&app));
    app.update(code(KeyCode::Esc));
    assert_eq!(
        top_title(&app),
        "Audit log",
        "Esc leaves the record, not the log"
    );
    assert!(!audit(&app).detail);
}

#[test]
fn backend_strings_are_sanitized_before_they_are_drawn() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 120, 10);
    let (req, _) = audit_calls(&commands).remove(0);
    let mut evil = page(1, 1, 1, false);
    evil.items[0].agent = "Mallory\u{202e}nimda\u{1b}[2J".into();
    evil.items[0].after = "none\u{200b}\u{7}".into();
    app.update(reply(req, evil));
    let line = &audit(&app).lines[0];
    assert!(
        !line.agent.contains('\u{202e}') && !line.agent.contains('\u{1b}'),
        "{:?}",
        line.agent
    );
    assert!(
        !line.after.contains('\u{200b}') && !line.after.contains('\u{7}'),
        "{:?}",
        line.after
    );
}

#[test]
fn a_live_change_says_new_records_and_ctrl_r_loads_the_newest() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 100, 20);
    let (req, _) = audit_calls(&commands).remove(0);
    app.update(reply(req, page(5, 5, 5, false)));
    let row = CustomerRow::new(
        "id-0003",
        "Customer 0003",
        "c3.example",
        None,
        Relationship::None,
        false,
    );
    app.update(Action::CustomerChanged {
        kind: EventKind::CustomerUpdated,
        row,
    });
    assert!(audit(&app).stale, "heard of the change");
    assert!(
        screen(&app).contains("new records — Ctrl-R"),
        "{}",
        screen(&app)
    );
    let (req, call) = audit_calls(&app.update(ctrl('r'))).remove(0);
    assert_eq!(call.next, None, "from the newest");
    app.update(reply(req, page(6, 6, 6, false)));
    assert!(!screen(&app).contains("new records"));
    assert_eq!(audit(&app).lines[0].id, 6);
}

#[test]
fn a_failed_page_says_why_and_ctrl_r_tries_again() {
    let (mut app, commands) = opened(Role::GlobalAdmin, 100, 12);
    let error = ClientError::NotFound {
        description: "no customer id-9999".into(),
    };
    app.update(refuse::<LoadAudit>(&commands, error));
    let _ = find_call::<LoadAudit>(&commands).unwrap();
    let drawn = screen(&app);
    assert!(drawn.contains("Ctrl-R tries again"), "{drawn}");
    assert_eq!(audit_calls(&app.update(ctrl('r'))).len(), 1);
}

#[test]
fn sales_and_helpdesk_agents_are_told_who_may_and_help_greys_a() {
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let mut app = signed_in_with(role, 100, 40, plain_rows(3));
        let commands = app.update(key('A'));
        assert!(audit_calls(&commands).is_empty(), "no call for {role}");
        assert_eq!(top_title(&app), "Customers");
        let flash = app.flash().unwrap().text.clone();
        assert!(
            flash.contains("ask a Global admin or an Admin agent"),
            "{flash}"
        );
        let help = app.help_entries();
        let a = help.iter().find(|e| e.keys == "A").unwrap();
        assert!(
            a.denied
                .as_deref()
                .unwrap()
                .contains("ask a Global admin or an Admin agent"),
            "{a:?}"
        );
    }
}
