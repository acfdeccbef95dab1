//! The list's admin access (GDAP): the admin column in every state, the expanded row's admin
//! relationships and their access assignments, and live `adminRelationship.*` events updating
//! the row and an open expanded row.

use crossterm::event::KeyCode;

use crate::api::gdap::{
    AccessAssignment, AccessContainer, AccessDetails, AdminAccess, AdminAccessStatus,
    AdminRelationship, RelationshipCustomer, RelationshipStatus, roles,
};
use crate::api::{EventKind, Relationship, Role};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::admin::AdminCell;
use crate::tui::model::admin_detail::AdminDetail;
use crate::tui::model::rows::CustomerRow;
use crate::tui::testing::{code, key, sample_detail, screen, signed_in_with};

fn access(status: AdminAccessStatus, end: Option<&str>, requested: Option<&str>) -> AdminAccess {
    AdminAccess {
        status,
        end_date_time: end.map(str::to_string),
        requested_date_time: requested.map(str::to_string),
    }
}

fn row(id: &str, name: &str, admin: Option<AdminAccess>) -> CustomerRow {
    let domain = format!("{}.example", name.to_lowercase().replace(' ', "-"));
    CustomerRow::new(id, name, &domain, None, Relationship::Reseller, true)
        .with_admin(AdminCell::of(admin.as_ref(), true))
}

/// Today is 2026-12-02 in tests.
fn every_state() -> Vec<CustomerRow> {
    use AdminAccessStatus as S;
    vec![
        row(
            "1",
            "Active Long",
            Some(access(S::Active, Some("2028-01-18T09:30:00Z"), None)),
        ),
        row(
            "2",
            "Brand New",
            Some(access(S::Active, Some("2028-12-01T12:00:00Z"), None)),
        ),
        row(
            "3",
            "Close To End",
            Some(access(S::Active, Some("2026-12-08T00:00:00Z"), None)),
        ),
        row("4", "Done Expired", Some(access(S::Expired, None, None))),
        row(
            "5",
            "Ended Terminated",
            Some(access(S::Terminated, None, None)),
        ),
        row(
            "6",
            "Fresh Pending",
            Some(access(S::Pending, None, Some("2026-11-20T08:00:00Z"))),
        ),
        row("7", "Gone Nothing", Some(access(S::None, None, None))),
        row("8", "Legacy Backend", None),
    ]
}

