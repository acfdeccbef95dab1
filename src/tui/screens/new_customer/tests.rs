//! The add-customer form driven through the app as the loop would: keys in, commands and screens
//! out. Nothing runs; the backend's answers are given as actions.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{FIELDS, Problem};
use crate::api::{
    Attributes, BillingProfile, CompanyProfile, Customer, ErrorBody, NewCustomer, Relationship,
    Role, validate,
};
use crate::client::ClientError;
use crate::tui::action::{Action, RequestId};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::new_customer::{CreateCustomer, NewCustomerScreen};
use crate::tui::testing::top_title;
use crate::tui::testing::{code, ctrl, key, loaded, screen};
use crate::tui::testing::{failure, find_call, reply};
use crate::tui::theme::Tone;
use crate::tui::view;

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

/// Fills the form field by field (Tab between them); `None` leaves a field as it is.
fn fill(app: &mut App, values: [Option<&str>; 9]) {
    for value in values {
        if let Some(text) = value {
            // Clear what is there (the country starts as US), then type.
            app.update(Action::Key(KeyEvent::new(
                KeyCode::Char('u'),
                KeyModifiers::CONTROL,
            )));
            app.update(code(KeyCode::End));
            for _ in 0..40 {
                app.update(code(KeyCode::Backspace));
            }
            type_text(app, text);
        }
        app.update(code(KeyCode::Tab));
    }
}

const MUELLER: [Option<&str>; 9] = [
    Some("Müller & Söhne GmbH"),
    Some("Mueller-Soehne.example"),
    Some("Jürgen"),
    Some("Groß"),
    Some("juergen@mueller-soehne.example"),
    Some("Hauptstraße 1"),
    Some("München"),
    Some("80331"),
    Some("de"),
];

fn form_open(role: Role) -> App {
    let mut app = loaded(role, 3);
    app.update(key('n'));
    app
}

fn create_command(commands: &[Command]) -> Option<(RequestId, String, Box<NewCustomer>)> {
    let (req, _, call) = find_call::<CreateCustomer>(commands)?;
    Some((req, call.request_id.clone(), call.new.clone()))
}

/// The backend's answer to adding the customer.
fn added(req: RequestId, result: Result<Box<Customer>, ClientError>) -> Action {
    match result {
        Ok(customer) => reply(req, customer),
        Err(error) => failure(req, error),
    }
}

fn created(id: &str, name: &str, domain: &str) -> Customer {
    Customer {
        id: id.into(),
        company_profile: CompanyProfile {
            tenant_id: id.into(),
            domain: domain.into(),
            company_name: name.into(),
        },
        billing_profile: BillingProfile::default(),
        relationship_to_partner: Relationship::Reseller,
        allow_delegated_access: true,
        associated_partner_id: None,
        associated_partner_name: None,
        admin_access: None,
        attributes: Attributes::customer(),
    }
}

/// The customer the backend makes of `MUELLER`.
fn mueller_added() -> Customer {
    created("new-1", "Müller & Söhne GmbH", "mueller-soehne.example")
}

/// Its live event.
fn mueller_created_event() -> Action {
    Action::CustomerChanged {
        kind: crate::api::EventKind::CustomerCreated,
        row: CustomerRow::from_customer(&mueller_added()),
    }
}

fn refused(status: u16, field: &str, description: &str) -> ClientError {
    ClientError::Status {
        status,
        body: ErrorBody {
            code: i64::from(status) * 100,
            description: description.into(),
            error_name: "Conflict".into(),
            data: vec![field.into()],
            source: "cspdash".into(),
        },
    }
}

fn selected_name(app: &App) -> Option<String> {
    let line = app.customers.selected()?;
    Some(app.customers.rows().get(line.row)?.name().to_string())
}

#[test]
fn n_opens_the_form_with_every_field_and_the_keys_in_the_footer() {
    let app = form_open(Role::AdminAgent);
    assert_eq!(top_title(&app), "Add a new customer");
    let text = screen(&app);
    for spec in FIELDS {
        assert!(text.contains(spec.label), "{} missing:\n{text}", spec.label);
    }
    assert!(text.contains("Ctrl-S add"), "{text}");
    assert!(text.contains("Esc cancel"), "{text}");
}

