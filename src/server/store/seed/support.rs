//! Demo support contacts and service requests: some customers have one to three of the partner's
//! agents as contacts, some have service requests, open and closed, opened between today and
//! four months ago. Drawn from their own dice stream, so the rest of a customer stays the same.

use super::{DemoPartner, Dice};
use crate::api::Severity;

/// Added to a partner's stream: this data's dice never repeat the customer's own.
const STREAM_OFFSET: u64 = 0x5u64 << 32;

pub struct DemoServiceRequest {
    pub id: String,
    pub title: &'static str,
    pub description: &'static str,
    pub severity: Severity,
    /// Days before the seeding day it was opened.
    pub age_days: u32,
    /// Days after opening it was closed; None while open.
    pub closed_after_days: Option<u32>,
    /// Index into the partner's agents.
    pub contact: Option<usize>,
    pub opened_by: usize,
}

pub struct DemoSupport {
    /// Indexes into the partner's agents, distinct.
    pub contacts: Vec<usize>,
    pub requests: Vec<DemoServiceRequest>,
}

const TITLES: &[(&str, &str)] = &[
    (
        "Users cannot sign in to Outlook",
        "Since this morning several users get an authentication prompt in a loop.",
    ),
    (
        "Teams meetings drop after 10 minutes",
        "Calls from the head office end without warning; guests are not affected.",
    ),
    (
        "Request to raise the Azure vCPU quota",
        "West Europe, Dv5 family: 100 cores for a planned migration.",
    ),
    (
        "Mailbox restore after accidental deletion",
        "The mailbox of a departed employee is needed for a legal hold.",
    ),
    (
        "Domain verification fails",
        "The TXT record has been in DNS for two days.\nThe portal still says unverified.",
    ),
    (
        "SharePoint site is read-only",
        "Editing fails with 'locked' on the finance site.",
    ),
    (
        "Invoice shows licenses we cancelled",
        "Five Microsoft 365 E3 seats were reduced last month but are still billed.",
    ),
    (
        "Conditional access blocks the admin",
        "The customer's only Global admin is locked out by a new policy.",
    ),
];

/// The support data of customer number `index`, the same every time.
pub fn demo_support(partner: &DemoPartner, index: u32) -> DemoSupport {
    let mut dice = Dice::new(partner.stream.wrapping_add(STREAM_OFFSET), u64::from(index));
    let agents = partner.agents.len();
    let mut contacts = Vec::new();
    if agents > 0 && index % 3 == 1 {
        let wanted = 1 + dice.below(3.min(agents));
        let first = dice.below(agents);
        contacts = (0..wanted).map(|n| (first + n) % agents).collect();
    }
    let mut requests = Vec::new();
    if agents > 0 && index % 4 == 2 {
        for _ in 0..1 + dice.below(3) {
            let (title, description) = *dice.pick(TITLES);
            let age_days = dice.below(120) as u32;
            // Older ones are mostly closed; the newest are mostly still open.
            let closed = age_days > 3 && dice.below(3) != 0;
            requests.push(DemoServiceRequest {
                id: dice.uuid(),
                title,
                description,
                severity: *dice.pick(&Severity::CHOICES),
                age_days,
                closed_after_days: closed.then(|| 1 + dice.below(age_days as usize) as u32),
                contact: (dice.below(2) == 0).then(|| dice.below(agents)),
                opened_by: dice.below(agents),
            });
        }
    }
    DemoSupport { contacts, requests }
}

#[cfg(test)]
mod tests {
    use super::super::demo_partners;
    use super::*;

    #[test]
    fn the_same_customer_always_gets_the_same_support_data() {
        let partner = &demo_partners(40)[0];
        let once = demo_support(partner, 6);
        let again = demo_support(partner, 6);
        assert_eq!(once.contacts, again.contacts);
        let ids = |s: &DemoSupport| s.requests.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&once), ids(&again));
    }

    #[test]
    fn some_customers_have_contacts_and_open_and_closed_requests_of_varied_ages() {
        let partner = &demo_partners(400)[0];
        let all: Vec<DemoSupport> = (0..400).map(|i| demo_support(partner, i)).collect();
        let with_contacts = all.iter().filter(|s| !s.contacts.is_empty()).count();
        assert!((100..=150).contains(&with_contacts), "{with_contacts}");
        let requests: Vec<&DemoServiceRequest> = all.iter().flat_map(|s| &s.requests).collect();
        assert!(requests.iter().any(|r| r.closed_after_days.is_none()));
        assert!(requests.iter().any(|r| r.closed_after_days.is_some()));
        assert!(requests.iter().any(|r| r.age_days < 7));
        assert!(requests.iter().any(|r| r.age_days > 60));
        for s in &all {
            let mut distinct = s.contacts.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), s.contacts.len());
        }
        for r in requests {
            assert!(r.closed_after_days.is_none_or(|d| d <= r.age_days));
        }
    }
}
