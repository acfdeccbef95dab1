//! The request form driven through the app as the loop would: keys in, calls and screens out.
//! Nothing runs; the backend's answers are given as actions.

use crossterm::event::KeyCode;

use super::{AdminRequestScreen, LoadTarget, Previous, RequestAccess, Requested, Target};
use crate::api::gdap::validate::{AUTO_EXTEND, DISPLAY_NAME, DURATION, ROLES};
use crate::api::gdap::{
    AccessDetails, AdminAccess, AdminAccessStatus, AdminRelationship, RelationshipCustomer,
    RelationshipStatus, roles,
};
use crate::api::{ErrorBody, Relationship, Role};
use crate::client::ClientError;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::CopyWhat;
use crate::tui::model::admin::AdminCell;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::invitation::InvitationScreen;
use crate::tui::testing::{
    answer, code, ctrl, find_call, key, plain_rows, refuse, screen, signed_in_with, top_title,
};
use crate::tui::view;

pub const TENANT: &str = "8f0c2b1e-5d7a-4e8b-9c3f-2a1b0c9d8e7f";
pub const LINK: &str = "https://csp.example/admin-approval/Zm9vYmFy";

/// Contoso, whose admin access expired.
pub fn expired_row() -> CustomerRow {
    CustomerRow::new(
        "c-exp",
        "Contoso Ltd",
        "contoso.example",
        None,
        Relationship::Reseller,
        true,
    )
    .with_admin(AdminCell::of(
        Some(&AdminAccess {
            status: AdminAccessStatus::Expired,
            end_date_time: None,
            requested_date_time: None,
        }),
        true,
    ))
}

/// Signed in as `role` at 100×32, `d` pressed on the first customer.
pub fn opened(role: Role, rows: Vec<CustomerRow>) -> (App, Vec<Command>) {
    let mut app = signed_in_with(role, 100, 32, rows);
    let commands = app.update(key('d'));
    (app, commands)
}

/// `opened` with the tenant id read.
pub fn ready(role: Role) -> App {
    let (mut app, commands) = opened(role, plain_rows(3));
    app.update(answer::<LoadTarget>(&commands, target(None)));
    app
}

pub fn target(previous: Option<Previous>) -> Target {
    Target {
        tenant_id: TENANT.into(),
        previous,
    }
}

