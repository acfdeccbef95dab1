//! The invitation email a partner sends to a prospective customer: the ready draft (subject and
//! body in the partner's name, with the personalized link on its own line), the guard that keeps
//! the link in the text while the user edits it ([`link`]), and the ways out of the dashboard: a
//! `mailto:` URL and the mail app ([`mail`]), or an `.eml` draft file ([`eml`]). The same draft
//! asks a customer's Global admin to approve admin access ([`approval`]). Pure logic, no UI.

pub mod approval;
pub mod eml;
pub mod link;
pub mod mail;
#[cfg(test)]
mod tests;

pub use approval::AdminRequest;
pub use eml::{SaveError, eml, save_eml};
pub use link::{LinkMissing, check_edited, contains_link, restore_link, usable_link};
pub use mail::{MailError, mailto_url, open_mail_app};

/// Plain-text emails are read in narrow windows and quoted in replies: wrap prose at 72 columns.
/// The link is never wrapped: a link cut in two does not work.
const WRAP_COLUMNS: usize = 72;

/// A ready invitation email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: String,
    pub body: String,
    /// The personalized link, exactly as the backend gave it; the body contains it on its own line.
    pub link: String,
}

impl Draft {
    /// The email in the partner's name, signed by the agent; `reseller_name` is the indirect
    /// reseller bound into the link, if one was picked.
    pub fn new(
        partner_name: &str,
        agent_name: &str,
        link: &str,
        reseller_name: Option<&str>,
    ) -> Self {
        let partner = clean(partner_name);
        let agent = clean(agent_name);
        let reseller = reseller_name.map(clean).filter(|r| !r.is_empty());

        let subject = format!("{partner} invites you to a reseller relationship");
        let with_reseller = reseller
            .as_deref()
            .map(|r| format!(", together with our indirect reseller {r},"))
            .unwrap_or_default();
        let mut body = String::from("Hello,\n\n");
        body += &paragraph(&format!(
            "{partner}{with_reseller} would like to become your Cloud Solution Provider (CSP): \
             the partner through which you buy, manage and get support for your cloud \
             services. To accept, open the link below and fill in the short form (company \
             name, domain and a contact email):"
        ));
        let support = reseller
            .as_deref()
            .map(|r| format!(" with {r}"))
            .unwrap_or_default();
        accepting_means(
            &mut body,
            link,
            [
                format!(
                    "{partner} becomes your reseller: we can provide your cloud subscriptions, \
                     bill you for them and support you{support}."
                ),
                format!(
                    "{partner} receives admin permissions (delegated administration) in your \
                     organization's tenant, so we can manage your services and solve problems on \
                     your behalf."
                ),
            ],
        );
        sign_off(&mut body, &agent, &partner);

        Self {
            subject,
            body,
            link: link.to_string(),
        }
    }

    /// The email that restores one existing customer's relationship and admin permissions: the
    /// link was issued for `customer_name` and works for that customer only, once.
    pub fn restore(partner_name: &str, agent_name: &str, link: &str, customer_name: &str) -> Self {
        let partner = clean(partner_name);
        let agent = clean(agent_name);
        let customer = clean(customer_name);
        let subject = format!("Restore the reseller relationship of {customer} with {partner}");
        let mut body = String::from("Hello,\n\n");
        body += &paragraph(&format!(
            "{partner} would like to restore its reseller relationship with {customer}, \
             including admin permissions (delegated administration) in your organization's \
             tenant. The link below was issued for {customer} only and works once. To accept, \
             open it and confirm with a contact email:"
        ));
        accepting_means(
            &mut body,
            link,
            [
                format!(
                    "{partner} is again your reseller: we can provide your cloud subscriptions, \
                     bill you for them and support you."
                ),
                format!(
                    "{partner} receives admin permissions in your tenant again, so we can manage \
                     your services and solve problems on your behalf."
                ),
            ],
        );
        sign_off(&mut body, &agent, &partner);
        Self {
            subject,
            body,
            link: link.to_string(),
        }
    }

    /// Subject, a blank line, the body: what "copy the whole email" copies.
    pub fn full_text(&self) -> String {
        format!("{}\n\n{}", self.subject, self.body)
    }

    /// The draft after the user edited its [`full_text`](Self::full_text): the first line is the
    /// subject, the rest the body. Refused while the exact link is missing.
    pub fn from_edited(&self, full_text: &str) -> Result<Self, LinkMissing> {
        check_edited(&self.link, full_text)?;
        let (subject, body) = split_full_text(full_text);
        Ok(Self {
            subject,
            body,
            link: self.link.clone(),
        })
    }
}

/// Splits "subject, blank line(s), body" into its parts; surrounding blank lines are dropped.
pub fn split_full_text(full_text: &str) -> (String, String) {
    let text = full_text.trim_start_matches(['\r', '\n']);
    let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
    (
        subject.trim().to_string(),
        body.trim_start_matches(['\r', '\n']).to_string(),
    )
}

/// The link on its own line and what accepting means: `promises`, then that the customer stays in
/// control (both emails say it the same way).
fn accepting_means(body: &mut String, link: &str, promises: [String; 2]) {
    *body += &format!("\n\n{link}\n\n");
    *body += "What accepting means for you:\n\n";
    let control = "You stay in control: you can remove our admin permissions or end the \
                   relationship at any time.";
    for item in promises.iter().map(String::as_str).chain([control]) {
        *body += &bullet(item);
        body.push('\n');
    }
}

/// The invitation to ask, the agent's name (if known) and the partner's.
fn sign_off(body: &mut String, agent: &str, partner: &str) {
    *body += "\nIf you have any questions, just reply to this email.\n\nKind regards,\n";
    if !agent.is_empty() {
        *body += &format!("{agent}\n");
    }
    *body += &format!("{partner}\n");
}

fn paragraph(text: &str) -> String {
    textwrap::fill(
        text,
        textwrap::Options::new(WRAP_COLUMNS).break_words(false),
    )
}

fn bullet(text: &str) -> String {
    let options = textwrap::Options::new(WRAP_COLUMNS)
        .break_words(false)
        .initial_indent("- ")
        .subsequent_indent("  ");
    textwrap::fill(text, options)
}

/// Names come from the backend: keep control and bidi-override characters out of the email, and
/// fold any line breaks into spaces so a name cannot split the text.
fn clean(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
