//! The HTML of the customer's admin approval page (GDAP): who asks, for which roles in plain
//! words, for how long, and who should answer. Pure rendering: maud escapes every value, so a
//! partner, customer or relationship name can never become markup.

use chrono::{DateTime, TimeDelta, Utc};
use maud::{DOCTYPE, Markup, html};

use super::store::gdap::{Approval, ApprovalState};
use crate::api::gdap::{APPROVAL_DAYS, AUTO_EXTEND_DAYS, AdminRelationship, roles};

/// Where a Global admin removes a partner's access later, in the words of the admin center.
const REMOVE_LATER: &str = "A Global administrator of your organization can remove this access at \
    any time, in the Microsoft 365 admin center under Settings, Partner relationships.";

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

/// A date as a person reads it: `20 January 2027` (UTC).
fn day(time: DateTime<Utc>) -> String {
    time.format("%-d %B %Y").to_string()
}

fn day_of(text: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| day(t.with_timezone(&Utc)))
}

fn duration_days(relationship: &AdminRelationship) -> i64 {
    relationship.duration_days().map_or(0, i64::from)
}

fn role_list(relationship: &AdminRelationship) -> Markup {
    html! {
        ul.roles {
            @for id in relationship.access_details.role_ids() {
                li {
                    @match roles::find(id) {
                        Some(role) => {
                            strong { (role.name) } ": " (role.description) "."
                        }
                        None => {
                            strong { (id) } ": a role this page cannot describe; ask the partner what it allows."
                        }
                    }
                }
            }
        }
    }
}

fn terms(approval: &Approval, now: DateTime<Utc>) -> Markup {
    let r = &approval.relationship;
    let partner = &approval.partner_name;
    let days = duration_days(r);
    let end = day(now + TimeDelta::days(days));
    html! {
        h2 { "For how long" }
        p.duration {
            strong { (days) " days" } ": if you approve today, until " strong { (end) } "."
        }
        @if r.auto_extends() {
            p.extend { "Then it extends itself by " (AUTO_EXTEND_DAYS) " days at a time, until you or " (partner) " end it." }
        } @else {
            p.extend { "It does not extend itself: after that date " (partner) " must ask again." }
        }
    }
}

/// What the form posts to with `action` (`approve` or `decline`).
fn answer_form(code: &str, csrf: &str, action: &str, label: &str, class: &str) -> Markup {
    html! {
        form method="post" action={ "/admin-approval/" (code) "/" (action) } {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" class=(class) name="answer" value=(action) { (label) }
        }
    }
}

/// The open request, with Approve and Decline; `error` after a refused answer.
pub fn form(
    approval: &Approval,
    code: &str,
    csrf: &str,
    now: DateTime<Utc>,
    error: Option<&str>,
) -> Markup {
    let r = &approval.relationship;
    let partner = &approval.partner_name;
    let customer = &r.customer.display_name;
    let lapses = r
        .locked_date_time
        .as_deref()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map(|at| day(at.with_timezone(&Utc) + TimeDelta::days(APPROVAL_DAYS)));
    page(
        &format!("{partner} asks for admin access to {customer}"),
        html! {
            h1 { "Approve admin access for " (partner) }
            p {
                strong { (partner) } " asks for admin access to the Microsoft tenant of "
                strong { (customer) } ": a granular delegated admin relationship named "
                strong.name { "\u{201c}" (r.display_name) "\u{201d}" } "."
            }
            p.who {
                strong { "Who should answer: " } "a Global administrator of " (customer)
                ". If that is not you, forward this link to one; nothing changes until someone answers."
            }
            h2 { "What approving grants" }
            p { "People " (partner) " chooses (through its own security groups) can act in your tenant with these roles, and no others:" }
            (role_list(r))
            @if r.access_details.includes_global_administrator() {
                p.warning { "This includes " strong { "Global Administrator" } ": full control of your tenant." }
            }
            (terms(approval, now))
            p { (REMOVE_LATER) }
            @if let Some(error) = error {
                p.error role="alert" { (error) }
            }
            div.actions {
                (answer_form(code, csrf, "approve", "Approve", "approve"))
                (answer_form(code, csrf, "decline", "Decline", "decline secondary"))
            }
            @if let Some(lapses) = lapses {
                p.hint { "Unanswered, this request lapses on " (lapses) " (90 days after it was sent)." }
            }
        },
    )
}

