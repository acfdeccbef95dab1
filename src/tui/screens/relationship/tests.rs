//! `x` and `b` on the list, driven through `App::update` with the backend's answers fed back.

use crossterm::event::KeyCode;

use super::*;
use crate::api::{CompanyProfile, Customer, ErrorBody, Relationship, Role, Tagged};
use crate::tui::command::Command;
use crate::tui::testing::{
    answer, code, find_call, key, plain_rows, refuse, screen, signed_in_with, top_title,
};
use crate::tui::view;

fn customer(id: &str, name: &str, relationship: Relationship, admin: bool) -> Customer {
    Customer {
        id: id.into(),
        company_profile: CompanyProfile {
            tenant_id: format!("t-{id}"),
            domain: format!("{}.example", name.to_lowercase().replace(' ', "")),
            company_name: name.into(),
        },
        billing_profile: Default::default(),
        relationship_to_partner: relationship,
        allow_delegated_access: admin,
        associated_partner_id: None,
        associated_partner_name: None,
        admin_access: None,
        attributes: crate::api::Attributes::customer(),
    }
}

fn first(relationship: Relationship, admin: bool) -> Customer {
    customer("id-0001", "Customer 0001", relationship, admin)
}

fn stale() -> ClientError {
    ClientError::Status {
        status: 412,
        body: ErrorBody {
            code: 41200,
            description: "the resource changed since you read it".into(),
            error_name: "PreconditionFailed".into(),
            data: Vec::new(),
            source: "cspdash".into(),
        },
    }
}

fn changed_rows(commands: &[Command]) -> usize {
    commands
        .iter()
        .filter(|c| matches!(c, Command::LoadDetail { .. }))
        .count()
}

#[test]
fn x_reads_the_customer_then_y_ends_it_with_the_etag_read_and_the_row_shows_it() {
    let mut app = signed_in_with(Role::AdminAgent, 100, 24, plain_rows(3));
    let commands = app.update(key('x'));
    let (_, _, read) = find_call::<ReadCustomer>(&commands).expect("reads the customer first");
    assert_eq!(read.id, "id-0001");
    assert_eq!(top_title(&app), "End or reinstate a relationship");
    let commands = app.update(answer::<ReadCustomer>(
        &commands,
        CustomerRead(Tagged::new(first(Relationship::Reseller, true), "\"4\"")),
    ));
    assert!(commands.is_empty(), "{commands:?}");
    let text = screen(&app);
    assert!(
        text.contains("End the relationship with Customer 0001?"),
        "{text}"
    );
    // (Wrapped in the box: the snapshot tests show it whole.)
    assert!(
        text.contains("You can no longer sell to or manage Customer 0001; its admin"),
        "{text}"
    );
    let commands = app.update(key('y'));
    let (_, _, set) = find_call::<SetRelationship>(&commands).expect("PATCH");
    assert_eq!((set.to, set.etag.as_str()), (Relationship::None, "\"4\""));
    app.update(answer::<SetRelationship>(
        &commands,
        RelationshipSet(Tagged::new(first(Relationship::None, false), "\"5\"")),
    ));
    assert_eq!(top_title(&app), "Customers");
    let row = app.customers.rows().get(0).expect("row");
    assert_eq!(row.relationship, Relationship::None);
    assert!(!row.admin_granted());
    let (status, _) = view::status_text(&app);
    assert!(
        status.contains("Ended the relationship with Customer 0001"),
        "{status}"
    );
}

#[test]
fn on_an_ended_customer_x_offers_to_reinstate_and_says_admin_access_stays_off() {
    let mut app = signed_in_with(Role::GlobalAdmin, 100, 24, plain_rows(2));
    let commands = app.update(key('x'));
    app.update(answer::<ReadCustomer>(
        &commands,
        CustomerRead(Tagged::new(first(Relationship::None, false), "\"9\"")),
    ));
    let text = screen(&app);
    assert!(
        text.contains("Reinstate the relationship with Customer 0001?"),
        "{text}"
    );
    assert!(text.contains("access does not come back with it"), "{text}");
    assert!(
        text.contains("the customer (R) or an admin relationship"),
        "{text}"
    );
    // The list had it as active: it shows what was read.
    assert_eq!(
        app.customers.rows().get(0).map(|r| r.relationship),
        Some(Relationship::None)
    );
    let commands = app.update(key('y'));
    let (_, _, set) = find_call::<SetRelationship>(&commands).expect("PATCH");
    assert_eq!(set.to, Relationship::Reseller);
}

#[test]
fn any_key_but_y_cancels_and_sends_nothing() {
    let mut app = signed_in_with(Role::AdminAgent, 100, 24, plain_rows(2));
    for cancel in [key('n'), code(KeyCode::Esc), key('j'), key('Y')] {
        let commands = app.update(key('x'));
        app.update(answer::<ReadCustomer>(
            &commands,
            CustomerRead(Tagged::new(first(Relationship::Reseller, true), "\"1\"")),
        ));
        let commands = app.update(cancel);
        assert!(find_call::<SetRelationship>(&commands).is_none());
        assert_eq!(top_title(&app), "Customers");
    }
}

