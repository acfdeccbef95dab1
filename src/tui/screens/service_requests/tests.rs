//! The service requests screen and its form through the app, as the loop drives them: keys in,
//! calls out, answers given as actions. Snapshots at 100×20 and 80×24.

use crossterm::event::KeyCode;

use super::calls::{Agents, LoadAgents};
use super::form::NewRequestScreen;
use super::{LoadRequests, OpenRequest, Opened, Requests, ServiceRequestsScreen};
use crate::api::{Agent, ErrorBody, Role, ServiceRequest, ServiceRequestStatus, Severity};
use crate::client::ClientError;
use crate::tui::app::App;
use crate::tui::testing::{
    answer, code, ctrl, find_call, key, plain_rows, refuse, screen, signed_in_with, top_title,
};

fn read_at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

fn request(
    id: &str,
    title: &str,
    severity: Severity,
    closed: bool,
    created: &str,
) -> ServiceRequest {
    ServiceRequest {
        id: id.into(),
        title: title.into(),
        description: String::new(),
        severity,
        status: if closed {
            ServiceRequestStatus::Closed
        } else {
            ServiceRequestStatus::Open
        },
        created_date: created.into(),
        last_updated_date: created.into(),
        closed_date: None,
        contact: None,
        opened_by: "Pradeep Gupta".into(),
    }
}

fn sample() -> Requests {
    Requests {
        items: vec![
            request(
                "r3",
                "Users cannot sign in to Outlook",
                Severity::Critical,
                false,
                "2026-12-02T11:48:00Z",
            ),
            request(
                "r2",
                "Request to raise the Azure vCPU quota",
                Severity::Moderate,
                false,
                "2026-11-29T09:00:00Z",
            ),
            request(
                "r1",
                "Invoice shows licenses we \u{1b}[2Jcancelled",
                Severity::Minimal,
                true,
                "2026-08-20T09:00:00Z",
            ),
        ],
        read_at: read_at(),
    }
}

/// Signed in as `role` at `w`×`h`, `t` pressed on the first customer, the list answered.
fn opened(role: Role, w: u16, h: u16) -> App {
    let mut app = signed_in_with(role, w, h, plain_rows(3));
    let commands = app.update(key('t'));
    let (_, _, call) = find_call::<LoadRequests>(&commands).expect("the list is asked for");
    assert_eq!(call.customer_id, "id-0001");
    app.update(answer::<LoadRequests>(&commands, sample()));
    app
}

#[test]
fn the_list_shows_title_severity_status_and_age_newest_first() {
    let app = opened(Role::HelpdeskAgent, 100, 20);
    assert_eq!(top_title(&app), "Service requests");
    let text = screen(&app);
    assert!(text.contains("12m"), "{text}");
    assert!(text.contains("3d"), "{text}");
    assert!(text.contains("104d"), "{text}");
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!("service_requests_list", text);
    let narrow = opened(Role::HelpdeskAgent, 80, 24);
    insta::assert_snapshot!("service_requests_list_80x24", screen(&narrow));
}

#[test]
fn sales_agents_are_told_who_may_and_nothing_is_asked() {
    let mut app = signed_in_with(Role::SalesAgent, 140, 20, plain_rows(3));
    let commands = app.update(key('t'));
    assert!(find_call::<LoadRequests>(&commands).is_none());
    assert_eq!(top_title(&app), "Customers");
    let text = screen(&app);
    assert!(
        text.contains(
            "Sales agents can't open service requests: ask a Global admin, an Admin agent or a \
             Helpdesk agent"
        ),
        "{text}"
    );
}

