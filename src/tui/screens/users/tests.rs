//! The users screen driven through `App::update`, as the loop would: keys, answers, live events.

use crossterm::event::KeyCode;

use super::{
    Added, Changed, CreateUser, LoadUsers, Loaded, Mode, SetRemoved, UpdateLicenses, UsersScreen,
};
use crate::api::users::validate::check_password;
use crate::api::users::{ACTIVE, AssignedLicense, INACTIVE, User, UserAttributes};
use crate::api::{ErrorBody, EventKind, ProductSku, Role, SubscribedSku};
use crate::client::ClientError;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::model::CopyWhat;
use crate::tui::testing::{
    answer, code, ctrl, find_call, key, plain_rows, refuse, screen, signed_in_with, top_title,
};

pub fn user(id: &str, name: &str, upn: &str, held: &[&str]) -> User {
    User {
        id: id.into(),
        user_principal_name: upn.into(),
        first_name: String::new(),
        last_name: String::new(),
        display_name: name.into(),
        usage_location: "DE".into(),
        state: ACTIVE.into(),
        soft_deletion_time: None,
        assigned_licenses: held
            .iter()
            .map(|s| AssignedLicense {
                sku_id: (*s).into(),
            })
            .collect(),
        attributes: UserAttributes {
            etag: Some("\"3\"".into()),
            ..UserAttributes::default()
        },
    }
}

fn removed(id: &str, name: &str, upn: &str, hours_ago: i64) -> User {
    let at = chrono::Utc::now() - chrono::Duration::hours(hours_ago);
    User {
        state: INACTIVE.into(),
        soft_deletion_time: Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        ..user(id, name, upn, &[])
    }
}

fn sku(id: &str, name: &str, part: &str, total: i64, assigned: i64) -> SubscribedSku {
    SubscribedSku {
        product_sku: ProductSku {
            id: id.into(),
            name: name.into(),
            sku_part_number: part.into(),
        },
        status: "Enabled".into(),
        active_units: total,
        consumed_units: assigned,
        suspended_units: 0,
        warning_units: 0,
    }
}

pub fn sample() -> Loaded {
    Loaded {
        active: vec![
            user("u-1", "Admin", "admin@customer0001.example", &["e3"]),
            user(
                "u-2",
                "Jane Doe",
                "jane.doe@customer0001.example",
                &["e3", "exo"],
            ),
        ],
        removed: vec![
            removed(
                "u-3",
                "Max Mustermann",
                "max@customer0001.example",
                3 * 24 + 1,
            ),
            removed(
                "u-4",
                "Old Timer",
                "left.long.ago@customer0001.example",
                45 * 24,
            ),
        ],
        skus: vec![
            sku("e3", "Microsoft 365 E3", "SPE_E3", 25, 2),
            sku("exo", "Exchange Online (Plan 1)", "EXCHANGESTANDARD", 5, 5),
        ],
        country: "DE".into(),
    }
}

/// Signed in as `role`, `u` pressed on the first customer, the users loaded.
pub fn opened(role: Role, width: u16, height: u16) -> App {
    let mut app = signed_in_with(role, width, height, plain_rows(3));
    let commands = app.update(key('u'));
    let (_, _, load) = find_call::<LoadUsers>(&commands).expect("loads the users");
    assert_eq!(load.customer_id, "id-0001");
    app.update(answer::<LoadUsers>(&commands, sample()));
    app
}

fn mode(app: &App) -> &Mode {
    app.screen::<UsersScreen>().expect("users screen").mode()
}

