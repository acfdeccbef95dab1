//! The HTML of the customer's acceptance page. Pure rendering: maud escapes every value, so a
//! partner or company name can never become markup.
//!
//! A general link's pages never show stored customer data: what comes back after accepting
//! repeats only what the customer typed, and reads the same for a new domain and a known one.

use maud::{DOCTYPE, Markup, html};

use super::store::{AcceptOutcome, Invitation, LinkState};

/// What the form shows: the customer's input so far and, after a failed submit, why.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub company_name: String,
    pub domain: String,
    pub email: String,
    pub error: Option<String>,
}

impl FormState {
    /// An empty form; for a customer-bound link, the customer's name and domain (shown read-only).
    pub fn for_link(invitation: &Invitation) -> Self {
        match &invitation.customer {
            Some(bound) => Self {
                company_name: bound.company_name.clone(),
                domain: bound.domain.clone(),
                ..Self::default()
            },
            None => Self::default(),
        }
    }
}

fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                link rel="stylesheet" href="/assets/invite.css";
            }
            body { main { (body) } }
        }
    }
}

fn inviter(invitation: &Invitation) -> Markup {
    html! {
        strong { (invitation.partner_name) }
        @if let Some(reseller) = &invitation.reseller_name {
            ", working with the indirect reseller " strong { (reseller) } ","
        }
    }
}

pub fn form(invitation: &Invitation, code: &str, csrf: &str, state: &FormState) -> Markup {
    let bound = invitation.customer.is_some();
    let title = if bound {
        format!(
            "{} asks you to restore your reseller relationship",
            invitation.partner_name
        )
    } else {
        format!(
            "{} invites you to a reseller relationship",
            invitation.partner_name
        )
    };
    page(
        &title,
        html! {
            @if let Some(customer) = &invitation.customer {
                h1 { "Restore a reseller relationship" }
                p { (inviter(invitation)) " issued this link for " strong { (customer.company_name) } " (" (customer.domain) ") only: accepting restores that organization's reseller relationship and its legacy admin permissions setting." }
            } @else {
                h1 { "Accept a reseller relationship" }
                p { (inviter(invitation)) " invites your organization to a reseller relationship." }
            }
            p { "If you accept:" }
            ul {
                li { (invitation.partner_name) " becomes your Cloud Solution Provider: it can sell you subscriptions and bill you for them." }
                li { "The older, all-or-nothing admin permissions setting (delegated administration, which older tools still read) is switched on for " (invitation.partner_name) "." }
                li { "You can end the relationship at any time." }
            }
            p.admin {
                strong { "Admin access to your tenant is separate. " }
                (invitation.partner_name) " gets admin roles in your tenant only through an admin relationship request, which it sends you as its own link: it names each role and for how long, and a Global administrator of your organization approves or declines it. Accepting this page grants no admin roles."
            }
            @if let Some(error) = &state.error {
                p.error role="alert" { (error) }
            }
            form method="post" action={ "/invite/" (code) "/accept" } {
                input type="hidden" name="csrf" value=(csrf);
                label for="companyName" { "Company name" }
                input type="text" id="companyName" name="companyName" required maxlength="255" readonly[bound] value=(state.company_name);
                label for="domain" { "Domain" }
                input type="text" id="domain" name="domain" required readonly[bound] placeholder="contoso.onmicrosoft.com" value=(state.domain);
                @if !bound {
                    p.hint { "Your organization's primary domain." }
                }
                label for="email" { "Contact email" }
                input type="email" id="email" name="email" required value=(state.email);
                button type="submit" { "Accept" }
            }
        },
    )
}

/// After accepting. For the general link the same words whether the domain was new (a customer
/// now) or already a customer (nothing changed, the partner sees it in the audit log).
pub fn accepted(invitation: &Invitation, typed: &FormState, outcome: &AcceptOutcome) -> Markup {
    let partner = &invitation.partner_name;
    page(
        "Thank you",
        html! {
            h1 { "Thank you" }
            p.done role="status" {
                @match outcome {
                    AcceptOutcome::Restored => {
                        "The reseller relationship between " strong { (typed.company_name) } " and " (partner) " is restored, with the legacy admin permissions setting. Admin access itself comes through the admin relationship request " (partner) " sends separately."
                    }
                    AcceptOutcome::Unchanged => {
                        strong { (typed.company_name) } " already has a reseller relationship with " (partner) ", with the legacy admin permissions setting. Nothing needed to change."
                    }
                    _ => {
                        "Request received: " (partner) " has your acceptance for " strong { (typed.domain) } "."
                    }
                }
            }
            p { "You can close this page." }
        },
    )
}

/// A known code that can no longer be accepted.
pub fn closed(state: LinkState) -> Markup {
    let (title, why) = match state {
        LinkState::Expired => (
            "This invitation link has expired",
            "Invitation links work for 90 days.",
        ),
        LinkState::Rotated => (
            "This invitation link was replaced",
            "The partner replaced it with a new link.",
        ),
        LinkState::Used | LinkState::Open => (
            "This invitation link was already used",
            "A link issued for one organization works once.",
        ),
    };
    page(
        title,
        html! {
            h1 { (title) }
            p { (why) " Ask your partner to send you a new one." }
        },
    )
}

pub fn too_many(wait_secs: u64) -> Markup {
    page(
        "Too many attempts",
        html! {
            h1 { "Too many attempts with this link" }
            p { "Please wait " (wait_secs) " seconds, then go back and send the form again." }
        },
    )
}

pub fn not_found() -> Markup {
    page(
        "Invitation not found",
        html! {
            h1 { "This invitation link is not valid" }
            p { "The link may be incomplete or mistyped. Ask your partner to send it again." }
        },
    )
}
