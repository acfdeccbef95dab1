//! The invitation-draft screen driven through `App::update` as the loop would: keys become
//! commands, results change what is shown, and nothing runs.

use crossterm::event::KeyCode;

use super::{CopyWhat, Stage, Start};
use crate::api::{PartnerRelationship, Role};
use crate::client::ClientError;
use crate::clipboard::{Copied, How};
use crate::invitation::contains_link;
use crate::tui::action::{Action, RequestId};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::screens::invitation::{InvitationScreen, LoadDirect};
use crate::tui::testing::top_title;
use crate::tui::testing::{answer, call_id, find_call, refuse};
use crate::tui::testing::{app, code, ctrl, ids, key, page, plain_rows, screen, signed_in_with};

pub const LINK: &str = "http://127.0.0.1:8080/invite/3f9a2c7d1e5b4a6c8d0e2f4a6b8c0d1e";
pub const RESELLER_LINK: &str = "http://127.0.0.1:8080/invite/77aa55cc33ee11ff00dd22bb44996688";

pub fn reseller(id: &str, name: &str) -> PartnerRelationship {
    PartnerRelationship {
        id: id.into(),
        name: name.into(),
        relationship_type: "IsIndirectCloudSolutionProviderOf".into(),
        state: "Active".into(),
        location: "US".into(),
    }
}

/// Signed in as `role` with three customers on the list, `width`×`height`.
pub fn listed(role: Role, width: u16, height: u16) -> App {
    signed_in_with(role, width, height, plain_rows(3))
}

/// `r` pressed and the link (and `resellers`) arrived.
pub fn drafted(resellers: Vec<PartnerRelationship>, width: u16, height: u16) -> App {
    let mut app = listed(Role::SalesAgent, width, height);
    let asked = app.update(key('r'));
    app.update(loaded(
        &asked,
        Ok(Start {
            link: LINK.into(),
            resellers,
        }),
    ));
    app
}

/// The answer to the draft's first call (`r`).
pub fn loaded(commands: &[Command], result: Result<Start, ClientError>) -> Action {
    match result {
        Ok(start) => answer::<LoadDirect>(commands, start),
        Err(error) => refuse::<LoadDirect>(commands, error),
    }
}

pub fn copy(commands: &[Command]) -> Option<(CopyWhat, String)> {
    commands.iter().find_map(|c| match c {
        Command::Copy { what, text } => Some((*what, text.clone())),
        _ => None,
    })
}

pub fn copied_text(commands: &[Command]) -> String {
    copy(commands).map(|(_, text)| text).unwrap_or_default()
}

/// The editor's text, if it is open.
pub fn editor_text(app: &App) -> Option<String> {
    let ready = app.screen::<InvitationScreen>()?.ready()?;
    Some(ready.editor.as_ref()?.text())
}

/// Selects all of the editor's text and types `text` instead.
pub fn retype(app: &mut App, text: &str) {
    // Ctrl-A/Ctrl-E move within a line in the editor; select the whole text line by line.
    for _ in 0..200 {
        app.update(code(KeyCode::Up));
    }
    app.update(code(KeyCode::Home));
    for _ in 0..200 {
        app.update(ctrl('k'));
        app.update(ctrl('k'));
    }
    for c in text.chars() {
        app.update(match c {
            '\n' => code(KeyCode::Enter),
            c => key(c),
        });
    }
}

#[test]
fn r_opens_the_screen_loading_and_asks_for_the_link_and_the_resellers() {
    let mut app = listed(Role::GlobalAdmin, 100, 24);
    let commands = app.update(key('r'));
    call_id::<LoadDirect>(&commands);
    assert_eq!(top_title(&app), "Invitation draft");
    assert!(app.tick_interval().is_some(), "the spinner turns");
    assert!(screen(&app).contains("Getting your personalized link"));
}

#[test]
fn without_resellers_the_draft_shows_the_link_in_the_partners_and_agents_name() {
    let app = drafted(Vec::new(), 100, 40);
    let text = screen(&app);
    assert!(text.contains(&format!("Link      {LINK}")), "{text}");
    assert!(text.contains("Contoso Partner invites you"), "{text}");
    assert!(text.contains("Ada Lovelace"), "{text}");
    assert!(text.contains("admin permissions"), "{text}");
}