fn typing(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

#[test]
fn u_shows_the_customers_users_removed_ones_with_days_left_and_the_licenses() {
    let app = opened(Role::GlobalAdmin, 120, 24);
    assert_eq!(top_title(&app), "Users and licenses");
    let text = screen(&app);
    assert!(text.contains("jane.doe@customer0001.example"), "{text}");
    assert!(text.contains("removed · 27 days left"), "{text}");
    assert!(text.contains("removed · too late"), "{text}");
    assert!(text.contains("SPE_E3, EXCHANGESTANDARD"), "{text}");
    assert!(
        text.contains("Exchange Online (Plan 1)") && text.contains("available"),
        "{text}"
    );
}

/// Opens the form, types a user, sends it; the commands of the send.
fn add_jane(app: &mut App) -> Vec<Command> {
    app.update(key('n'));
    assert!(matches!(mode(app), Mode::Form(_)));
    typing(app, "lena");
    app.update(code(KeyCode::Tab));
    typing(app, "Lena");
    app.update(code(KeyCode::Tab));
    typing(app, "Berg");
    app.update(ctrl('s'))
}

#[test]
fn a_new_user_gets_a_generated_password_shown_once_and_copied_with_y() {
    let mut app = opened(Role::AdminAgent, 100, 30);
    let commands = add_jane(&mut app);
    let (_, _, call) = find_call::<CreateUser>(&commands).expect("sends the user");
    assert_eq!(call.new.user_principal_name, "lena@customer0001.example");
    assert_eq!(call.new.display_name, "Lena Berg");
    assert_eq!(call.new.usage_location, "DE", "the customer's country");
    assert!(call.new.password_profile.force_change_password);
    let password = call.new.password_profile.password.clone();
    assert!(check_password(&password).is_ok());
    let added = user("u-9", "Lena Berg", "lena@customer0001.example", &[]);
    let after = app.update(answer::<CreateUser>(&commands, Added(added)));
    assert!(
        find_call::<LoadUsers>(&after).is_some(),
        "reloads after adding"
    );
    assert!(screen(&app).contains(&password), "the password is shown");
    let copied = app.update(key('y'));
    assert!(copied.iter().any(|c| matches!(c,
        Command::Copy { what: CopyWhat::Password, text } if *text == password)));
    app.update(code(KeyCode::Enter));
    assert!(!screen(&app).contains(&password), "shown once only");
}

#[test]
fn a_refused_add_points_at_the_field_and_the_same_form_is_resent_with_the_same_id() {
    let mut app = opened(Role::AdminAgent, 100, 30);
    let first = add_jane(&mut app);
    let (_, _, sent) = find_call::<CreateUser>(&first).expect("sent");
    let sent = sent.clone();
    let body = ErrorBody {
        code: 40900,
        description: "lena@customer0001.example is already a user".into(),
        error_name: "Conflict".into(),
        data: vec!["userPrincipalName".into()],
        source: "cspdash".into(),
    };
    app.update(refuse::<CreateUser>(
        &first,
        ClientError::Status { status: 409, body },
    ));
    match mode(&app) {
        Mode::Form(form) => assert_eq!(form.form.first_error().map(|p| p.0), Some(0)),
        other => panic!("expected the form, got {other:?}"),
    }
    assert!(screen(&app).contains("already a user"));
    let again = app.update(ctrl('s'));
    let (_, _, resent) = find_call::<CreateUser>(&again).expect("resent");
    assert_eq!(resent.request_id, sent.request_id);
    assert_eq!(
        resent.new.password_profile.password,
        sent.new.password_profile.password
    );
}

#[test]
fn removing_asks_first_naming_user_customer_and_consequence_and_sends_the_etag() {
    let mut app = opened(Role::GlobalAdmin, 100, 30);
    app.update(key('j'));
    app.update(key('x'));
    let text = screen(&app);
    assert!(text.contains("Remove this user?"), "{text}");
    assert!(
        text.contains("Jane Doe (jane.doe@customer0001.example) from Customer 0001"),
        "{text}"
    );
    assert!(
        text.contains("licenses are freed") && text.contains("30 days"),
        "{text}"
    );
    let none = app.update(key('n'));
    assert!(
        find_call::<SetRemoved>(&none).is_none(),
        "anything but y cancels"
    );
    app.update(key('x'));
    let commands = app.update(key('y'));
    let (_, _, call) = find_call::<SetRemoved>(&commands).expect("removes");
    assert_eq!(
        (call.user_id.as_str(), call.etag.as_str(), call.restore),
        ("u-2", "\"3\"", false)
    );
    let mut gone = user("u-2", "Jane Doe", "jane.doe@customer0001.example", &[]);
    gone.state = INACTIVE.into();
    app.update(answer::<SetRemoved>(&commands, Changed(gone)));
    assert!(screen(&app).contains("licenses freed"));
}

#[test]
fn a_removed_user_is_restored_with_r_but_not_after_30_days() {
    let mut app = opened(Role::AdminAgent, 100, 30);
    for _ in 0..2 {
        app.update(key('j'));
    }
    let commands = app.update(key('r'));
    let (_, _, call) = find_call::<SetRemoved>(&commands).expect("restores");
    assert!(call.restore && call.user_id == "u-3");
    let mut app = opened(Role::AdminAgent, 100, 30);
    for _ in 0..3 {
        app.update(key('j'));
    }
    let commands = app.update(key('r'));
    assert!(find_call::<SetRemoved>(&commands).is_none());
    assert!(screen(&app).contains("can no longer be restored"));
}

#[test]
fn sales_and_helpdesk_agents_are_told_who_may_change_users() {
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let mut app = opened(role, 100, 30);
        for k in ['n', 'x', 'l'] {
            let commands = app.update(key(k));
            assert!(matches!(mode(&app), Mode::List), "{role}: {k}");
            assert!(commands.iter().all(|c| !matches!(c, Command::Call { .. })));
            let text = screen(&app);
            assert!(
                text.contains("ask a Global admin or an Admin agent"),
                "{role} {k}: {text}"
            );
        }
    }
}

#[test]
fn the_picker_refuses_a_product_with_no_free_units_and_applies_the_difference() {
    let mut app = opened(Role::AdminAgent, 100, 30);
    app.update(key('l'));
    assert!(matches!(mode(&app), Mode::Picker(_)));
    app.update(key('j'));
    app.update(key(' '));
    assert!(
        screen(&app).contains("No Exchange Online (Plan 1) licenses available: all 5 are assigned")
    );
    app.update(key('k'));
    app.update(key(' '));
    let commands = app.update(code(KeyCode::Enter));
    let (_, _, call) = find_call::<UpdateLicenses>(&commands).expect("updates");
    assert_eq!(
        (call.assign.clone(), call.remove.clone()),
        (vec![], vec!["e3".to_string()])
    );
}

#[test]
fn another_agents_change_to_this_customers_users_reloads_the_screen() {
    let mut app = opened(Role::AdminAgent, 100, 30);
    let row = plain_rows(1).remove(0);
    let commands = app.update(Action::CustomerChanged {
        kind: EventKind::UserCreated,
        row,
    });
    assert!(find_call::<LoadUsers>(&commands).is_some(), "reloads");
    let other = plain_rows(2).remove(1);
    let commands = app.update(Action::CustomerChanged {
        kind: EventKind::UserCreated,
        row: other,
    });
    assert!(
        find_call::<LoadUsers>(&commands).is_none(),
        "another customer's change"
    );
}
