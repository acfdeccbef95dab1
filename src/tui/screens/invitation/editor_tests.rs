//! The editor and the reseller picker of the invitation-draft screen, driven through
//! `App::update`: edits that keep the link become the draft, leaving without it is refused with
//! three ways on, and the picker binds the chosen indirect reseller into the link.

use crossterm::event::KeyCode;

use super::tests::{LINK, RESELLER_LINK, copied_text, drafted, editor_text, reseller, retype};
use crate::invitation::contains_link;
use crate::tui::action::Action;
use crate::tui::screens::invitation::{LoadForReseller, ResellerLink};
use crate::tui::testing::top_title;
use crate::tui::testing::{answer, find_call};
use crate::tui::testing::{code, key, screen};

#[test]
fn an_edit_that_keeps_the_link_becomes_the_draft_that_is_copied() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('e'));
    assert!(editor_text(&app).is_some_and(|t| t.contains(LINK)));
    retype(&mut app, &format!("Hi\n\nJoin us: {LINK}\n\nBob"));
    app.update(code(KeyCode::Esc));
    assert!(editor_text(&app).is_none(), "the editor closed");
    let email = copied_text(&app.update(key('Y')));
    assert_eq!(email, format!("Hi\n\nJoin us: {LINK}\n\nBob"));
}

#[test]
fn leaving_the_editor_without_the_link_is_refused_and_enter_puts_it_back() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('e'));
    retype(&mut app, "Hi\n\nJoin us!\n\nKind regards,\nBob");
    app.update(code(KeyCode::Esc));
    assert!(editor_text(&app).is_some(), "still editing");
    assert!(screen(&app).contains("Leaving is refused"));
    // Typing does nothing to the text while the refusal is up.
    app.update(key('z'));
    app.update(code(KeyCode::Enter));
    assert!(editor_text(&app).is_none(), "left the editor");
    let email = copied_text(&app.update(key('Y')));
    assert!(contains_link(&email, LINK), "{email}");
    assert!(
        email.contains("Join us!") && !email.contains('z'),
        "{email}"
    );
}

#[test]
fn the_refusal_also_offers_to_keep_editing_or_to_discard_the_edits() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('e'));
    retype(&mut app, "no link here");
    app.update(code(KeyCode::Esc));
    app.update(code(KeyCode::Esc));
    assert!(!screen(&app).contains("Leaving is refused"));
    app.update(key('!'));
    assert_eq!(editor_text(&app).as_deref(), Some("no link here!"));
    app.update(code(KeyCode::Esc));
    app.update(key('x'));
    assert!(editor_text(&app).is_none());
    let email = copied_text(&app.update(key('Y')));
    assert!(email.starts_with("Contoso Partner invites you"), "{email}");
}

#[test]
fn in_the_editor_question_mark_and_q_are_text_not_help_or_back() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('e'));
    app.update(key('?'));
    app.update(key('q'));
    assert!(app.help().is_none());
    assert_eq!(top_title(&app), "Invitation draft");
    assert!(editor_text(&app).is_some_and(|t| t.starts_with("?qContoso")));
}

#[test]
fn with_resellers_the_direct_draft_comes_first_and_p_binds_the_chosen_one() {
    let mut app = drafted(vec![reseller("r-1", "Tailspin Toys")], 100, 30);
    assert_eq!(top_title(&app), "Invitation draft");
    app.update(key('p'));
    assert_eq!(top_title(&app), "Choose an indirect reseller");
    app.update(key('j'));
    let commands = app.update(code(KeyCode::Enter));
    let Some((_, _, asked)) = find_call::<LoadForReseller>(&commands) else {
        panic!("no LoadForReseller in {commands:?}");
    };
    assert_eq!(asked.reseller_id, "r-1");
    app.update(answer::<LoadForReseller>(
        &commands,
        ResellerLink(RESELLER_LINK.into()),
    ));
    let link = copied_text(&app.update(key('y')));
    assert_eq!(link, RESELLER_LINK);
    assert!(screen(&app).contains("with indirect reseller Tailspin Toys"));
}

#[test]
fn r_then_y_copies_the_direct_link_and_none_in_the_picker_goes_back_to_it() {
    // From the list to a copied link in two keys, resellers or not.
    let mut app = drafted(vec![reseller("r-1", "Tailspin Toys")], 100, 30);
    let link = copied_text(&app.update(key('y')));
    assert_eq!(link, LINK);
    app.update(key('p'));
    let commands = app.update(code(KeyCode::Enter));
    assert!(
        commands.is_empty(),
        "none: the direct link, no call: {commands:?}"
    );
    assert_eq!(copied_text(&app.update(key('y'))), LINK);
    app.update(key('p'));
    assert_eq!(top_title(&app), "Choose an indirect reseller");
    app.update(code(KeyCode::Esc));
    assert_eq!(
        top_title(&app),
        "Invitation draft",
        "Esc goes back to the draft"
    );
}

#[test]
fn text_pasted_into_the_editor_keeps_its_lines_and_outside_it_changes_nothing() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(Action::Paste("y Y m d".into()));
    assert_eq!(
        top_title(&app),
        "Invitation draft",
        "not run as keys: no Done"
    );
    app.update(key('e'));
    retype(&mut app, "");
    app.update(Action::Paste(format!("Hello\r\n\tsee {LINK}\u{7}")));
    assert_eq!(
        editor_text(&app).as_deref(),
        Some(format!("Hello\n    see {LINK}").as_str())
    );
}
