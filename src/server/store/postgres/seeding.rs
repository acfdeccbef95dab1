//! Demo data on PostgreSQL: the same partners, customers, users, licences, admin relationships
//! and support data as the SQLite store seeds (`store::seed` decides them; this writes them).
//!
//! A bulk load in one transaction: a thread generates the rows in batches of customers, encoded
//! for `COPY`, while the store's connection sends the previous batch, so generating and writing
//! overlap on two cores. Keys, indexes and foreign keys are set aside and rebuilt at the end
//! (`schema`). The customer-count trigger is off during the load (a row trigger updating one
//! counter row 100,000 times in one transaction is quadratic: every update leaves a version the
//! next has to step over); the counts are written once at the end.
//!
//! 100,000 customers in about 35 s (debug build, a busy two-core machine); see NOTES.

mod admin;
mod copy;
mod rows;
mod schema;

use deadpool_postgres::Transaction;
use tokio::sync::mpsc;

use self::copy::Copy;
use super::PgStore;
use crate::server::store::seed::admin::demo_groups;
use crate::server::store::seed::history::demo_history;
use crate::server::store::seed::{demo_customer_id, demo_partners};
use crate::server::store::{StoreError, StoreResult};

/// Customers per batch: large enough that a COPY's round trips don't count, small enough that a
/// batch's buffers stay a few megabytes.
const BATCH: usize = 2_000;

/// Batches generated ahead of the writer.
const AHEAD: usize = 2;

/// One batch: a COPY per table, parents before children (foreign keys are checked per row).
type Batch = Vec<Copy>;

/// Seeds an empty database; refuses one that holds a partner.
pub(super) fn seed(store: &PgStore, customers: u32) -> StoreResult<()> {
    std::thread::scope(|scope| {
        let (send, mut batches) = mpsc::channel::<StoreResult<Batch>>(AHEAD);
        let generator = scope.spawn(move || generate(customers, &send));
        let loaded = store.write(async |tx| load(tx, &mut batches).await);
        // A failed load stops the generator at its next batch.
        drop(batches);
        if generator.join().is_err() {
            return Err(StoreError::Schema("generating the demo data failed".into()));
        }
        loaded
    })?;
    // Fresh statistics let the planner pick the right index for filters.
    store.write(async |tx| {
        tx.batch_execute("ANALYZE").await?;
        Ok(())
    })
}

async fn load(
    tx: &Transaction<'_>,
    batches: &mut mpsc::Receiver<StoreResult<Batch>>,
) -> StoreResult<()> {
    let occupied: bool = tx
        .query_one("SELECT EXISTS (SELECT 1 FROM partners)", &[])
        .await?
        .get(0);
    if occupied {
        return Err(StoreError::Conflict(
            "demo data goes only into an empty database".into(),
        ));
    }
    tx.batch_execute("ALTER TABLE customers DISABLE TRIGGER customers_counted")
        .await?;
    let set_aside = schema::set_aside(tx).await?;
    while let Some(batch) = batches.recv().await {
        for copy in batch? {
            copy.send(tx).await?;
        }
    }
    schema::restore(tx, set_aside).await?;
    tx.batch_execute(
        "ALTER TABLE customers ENABLE TRIGGER customers_counted; \
         INSERT INTO customer_counts (partner_id, customers) \
         SELECT partner_id, count(*) FROM customers GROUP BY partner_id \
         ON CONFLICT (partner_id) DO UPDATE SET customers = EXCLUDED.customers",
    )
    .await?;
    Ok(())
}

/// Generates every batch in order; stops early when the writer has gone.
fn generate(customers: u32, out: &mpsc::Sender<StoreResult<Batch>>) {
    let partners = demo_partners(customers);
    let groups: Vec<_> = partners.iter().map(|p| demo_groups(p.stream)).collect();
    if out
        .blocking_send(Ok(rows::partners(&partners, &groups)))
        .is_err()
    {
        return;
    }
    for (partner, groups) in partners.iter().zip(&groups) {
        let mut customer = rows::Customers::new(partner, groups);
        // In id order, as SQLite writes them (its primary-key indexes grow at the end); the
        // UUID as a number sorts as its text does.
        let mut order: Vec<(u128, u32)> = (0..partner.customers)
            .map(|index| {
                let id = uuid::Uuid::parse_str(&demo_customer_id(partner, index));
                (id.map(|id| id.as_u128()).unwrap_or_default(), index)
            })
            .collect();
        order.sort_unstable();
        for chunk in order.chunks(BATCH) {
            let batch = chunk
                .iter()
                .try_fold(rows::Tables::new(), |mut tables, (_, index)| {
                    customer.write(&mut tables, *index)?;
                    Ok(tables)
                })
                .map(rows::Tables::into_batch);
            let failed = batch.is_err();
            if out.blocking_send(batch).is_err() || failed {
                return;
            }
        }
        if partner.stream == partners[0].stream {
            let history = rows::history(partner, &demo_history(partner, chrono::Utc::now()));
            if out.blocking_send(Ok(vec![history])).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests;