fn form(app: &App) -> &AdminRequestScreen {
    app.screen::<AdminRequestScreen>()
        .expect("the form is open")
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

/// Moves the focus to the field `wire` (Tab from the first).
fn focus(app: &mut App, wire: &str) {
    for _ in 0..5 {
        if form(app).form().focused_key() == Some(wire) {
            return;
        }
        app.update(code(KeyCode::Tab));
    }
    panic!("no field {wire}");
}

/// Marks Global Administrator (last in the catalog) in the role picker.
pub fn add_global_admin(app: &mut App) {
    focus(app, ROLES);
    app.update(code(KeyCode::Enter));
    app.update(key('G'));
    app.update(key(' '));
    app.update(code(KeyCode::Enter));
}

/// What the backend answers once the request is created and locked.
pub fn pending(new: &RequestAccess) -> Requested {
    Box::new(AdminRelationship {
        etag: "W/\"2\"".into(),
        id: "rel-1".into(),
        display_name: new.new.display_name.clone(),
        duration: new.new.duration.clone(),
        auto_extend_duration: new.new.auto_extend_duration.clone(),
        customer: new.new.customer.clone(),
        access_details: new.new.access_details.clone(),
        status: RelationshipStatus::ApprovalPending,
        created_date_time: "2026-12-02T10:00:00Z".into(),
        activated_date_time: None,
        end_date_time: None,
        last_modified_date_time: "2026-12-02T10:00:00Z".into(),
        approval_url: Some(LINK.into()),
        locked_date_time: Some("2026-12-02T10:00:00Z".into()),
        access_assignment_count: 0,
    })
}

fn sent(commands: &[Command]) -> RequestAccess {
    find_call::<RequestAccess>(commands)
        .map(|(_, _, c)| c.clone())
        .expect("the request was sent")
}

fn bad_request(field: &str, description: &str) -> ClientError {
    ClientError::Status {
        status: 400,
        body: ErrorBody {
            code: 40000,
            description: description.into(),
            error_name: "BadRequest".into(),
            data: vec![field.into()],
            source: "cspdash".into(),
        },
    }
}

#[test]
fn d_opens_the_form_filled_with_a_sensible_request_and_reads_the_customers_tenant() {
    let (app, commands) = opened(Role::AdminAgent, plain_rows(3));
    assert_eq!(top_title(&app), "Request admin access");
    let (_, _, load) = find_call::<LoadTarget>(&commands).expect("reads the customer");
    assert_eq!(load.customer_id, "id-0001");
    assert!(
        !load.previous,
        "admin access is granted: nothing to propose"
    );
    let f = form(&app).form();
    assert_eq!(f.value(DISPLAY_NAME), "Customer 0001 admin access 2026-12");
    assert_eq!(f.value("template"), roles::LEAST_PRIVILEGE_HELPDESK.name);
    assert_eq!(f.value(DURATION), "730");
    assert!(f.is_on(AUTO_EXTEND));
    assert_eq!(form(&app).roles(), roles::LEAST_PRIVILEGE_HELPDESK.roles);
    assert!(!f.is_dirty(), "Esc closes an untouched form at once");
}

#[test]
fn ctrl_s_alone_sends_the_defaults_and_waits_for_the_tenant_id_if_it_is_not_read_yet() {
    let (mut app, commands) = opened(Role::GlobalAdmin, plain_rows(3));
    let early = app.update(ctrl('s'));
    assert!(
        find_call::<RequestAccess>(&early).is_none(),
        "no tenant id yet"
    );
    assert!(form(&app).form().is_sending());
    let later = app.update(answer::<LoadTarget>(&commands, target(None)));
    let call = sent(&later);
    let new = &call.new;
    assert_eq!(new.display_name, "Customer 0001 admin access 2026-12");
    assert_eq!(new.duration, "P730D");
    assert_eq!(new.auto_extend_duration, "P180D");
    assert_eq!(new.customer.tenant_id, TENANT);
    assert_eq!(
        new.access_details,
        AccessDetails::of(roles::LEAST_PRIVILEGE_HELPDESK.roles)
    );
    assert_ne!(call.create_id, call.lock_id);
}

#[test]
fn the_sent_request_opens_the_approval_draft_whose_keys_work_as_for_an_invitation() {
    let mut app = ready(Role::AdminAgent);
    let commands = app.update(ctrl('s'));
    let call = sent(&commands);
    app.update(answer::<RequestAccess>(&commands, pending(&call)));
    assert!(
        app.screen::<AdminRequestScreen>().is_none(),
        "the form closed"
    );
    assert_eq!(top_title(&app), "Admin access approval draft");
    let draft = app
        .screen::<InvitationScreen>()
        .and_then(|s| s.ready())
        .map(|r| r.draft.clone())
        .expect("the draft is ready");
    assert_eq!(draft.link, LINK);
    assert!(
        draft.body.contains("Helpdesk Administrator"),
        "{}",
        draft.body
    );
    let copied = app.update(key('y'));
    assert!(
        copied.contains(&Command::Copy {
            what: CopyWhat::Link,
            text: LINK.into()
        }),
        "{copied:?}"
    );
    let copied = app.update(key('Y'));
    assert!(copied.iter().any(
        |c| matches!(c, Command::Copy { what: CopyWhat::Email, text } if text.contains(LINK))
    ));
    let mailed = app.update(key('m'));
    assert!(
        mailed
            .iter()
            .any(|c| matches!(c, Command::OpenMail { url } if url.starts_with("mailto:")))
    );
    let saved = app.update(key('s'));
    assert!(saved.iter().any(
        |c| matches!(c, Command::SaveDraft { subject, .. } if subject.contains("admin access"))
    ));
    // `e`, then removing the link: leaving the editor is refused.
    app.update(key('e'));
    app.update(ctrl('a'));
    for _ in 0..3000 {
        app.update(code(KeyCode::Delete));
    }
    app.update(code(KeyCode::Esc));
    assert!(
        app.screen::<InvitationScreen>()
            .and_then(|s| s.ready())
            .and_then(|r| r.editor.as_ref())
            .is_some_and(|e| e.is_refused()),
        "the link must stay"
    );
}

#[test]
fn global_administrator_switches_auto_extend_off_with_the_reason_and_it_cannot_be_switched_on() {
    let mut app = ready(Role::GlobalAdmin);
    add_global_admin(&mut app);
    assert!(form(&app).has_global_admin());
    assert!(!form(&app).form().is_on(AUTO_EXTEND));
    assert_eq!(form(&app).form().value("template"), super::fields::CUSTOM);
    assert!(screen(&app).contains(
        "Auto-extend is off: auto-extend is not possible while Global Administrator is among"
    ));
    focus(&mut app, AUTO_EXTEND);
    app.update(key(' '));
    assert!(!form(&app).form().is_on(AUTO_EXTEND));
    assert!(
        view::status_text(&app)
            .0
            .starts_with("Auto-extend stays off")
    );
    let call = sent(&app.update(ctrl('s')));
    assert_eq!(call.new.auto_extend_duration, "PT0S");
    assert!(call.new.access_details.includes_global_administrator());
}

#[test]
fn a_template_replaces_the_roles_and_auto_extend_comes_back_when_global_admin_goes() {
    let mut app = ready(Role::GlobalAdmin);
    add_global_admin(&mut app);
    focus(&mut app, "template");
    // From Custom round to the first template, then the second.
    app.update(code(KeyCode::Right));
    app.update(code(KeyCode::Right));
    assert_eq!(form(&app).roles().len(), roles::TEMPLATES[1].roles.len());
    assert_eq!(form(&app).template(), Some(&roles::TEMPLATES[1]));
    assert!(form(&app).form().is_on(AUTO_EXTEND));
}

#[test]
fn a_duration_beyond_730_days_is_refused_under_its_field_in_the_backends_words() {
    let mut app = ready(Role::AdminAgent);
    focus(&mut app, DURATION);
    app.update(ctrl('u'));
    type_text(&mut app, "900");
    let commands = app.update(ctrl('s'));
    assert!(
        find_call::<RequestAccess>(&commands).is_none(),
        "nothing sent"
    );
    assert_eq!(
        form(&app).form().error(DURATION),
        Some("the duration must be 1 to 730 days (P1D..P730D)")
    );
    app.update(ctrl('u'));
    type_text(&mut app, "abc");
    app.update(ctrl('s'));
    assert!(form(&app).form().error(DURATION).is_some(), "not a number");
    // No role at all.
    let mut app = ready(Role::AdminAgent);
    focus(&mut app, ROLES);
    app.update(code(KeyCode::Enter));
    app.update(key('a'));
    app.update(key('a'));
    app.update(code(KeyCode::Enter));
    assert!(form(&app).roles().is_empty());
    app.update(ctrl('s'));
    assert_eq!(
        form(&app).form().error(ROLES),
        Some("choose at least one role")
    );
}

#[test]
fn the_name_is_kept_to_50_characters_and_an_empty_one_is_refused() {
    let mut app = ready(Role::AdminAgent);
    type_text(&mut app, &"x".repeat(80));
    assert_eq!(form(&app).name_chars(), 50);
    app.update(ctrl('u'));
    app.update(ctrl('s'));
    assert_eq!(
        form(&app).form().error(DISPLAY_NAME),
        Some("the relationship needs a name")
    );
    let long = crate::api::gdap::default_relationship_name(
        &"Very Long Company Name ".repeat(5),
        crate::tui::testing::today(),
    );
    assert_eq!(long.chars().count(), 50);
    assert!(long.ends_with(" admin access 2026-12"), "{long}");
}

#[test]
fn a_taken_name_comes_back_under_the_name_and_the_same_input_is_sent_with_the_same_ids() {
    let mut app = ready(Role::AdminAgent);
    let commands = app.update(ctrl('s'));
    let first = sent(&commands);
    app.update(refuse::<RequestAccess>(
        &commands,
        bad_request(DISPLAY_NAME, "a relationship of yours is already named so"),
    ));
    assert_eq!(
        form(&app).form().error(DISPLAY_NAME),
        Some("a relationship of yours is already named so")
    );
    let commands = app.update(ctrl('s'));
    let again = sent(&commands);
    assert_eq!(
        (again.create_id, again.lock_id),
        (first.create_id.clone(), first.lock_id.clone())
    );
    app.update(refuse::<RequestAccess>(
        &commands,
        bad_request(DISPLAY_NAME, "taken"),
    ));
    type_text(&mut app, " b");
    let other = sent(&app.update(ctrl('s')));
    assert_ne!(other.create_id, first.create_id);
}

#[test]
fn a_400_naming_one_role_lands_under_the_roles() {
    let mut app = ready(Role::AdminAgent);
    let commands = app.update(ctrl('s'));
    app.update(refuse::<RequestAccess>(
        &commands,
        bad_request(
            "accessDetails.unifiedRoles[2].roleDefinitionId",
            "not a role an admin relationship can request",
        ),
    ));
    assert_eq!(
        form(&app).form().error(ROLES),
        Some("not a role an admin relationship can request")
    );
}

#[test]
fn sales_and_helpdesk_agents_get_no_form_and_are_told_who_may() {
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let (app, commands) = opened(role, plain_rows(3));
        assert!(app.screen::<AdminRequestScreen>().is_none());
        assert!(find_call::<LoadTarget>(&commands).is_none());
        let status = view::status_text(&app).0;
        assert!(
            status.contains("ask a Global admin or an Admin agent"),
            "{status}"
        );
    }
}