#[test]
fn a_412_reloads_the_row_says_so_and_overwrites_nothing() {
    let mut app = signed_in_with(Role::AdminAgent, 100, 24, plain_rows(2));
    let commands = app.update(key('x'));
    app.update(answer::<ReadCustomer>(
        &commands,
        CustomerRead(Tagged::new(first(Relationship::Reseller, true), "\"1\"")),
    ));
    let commands = app.update(key('y'));
    let commands = app.update(refuse::<SetRelationship>(&commands, stale()));
    let (_, _, reread) = find_call::<ReadCustomer>(&commands).expect("reads it again");
    assert_eq!(reread.id, "id-0001");
    assert!(
        find_call::<SetRelationship>(&commands).is_none(),
        "no second write"
    );
    // Someone else ended it meanwhile: the row shows their change.
    app.update(answer::<ReadCustomer>(
        &commands,
        CustomerRead(Tagged::new(first(Relationship::None, false), "\"2\"")),
    ));
    assert_eq!(top_title(&app), "Customers");
    assert_eq!(
        app.customers.rows().get(0).map(|r| r.relationship),
        Some(Relationship::None)
    );
    let (status, _) = view::status_text(&app);
    assert!(
        status.contains("changed by someone else — reloaded, try again"),
        "{status}"
    );
}

#[test]
fn b_shows_the_current_purchase_permission_and_y_flips_it_and_rereads_the_open_row() {
    let mut app = signed_in_with(Role::AdminAgent, 100, 24, plain_rows(2));
    // The row is open: its detail is loaded.
    let commands = app.update(code(KeyCode::Enter));
    assert_eq!(changed_rows(&commands), 1);
    let commands = app.update(key('b'));
    let (_, _, read) = find_call::<ReadPurchase>(&commands).expect("reads it first");
    assert_eq!(read.id, "id-0001");
    app.update(answer::<ReadPurchase>(
        &commands,
        PurchaseRead(Tagged::new(false, "\"3\"")),
    ));
    let text = screen(&app);
    assert!(
        text.contains("Customer 0001 may buy its own products and services"),
        "{text}"
    );
    assert!(text.contains("y allow"), "{text}");
    let commands = app.update(key('y'));
    let (_, _, set) = find_call::<SetPurchase>(&commands).expect("PUT");
    assert_eq!((set.allow, set.etag.as_str()), (true, "\"3\""));
    let commands = app.update(answer::<SetPurchase>(
        &commands,
        PurchaseSet(Tagged::new(true, "\"4\"")),
    ));
    assert_eq!(changed_rows(&commands), 1, "the open row reads it again");
    let (status, _) = view::status_text(&app);
    assert!(
        status.contains("Customer 0001 may now buy its own products"),
        "{status}"
    );
}

#[test]
fn a_sales_agent_pressing_x_or_b_is_told_why_not_and_whom_to_ask_and_nothing_opens() {
    let mut app = signed_in_with(Role::SalesAgent, 120, 24, plain_rows(2));
    let commands = app.update(key('x'));
    assert!(find_call::<ReadCustomer>(&commands).is_none());
    assert_eq!(top_title(&app), "Customers");
    let (status, _) = view::status_text(&app);
    assert_eq!(
        status,
        "Sales agents can't end relationships: ask a Global admin or an Admin agent"
    );
    app.update(key('b'));
    let (status, _) = view::status_text(&app);
    assert_eq!(
        status,
        "Sales agents can't change purchase permission: ask a Global admin or an Admin agent"
    );
}

#[test]
fn help_lists_x_and_b_greyed_with_the_reason_for_a_helpdesk_agent() {
    let mut app = signed_in_with(Role::HelpdeskAgent, 120, 40, plain_rows(2));
    app.update(key('?'));
    let text = screen(&app);
    assert!(
        text.contains(
            "Helpdesk agents can't end relationships: ask a Global admin or an Admin agent"
        ),
        "{text}"
    );
    assert!(
        text.contains("Helpdesk agents can't change purchase permission"),
        "{text}"
    );
}

#[test]
fn another_agents_end_and_purchase_permission_change_reach_the_row_and_its_open_detail() {
    use crate::tui::action::Action;
    use crate::tui::testing::sample_detail;
    let mut app = signed_in_with(Role::HelpdeskAgent, 100, 24, plain_rows(2));
    let commands = app.update(code(KeyCode::Enter));
    let Some(Command::LoadDetail { req, row, id }) = commands.into_iter().next() else {
        panic!("expanding asks for the detail");
    };
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(sample_detail()),
    });
    // Ended elsewhere: the row changes in place and the open detail is read again.
    let ended = CustomerRow::from_customer(&first(Relationship::None, false));
    let commands = app.update(Action::CustomerChanged {
        kind: EventKind::CustomerUpdated,
        row: ended,
    });
    assert_eq!(changed_rows(&commands), 1, "{commands:?}");
    assert_eq!(
        app.customers.rows().get(0).map(|r| r.relationship),
        Some(Relationship::None)
    );
    // Purchase permission changed elsewhere: the open detail (which shows it) is read again.
    let same = CustomerRow::from_customer(&first(Relationship::None, false));
    let commands = app.update(Action::CustomerChanged {
        kind: EventKind::PurchasePermissionUpdated,
        row: same,
    });
    assert_eq!(changed_rows(&commands), 1, "{commands:?}");
    let (status, _) = view::status_text(&app);
    assert!(status.contains("Customer 0001 updated"), "{status}");
}