#[test]
fn a_filled_form_sends_the_trimmed_customer_once_enter_reaches_the_last_field() {
    let mut app = form_open(Role::SalesAgent);
    fill(&mut app, MUELLER);
    // Tab after the last field wrapped around to the first; go back to the country.
    app.update(code(KeyCode::Up));
    let commands = app.update(code(KeyCode::Enter));
    let (_, request_id, new) = create_command(&commands).expect("Enter on the last field adds");
    assert!(!request_id.is_empty());
    assert_eq!(new.billing_profile.company_name, "Müller & Söhne GmbH");
    assert_eq!(new.company_profile.domain, "mueller-soehne.example");
    assert_eq!(new.billing_profile.email, "juergen@mueller-soehne.example");
    assert_eq!(new.billing_profile.default_address.city, "München");
    assert_eq!(new.billing_profile.default_address.country, "DE");
    assert!(
        app.screen::<NewCustomerScreen>()
            .is_some_and(|f| f.is_sending())
    );
    assert!(screen(&app).contains("Adding Müller & Söhne GmbH…"));
}

#[test]
fn question_mark_and_q_are_text_in_a_field_and_f1_shows_the_forms_keys() {
    let mut app = form_open(Role::GlobalAdmin);
    type_text(&mut app, "Q&A? quick");
    assert!(!app.should_quit());
    assert_eq!(
        app.screen::<NewCustomerScreen>()
            .map(|f| f.value(0))
            .as_deref(),
        Some("Q&A? quick")
    );
    app.update(code(KeyCode::F(1)));
    let text = screen(&app);
    assert!(text.contains("Keys: Add a new customer"), "{text}");
    assert!(text.contains("add the customer (from any field)"), "{text}");
    app.update(code(KeyCode::Esc));
    assert!(app.help().is_none());
    assert!(
        app.screen::<NewCustomerScreen>().is_some(),
        "Esc closed only the help"
    );
}

#[test]
fn a_bad_domain_is_caught_before_sending_and_the_cursor_goes_to_it() {
    let mut app = form_open(Role::GlobalAdmin);
    let mut values = MUELLER;
    values[1] = Some("not a domain");
    fill(&mut app, values);
    let commands = app.update(ctrl('s'));
    assert!(create_command(&commands).is_none(), "nothing is sent");
    let form = app.screen::<NewCustomerScreen>().expect("form stays open");
    assert_eq!(form.focus(), 1);
    assert_eq!(form.problem().and_then(|p| p.field), Some(1));
    let text = screen(&app);
    assert!(
        text.contains("Primary domain: \"not a domain\" is not a valid domain name"),
        "{text}"
    );
    // Editing the field clears the complaint.
    app.update(code(KeyCode::Backspace));
    assert_eq!(
        app.screen::<NewCustomerScreen>()
            .and_then(|f| f.problem().cloned()),
        None
    );
}

#[test]
fn an_empty_form_names_the_company_name_first() {
    let mut app = form_open(Role::GlobalAdmin);
    app.update(ctrl('s'));
    assert_eq!(
        app.screen::<NewCustomerScreen>()
            .and_then(|f| f.problem().cloned()),
        Some(Problem {
            field: Some(0),
            message: "is required".into()
        })
    );
}