#[test]
fn an_expired_customer_gets_the_roles_it_had_proposed() {
    let (mut app, commands) = opened(Role::AdminAgent, vec![expired_row()]);
    let (_, _, load) = find_call::<LoadTarget>(&commands).expect("reads the customer");
    assert!(load.previous, "its access ended: look for what it had");
    let previous = Previous {
        name: "Contoso admin access 2024-11".into(),
        role_ids: vec![roles::DIRECTORY_READERS, roles::EXCHANGE_ADMINISTRATOR],
        ended: Some("2026-11-15T00:00:00Z".into()),
    };
    app.update(answer::<LoadTarget>(&commands, target(Some(previous))));
    assert_eq!(
        form(&app).roles(),
        [roles::DIRECTORY_READERS, roles::EXCHANGE_ADMINISTRATOR]
    );
    let text = screen(&app);
    assert!(
        text.contains(
            "proposing the roles of “Contoso admin access 2024-11”, which ended 2026-11-15"
        ),
        "{text}"
    );
    assert!(text.contains("Exchange Administrator"), "{text}");
}

fn relationship(
    name: &str,
    status: RelationshipStatus,
    end: &str,
    ids: &[&str],
) -> AdminRelationship {
    AdminRelationship {
        etag: String::new(),
        id: name.into(),
        display_name: name.into(),
        duration: "P730D".into(),
        auto_extend_duration: "PT0S".into(),
        customer: RelationshipCustomer::default(),
        access_details: AccessDetails::of(ids),
        status,
        created_date_time: "2024-01-01T00:00:00Z".into(),
        activated_date_time: None,
        end_date_time: Some(end.into()),
        last_modified_date_time: end.into(),
        approval_url: None,
        locked_date_time: None,
        access_assignment_count: 0,
    }
}

