//! The support contacts picker through the app: the current contacts pre-marked, Space and
//! Enter save with the ETag read, a 412 reloads and says so, roles that may not are told who may.

use super::{LoadContacts, Loaded, SaveContacts, Saved, SupportContactsScreen};
use crate::api::{Agent, ErrorBody, Role, SupportContact, SupportContacts, Tagged};
use crate::client::ClientError;
use crate::tui::app::App;
use crate::tui::testing::{
    answer, find_call, key, plain_rows, refuse, screen, signed_in_with, top_title,
};

fn agent(id: &str, name: &str, role: Role) -> Agent {
    Agent {
        id: id.into(),
        name: name.into(),
        email: format!("{}@contoso.example", name.to_lowercase().replace(' ', ".")),
        role,
    }
}

fn loaded(etag: &str, current: &[&str]) -> Loaded {
    Loaded {
        agents: vec![
            agent("a1", "Alex Wilber", Role::GlobalAdmin),
            agent("a2", "Megan Bowen", Role::AdminAgent),
            agent("a3", "Lee Gu", Role::SalesAgent),
            agent("a4", "Pradeep Gupta", Role::HelpdeskAgent),
        ],
        contacts: Tagged {
            value: SupportContacts {
                items: current.iter().map(|id| SupportContact::agent(id)).collect(),
            },
            etag: etag.into(),
        },
    }
}

fn opened(w: u16, h: u16) -> App {
    let mut app = signed_in_with(Role::AdminAgent, w, h, plain_rows(3));
    let commands = app.update(key('c'));
    let (_, _, call) = find_call::<LoadContacts>(&commands).expect("asked for");
    assert_eq!(call.customer_id, "id-0001");
    app.update(answer::<LoadContacts>(&commands, loaded("\"3\"", &["a2"])));
    app
}

#[test]
fn the_current_contacts_are_marked_and_enter_saves_the_marked_ones_with_the_etag() {
    let mut app = opened(100, 20);
    assert_eq!(top_title(&app), "Support contacts");
    let picker = app
        .screen::<SupportContactsScreen>()
        .and_then(|s| s.picker())
        .expect("shown");
    assert_eq!(picker.marked(), vec![1], "Megan Bowen is a contact already");
    insta::assert_snapshot!("support_contacts_picker", screen(&app));
    insta::assert_snapshot!("support_contacts_picker_80x24", screen(&opened(80, 24)));
    app.update(key(' ')); // marks Alex Wilber under the cursor
    let commands = app.update(crate::tui::testing::code(crossterm::event::KeyCode::Enter));
    let (_, _, save) = find_call::<SaveContacts>(&commands).expect("saved");
    assert_eq!(save.agent_ids, ["a1", "a2"]);
    assert_eq!(save.etag, "\"3\"");
    let saved = Saved(Tagged {
        value: SupportContacts {
            items: vec![SupportContact {
                agent_id: "a1".into(),
                name: Some("Alex Wilber".into()),
                email: None,
            }],
        },
        etag: "\"4\"".into(),
    });
    app.update(answer::<SaveContacts>(&commands, saved));
    assert_eq!(top_title(&app), "Customers");
}

#[test]
fn a_stale_etag_says_someone_else_changed_them_and_reloads() {
    let mut app = opened(100, 20);
    let commands = app.update(crate::tui::testing::code(crossterm::event::KeyCode::Enter));
    let stale = ClientError::Status {
        status: 412,
        body: ErrorBody {
            code: 41200,
            description: "the resource changed since you read it".into(),
            error_name: "PreconditionFailed".into(),
            data: Vec::new(),
            source: "cspdash".into(),
        },
    };
    let after = app.update(refuse::<SaveContacts>(&commands, stale));
    assert!(find_call::<LoadContacts>(&after).is_some(), "read again");
    let text = screen(&app);
    assert!(
        text.contains("changed by someone else — reloaded, try again"),
        "{text}"
    );
    assert_eq!(top_title(&app), "Support contacts");
}

#[test]
fn helpdesk_agents_are_told_who_may_change_contacts() {
    let mut app = signed_in_with(Role::HelpdeskAgent, 140, 20, plain_rows(3));
    let commands = app.update(key('c'));
    assert!(find_call::<LoadContacts>(&commands).is_none());
    let text = screen(&app);
    assert!(
        text.contains(
            "Helpdesk agents can't change support contacts: ask a Global admin or an Admin agent"
        ),
        "{text}"
    );
}
