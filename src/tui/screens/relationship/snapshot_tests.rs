//! Snapshots of the dialogs, at a roomy size and at 80×24, and of the expanded row that shows
//! purchase permission.

use crossterm::event::KeyCode;

use super::*;
use crate::api::{Customer, Relationship, Role, Tagged};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::testing::{answer, code, key, plain_rows, sample_detail, screen, signed_in_with};

fn customer(relationship: Relationship, admin: bool) -> Customer {
    let mut c = sample_detail().data.customer;
    c.id = "id-0001".into();
    c.company_profile.company_name = "Customer 0001".into();
    c.company_profile.domain = "customer0001.example".into();
    c.relationship_to_partner = relationship;
    c.allow_delegated_access = admin;
    c
}

fn relationship_dialog(width: u16, height: u16, relationship: Relationship) -> App {
    let mut app = signed_in_with(Role::AdminAgent, width, height, plain_rows(5));
    let commands = app.update(key('x'));
    app.update(answer::<ReadCustomer>(
        &commands,
        CustomerRead(Tagged::new(
            customer(relationship, relationship == Relationship::Reseller),
            "\"2\"",
        )),
    ));
    app
}

fn purchase_dialog(width: u16, height: u16, allowed: bool) -> App {
    let mut app = signed_in_with(Role::GlobalAdmin, width, height, plain_rows(5));
    let commands = app.update(key('b'));
    app.update(answer::<ReadPurchase>(
        &commands,
        PurchaseRead(Tagged::new(allowed, "\"2\"")),
    ));
    app
}

#[test]
fn ending_names_the_customer_and_what_ending_means() {
    insta::assert_snapshot!(screen(&relationship_dialog(
        100,
        30,
        Relationship::Reseller
    )));
}

#[test]
fn ending_at_80_by_24() {
    insta::assert_snapshot!(screen(&relationship_dialog(80, 24, Relationship::Reseller)));
}

#[test]
fn reinstating_says_admin_access_comes_back_only_through_r_or_gdap() {
    insta::assert_snapshot!(screen(&relationship_dialog(80, 24, Relationship::None)));
}

#[test]
fn purchase_permission_says_what_it_is_now_and_what_y_makes_it() {
    insta::assert_snapshot!(screen(&purchase_dialog(80, 24, false)));
}

#[test]
fn while_reading_the_dialog_says_so() {
    let mut app = signed_in_with(Role::AdminAgent, 80, 24, plain_rows(5));
    app.update(key('x'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_expanded_row_says_whether_the_customer_may_buy_its_own_products() {
    let mut app = signed_in_with(Role::AdminAgent, 80, 24, plain_rows(5));
    let commands = app.update(code(KeyCode::Enter));
    let Some(Command::LoadDetail { req, row, id }) = commands.into_iter().next() else {
        panic!("expanding asks for the detail");
    };
    let mut detail = sample_detail();
    detail.data.customer = customer(Relationship::Reseller, true);
    detail.data.purchase_permission = Some(true);
    let detail = Box::new(crate::tui::model::detail::Detail::new(detail.data));
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(detail),
    });
    let text = screen(&app);
    assert!(
        text.contains("customer may buy its own products: yes"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}
