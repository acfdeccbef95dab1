//! The draft as the customer reads it, and the link guard as the editing user meets it.
#![allow(clippy::unwrap_used)]

use super::*;

const LINK: &str = "https://cspdash.example.net/invite/Q2hhbmdlTWU";

fn contoso() -> Draft {
    Draft::new("Contoso Partner", "Dana Agent", LINK, None)
}

#[test]
fn draft_is_in_the_partners_name_and_signed_by_the_agent() {
    let draft = contoso();
    assert_eq!(
        draft.subject,
        "Contoso Partner invites you to a reseller relationship"
    );
    assert!(
        draft
            .body
            .starts_with("Hello,\n\nContoso Partner would like")
    );
    assert!(
        draft
            .body
            .ends_with("Kind regards,\nDana Agent\nContoso Partner\n")
    );
}

#[test]
fn draft_explains_what_accepting_grants_and_that_it_can_be_undone() {
    let body = contoso().body.replace('\n', " ").replace("   ", " ");
    for promise in [
        "Cloud Solution Provider (CSP)",
        "becomes your reseller",
        "admin permissions (delegated administration)",
        "tenant",
        "remove our admin permissions or end the relationship at any time",
    ] {
        assert!(body.contains(promise), "{promise:?} missing from:\n{body}");
    }
}

#[test]
fn link_stands_alone_on_its_own_line_between_blank_lines() {
    let draft = contoso();
    let lines: Vec<&str> = draft.body.lines().collect();
    let at = lines.iter().position(|l| *l == LINK).unwrap();
    assert_eq!(lines[at - 1], "");
    assert_eq!(lines[at + 1], "");
    assert_eq!(draft.body.matches(LINK).count(), 1);
}

#[test]
fn prose_is_wrapped_for_plain_text_mail_but_a_long_link_is_not_cut() {
    let long_link = format!("https://cspdash.example.net/invite/{}", "x".repeat(120));
    let draft = Draft::new("Contoso Partner", "Dana Agent", &long_link, Some("Adatum"));
    for line in draft.body.lines().filter(|l| *l != long_link) {
        assert!(line.chars().count() <= 72, "too long: {line:?}");
    }
    assert!(draft.body.lines().any(|l| l == long_link));
}

#[test]
fn indirect_reseller_is_named_when_given() {
    let draft = Draft::new(
        "Contoso Partner",
        "Dana Agent",
        LINK,
        Some("Adatum Reseller"),
    );
    let body = draft.body.replace('\n', " ").replace("   ", " ");
    assert!(
        body.contains("Contoso Partner, together with our indirect reseller Adatum Reseller,"),
        "{body}"
    );
    assert!(body.contains("support you with Adatum Reseller"), "{body}");
    assert!(!contoso().body.contains("indirect reseller"));
}

#[test]
fn names_from_the_backend_cannot_inject_lines_or_bidi_tricks() {
    let draft = Draft::new(
        "Evil\nSubject: pwned\u{202e}",
        "Agent\r\n\u{7}Bob",
        LINK,
        None,
    );
    assert_eq!(
        draft.subject,
        "Evil Subject: pwned invites you to a reseller relationship"
    );
    assert!(draft.body.contains("\nAgent Bob\n"));
    assert!(!draft.full_text().contains(['\u{202e}', '\r', '\u{7}']));
}

#[test]
fn non_ascii_names_are_kept() {
    let draft = Draft::new("Müller & Söhne", "Jürgen Groß", LINK, None);
    assert_eq!(
        draft.subject,
        "Müller & Söhne invites you to a reseller relationship"
    );
    assert!(draft.body.ends_with("Jürgen Groß\nMüller & Söhne\n"));
}

#[test]
fn full_text_is_subject_blank_line_body_and_splits_back() {
    let draft = contoso();
    let full = draft.full_text();
    assert!(full.starts_with(&format!("{}\n\n{}", draft.subject, draft.body)));
    assert_eq!(draft.from_edited(&full).unwrap(), draft);
}

#[test]
fn edited_text_keeps_the_users_words() {
    let draft = contoso();
    let edited = format!("Hi from Contoso\n\nDear Fabrikam,\n\njoin us: {LINK}\n\nDana\n");
    let updated = draft.from_edited(&edited).unwrap();
    assert_eq!(updated.subject, "Hi from Contoso");
    assert_eq!(
        updated.body,
        format!("Dear Fabrikam,\n\njoin us: {LINK}\n\nDana\n")
    );
}

