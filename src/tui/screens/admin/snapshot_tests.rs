//! What the admin relationships screen shows, as `TestBackend` snapshots: the views, marks, a
//! bulk confirmation, the progress line and the per-row results.
#![allow(clippy::unwrap_used)]

use super::tests::{customers, page, showcase, wire};
use super::{BulkAnswer, LoadPage, SendBulk};
use crate::api::Role;
use crate::api::gdap::{BulkOutcome, BulkResult, RelationshipStatus};
use crate::tui::app::App;
use crate::tui::testing::{call_id, find_call, key, reply, screen, signed_in_with};

fn loaded(role: Role, w: u16, h: u16) -> App {
    let mut app = signed_in_with(role, w, h, customers());
    let commands = app.update(key('a'));
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    app
}

#[test]
fn all_relationships_with_marks() {
    let mut app = loaded(Role::AdminAgent, 120, 20);
    app.update(key('j'));
    app.update(key(' '));
    app.update(key(' '));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn fits_80_by_24() {
    let app = loaded(Role::GlobalAdmin, 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn each_view() {
    let mut app = loaded(Role::GlobalAdmin, 120, 16);
    let mut shots = String::new();
    for view in ['2', '3', '4', '5', '6'] {
        app.update(key(view));
        shots.push_str(&screen(&app));
        shots.push('\n');
    }
    insta::assert_snapshot!(shots);
}

#[test]
fn help_for_a_helpdesk_agent_greys_the_bulk_actions() {
    let mut app = loaded(Role::HelpdeskAgent, 100, 40);
    app.update(key('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn bulk_confirmation_lists_what_happens_and_what_is_skipped() {
    let mut app = loaded(Role::AdminAgent, 120, 24);
    app.update(key('a'));
    app.update(key('e'));
    insta::assert_snapshot!(screen(&app));
}

/// 2,500 active relationships, all marked, terminate confirmed: the first of three requests.
fn terminating() -> (App, Vec<crate::tui::command::Command>) {
    let mut app = signed_in_with(Role::GlobalAdmin, 100, 16, customers());
    let commands = app.update(key('a'));
    let wires: Vec<_> = (0..2500)
        .map(|i| wire(&format!("r-{i:05}"), i % 9 + 1, RelationshipStatus::Active))
        .collect();
    app.update(reply(call_id::<LoadPage>(&commands), page(&wires, None)));
    app.update(key('a'));
    app.update(key('x'));
    let commands = app.update(key('y'));
    (app, commands)
}

fn answer_all(call: &SendBulk, fail_every: usize) -> BulkAnswer {
    let results = call
        .request
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let failed = fail_every > 0 && i % fail_every == 0;
            BulkResult {
                id: item.id.clone(),
                outcome: if failed {
                    BulkOutcome::Failed
                } else {
                    BulkOutcome::Succeeded
                },
                status: if failed { 412 } else { 201 },
                message: failed.then(|| "changed by someone else since it was read".into()),
                relationship: None,
            }
        })
        .collect();
    BulkAnswer {
        results,
        rels: Vec::new(),
    }
}

#[test]
fn the_progress_line_counts_while_the_list_stays_usable() {
    let (mut app, commands) = terminating();
    let (req, _, call) = find_call::<SendBulk>(&commands).unwrap();
    let answer = answer_all(call, 0);
    let commands = app.update(reply(req, answer));
    assert!(find_call::<SendBulk>(&commands).is_some());
    app.update(key('j'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn results_per_row_after_every_request() {
    let (mut app, mut commands) = terminating();
    while let Some((req, _, call)) = find_call::<SendBulk>(&commands) {
        let answer = answer_all(call, 400);
        commands = app.update(reply(req, answer));
    }
    insta::assert_snapshot!(screen(&app));
}
