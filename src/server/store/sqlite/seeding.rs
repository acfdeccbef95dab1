//! Writes the demo data set in one transaction with prepared statements (100,000 customers in seconds).

use rusqlite::{Transaction, params};

use super::customers::search_key;
use super::now;
use super::partners::{insert_agent, insert_partner};
use crate::server::store::StoreResult;
use crate::server::store::seed::{DemoPartner, demo_customer, demo_partners};

pub(super) fn seed(tx: &Transaction<'_>, customers: u32) -> StoreResult<()> {
    for partner in demo_partners(customers) {
        seed_partner(tx, &partner)?;
    }
    Ok(())
}

fn seed_partner(tx: &Transaction<'_>, partner: &DemoPartner) -> StoreResult<()> {
    insert_partner(tx, &partner.id, partner.name, partner.cloud)?;
    for agent in &partner.agents {
        insert_agent(tx, &partner.id, agent)?;
    }
    for (id, name, location) in &partner.resellers {
        tx.prepare_cached(
            "INSERT INTO indirect_resellers (id, partner_id, name, location, state) \
             VALUES (?1, ?2, ?3, ?4, 'active')",
        )?
        .execute(params![id, partner.id, name, location])?;
    }
    let at = now();
    let mut customer_stmt = tx.prepare_cached(
        "INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, domain, domain_key, \
         relationship, allow_delegated_access, allow_customer_purchase, associated_partner_id, \
         billing_profile, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?;
    let mut subscription_stmt = tx.prepare_cached(
        "INSERT INTO subscriptions (id, customer_id, offer_id, offer_name, friendly_name, quantity, \
         unit_type, status, auto_renew_enabled, billing_cycle, term_duration, creation_date, \
         commitment_end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    let mut sku_stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO subscribed_skus (customer_id, sku_id, name, sku_part_number, status, \
         active_units, consumed_units, suspended_units, warning_units) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut user_stmt = tx.prepare_cached(
        "INSERT INTO customer_users (id, customer_id, user_principal_name, first_name, last_name, \
         display_name, usage_location, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for index in 0..partner.customers {
        let c = demo_customer(partner, index);
        let billing_json = serde_json::to_string(&c.billing).unwrap_or_default();
        let reseller = c.reseller.map(|r| partner.resellers[r].0.as_str());
        let name = &c.billing.company_name;
        customer_stmt.execute(params![
            c.id,
            partner.id,
            c.tenant_id,
            name,
            search_key(name),
            c.domain,
            search_key(&c.domain),
            c.relationship.as_str(),
            c.allow_delegated_access,
            c.allow_customer_purchase,
            reseller,
            billing_json,
            at
        ])?;
        for s in &c.subscriptions {
            subscription_stmt.execute(params![
                s.id,
                c.id,
                s.offer_id,
                s.offer_name,
                s.friendly_name,
                s.quantity,
                s.unit_type,
                s.status,
                s.auto_renew_enabled,
                s.billing_cycle,
                s.term_duration,
                s.creation_date,
                s.commitment_end_date
            ])?;
        }
        for k in &c.skus {
            sku_stmt.execute(params![
                c.id,
                k.product_sku.id,
                k.product_sku.name,
                k.product_sku.sku_part_number,
                k.status,
                k.active_units,
                k.consumed_units,
                k.suspended_units,
                k.warning_units
            ])?;
        }
        for u in &c.users {
            user_stmt.execute(params![
                u.id,
                c.id,
                u.user_principal_name,
                u.first_name,
                u.last_name,
                u.display_name,
                u.usage_location,
                u.state
            ])?;
        }
    }
    Ok(())
}