#[test]
fn the_added_customer_is_in_the_list_under_the_cursor_and_the_form_closes() {
    let mut app = form_open(Role::AdminAgent);
    fill(&mut app, MUELLER);
    let commands = app.update(ctrl('s'));
    let (req, _, _) = create_command(&commands).expect("sent");
    // Its live event may come first: the list must still hold it once.
    app.update(mueller_created_event());
    app.update(added(req, Ok(Box::new(mueller_added()))));
    assert!(app.screen::<NewCustomerScreen>().is_none());
    assert_eq!(app.customers.rows().len(), 4);
    assert_eq!(selected_name(&app).as_deref(), Some("Müller & Söhne GmbH"));
    let (status, tone) = view::status_text(&app);
    assert_eq!(
        status,
        "Added Müller & Söhne GmbH (mueller-soehne.example): you are its reseller"
    );
    assert_eq!(tone, Tone::Normal);
    // Its live event after the answer changes nothing and keeps the message.
    app.update(mueller_created_event());
    assert_eq!(app.customers.rows().len(), 4);
    assert!(view::status_text(&app).0.starts_with("Added Müller"));
}

#[test]
fn a_taken_domain_goes_back_to_the_form_at_the_domain_with_the_backends_words() {
    let mut app = form_open(Role::AdminAgent);
    fill(&mut app, MUELLER);
    let commands = app.update(ctrl('s'));
    let (req, _, _) = create_command(&commands).expect("sent");
    app.update(added(
        req,
        Err(refused(
            409,
            validate::DOMAIN,
            "domain mueller-soehne.example is already one of your customers",
        )),
    ));
    let form = app
        .screen::<NewCustomerScreen>()
        .expect("form stays open with the input");
    assert!(!form.is_sending());
    assert_eq!(form.focus(), 1);
    assert_eq!(form.value(0), "Müller & Söhne GmbH");
    let text = screen(&app);
    assert!(
        text.contains("Primary domain: domain mueller-soehne.example is already one of your"),
        "{text}"
    );
}

#[test]
fn an_unreachable_backend_is_retried_with_the_same_request_id_so_nothing_is_added_twice() {
    let mut app = form_open(Role::AdminAgent);
    fill(&mut app, MUELLER);
    let commands = app.update(ctrl('s'));
    let (req, request_id, new) = create_command(&commands).expect("sent");
    let commands = app.update(added(
        req,
        Err(ClientError::Unreachable {
            url: "http://127.0.0.1:8080".into(),
            reason: "connection refused".into(),
        }),
    ));
    assert!(
        commands.iter().any(|c| matches!(c, Command::RetryAfter(_))),
        "{commands:?}"
    );
    assert!(
        app.screen::<NewCustomerScreen>()
            .is_some_and(|f| f.is_sending())
    );
    let again = app.update(Action::Retry);
    assert_eq!(
        create_command(&again),
        Some((req, request_id, new)),
        "the retry is the same request"
    );
}

#[test]
fn sending_the_same_input_again_reuses_the_request_id_and_changed_input_gets_a_new_one() {
    let mut app = form_open(Role::AdminAgent);
    fill(&mut app, MUELLER);
    let (req, first_id, _) = create_command(&app.update(ctrl('s'))).expect("sent");
    app.update(added(req, Err(refused(500, "", "database is locked"))));
    // A 5xx is retried by itself; answer the retry with a refusal the user must act on.
    let (req, same_id, _) = create_command(&app.update(Action::Retry)).expect("retried");
    assert_eq!(same_id, first_id);
    app.update(added(
        req,
        Err(ClientError::Forbidden {
            description: "a Helpdesk agent may not do this".into(),
        }),
    ));
    let (_, again_id, _) = create_command(&app.update(ctrl('s'))).expect("sent again");
    assert_eq!(again_id, first_id, "same input, same request id");
    let mut app = form_open(Role::AdminAgent);
    fill(&mut app, MUELLER);
    let (req, first_id, _) = create_command(&app.update(ctrl('s'))).expect("sent");
    app.update(added(req, Err(refused(409, validate::DOMAIN, "taken"))));
    type_text(&mut app, "x");
    let (_, new_id, new) = create_command(&app.update(ctrl('s'))).expect("sent");
    assert_eq!(new.company_profile.domain, "mueller-soehne.examplex");
    assert_ne!(new_id, first_id, "other input, other request");
}

