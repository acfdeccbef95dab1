//! The link guard: the user may rewrite the whole email, but not lose the personalized link, since
//! it is the only way the customer can accept. Only the exact link counts, standing as a URL of
//! its own: a link cut by a line break, shortened or lengthened does not.

/// Leaving the editor without the exact link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The invitation link is missing or changed: the customer can only accept through this exact \
     link, on one line: {link} — put it back?"
)]
pub struct LinkMissing {
    pub link: String,
}

/// `Ok` when `edited_text` still contains `original_link` exactly (see [`contains_link`]).
pub fn check_edited(original_link: &str, edited_text: &str) -> Result<(), LinkMissing> {
    if contains_link(edited_text, original_link) {
        Ok(())
    } else {
        Err(LinkMissing {
            link: original_link.to_string(),
        })
    }
}

/// `link` occurs in `text` as a whole URL: not glued to other URL characters on either side, so
/// `…/invite/abc` does not count inside `…/invite/abcd`. It may stand in `<…>`, `(…)` or quotes,
/// or be followed by sentence punctuation, as mail apps still recognise the same link there.
pub fn contains_link(text: &str, link: &str) -> bool {
    if link.is_empty() {
        return true;
    }
    text.match_indices(link).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = &text[at + link.len()..];
        before.is_none_or(|c| c.is_whitespace() || "<([{\"'".contains(c)) && ends_cleanly(after)
    })
}

fn ends_cleanly(after: &str) -> bool {
    let closes = |c: char| c.is_whitespace() || ">)]}\"'".contains(c);
    let mut chars = after.chars();
    match chars.next() {
        None => true,
        Some(c) if closes(c) => true,
        // "…/invite/abc." ends a sentence; "…/invite/abc.x" is another URL.
        Some(c) if ".,;:!?".contains(c) => chars.next().is_none_or(closes),
        Some(_) => false,
    }
}

/// Lines that close an email; the link goes back just above the last of them.
const SIGN_OFFS: &[&str] = &[
    "kind regards",
    "best regards",
    "warm regards",
    "with best regards",
    "with kind regards",
    "regards",
    "best",
    "best wishes",
    "all the best",
    "thanks",
    "thank you",
    "many thanks",
    "cheers",
    "sincerely",
    "yours sincerely",
    "yours faithfully",
    "mit freundlichen grüßen",
    "viele grüße",
    "beste grüße",
    "cordialement",
    "bien cordialement",
];

/// `text` with `link` put back as a paragraph of its own: just above the sign-off
/// ("Kind regards," …) when there is one, else at the end. Unchanged if the link is there.
pub fn restore_link(text: &str, link: &str) -> String {
    if contains_link(text, link) {
        return text.to_string();
    }
    let mut lines: Vec<&str> = text.lines().collect();
    let sign_off = lines.iter().rposition(|line| {
        let words = line.trim().trim_end_matches([',', '.', '!']).to_lowercase();
        SIGN_OFFS.contains(&words.as_str())
    });
    match sign_off {
        Some(at) => {
            let mut insert = vec![link, ""];
            if at > 0 && !lines[at - 1].trim().is_empty() {
                insert.insert(0, "");
            }
            lines.splice(at..at, insert);
            let mut restored = lines.join("\n");
            if text.ends_with('\n') {
                restored.push('\n');
            }
            restored
        }
        None => {
            let kept = text.trim_end();
            if kept.is_empty() {
                format!("{link}\n")
            } else {
                format!("{kept}\n\n{link}\n")
            }
        }
    }
}

/// The link as the backend gave it, if it is safe to show and send: an http(s) URL with nothing a
/// terminal or a mail app could misread (no spaces, controls or invisible characters).
pub fn usable_link(link: &str) -> Result<String, String> {
    let clean = crate::sanitize::sanitize(link);
    let scheme_ok = link.starts_with("https://") || link.starts_with("http://");
    if scheme_ok && clean == link && !link.contains(' ') {
        Ok(link.to_string())
    } else {
        Err(format!(
            "the backend sent an unusable invitation link: {}",
            shortened(&clean, 120)
        ))
    }
}

/// `text` cut to `max` characters, ending in `…` when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