#[test]
fn a_customer_with_working_admin_access_is_told_this_is_another_request() {
    let active = CustomerRow::new(
        "c-1",
        "Adatum",
        "adatum.example",
        None,
        Relationship::Reseller,
        true,
    )
    .with_admin(AdminCell::of(
        Some(&AdminAccess {
            status: AdminAccessStatus::Active,
            end_date_time: Some("2026-12-08T00:00:00Z".into()),
            requested_date_time: None,
        }),
        true,
    ));
    let (app, _) = opened(Role::AdminAgent, vec![active]);
    let text = screen(&app);
    assert!(
        text.contains("It has admin access already (expiring 6d): this sends another request"),
        "{text}"
    );
    let (app, _) = opened(Role::AdminAgent, vec![expired_row()]);
    assert!(!screen(&app).contains("already"));
}

#[test]
fn the_newest_ended_relationship_is_the_one_proposed_and_unknown_roles_are_left_out() {
    let all = vec![
        relationship(
            "old",
            RelationshipStatus::Expired,
            "2025-01-01T00:00:00Z",
            &[roles::GLOBAL_READER],
        ),
        relationship(
            "newer",
            RelationshipStatus::Terminated,
            "2026-06-01T00:00:00Z",
            &[
                roles::USER_ADMINISTRATOR,
                "00000000-0000-0000-0000-000000000000",
                roles::DIRECTORY_READERS,
            ],
        ),
        relationship(
            "live",
            RelationshipStatus::Active,
            "2027-06-01T00:00:00Z",
            &[roles::GLOBAL_ADMINISTRATOR],
        ),
    ];
    let previous = super::newest_ended(&all).expect("one ended");
    assert_eq!(previous.name, "newer");
    assert_eq!(
        previous.role_ids,
        [roles::DIRECTORY_READERS, roles::USER_ADMINISTRATOR],
        "catalog order, the unknown one left out"
    );
    assert_eq!(super::newest_ended(&all[2..]), None);
}
