//! `R`: the relationship request bound to the customer under the cursor (DESIGN.md §4), and the
//! expanded row of an ended or admin-removed customer pointing to it. Snapshots are committed.

use crossterm::event::KeyCode;

use crate::api::{Relationship, Role};
use crate::client::ClientError;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::Start;
use crate::tui::screens::invitation::{InvitationScreen, LoadForCustomer};
use crate::tui::testing::{
    answer, code, find_call, key, refuse, sample_detail, screen, showcase_rows, signed_in_with,
};

const CUSTOMER_LINK: &str =
    "http://127.0.0.1:8080/invite/Xq3bZ0Rk8vN2mPqL5tYw7eHj9cUa4sDf1gKo6iBn0zE";

/// The showcase list with the cursor on Northwind Traders (ended, admin permissions removed).
fn on_northwind(role: Role, width: u16, height: u16) -> App {
    let mut app = signed_in_with(role, width, height, showcase_rows());
    for _ in 0..4 {
        app.update(key('j'));
    }
    app
}

fn customer_link_request(commands: &[Command]) -> String {
    let (_, _, call) =
        find_call::<LoadForCustomer>(commands).expect("R asks for the customer's link");
    call.customer_id.clone()
}

#[test]
fn the_expanded_row_of_an_ended_customer_without_admin_permissions_points_to_r() {
    let mut app = on_northwind(Role::GlobalAdmin, 80, 16);
    let commands = app.update(code(KeyCode::Enter));
    let Some(Command::LoadDetail { req, row, id }) = commands.into_iter().next() else {
        panic!("expanding asks for the detail");
    };
    assert_eq!(id, "c5");
    let mut detail = sample_detail();
    detail.data.customer.relationship_to_partner = Relationship::None;
    detail.data.customer.allow_delegated_access = false;
    let detail = Box::new(crate::tui::model::detail::Detail::new(detail.data));
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(detail),
    });
    let text = screen(&app);
    assert!(
        text.contains("R: a link that restores its relationship and admin permissions"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn r_drafts_an_email_with_the_link_for_the_customer_under_the_cursor() {
    let mut app = on_northwind(Role::SalesAgent, 100, 40);
    let asked = app.update(key('R'));
    let customer_id = customer_link_request(&asked);
    assert_eq!(customer_id, "c5", "the customer under the cursor");
    let loading = screen(&app);
    assert!(
        loading.contains("Restore the relationship of Northwind"),
        "{loading}"
    );
    app.update(answer::<LoadForCustomer>(
        &asked,
        Start {
            link: CUSTOMER_LINK.into(),
            resellers: Vec::new(),
        },
    ));
    let ready = app
        .screen::<InvitationScreen>()
        .and_then(|s| s.ready())
        .expect("a draft");
    assert!(
        ready
            .draft
            .subject
            .contains("Restore the reseller relationship of Northwind"),
        "{}",
        ready.draft.subject
    );
    assert!(ready.draft.body.contains(CUSTOMER_LINK));
    assert!(
        !ready.draft.subject.contains('\u{1b}'),
        "the name is sanitized"
    );
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn r_on_a_detail_line_means_that_lines_customer() {
    let mut app = on_northwind(Role::AdminAgent, 100, 24);
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
    app.update(key('j'));
    let customer_id = customer_link_request(&app.update(key('R')));
    assert_eq!(customer_id, "c5");
}

#[test]
fn a_helpdesk_agent_pressing_r_is_told_which_roles_may_and_nothing_is_asked() {
    let mut app = on_northwind(Role::HelpdeskAgent, 120, 12);
    let commands = app.update(key('R'));
    assert!(
        !commands.iter().any(
            |c| matches!(c, Command::Call { call, .. } if call.get::<LoadForCustomer>().is_some())
        ),
        "{commands:?}"
    );
    let text = screen(&app);
    assert!(
        text.contains(
            "Helpdesk agents can't request relationships: ask a Global admin, an Admin agent or a Sales agent"
        ),
        "{text}"
    );
    assert!(app.screen::<InvitationScreen>().is_none());
}

#[test]
fn a_customer_the_backend_does_not_know_says_so_on_the_draft_screen() {
    let mut app = on_northwind(Role::GlobalAdmin, 100, 20);
    let asked = app.update(key('R'));
    let commands = app.update(refuse::<LoadForCustomer>(
        &asked,
        ClientError::NotFound {
            description: "not found".into(),
        },
    ));
    assert!(
        !commands.iter().any(
            |c| matches!(c, Command::Call { call, .. } if call.get::<LoadForCustomer>().is_some())
        ),
        "a 404 is not retried"
    );
    let text = screen(&app);
    assert!(text.contains("not found"), "{text}");
}