#[test]
fn the_form_sends_once_per_input_points_at_the_refused_field_and_the_list_reloads() {
    let mut app = opened(Role::AdminAgent, 80, 24);
    app.update(key('n'));
    assert_eq!(top_title(&app), "Open a service request");
    let commands = app.update(ctrl('s'));
    assert!(
        find_call::<OpenRequest>(&commands).is_none(),
        "a title is required"
    );
    assert!(screen(&app).contains("is required"), "{}", screen(&app));
    for c in "VPN drops every hour".chars() {
        app.update(key(c));
    }
    app.update(code(KeyCode::Tab));
    for c in "since the update".chars() {
        app.update(key(c));
    }
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Right));
    insta::assert_snapshot!("service_request_form_80x24", screen(&app));
    let commands = app.update(ctrl('s'));
    let (_, _, call) = find_call::<OpenRequest>(&commands).expect("sent");
    assert_eq!(call.new.severity, Some(Severity::Critical));
    assert_eq!(call.new.title, "VPN drops every hour");
    let first_id = call.request_id.clone();
    let refused = ClientError::Status {
        status: 400,
        body: ErrorBody {
            code: 40000,
            description: "title: looks like a test".into(),
            error_name: "InvalidInput".into(),
            data: vec!["title".into()],
            source: "cspdash".into(),
        },
    };
    app.update(refuse::<OpenRequest>(&commands, refused));
    let form = app.screen::<NewRequestScreen>().expect("still open");
    assert_eq!(form.focus(), 0, "back at the title");
    let commands = app.update(ctrl('s'));
    let (_, _, again) = find_call::<OpenRequest>(&commands).expect("sent again");
    assert_eq!(again.request_id, first_id, "same input, same MS-RequestId");
    let opened_one = request(
        "r9",
        "VPN drops every hour",
        Severity::Critical,
        false,
        "2026-12-02T12:00:00Z",
    );
    let after = app.update(answer::<OpenRequest>(&commands, Opened(opened_one)));
    assert_eq!(top_title(&app), "Service requests");
    assert!(
        find_call::<LoadRequests>(&after).is_some(),
        "the list reloads"
    );
    assert!(app.screen::<ServiceRequestsScreen>().is_some());
}

fn agent(id: &str, name: &str, email: &str) -> Agent {
    Agent {
        id: id.into(),
        name: name.into(),
        email: email.into(),
        role: Role::HelpdeskAgent,
    }
}

#[test]
fn the_contact_offers_none_and_the_loaded_agents_and_the_chosen_one_goes_out() {
    let mut app = opened(Role::HelpdeskAgent, 100, 20);
    let commands = app.update(key('n'));
    assert!(
        find_call::<LoadAgents>(&commands).is_some(),
        "agents asked for"
    );
    let agents = vec![
        agent("a-1", "Pradeep Gupta", "pradeep@contoso-csp.example"),
        agent("a-2", "Mia \u{1b}[2JKoch", "mia@contoso-csp.example"),
    ];
    app.update(answer::<LoadAgents>(&commands, Agents(agents)));
    for c in "VPN drops".chars() {
        app.update(key(c));
    }
    for _ in 0..3 {
        app.update(code(KeyCode::Tab));
    }
    assert!(screen(&app).contains("‹ none ›"), "{}", screen(&app));
    app.update(code(KeyCode::Right));
    app.update(code(KeyCode::Right));
    let text = screen(&app);
    assert!(text.contains("<mia@contoso-csp.example>"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("3 of 3"), "{text}");
    let commands = app.update(ctrl('s'));
    let (_, _, call) = find_call::<OpenRequest>(&commands).expect("sent");
    let contact = call.new.contact.as_ref().map(|c| c.agent_id.as_str());
    assert_eq!(contact, Some("a-2"));
}

#[test]
fn no_contact_chosen_sends_none_and_agents_failing_to_load_leaves_the_form_usable() {
    let mut app = opened(Role::AdminAgent, 100, 20);
    let commands = app.update(key('n'));
    let down = ClientError::Status {
        status: 403,
        body: ErrorBody {
            code: 40300,
            description: "not allowed".into(),
            error_name: "Forbidden".into(),
            data: vec![],
            source: "cspdash".into(),
        },
    };
    app.update(refuse::<LoadAgents>(&commands, down));
    assert_eq!(top_title(&app), "Open a service request");
    for c in "Printer offline".chars() {
        app.update(key(c));
    }
    let commands = app.update(ctrl('s'));
    let (_, _, call) = find_call::<OpenRequest>(&commands).expect("sent");
    assert_eq!(call.new.contact, None);
}