#[test]
fn esc_on_a_typed_form_asks_first_and_on_an_untouched_form_closes_at_once() {
    let mut app = form_open(Role::AdminAgent);
    app.update(code(KeyCode::Esc));
    assert!(
        app.screen::<NewCustomerScreen>().is_none(),
        "nothing typed: closes"
    );
    app.update(key('n'));
    type_text(&mut app, "Contoso");
    app.update(code(KeyCode::Esc));
    assert!(
        app.screen::<NewCustomerScreen>()
            .is_some_and(|f| f.discard_armed())
    );
    assert!(view::status_text(&app).0.contains("Esc again discards"));
    app.update(key('!'));
    assert_eq!(
        app.screen::<NewCustomerScreen>()
            .map(|f| f.value(0))
            .as_deref(),
        Some("Contoso!")
    );
    app.update(code(KeyCode::Esc));
    app.update(code(KeyCode::Esc));
    assert!(app.screen::<NewCustomerScreen>().is_none());
}

#[test]
fn a_helpdesk_agent_gets_no_form() {
    let app = form_open(Role::HelpdeskAgent);
    assert!(app.screen::<NewCustomerScreen>().is_none());
    assert!(view::status_text(&app).0.contains(
        "Helpdesk agents can't add customers: ask a Global admin, an Admin agent or a Sales agent"
    ));
}

#[test]
fn snapshot_of_the_empty_form() {
    let app = form_open(Role::AdminAgent);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_of_a_refused_form() {
    let mut app = form_open(Role::AdminAgent);
    let mut values = MUELLER;
    values[4] = Some("juergen at mueller");
    fill(&mut app, values);
    app.update(ctrl('s'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_of_the_form_in_a_short_terminal_keeps_the_focused_field_in_view() {
    let mut app = form_open(Role::AdminAgent);
    app.update(Action::Resize {
        width: 80,
        height: 10,
    });
    for _ in 0..7 {
        app.update(code(KeyCode::Tab));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn text_pasted_into_the_form_lands_in_the_focused_field_on_one_line() {
    let mut app = form_open(Role::AdminAgent);
    app.update(code(KeyCode::Tab));
    app.update(Action::Paste(" contoso.onmicrosoft.com\n".into()));
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Tab));
    app.update(Action::Paste("a@b.example\tq".into()));
    let form = app
        .screen::<NewCustomerScreen>()
        .expect("still open: nothing ran as a key");
    assert_eq!(form.value(1), "contoso.onmicrosoft.com");
    assert_eq!(form.value(4), "a@b.example q");
}

#[test]
fn the_form_draws_at_every_size_down_to_the_smallest_with_the_focused_field_shown() {
    for (width, height) in [
        (view::MIN_WIDTH, view::MIN_HEIGHT),
        (70, 8),
        (80, 12),
        (200, 60),
    ] {
        let mut app = form_open(Role::AdminAgent);
        app.update(Action::Resize { width, height });
        let mut values = MUELLER;
        values[8] = Some("Deutschland");
        fill(&mut app, values);
        app.update(ctrl('s'));
        let text = screen(&app);
        assert!(
            text.contains("Country"),
            "{width}×{height}: the field at fault is in view:\n{text}"
        );
    }
}

#[test]
fn esc_while_adding_stops_waiting_and_a_late_answer_changes_nothing_but_the_list() {
    let mut app = form_open(Role::AdminAgent);
    fill(&mut app, MUELLER);
    let (req, _, _) = create_command(&app.update(ctrl('s'))).expect("sent");
    app.update(key('x'));
    assert!(
        app.screen::<NewCustomerScreen>()
            .is_some_and(|f| f.is_sending()),
        "keys wait"
    );
    app.update(code(KeyCode::Esc));
    assert!(app.screen::<NewCustomerScreen>().is_none());
    assert!(view::status_text(&app).0.starts_with("Stopped waiting"));
    app.update(added(req, Ok(Box::new(mueller_added()))));
    assert!(app.screen::<NewCustomerScreen>().is_none());
    // The live event brings it into the list, as for any other change.
    app.update(mueller_created_event());
    assert_eq!(app.customers.rows().len(), 4);
}