#[test]
fn removing_the_link_is_refused_with_an_offer_to_put_it_back() {
    let draft = contoso();
    let edited = draft.full_text().replace(LINK, "");
    let refused = draft.from_edited(&edited).unwrap_err();
    let message = refused.to_string();
    assert!(message.contains(LINK), "{message}");
    assert!(message.contains("put it back?"), "{message}");
}

#[test]
fn only_the_exact_link_counts() {
    let refused = [
        format!("{}\n{}", &LINK[..30], &LINK[30..]), // cut by a line break
        LINK[..LINK.len() - 1].to_string(),          // shortened
        format!("{LINK}x"),                          // lengthened
        format!("{LINK}/more"),                      // another path
        format!("{LINK}.evil.example"),              // another host
        format!("x{LINK}"),                          // glued to a word
        LINK.to_uppercase(),                         // case changed
        LINK.replace("https://", "https:// "),       // a space slipped in
    ];
    for text in &refused {
        assert!(check_edited(LINK, text).is_err(), "accepted {text:?}");
    }
    let accepted = [
        LINK.to_string(),
        format!("Accept here: <{LINK}>"),
        format!("(see {LINK})"),
        format!("Open {LINK}."),
        format!("Open {LINK}, then accept"),
        format!("\"{LINK}\""),
        format!("Link:\n\t{LINK}\r\nThanks"),
    ];
    for text in &accepted {
        assert!(check_edited(LINK, text).is_ok(), "refused {text:?}");
    }
}

#[test]
fn a_link_broken_in_one_place_but_intact_in_another_is_accepted() {
    let text = format!("{}…\n\n{LINK}\n", &LINK[..20]);
    assert!(check_edited(LINK, &text).is_ok());
}

#[test]
fn restore_puts_the_link_back_above_the_sign_off() {
    let draft = contoso();
    let edited = draft.body.replace(&format!("\n{LINK}\n"), "");
    assert!(check_edited(LINK, &edited).is_err());
    let restored = restore_link(&edited, LINK);
    assert!(check_edited(LINK, &restored).is_ok());
    assert!(
        restored.ends_with(&format!(
            "\n\n{LINK}\n\nKind regards,\nDana Agent\nContoso Partner\n"
        )),
        "{restored}"
    );
}

#[test]
fn restore_without_a_sign_off_appends_the_link_at_the_end() {
    assert_eq!(
        restore_link("Hi,\n\nplease accept.\n\n\n", LINK),
        format!("Hi,\n\nplease accept.\n\n{LINK}\n")
    );
    assert_eq!(restore_link("", LINK), format!("{LINK}\n"));
}

#[test]
fn restore_recognises_sign_offs_however_they_are_written() {
    for sign_off in [
        "Best regards",
        "thanks!",
        "Cheers,",
        "Mit freundlichen Grüßen",
    ] {
        let text = format!("Hi,\nplease accept.\n{sign_off}\nDana");
        let restored = restore_link(&text, LINK);
        assert_eq!(
            restored,
            format!("Hi,\nplease accept.\n\n{LINK}\n\n{sign_off}\nDana"),
            "{sign_off}"
        );
    }
}

#[test]
fn restore_leaves_a_text_that_has_the_link_alone() {
    let text = contoso().body;
    assert_eq!(restore_link(&text, LINK), text);
}

#[test]
fn split_full_text_tolerates_missing_blank_line_and_leading_newlines() {
    assert_eq!(
        split_full_text("\n\nSubject\nBody line\n"),
        ("Subject".to_string(), "Body line\n".to_string())
    );
    assert_eq!(
        split_full_text("Only a subject"),
        ("Only a subject".to_string(), String::new())
    );
}

#[test]
fn a_restore_draft_names_the_customer_says_it_restores_and_keeps_the_link_whole() {
    let draft = Draft::restore(
        "Contoso Partner",
        "Dana Agent",
        LINK,
        "Fourth\u{202e}Coffee",
    );
    assert_eq!(
        draft.subject,
        "Restore the reseller relationship of FourthCoffee with Contoso Partner"
    );
    let body = draft.body.split_whitespace().collect::<Vec<_>>().join(" ");
    for says in [
        "restore its reseller relationship with FourthCoffee",
        "admin permissions",
        "issued for FourthCoffee only",
        "end the relationship at any time",
    ] {
        assert!(body.contains(says), "{says}: {}", draft.body);
    }
    assert!(draft.body.contains(&format!("\n\n{LINK}\n\n")));
    assert!(
        draft
            .body
            .ends_with("Kind regards,\nDana Agent\nContoso Partner\n")
    );
}
