//! Writes the demo data set as a bulk load: one transaction with prepared statements, secondary
//! indexes built once at the end (sorting beats a million random B-tree inserts), a large page
//! cache, and a rollback journal instead of the WAL while loading, so the rows are written once
//! rather than to the WAL and then again to the database. 1,000,000 customers in 65-90 s.

pub(in crate::server::store) mod admin;

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::customers::search_key;
use super::now;
use super::partners::{insert_agent, insert_partner, is_empty};
use crate::api::Relationship;
use crate::server::store::seed::admin::demo_relationships;
use crate::server::store::seed::{DemoPartner, demo_customer, demo_customer_id, demo_partners};
use crate::server::store::{StoreError, StoreResult};

/// Page cache while seeding, in KiB (SQLite's negative `cache_size`): the primary keys of users and
/// subscriptions are random-order inserts and stay fast while their pages fit here. At 1,000,000
/// customers, 512 MiB was no faster and 256 MiB keeps the peak RSS near 580 MB.
const SEED_CACHE_KIB: i64 = 256 * 1024;

/// The tables seeding fills; their secondary indexes are dropped and rebuilt around the load.
const SEEDED_TABLES: &str = "'customers', 'subscriptions', 'subscribed_skus', 'customer_users', \
    'user_licenses', 'security_groups', 'admin_relationships', 'admin_access_assignments'";

/// Seeds an empty database. Only the load itself is tuned: afterwards the connection is back to
/// WAL, foreign keys on and its usual cache, and the WAL is truncated.
pub(super) fn seed(conn: &mut Connection, customers: u32) -> StoreResult<()> {
    let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -SEED_CACHE_KIB)?;
    // The data is generated consistent; checking each child row's parent would cost a random
    // index lookup per row. A test runs `foreign_key_check` on seeded data instead.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    // Leaving WAL needs the only connection; if another is open SQLite stays in WAL, which is
    // merely slower, so the answer is not checked.
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    let loaded = load(conn, customers);
    let restored = restore(conn, cache);
    loaded.and(restored)
}

fn load(conn: &mut Connection, customers: u32) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !is_empty(&tx)? {
        return Err(StoreError::Conflict(
            "demo data goes only into an empty database".into(),
        ));
    }
    let indexes = secondary_indexes(&tx)?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    for (n, partner) in demo_partners(customers).iter().enumerate() {
        seed_partner(&tx, partner)?;
        if n == 0 {
            super::audit::history::seed(&tx, partner)?;
        }
    }
    // The schema's own statements, so the rebuilt indexes are exactly the migrated ones.
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    // Fresh statistics let the planner pick the right index for filters.
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

/// (name, CREATE statement) of the seeded tables' indexes, except the implicit primary-key ones.
fn secondary_indexes(tx: &Transaction<'_>) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = tx.prepare(&format!(
        "SELECT name, sql FROM sqlite_master \
         WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({SEEDED_TABLES}) ORDER BY name"
    ))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn restore(conn: &Connection, cache: i64) -> StoreResult<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", cache)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Schema(format!(
            "cannot switch the database back to WAL after seeding (journal mode is {mode})"
        )));
    }
    // Had another connection kept us in WAL, the load is all in the log: fold it into the
    // database and give the space back.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
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
         billing_profile, created_at, updated_at, admin_status, admin_end_at, admin_requested_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16)",
    )?;
    let mut subscription_stmt = tx.prepare_cached(
        "INSERT INTO subscriptions (id, customer_id, offer_id, offer_name, friendly_name, quantity, \
         unit_type, status, auto_renew_enabled, billing_cycle, term_duration, creation_date, \
         commitment_end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    let mut sku_stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO subscribed_skus (customer_id, sku_id, name, sku_part_number, status, \
         active_units, consumed_units, suspended_units, warning_units) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)",
    )?;
    let mut user_stmt = tx.prepare_cached(
        "INSERT INTO customer_users (id, customer_id, user_principal_name, first_name, last_name, \
         display_name, usage_location, state, removed_at, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut license_stmt = tx.prepare_cached(
        "INSERT INTO user_licenses (customer_id, user_id, sku_id) VALUES (?1, ?2, ?3)",
    )?;
    let seeded_at = chrono::Utc::now();
    let groups = admin::seed_groups(tx, &partner.id, partner.stream)?;
    let mut days = admin::Days::new(seeded_at);
    // In id order, so the primary-key indexes of customers and their licenses grow at the end
    // instead of at a random place per row.
    // (The UUID as a number sorts as its text does; numbers spare a million small allocations.)
    let mut order: Vec<(u128, u32)> = (0..partner.customers)
        .map(|index| {
            let id = uuid::Uuid::parse_str(&demo_customer_id(partner, index));
            (id.map(|id| id.as_u128()).unwrap_or_default(), index)
        })
        .collect();
    order.sort_unstable();
    for (_, index) in order {
        let c = demo_customer(partner, index);
        let billing_json = serde_json::to_string(&c.billing).unwrap_or_default();
        let reseller = c.reseller.map(|r| partner.resellers[r].0.as_str());
        let name = &c.billing.company_name;
        // Admin access removed, or the relationship ended: its admin relationships ended too.
        let admin_removed = !c.allow_delegated_access || c.relationship == Relationship::None;
        let relationships: Vec<_> =
            demo_relationships(partner.stream, index, &c.domain, admin_removed)
                .into_iter()
                .map(|r| {
                    let times = admin::Times::of(&r, &mut days);
                    (r, times)
                })
                .collect();
        let (admin_status, admin_end, admin_requested) = admin::access(&relationships);
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
            at,
            admin_status.as_str(),
            admin_end,
            admin_requested
        ])?;
        admin::seed_customer(tx, &partner.id, &c.id, &relationships, &groups)?;
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
                k.suspended_units,
                k.warning_units
            ])?;
        }
        super::support::seed_customer(tx, partner, &c.id, index)?;
        for demo in &c.users {
            let u = &demo.user;
            let removed_at = demo.removed_days_ago.map(|days| {
                (seeded_at - chrono::Duration::days(i64::from(days)))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
            user_stmt.execute(params![
                u.id,
                c.id,
                u.user_principal_name,
                u.first_name,
                u.last_name,
                u.display_name,
                u.usage_location,
                u.state,
                removed_at,
                at
            ])?;
            for license in &u.assigned_licenses {
                license_stmt.execute(params![c.id, u.id, license.sku_id])?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
