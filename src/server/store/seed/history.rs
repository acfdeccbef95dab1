//! Demo audit history: what a partner's log looks like after a few weeks of work, so the audit
//! screen has something to show on the embedded default. Written for the first partner only, all
//! of it at least a day old (tests of fresh changes read the last hours).

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::{DemoPartner, demo_customer};
use crate::api::{Relationship, Role};

/// Customers whose history is written: enough for several pages of the screen.
const CUSTOMERS_WITH_HISTORY: u32 = 60;

/// One audit record of the demo history (its `details` are empty).
pub struct DemoAuditRecord<'a> {
    pub agent_id: &'a str,
    pub agent_name: &'a str,
    pub customer_id: String,
    pub customer_name: String,
    pub operation: &'static str,
    pub resource_type: &'static str,
    pub before: String,
    pub after: String,
    pub created_at: String,
}

/// The partner's history as of `now`, oldest first as it happened: each customer added, then
/// what changed it. Empty for a partner without admin agents.
pub fn demo_history(partner: &DemoPartner, now: DateTime<Utc>) -> Vec<DemoAuditRecord<'_>> {
    let admins: Vec<_> = partner
        .agents
        .iter()
        .filter(|a| matches!(a.role, Role::GlobalAdmin | Role::AdminAgent))
        .collect();
    if admins.is_empty() {
        return Vec::new();
    }
    let start = now - TimeDelta::days(45);
    let count = partner.customers.min(CUSTOMERS_WITH_HISTORY);
    let mut records = Vec::new();
    for index in 0..count {
        let c = demo_customer(partner, index);
        let agent = admins[index as usize % admins.len()];
        let name = &c.billing.company_name;
        let at = |hours: i64| {
            (start + TimeDelta::hours(i64::from(index) * 14 + hours))
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        };
        let mut changes = vec![(
            "createCustomer",
            "customer",
            String::new(),
            format!(
                "companyName {name}, domain {}, relationshipToPartner reseller",
                c.domain
            ),
        )];
        if c.allow_customer_purchase {
            changes.push((
                "updatePurchasePermission",
                "purchasePermission",
                "allowCustomerPurchase false".into(),
                "allowCustomerPurchase true".into(),
            ));
        }
        if c.relationship == Relationship::None {
            changes.push((
                "endRelationship",
                "customer",
                "relationshipToPartner reseller, allowDelegatedAccess true".into(),
                "relationshipToPartner none, allowDelegatedAccess false".into(),
            ));
        }
        for (step, (operation, resource_type, before, after)) in changes.into_iter().enumerate() {
            records.push(DemoAuditRecord {
                agent_id: &agent.id,
                agent_name: &agent.name,
                customer_id: c.id.clone(),
                customer_name: name.clone(),
                operation,
                resource_type,
                before,
                after,
                created_at: at(step as i64 * 3),
            });
        }
    }
    records
}
