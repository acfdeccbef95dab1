//! The HTML of the customer's acceptance page. Pure rendering: maud escapes every value, so a
//! partner or company name can never become markup.

use maud::{DOCTYPE, Markup, html};

use super::store::{AcceptOutcome, Invitation};

/// What the form shows: the customer's input so far and, after a failed submit, why.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub company_name: String,
    pub domain: String,
    pub email: String,
    pub error: Option<String>,
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
    page(
        &format!(
            "{} invites you to a reseller relationship",
            invitation.partner_name
        ),
        html! {
            h1 { "Accept a reseller relationship" }
            p { (inviter(invitation)) " invites your organization to a reseller relationship." }
            p { "If you accept:" }
            ul {
                li { (invitation.partner_name) " becomes your Cloud Solution Provider: it can sell you subscriptions and bill you for them." }
                li { (invitation.partner_name) " receives admin permissions (delegated administration) in your organization's tenant, so it can manage and support your services." }
                li { "You can remove the admin permissions or end the relationship at any time." }
            }
            @if let Some(error) = &state.error {
                p.error role="alert" { (error) }
            }
            form method="post" action={ "/invite/" (code) "/accept" } {
                input type="hidden" name="csrf" value=(csrf);
                label for="companyName" { "Company name" }
                input type="text" id="companyName" name="companyName" required maxlength="255" value=(state.company_name);
                label for="domain" { "Domain" }
                input type="text" id="domain" name="domain" required placeholder="contoso.onmicrosoft.com" value=(state.domain);
                p.hint { "Your organization's primary domain. If you are already a customer of " (invitation.partner_name) ", use the same domain: your relationship and admin permissions are restored." }
                label for="email" { "Contact email" }
                input type="email" id="email" name="email" required value=(state.email);
                button type="submit" { "Accept" }
            }
        },
    )
}

pub fn accepted(invitation: &Invitation, company: &str, outcome: AcceptOutcome) -> Markup {
    page(
        "Reseller relationship accepted",
        html! {
            h1 { "Thank you" }
            p.done role="status" {
                @match outcome {
                    AcceptOutcome::Created => {
                        (invitation.partner_name) " is now the reseller of " strong { (company) } " and has admin permissions."
                    }
                    AcceptOutcome::Restored => {
                        "The relationship between " strong { (company) } " and " (invitation.partner_name) " is restored, with admin permissions."
                    }
                    AcceptOutcome::Unchanged => {
                        strong { (company) } " already has a reseller relationship with " (invitation.partner_name) ", with admin permissions. Nothing needed to change."
                    }
                }
            }
            p { "You can close this page." }
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
