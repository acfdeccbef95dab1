//! Screen snapshots of the invitation-draft screen on ratatui's `TestBackend`, fed with the same
//! actions the loop would send. The `.snap` files are committed (insta does not write them when
//! `CI=true`).

use crossterm::event::KeyCode;

use super::tests::{RESELLER_LINK, drafted, reseller, retype};
use crate::tui::screens::invitation::{LoadForReseller, ResellerLink};
use crate::tui::testing::answer;
use crate::tui::testing::{code, key, screen};

#[test]
fn draft_without_an_indirect_reseller() {
    let app = drafted(Vec::new(), 100, 40);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn reseller_picker() {
    let mut app = drafted(
        vec![
            reseller("r-1", "Tailspin Toys"),
            reseller("r-2", "Wide World Importers"),
        ],
        100,
        14,
    );
    app.update(key('p'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn draft_with_an_indirect_reseller() {
    let mut app = drafted(vec![reseller("r-1", "Tailspin Toys")], 100, 40);
    app.update(key('p'));
    app.update(key('j'));
    let commands = app.update(code(KeyCode::Enter));
    app.update(answer::<LoadForReseller>(
        &commands,
        ResellerLink(RESELLER_LINK.into()),
    ));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn refusal_when_the_link_was_removed_in_the_editor() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('e'));
    retype(
        &mut app,
        "Contoso Partner invites you\n\nHello,\n\nPlease accept our invitation.\n\nKind regards,\nAda",
    );
    app.update(code(KeyCode::Esc));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_of_the_draft() {
    let mut app = drafted(Vec::new(), 100, 30);
    app.update(key('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn small_terminals_draw_every_state_without_panicking() {
    for (w, h) in [(63, 7), (80, 8), (64, 24)] {
        let mut app = drafted(Vec::new(), w, h);
        let _ = screen(&app);
        app.update(key('e'));
        let _ = screen(&app);
        retype(&mut app, "x");
        app.update(code(KeyCode::Esc));
        let _ = screen(&app);
        let mut app = drafted(vec![reseller("r-1", "Tailspin Toys")], w, h);
        let _ = screen(&app);
        app.update(key('p'));
        let _ = screen(&app);
    }
}
