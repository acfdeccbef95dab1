//! The email that asks a customer's Global admin to approve admin access (a GDAP relationship):
//! which roles, in names and plain words, for how long, whether it extends itself, what the
//! partner will do with it, and that the link must be opened within 90 days. Same shape as the
//! invitation ([`Draft`]): the link on its own line, so the draft screen copies, edits, mails and
//! saves it the same way.

use super::{Draft, bullet, clean, paragraph, sign_off};
use crate::api::gdap::APPROVAL_DAYS;

/// What the request asks for, as the email words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminRequest {
    pub customer: String,
    /// The relationship's name (the customer sees it on the approval page too).
    pub name: String,
    /// Each role's name and what it lets the partner do.
    pub roles: Vec<(String, String)>,
    pub duration_days: u32,
    /// Days added at a time when it would end (0: it ends).
    pub auto_extend_days: u32,
    /// What the partner will use the access for, completing "We will use it to …".
    pub purpose: String,
}

impl Draft {
    /// The approval request in the partner's name, signed by the agent.
    pub fn admin_approval(
        partner_name: &str,
        agent_name: &str,
        link: &str,
        request: &AdminRequest,
    ) -> Self {
        let partner = clean(partner_name);
        let agent = clean(agent_name);
        let customer = clean(&request.customer);
        let name = clean(&request.name);
        let days = request.duration_days;
        let subject = format!("{partner} asks for admin access to {customer}");
        let length = match request.auto_extend_days {
            0 => format!("for {days} days; then it ends by itself"),
            extend => format!(
                "for {days} days, then extended by {extend} days at a time until you or we end it"
            ),
        };
        let mut body = String::from("Hello,\n\n");
        body += &paragraph(&format!(
            "{partner} asks for admin access to the Microsoft 365 tenant of {customer} \
             (a granular delegated admin relationship, \"{name}\") {length}. We will use it \
             to {}.",
            clean(&request.purpose)
        ));
        body += "\n\n";
        body += &paragraph(&format!(
            "A Global administrator of {customer} must approve it: open the link below and \
             choose Approve or Decline. The link works for {APPROVAL_DAYS} days; after that we \
             have to ask again."
        ));
        body += &format!("\n\n{link}\n\n");
        body += "The roles we ask for, and what each lets us do:\n\n";
        for (role, does) in &request.roles {
            body += &bullet(&format!("{}: {}.", clean(role), clean(does)));
            body.push('\n');
        }
        body.push('\n');
        body += &paragraph(
            "You stay in control: you see everything we do in your tenant's audit log, and \
             you can end this admin access at any time.",
        );
        body.push('\n');
        sign_off(&mut body, &agent, &partner);
        Self {
            subject,
            body,
            link: link.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(auto_extend_days: u32) -> AdminRequest {
        AdminRequest {
            customer: "Contoso\u{202e} Ltd".into(),
            name: "Contoso admin access 2026-12".into(),
            roles: vec![
                (
                    "Directory Readers".into(),
                    "See users, groups and other basic directory information".into(),
                ),
                (
                    "Helpdesk Administrator".into(),
                    "Reset passwords and sign-ins of users who are not admins".into(),
                ),
            ],
            duration_days: 730,
            auto_extend_days,
            purpose: "answer your support requests".into(),
        }
    }

    const LINK: &str = "https://csp.example/admin-approval/abc123";

    #[test]
    fn the_email_says_which_roles_for_how_long_why_and_who_must_approve_within_90_days() {
        let d = Draft::admin_approval("Fabrikam Partner", "Ada", LINK, &request(180));
        assert_eq!(
            d.subject,
            "Fabrikam Partner asks for admin access to Contoso Ltd"
        );
        let flat = d.body.split_whitespace().collect::<Vec<_>>().join(" ");
        for want in [
            "\"Contoso admin access 2026-12\"",
            "for 730 days, then extended by 180 days at a time",
            "We will use it to answer your support requests.",
            "A Global administrator of Contoso Ltd must approve it",
            "The link works for 90 days",
            "- Directory Readers: See users, groups and other basic directory information.",
            "- Helpdesk Administrator: Reset passwords",
            "Ada Fabrikam Partner",
        ] {
            assert!(flat.contains(want), "{want:?} missing:\n{}", d.body);
        }
        assert!(d.body.lines().any(|l| l == LINK), "link on its own line");
        assert!(!d.body.contains('\u{202e}'));
        assert!(d.body.lines().all(|l| l == LINK || l.chars().count() <= 72));
    }

    #[test]
    fn without_auto_extend_it_says_the_access_ends_and_the_link_guard_holds() {
        let d = Draft::admin_approval("P", "", LINK, &request(0));
        let flat = d.body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("for 730 days; then it ends by itself"),
            "{flat}"
        );
        let edited = d.full_text().replace(LINK, "");
        assert!(d.from_edited(&edited).is_err());
    }
}
