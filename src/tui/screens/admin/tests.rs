//! The admin relationships screen: views, marks and bulk plans as pure logic, and the screen
//! driven through the app as the loop would (keys in, calls out, answers given back).
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use crossterm::event::KeyCode;

use super::bulk::{Kind, Plan, Run};
use super::list::{AdminList, Item, View};
use super::rel::Rel;
use super::{AdminScreen, BulkAnswer, LoadPage, Page, RefreshCustomers, Refreshed, SendBulk};
use crate::api::gdap::roles::{DIRECTORY_READERS, GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR};
use crate::api::gdap::{
    AccessDetails, AdminRelationship, BulkOutcome, BulkResult, MAX_BULK_ITEMS,
    RelationshipCustomer, RelationshipStatus,
};
use crate::api::{EventKind, Relationship, Role};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::rows::CustomerRow;
use crate::tui::testing::{call_id, code, find_call, key, reply, signed_in_with};

/// 2026-12-02T00:00:00Z, the clock of these tests.
pub const NOW: i64 = 1_796_169_600;
const DAY: i64 = 86_400;

fn rfc(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A relationship `id` of customer `n` (tenant `t-n`, "Customer n").
pub fn wire(id: &str, n: usize, status: RelationshipStatus) -> AdminRelationship {
    AdminRelationship {
        etag: format!("W/\"{id}-1\""),
        id: id.into(),
        display_name: format!("Helpdesk {id}"),
        duration: "P730D".into(),
        auto_extend_duration: "PT0S".into(),
        customer: RelationshipCustomer {
            tenant_id: format!("t-{n:04}"),
            display_name: format!("Customer {n:04}"),
        },
        access_details: AccessDetails::of(&[DIRECTORY_READERS, HELPDESK_ADMINISTRATOR]),
        status,
        created_date_time: rfc(NOW - 400 * DAY),
        activated_date_time: Some(rfc(NOW - 399 * DAY)),
        end_date_time: Some(rfc(NOW + 331 * DAY)),
        last_modified_date_time: rfc(NOW - 399 * DAY),
        approval_url: None,
        locked_date_time: Some(rfc(NOW - 400 * DAY)),
        access_assignment_count: 1,
    }
}

pub fn ending_in(mut r: AdminRelationship, days: i64) -> AdminRelationship {
    r.end_date_time = Some(rfc(NOW + days * DAY + 3600));
    r
}

pub fn pending_for(mut r: AdminRelationship, days: i64) -> AdminRelationship {
    r.status = RelationshipStatus::ApprovalPending;
    r.activated_date_time = None;
    r.end_date_time = None;
    r.locked_date_time = Some(rfc(NOW - days * DAY - 60));
    r.approval_url = Some(format!(
        "http://127.0.0.1:8080/admin-approval/code-{}",
        r.id
    ));
    r
}

pub fn with_global_admin(mut r: AdminRelationship) -> AdminRelationship {
    r.access_details = AccessDetails::of(&[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR]);
    r
}

/// A mix of every kind, in the backend's order (by end date, none last).
pub fn showcase() -> Vec<AdminRelationship> {
    let mut expired = ending_in(wire("r-exp", 4, RelationshipStatus::Expired), -12);
    expired.display_name = "Full admin 2024".into();
    let mut bare = ending_in(wire("r-bare", 5, RelationshipStatus::Active), 200);
    bare.access_assignment_count = 0;
    let mut auto = ending_in(wire("r-auto", 6, RelationshipStatus::Active), 412);
    auto.auto_extend_duration = "P180D".into();
    vec![
        expired,
        ending_in(wire("r-soon", 1, RelationshipStatus::Active), 6),
        with_global_admin(ending_in(wire("r-ga", 2, RelationshipStatus::Active), 25)),
        bare,
        auto,
        pending_for(wire("r-new", 3, RelationshipStatus::Active), 2),
        pending_for(wire("r-old", 7, RelationshipStatus::Active), 85),
    ]
}

pub fn rels(wires: &[AdminRelationship]) -> Vec<Rel> {
    wires.iter().map(Rel::of).collect()
}

pub fn page(wires: &[AdminRelationship], next: Option<&str>) -> Page {
    Page {
        rels: rels(wires),
        next: next.map(String::from),
        read_at_secs: NOW,
    }
}

/// Customers 1..=8 as the list holds them, all resellers: 3 and 7 wait for approval, 4's
/// expired, 8 has no relationship at all.
pub fn customers() -> Vec<CustomerRow> {
    (1..=8)
        .map(|n| {
            CustomerRow::new(
                &format!("id-{n:04}"),
                &format!("Customer {n:04}"),
                &format!("customer{n:04}.example"),
                None,
                Relationship::Reseller,
                true,
            )
            .with_tenant(&format!("t-{n:04}"))
        })
        .collect()
}

fn list() -> AdminList {
    let mut l = AdminList::new(NOW);
    l.set_customers(customers().iter());
    l.replace(rels(&showcase()));
    l.all_loaded = true;
    l.rebuild();
    l
}

fn ids(l: &AdminList) -> Vec<String> {
    l.shown()
        .iter()
        .map(|item| match item {
            Item::Rel(i) => l.rels()[*i].id.to_string(),
            Item::Customer(g) => format!("customer {}", l.gaps()[*g].name),
        })
        .collect()
}

#[test]
fn each_view_picks_out_what_needs_care() {
    let mut l = list();
    assert_eq!(ids(&l).len(), 7);
    l.set_view(View::Expiring);
    assert_eq!(ids(&l), ["r-soon", "r-ga"]);
    l.set_view(View::Pending);
    assert_eq!(ids(&l), ["r-new", "r-old"]);
    l.set_view(View::Expired);
    assert_eq!(ids(&l), ["r-exp"]);
    l.set_view(View::NoAssignment);
    assert_eq!(ids(&l), ["r-bare"]);
    l.set_view(View::NoAdmin);
    // Customer 3 and 7 wait for approval, 4 expired (each with its relationship), 8 has none.
    assert_eq!(
        ids(&l),
        ["r-new", "r-exp", "r-old", "customer Customer 0008"]
    );
    assert_eq!(l.count(View::All), 7);
    assert_eq!(l.count(View::Expiring), 2);
    assert_eq!(l.count(View::NoAdmin), 4);
}

#[test]
fn pending_shows_the_links_age_against_its_90_days() {
    let l = list();
    let old = l.rels().iter().find(|r| &*r.id == "r-old").unwrap();
    assert_eq!(old.status_text(NOW), "pending 85d/90");
    let soon = l.rels().iter().find(|r| &*r.id == "r-soon").unwrap();
    assert_eq!(soon.status_text(NOW), "expiring");
    assert_eq!(soon.days_text(NOW), "6d left");
    let expired = l.rels().iter().find(|r| &*r.id == "r-exp").unwrap();
    assert_eq!(expired.days_text(NOW), "12d ago");
}

#[test]
fn the_filter_narrows_by_customer_or_name_and_keeps_the_view() {
    let mut l = list();
    l.set_filter("customer 0002");
    assert_eq!(ids(&l), ["r-ga"]);
    l.set_filter("FULL ADMIN");
    assert_eq!(ids(&l), ["r-exp"]);
    l.set_view(View::Pending);
    assert!(ids(&l).is_empty());
}

#[test]
fn marks_toggle_mark_the_view_clear_and_survive_a_refresh() {
    let mut l = list();
    l.set_view(View::Expiring);
    assert_eq!(l.mark_all_in_view(), 2);
    l.set_view(View::All);
    l.toggle_mark().unwrap(); // r-exp, first in the order
    assert_eq!(l.marked_count(), 3);
    l.toggle_mark().unwrap();
    assert_eq!(l.marked_count(), 2);
    let tenants: HashSet<String> = ["t-0001".to_string()].into();
    l.replace_customers(
        &tenants,
        rels(&[ending_in(wire("r-soon", 1, RelationshipStatus::Active), 5)]),
    );
    assert!(l.is_marked("r-soon"));
    l.clear_marks();
    assert_eq!(l.marked_count(), 0);
    // A customer without any relationship can't be marked, and says why.
    l.set_view(View::NoAdmin);
    l.move_by(isize::MAX / 2);
    assert!(l.toggle_mark().unwrap_err().contains("d on the list"));
}

#[test]
fn auto_extend_skips_global_administrator_and_says_so_before_sending() {
    let l = list();
    let all: Vec<&Rel> = l.rels().iter().collect();
    let plan = Plan::new(Kind::AutoExtend, &all);
    let skipped: Vec<&str> = plan.skipped.iter().map(|(t, _)| t.id.as_str()).collect();
    assert_eq!(skipped, ["r-exp", "r-ga", "r-auto"]);
    assert!(plan.skipped[1].1.contains("Global Administrator"));
    assert!(plan.consequence().contains("Global Administrator"));
    assert_eq!(plan.send.len(), 4);
}

#[test]
fn bulk_requests_carry_etags_and_at_most_the_bulk_limit() {
    let wires: Vec<AdminRelationship> = (0..2500)
        .map(|i| wire(&format!("r-{i:05}"), i, RelationshipStatus::Active))
        .collect();
    let all = rels(&wires);
    let refs: Vec<&Rel> = all.iter().collect();
    let plan = Plan::new(Kind::Terminate, &refs);
    let requests = plan.requests();
    assert_eq!(
        requests.iter().map(|r| r.items.len()).collect::<Vec<_>>(),
        [MAX_BULK_ITEMS, MAX_BULK_ITEMS, 500]
    );
    assert_eq!(
        requests[0].items[0].etag.as_deref(),
        Some("W/\"r-00000-1\"")
    );
    assert!(plan.subject().contains("3 requests"));
}

#[test]
fn a_run_gives_a_result_per_row_and_a_failed_request_fails_its_rows() {
    let wires: Vec<AdminRelationship> = (0..1001)
        .map(|i| wire(&format!("r-{i:05}"), i, RelationshipStatus::Active))
        .collect();
    let all = rels(&wires);
    let refs: Vec<&Rel> = all.iter().collect();
    let mut run = Run::new(Plan::new(Kind::AutoExtend, &refs));
    let first: Vec<BulkResult> = run.pending[0]
        .items
        .iter()
        .map(|i| BulkResult {
            id: i.id.clone(),
            outcome: BulkOutcome::Succeeded,
            status: 200,
            message: None,
            relationship: None,
        })
        .collect();
    run.answered(&first);
    assert_eq!(run.done, 1000);
    run.request_failed("the backend is unreachable");
    assert!(run.is_finished());
    assert_eq!(run.tally(), "succeeded 1,000 · skipped 0 · failed 1");
    assert_eq!(
        run.results[1000].message.as_deref(),
        Some("the backend is unreachable")
    );
}

// ---- through the app ----

fn opened(role: Role) -> (App, Vec<Command>) {
    let mut app = signed_in_with(role, 120, 24, customers());
    let commands = app.update(key('a'));
    (app, commands)
}

pub fn admin(app: &App) -> &AdminScreen {
    app.screen::<AdminScreen>().unwrap()
}

#[test]
fn a_opens_for_every_role_and_streams_every_page() {
    let (mut app, commands) = opened(Role::SalesAgent);
    let (req, _, call) = find_call::<LoadPage>(&commands).unwrap();
    assert_eq!(call.next, None);
    let all = showcase();
    let commands = app.update(reply(req, page(&all[..3], Some("/v1/next?$skiptoken=x"))));
    assert_eq!(admin(&app).list.rels().len(), 3);
    let (req, _, call) = find_call::<LoadPage>(&commands).unwrap();
    assert_eq!(call.next.as_deref(), Some("/v1/next?$skiptoken=x"));
    // Responsive while the rest streams in: keys move the cursor.
    app.update(key('j'));
    assert_eq!(admin(&app).list.cursor, 1);
    let commands = app.update(reply(req, page(&all[3..], None)));
    assert!(find_call::<LoadPage>(&commands).is_none());
    assert_eq!(admin(&app).list.rels().len(), 7);
    assert!(admin(&app).complete);
}

#[test]
fn a_sales_agent_is_told_why_bulk_actions_are_not_theirs() {
    let (mut app, commands) = opened(Role::SalesAgent);
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    app.update(key(' '));
    let commands = app.update(key('e'));
    assert!(find_call::<SendBulk>(&commands).is_none());
    let note = admin(&app).note.clone().unwrap().0;
    assert!(
        note.contains("ask a Global admin or an Admin agent"),
        "{note}"
    );
}

#[test]
fn a_bulk_auto_extend_sends_after_y_and_shows_results() {
    let (mut app, commands) = opened(Role::AdminAgent);
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    app.update(key('a'));
    app.update(key('e'));
    let commands = app.update(key('y'));
    let (req, _, call) = find_call::<SendBulk>(&commands).unwrap();
    assert_eq!(call.request.items.len(), 4);
    let results = call
        .request
        .items
        .iter()
        .map(|i| BulkResult {
            id: i.id.clone(),
            outcome: BulkOutcome::Succeeded,
            status: 200,
            message: None,
            relationship: None,
        })
        .collect();
    app.update(reply(
        req,
        BulkAnswer {
            results,
            rels: Vec::new(),
        },
    ));
    let s = admin(&app);
    match &s.mode {
        super::Mode::Results { run, .. } => {
            assert_eq!(run.tally(), "succeeded 4 · skipped 3 · failed 0")
        }
        other => panic!("{other:?}"),
    }
    app.update(code(KeyCode::Esc));
    assert!(matches!(admin(&app).mode, super::Mode::List));
}

fn live(app: &mut App, n: usize) -> Vec<Command> {
    let row = customers().remove(n - 1);
    app.update(crate::tui::action::Action::CustomerChanged {
        kind: EventKind::AdminRelationshipUpdated,
        row,
    })
}

#[test]
fn live_events_refresh_their_customers_coalesced() {
    let (mut app, commands) = opened(Role::GlobalAdmin);
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    let commands = live(&mut app, 1);
    let (req, _, call) = find_call::<RefreshCustomers>(&commands).unwrap();
    assert_eq!(call.tenants, ["t-0001"]);
    // More events while it is on its way: one refresh for all of them after it.
    for n in [2, 3, 2, 5] {
        assert!(find_call::<RefreshCustomers>(&live(&mut app, n)).is_none());
    }
    let fresh = Refreshed {
        tenants: vec!["t-0001".into()],
        rels: rels(&[ending_in(
            wire("r-soon", 1, RelationshipStatus::Active),
            190,
        )]),
        read_at_secs: NOW,
    };
    let commands = app.update(reply(req, fresh));
    let (_, _, call) = find_call::<RefreshCustomers>(&commands).unwrap();
    assert_eq!(call.tenants, ["t-0002", "t-0003", "t-0005"]);
    let soon = admin(&app)
        .list
        .rels()
        .iter()
        .find(|r| &*r.id == "r-soon")
        .unwrap();
    assert_eq!(soon.days_text(NOW), "190d left");
}

#[test]
fn assign_group_picks_a_group_then_roles_the_marked_grant() {
    let (mut app, commands) = opened(Role::GlobalAdmin);
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    app.update(key('2')); // expiring: r-soon and r-ga (which also grants Global Administrator)
    app.update(key('a'));
    let commands = app.update(key('s'));
    let groups = super::Groups(vec![
        crate::api::gdap::SecurityGroup {
            id: "g-1".into(),
            display_name: "Helpdesk Agents".into(),
        },
        crate::api::gdap::SecurityGroup {
            id: "g-2".into(),
            display_name: "Exchange Admins".into(),
        },
    ]);
    app.update(reply(call_id::<super::LoadGroups>(&commands), groups));
    app.update(code(KeyCode::Enter)); // Helpdesk Agents
    match &admin(&app).mode {
        super::Mode::PickRoles { roles, .. } => {
            assert_eq!(
                roles,
                &[
                    DIRECTORY_READERS,
                    HELPDESK_ADMINISTRATOR,
                    GLOBAL_ADMINISTRATOR
                ]
            )
        }
        other => panic!("{other:?}"),
    }
    app.update(key('j'));
    app.update(key(' ')); // Helpdesk Administrator
    app.update(code(KeyCode::Enter));
    let commands = app.update(key('y'));
    let (_, _, call) = find_call::<SendBulk>(&commands).unwrap();
    assert_eq!(
        call.request.action,
        crate::api::gdap::BulkAction::AssignSecurityGroup {
            security_group_id: "g-1".into(),
            roles: vec![HELPDESK_ADMINISTRATOR.into()],
        }
    );
    // r-ga grants no Helpdesk Administrator: skipped before sending.
    assert_eq!(call.request.items.len(), 1);
    assert_eq!(call.request.items[0].id, "r-soon");
}

#[test]
fn request_again_lists_the_new_links_to_copy_at_once() {
    let (mut app, commands) = opened(Role::AdminAgent);
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    app.update(key('4')); // expired: r-exp
    app.update(key(' '));
    app.update(key('r'));
    let commands = app.update(key('y'));
    let (req, _, call) = find_call::<SendBulk>(&commands).unwrap();
    assert_eq!(call.request.items[0].id, "r-exp");
    let new = pending_for(wire("r-again", 4, RelationshipStatus::Active), 0);
    let answer = BulkAnswer {
        results: vec![BulkResult {
            id: "r-exp".into(),
            outcome: BulkOutcome::Succeeded,
            status: 201,
            message: None,
            relationship: Some(new.clone()),
        }],
        rels: rels(&[new]),
    };
    app.update(reply(req, answer));
    let commands = app.update(key('y'));
    let copied = commands.iter().find_map(|c| match c {
        Command::Copy { text, .. } => Some(text.clone()),
        _ => None,
    });
    assert_eq!(
        copied.as_deref(),
        Some("Customer 0004: http://127.0.0.1:8080/admin-approval/code-r-again")
    );
    // One approval email per customer: d drafts it for the row under the cursor.
    app.update(key('d'));
    let draft = app
        .screen::<crate::tui::screens::invitation::InvitationScreen>()
        .unwrap();
    let words = draft.approval_request().unwrap();
    assert_eq!(words.customer, "Customer 0004");
    assert_eq!(words.roles.len(), 2);
    app.update(code(KeyCode::Esc));
    assert!(
        app.screen::<crate::tui::screens::invitation::InvitationScreen>()
            .is_none()
    );
    // The new relationship is in the list, pending.
    app.update(code(KeyCode::Esc));
    app.update(key('3'));
    assert!(
        admin(&app)
            .list
            .rels()
            .iter()
            .any(|r| &*r.id == "r-again" && r.is_pending())
    );
}

#[test]
fn the_echoes_of_this_screens_own_bulk_action_are_not_refetched() {
    let (mut app, commands) = opened(Role::GlobalAdmin);
    app.update(reply(
        call_id::<LoadPage>(&commands),
        page(&showcase(), None),
    ));
    app.update(key('2'));
    app.update(key(' ')); // r-soon, customer 1
    app.update(key('e'));
    let commands = app.update(key('y'));
    let (req, _, call) = find_call::<SendBulk>(&commands).unwrap();
    assert_eq!(call.request.items[0].id, "r-soon");
    let mut extended = ending_in(wire("r-soon", 1, RelationshipStatus::Active), 6);
    extended.auto_extend_duration = "P180D".into();
    let answer = BulkAnswer {
        results: vec![BulkResult {
            id: "r-soon".into(),
            outcome: BulkOutcome::Succeeded,
            status: 200,
            message: None,
            relationship: Some(extended.clone()),
        }],
        rels: rels(&[extended]),
    };
    app.update(reply(req, answer));
    assert!(find_call::<RefreshCustomers>(&live(&mut app, 1)).is_none());
    // Another customer's change is read again.
    assert!(find_call::<RefreshCustomers>(&live(&mut app, 2)).is_some());
}

#[test]
fn pages_appended_in_order_count_and_show_as_a_full_recount_would() {
    let all = showcase();
    for view in View::ALL {
        let mut streamed = AdminList::new(NOW);
        streamed.set_customers(customers().iter());
        streamed.set_view(view);
        streamed.set_filter("customer 000");
        streamed.replace(rels(&all[..2]));
        streamed.append(rels(&all[2..5]));
        streamed.append(rels(&all[5..]));
        let mut whole = AdminList::new(NOW);
        whole.set_customers(customers().iter());
        whole.set_view(view);
        whole.set_filter("customer 000");
        whole.replace(rels(&all));
        assert_eq!(ids(&streamed), ids(&whole), "{view:?}");
        for v in View::ALL {
            assert_eq!(streamed.count(v), whole.count(v), "{view:?} {v:?}");
        }
    }
}