#[test]
fn y_copies_the_link_and_shift_y_the_whole_email() {
    let mut app = drafted(Vec::new(), 100, 30);
    let (what, text) = copy(&app.update(key('y'))).unwrap_or_else(|| panic!("no copy"));
    assert_eq!((what, text.as_str()), (CopyWhat::Link, LINK));
    let (what, text) = copy(&app.update(key('Y'))).unwrap_or_else(|| panic!("no copy"));
    assert_eq!(what, CopyWhat::Email);
    assert!(text.starts_with("Contoso Partner invites you"), "{text}");
    assert!(contains_link(&text, LINK), "{text}");
}

#[test]
fn the_status_line_says_what_was_copied_and_how() {
    let mut app = drafted(Vec::new(), 120, 30);
    app.update(Action::Copied {
        what: CopyWhat::Link,
        result: Ok(Copied {
            how: How::Osc52 { in_tmux: true },
        }),
    });
    let text = screen(&app);
    assert!(text.contains("the link"), "{text}");
    assert!(text.contains("OSC 52"), "{text}");
    assert!(text.contains("set-clipboard on"), "{text}");
}

#[test]
fn when_no_clipboard_works_it_says_so_and_puts_the_link_alone_on_a_line() {
    let mut app = drafted(Vec::new(), 120, 30);
    app.update(Action::Copied {
        what: CopyWhat::Link,
        result: Err(crate::clipboard::CopyError::NotATerminal),
    });
    let text = screen(&app);
    assert!(text.contains("copy it by hand"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_matches(['"', ' ']) == LINK),
        "{text}"
    );
}

#[test]
fn m_asks_for_a_properly_encoded_mailto_and_a_refusal_is_shown() {
    let mut app = drafted(Vec::new(), 120, 30);
    let commands = app.update(key('m'));
    let url = commands
        .iter()
        .find_map(|c| match c {
            Command::OpenMail { url } => Some(url.clone()),
            _ => None,
        })
        .unwrap_or_default();
    assert!(
        url.starts_with("mailto:?subject=Contoso%20Partner%20invites"),
        "{url}"
    );
    assert!(url.contains("%0D%0A"), "{url}");
    assert!(!url.contains(' '), "{url}");
    app.update(Action::MailOpened {
        result: Err(crate::invitation::MailError::OverSsh),
    });
    assert!(screen(&app).contains("over SSH"));
}

#[test]
fn s_saves_the_draft_and_says_where() {
    let mut app = drafted(Vec::new(), 120, 30);
    let commands = app.update(key('s'));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::SaveDraft { from, .. } if from == "Contoso Partner")),
        "{commands:?}"
    );
    app.update(Action::DraftSaved {
        result: Ok("/home/ada/invitation-contoso-partner.eml".into()),
    });
    assert!(screen(&app).contains("Draft saved as /home/ada/invitation-contoso-partner.eml"));
}

#[test]
fn enter_or_d_is_done_and_esc_or_q_go_back_without_quitting() {
    for done in [code(KeyCode::Enter), key('d'), code(KeyCode::Esc), key('q')] {
        let mut app = drafted(Vec::new(), 100, 30);
        app.update(done);
        assert_eq!(top_title(&app), "Customers");
        assert!(!app.should_quit());
    }
}

#[test]
fn a_helpdesk_agent_pressing_r_is_told_which_roles_may_and_nothing_opens() {
    let mut app = listed(Role::HelpdeskAgent, 120, 24);
    let commands = app.update(key('r'));
    assert!(commands.is_empty(), "{commands:?}");
    assert_eq!(top_title(&app), "Customers");
    let text = screen(&app);
    assert!(
        text.contains("Helpdesk agents can't request relationships: ask a Global admin, an Admin agent or a Sales agent"),
        "{text}"
    );
}