/// After approving.
pub fn approved(approval: &Approval, relationship: &AdminRelationship) -> Markup {
    let partner = &approval.partner_name;
    let end = relationship.end_date_time.as_deref().and_then(day_of);
    page(
        "Admin access approved",
        html! {
            h1 { "Admin access approved" }
            p.done role="status" {
                (partner) " now has admin access to " strong { (relationship.customer.display_name) }
                " with the roles below"
                @if let Some(end) = &end { ", until " strong { (end) } }
                "."
            }
            (role_list(relationship))
            @if relationship.auto_extends() {
                p { "It extends itself by " (AUTO_EXTEND_DAYS) " days at a time, until you or " (partner) " end it." }
            }
            p { (REMOVE_LATER) }
            p { "You can close this page." }
        },
    )
}

/// After declining.
pub fn declined(approval: &Approval) -> Markup {
    let partner = &approval.partner_name;
    page(
        "Admin access declined",
        html! {
            h1 { "Admin access declined" }
            p.done role="status" {
                (partner) " gets no admin access to " strong { (approval.relationship.customer.display_name) }
                " through this request. If it still needs access, it must send a new request."
            }
            p { "You can close this page." }
        },
    )
}

/// A known link that can no longer be answered, saying why.
pub fn closed(approval: &Approval, state: ApprovalState) -> Markup {
    let partner = &approval.partner_name;
    let r = &approval.relationship;
    let (title, why) = match state {
        ApprovalState::Approved => (
            "This request was already approved",
            html! {
                p { "The admin relationship \u{201c}" (r.display_name) "\u{201d} of " (partner) " was approved; this link has nothing more to do." }
                @if r.status.is_final() {
                    p.ended { "It has since ended (" (r.status.as_str()) "): for admin access again, " (partner) " must send a new request." }
                } @else {
                    p { (REMOVE_LATER) }
                }
            },
        ),
        ApprovalState::Declined => (
            "This request was declined",
            html! {
                p { "The admin relationship \u{201c}" (r.display_name) "\u{201d} of " (partner) " was declined. If " (partner) " still needs access, it must send a new request." }
            },
        ),
        ApprovalState::Expired => (
            "This approval link has expired",
            html! {
                p { "Approval links work for 90 days, and this request is no longer open. Ask " (partner) " to send a new request if it still needs access." }
            },
        ),
        ApprovalState::Withdrawn | ApprovalState::Open => (
            "This request was withdrawn",
            html! {
                p { (partner) " withdrew this request before it was answered: there is nothing to approve." }
            },
        ),
    };
    page(title, html! { h1 { (title) } (why) })
}

pub fn too_many(wait_secs: u64) -> Markup {
    page(
        "Too many attempts",
        html! {
            h1 { "Too many attempts with this link" }
            p { "Please wait " (wait_secs) " seconds, then go back and answer again." }
        },
    )
}

pub fn not_found() -> Markup {
    page(
        "Approval link not found",
        html! {
            h1 { "This approval link is not valid" }
            p { "The link may be incomplete or mistyped. Ask your partner to send it again." }
        },
    )
}

/// The store failed: say so plainly rather than answer a customer with JSON.
pub fn unavailable() -> Markup {
    page(
        "Something went wrong",
        html! {
            h1 { "Something went wrong on our side" }
            p { "Nothing was changed. Please try the link again in a few minutes." }
        },
    )
}

#[cfg(test)]
mod tests;
