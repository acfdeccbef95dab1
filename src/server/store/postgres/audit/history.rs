//! Demo audit history, as the SQLite store writes it (`sqlite::audit::history`): a few weeks of a
//! partner's work, all of it at least a day old, for the first partner only. Called by seeding.

use chrono::{SecondsFormat, TimeDelta, Utc};
use deadpool_postgres::Transaction;

use super::super::resources::execute;
use crate::api::{Relationship, Role};
use crate::server::store::StoreResult;
use crate::server::store::seed::{DemoPartner, demo_customer};

/// Customers whose history is written: enough for several pages of the screen.
const CUSTOMERS_WITH_HISTORY: u32 = 60;

const INSERT: &str = "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, \
    customer_name, operation, resource_type, value_before, value_after, details, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10)";

pub(in crate::server::store::postgres) async fn seed(
    tx: &Transaction<'_>,
    partner: &DemoPartner,
) -> StoreResult<()> {
    let admins: Vec<_> = partner
        .agents
        .iter()
        .filter(|a| matches!(a.role, Role::GlobalAdmin | Role::AdminAgent))
        .collect();
    if admins.is_empty() {
        return Ok(());
    }
    let start = Utc::now() - TimeDelta::days(45);
    let count = partner.customers.min(CUSTOMERS_WITH_HISTORY);
    // Oldest first, as they happened: each customer added, then what changed it.
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
        for (step, (operation, resource, before, after)) in changes.into_iter().enumerate() {
            execute(
                tx,
                INSERT,
                &[
                    &partner.id,
                    &agent.id,
                    &agent.name,
                    &c.id,
                    name,
                    &operation,
                    &resource,
                    &before,
                    &after,
                    &at(step as i64 * 3),
                ],
            )
            .await?;
        }
    }
    Ok(())
}