#[test]
fn the_admin_column_says_each_customers_admin_access_in_words() {
    let app = signed_in_with(Role::GlobalAdmin, 100, 14, every_state());
    let text = screen(&app);
    for (name, want) in [
        ("Active Long", "active 412d"),
        ("Brand New", "active 730d"),
        ("Close To End", "expiring 6d"),
        ("Done Expired", "expired"),
        ("Ended Terminated", "terminated"),
        ("Fresh Pending", "pending 12d"),
        ("Gone Nothing", "none"),
        ("Legacy Backend", "granted"),
    ] {
        let line = text
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{text}"));
        assert!(line.contains(want), "{name}: {want} expected in {line}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn a_row_stays_32_bytes_with_its_admin_access() {
    assert!(std::mem::size_of::<CustomerRow>() <= 32);
}

fn relationship(
    name: &str,
    status: RelationshipStatus,
    start: Option<&str>,
    end: Option<&str>,
    extend: &str,
    ids: &[&str],
) -> AdminRelationship {
    AdminRelationship {
        etag: String::new(),
        id: format!("rel-{name}"),
        display_name: name.into(),
        duration: "P730D".into(),
        auto_extend_duration: extend.into(),
        customer: RelationshipCustomer::default(),
        access_details: AccessDetails::of(ids),
        status,
        created_date_time: "2026-11-20T08:00:00Z".into(),
        activated_date_time: start.map(str::to_string),
        end_date_time: end.map(str::to_string),
        last_modified_date_time: "2026-11-20T08:00:00Z".into(),
        approval_url: None,
        locked_date_time: None,
        access_assignment_count: 0,
    }
}

fn assignment(group: &str, ids: &[&str]) -> AccessAssignment {
    AccessAssignment {
        etag: String::new(),
        id: format!("as-{group}"),
        status: "active".into(),
        access_container: AccessContainer::security_group("g-1"),
        access_details: AccessDetails::of(ids),
        access_container_display_name: Some(group.into()),
        created_date_time: "2026-01-01T00:00:00Z".into(),
        last_modified_date_time: "2026-01-01T00:00:00Z".into(),
    }
}

/// The sample detail, with admin relationships in three states.
fn detail_with_admin() -> Box<crate::tui::model::detail::Detail> {
    let mut data = sample_detail().data;
    data.customer.admin_access = Some(access(
        AdminAccessStatus::Active,
        Some("2028-01-18T09:30:00Z"),
        None,
    ));
    data.admin = vec![
        AdminDetail {
            relationship: relationship(
                "Contoso helpdesk 2026-01",
                RelationshipStatus::Active,
                Some("2026-01-03T09:30:00Z"),
                Some("2028-01-18T09:30:00Z"),
                "P180D",
                roles::LEAST_PRIVILEGE_HELPDESK.roles,
            ),
            assignments: vec![assignment(
                "Helpdesk Agents",
                &[roles::HELPDESK_ADMINISTRATOR, roles::DIRECTORY_READERS],
            )],
        },
        AdminDetail {
            relationship: relationship(
                "Contoso exchange 2026-11",
                RelationshipStatus::ApprovalPending,
                None,
                None,
                "PT0S",
                &[roles::EXCHANGE_ADMINISTRATOR, roles::GLOBAL_ADMINISTRATOR],
            ),
            assignments: Vec::new(),
        },
        AdminDetail {
            relationship: relationship(
                "Contoso admin 2023",
                RelationshipStatus::Expired,
                Some("2023-06-01T00:00:00Z"),
                Some("2025-05-31T00:00:00Z"),
                "PT0S",
                &[roles::USER_ADMINISTRATOR],
            ),
            assignments: Vec::new(),
        },
    ];
    Box::new(crate::tui::model::detail::Detail::new(data))
}

/// The list with Contoso's row expanded and its detail in.
fn expanded(detail: Box<crate::tui::model::detail::Detail>) -> App {
    let rows = vec![row(
        "c2",
        "Contoso Ltd",
        Some(access(
            AdminAccessStatus::Active,
            Some("2028-01-18T09:30:00Z"),
            None,
        )),
    )];
    let mut app = signed_in_with(Role::GlobalAdmin, 110, 34, rows);
    let commands = app.update(code(KeyCode::Enter));
    let Some(Command::LoadDetail { req, row, id }) = commands.into_iter().next() else {
        panic!("expanding asks for the detail");
    };
    app.update(Action::DetailLoaded {
        req,
        row,
        id,
        result: Ok(detail),
    });
    app
}

#[test]
fn the_expanded_row_lists_each_relationship_with_roles_dates_auto_extend_and_groups() {
    let app = expanded(detail_with_admin());
    let text = screen(&app);
    for want in [
        "admin access active until 2028-01-18",
        "Contoso helpdesk 2026-01  ·  active  ·  2026-01-03 → 2028-01-18  ·  auto-extends 180 days",
        "roles: Directory Readers, Global Reader, Service Support Administrator, Helpdesk",
        "group Helpdesk Agents → Helpdesk Administrator, Directory Readers",
        "Contoso exchange 2026-11  ·  waiting for approval  ·  requested 2026-11-20, 730 days",
        "roles: Exchange Administrator, Global Administrator",
        "Contoso admin 2023  ·  expired  ·  2023-06-01 → 2025-05-31  ·  no auto-extend",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn an_ended_customer_is_flagged_in_its_expanded_row_and_pointed_to_d() {
    let mut data = sample_detail().data;
    data.customer.admin_access = Some(access(AdminAccessStatus::Expired, None, None));
    let app = expanded(Box::new(crate::tui::model::detail::Detail::new(data)));
    let text = screen(&app);
    assert!(text.contains("admin access EXPIRED"), "{text}");
    assert!(
        text.contains("admin access ended: d requests it again, proposing the roles it had"),
        "{text}"
    );
}

#[test]
fn an_admin_relationship_event_updates_the_row_and_reloads_an_open_expanded_row() {
    let mut app = expanded(detail_with_admin());
    let approved = row(
        "c2",
        "Contoso Ltd",
        Some(access(
            AdminAccessStatus::Active,
            Some("2028-12-01T10:00:00Z"),
            None,
        )),
    );
    let commands = app.update(Action::CustomerChanged {
        kind: EventKind::AdminRelationshipUpdated,
        row: approved,
    });
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::LoadDetail { id, .. } if id == "c2")),
        "the open row is read again: {commands:?}"
    );
    let text = screen(&app);
    assert!(text.contains("active 730d"), "{text}");
    assert!(text.contains("Contoso Ltd: admin access changed"), "{text}");
    // Collapsed rows are only redrawn.
    app.update(key('h'));
    let commands = app.update(Action::CustomerChanged {
        kind: EventKind::AdminRelationshipUpdated,
        row: row(
            "c2",
            "Contoso Ltd",
            Some(access(AdminAccessStatus::Expired, None, None)),
        ),
    });
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::LoadDetail { .. }))
    );
    assert!(screen(&app).contains("expired"));
}