#[test]
fn a_refusal_from_the_backend_is_shown_on_the_screen_not_fatal() {
    let mut app = listed(Role::SalesAgent, 120, 24);
    let asked = app.update(key('r'));
    app.update(loaded(
        &asked,
        Err(ClientError::Forbidden {
            description: "needs Global admin, Admin agent or Sales agent".into(),
        }),
    ));
    let text = screen(&app);
    assert!(
        text.contains("Could not get the invitation link: not allowed"),
        "{text}"
    );
    let commands = app.update(ctrl('r'));
    call_id::<LoadDirect>(&commands);
    app.update(code(KeyCode::Esc));
    assert_eq!(top_title(&app), "Customers");
    assert!(!app.should_quit());
}

#[test]
fn a_transient_failure_is_retried_and_a_stale_result_is_ignored() {
    let mut app = listed(Role::SalesAgent, 120, 24);
    let asked = app.update(key('r'));
    let commands = app.update(loaded(
        &asked,
        Err(ClientError::Unreachable {
            url: "http://127.0.0.1:8080".into(),
            reason: "connection refused".into(),
        }),
    ));
    assert!(
        matches!(commands.as_slice(), [Command::RetryAfter(_)]),
        "{commands:?}"
    );
    assert!(matches!(
        app.screen::<InvitationScreen>().map(|s| s.stage()),
        Some(Stage::Loading(_))
    ));
    let again = app.update(Action::Retry);
    let (req, call, _) = find_call::<LoadDirect>(&asked).expect("asked");
    assert_eq!(again, [Command::Call { req, call }], "the same call again");
    // Closed meanwhile: the late answer changes nothing.
    app.update(code(KeyCode::Esc));
    app.update(loaded(
        &asked,
        Ok(Start {
            link: LINK.into(),
            resellers: Vec::new(),
        }),
    ));
    assert!(app.screen::<InvitationScreen>().is_none());
}

#[test]
fn a_link_with_hidden_characters_is_refused_rather_than_shown() {
    let mut app = listed(Role::SalesAgent, 120, 24);
    let asked = app.update(key('r'));
    app.update(loaded(
        &asked,
        Ok(Start {
            link: "http://evil.example/\u{202E}invite".into(),
            resellers: Vec::new(),
        }),
    ));
    assert!(screen(&app).contains("unusable invitation link"));
}

#[test]
fn a_customer_accepting_while_the_draft_is_open_shows_up_in_the_list_and_the_status_line() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(Action::CustomerChanged {
        kind: crate::api::EventKind::CustomerCreated,
        row: crate::tui::model::rows::CustomerRow::new(
            "new",
            "Adventure Works",
            "adventure-works.example",
            None,
            crate::api::Relationship::Reseller,
            true,
        ),
    });
    assert!(screen(&app).contains("New customer: Adventure Works"));
    app.update(key('d'));
    assert!(screen(&app).contains("Adventure Works"));
}

#[test]
fn help_lists_every_key_of_the_draft() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('?'));
    let text = screen(&app);
    for shown in ["y ", "Y ", "e ", "m ", "s w", "Enter d", "Esc", "q  Ctrl-C"] {
        assert!(text.contains(shown), "{shown:?} missing:\n{text}");
    }
}

#[test]
fn a_link_wider_than_the_terminal_is_never_cut() {
    let long = format!(
        "http://127.0.0.1:8080/invite/{}",
        "0123456789abcdef".repeat(4)
    );
    let mut app = listed(Role::SalesAgent, 80, 24);
    let asked = app.update(key('r'));
    app.update(loaded(
        &asked,
        Ok(Start {
            link: long.clone(),
            resellers: Vec::new(),
        }),
    ));
    let text = screen(&app);
    let rows: Vec<&str> = text.lines().map(|l| l.trim_matches('"')).collect();
    let at = rows
        .iter()
        .position(|r| r.starts_with("http://"))
        .unwrap_or_else(|| panic!("the link starts a row:\n{text}"));
    let joined = format!("{}{}", rows[at], rows[at + 1]);
    assert_eq!(joined.trim_end(), long, "{text}");
}

#[test]
fn r_before_sign_in_finished_says_to_wait_instead_of_drafting_in_no_ones_name() {
    let (mut app, commands) = app(100, 20);
    let (_, list_req) = ids(&commands);
    app.update(Action::CustomersPage {
        req: list_req.unwrap_or(RequestId(0)),
        page: page(plain_rows(3), 3, false),
    });
    let commands = app.update(key('r'));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(screen(&app).contains("Still signing in"));
}
