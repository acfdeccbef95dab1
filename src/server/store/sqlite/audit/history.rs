//! Writes the demo audit history (`seed::history` decides it).

use chrono::Utc;
use rusqlite::{Transaction, params};

use crate::server::store::StoreResult;
use crate::server::store::seed::DemoPartner;
use crate::server::store::seed::history::demo_history;

pub(in crate::server::store::sqlite) fn seed(
    tx: &Transaction<'_>,
    partner: &DemoPartner,
) -> StoreResult<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, customer_name, \
         operation, resource_type, value_before, value_after, details, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10)",
    )?;
    for r in demo_history(partner, Utc::now()) {
        insert.execute(params![
            partner.id,
            r.agent_id,
            r.agent_name,
            r.customer_id,
            r.customer_name,
            r.operation,
            r.resource_type,
            r.before,
            r.after,
            r.created_at
        ])?;
    }
    Ok(())
}
