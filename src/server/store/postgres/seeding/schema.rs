//! Indexes, keys and foreign keys set aside during the load and rebuilt after it, as the SQLite
//! seeding does with its indexes: one sort per index beats two million B-tree inserts, and one
//! join per foreign key beats a lookup of the parent per row. Everything happens inside
//! the seeding transaction, so a failed load leaves the schema as it was; re-adding a foreign
//! key checks every row, so the loaded data is proven consistent too.

use deadpool_postgres::Transaction;

use crate::server::store::StoreResult;

/// The tables seeding fills.
const SEEDED_TABLES: &[&str] = &[
    "partners",
    "agents",
    "indirect_resellers",
    "customers",
    "subscriptions",
    "subscribed_skus",
    "customer_users",
    "user_licenses",
    "security_groups",
    "admin_relationships",
    "admin_access_assignments",
    "support_contacts",
    "service_requests",
    "audit_records",
];

/// What was dropped, with the statements that make it again.
pub(super) struct SetAside {
    /// (table, constraint, definition) of the primary keys and unique constraints.
    keys: Vec<Constraint>,
    /// CREATE INDEX statements, as the migration wrote them.
    indexes: Vec<String>,
    /// (table, constraint, definition) of the foreign keys.
    foreign_keys: Vec<Constraint>,
}

/// (table, name, definition)
type Constraint = (String, String, String);

/// The constraints of type `kind` (`pg_constraint.contype`) on the seeded tables or, for
/// foreign keys, referring to one (an empty table's key to a seeded one must go too, before
/// the key it refers to).
async fn constraints(
    tx: &Transaction<'_>,
    kind: &str,
    tables: &[String],
) -> StoreResult<Vec<Constraint>> {
    let found = tx
        .query(
            "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid) \
             FROM pg_constraint c \
             WHERE c.contype = $1::text::\"char\" AND c.connamespace = current_schema()::regnamespace \
             AND (c.conrelid::regclass::text = ANY($2) OR c.confrelid::regclass::text = ANY($2)) \
             ORDER BY 1, 2",
            &[&kind, &tables],
        )
        .await?;
    Ok(found
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

async fn drop_constraints(tx: &Transaction<'_>, constraints: &[Constraint]) -> StoreResult<()> {
    for (table, name, _) in constraints {
        tx.batch_execute(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
            .await?;
    }
    Ok(())
}

async fn add_constraints(tx: &Transaction<'_>, constraints: &[Constraint]) -> StoreResult<()> {
    for (table, name, definition) in constraints {
        tx.batch_execute(&format!(
            "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
        ))
        .await?;
    }
    Ok(())
}

/// Drops the seeded tables' foreign keys, primary keys, unique constraints and indexes.
pub(super) async fn set_aside(tx: &Transaction<'_>) -> StoreResult<SetAside> {
    let tables: Vec<String> = SEEDED_TABLES.iter().map(|t| (*t).to_string()).collect();
    let foreign_keys = constraints(tx, "f", &tables).await?;
    drop_constraints(tx, &foreign_keys).await?;
    let mut keys = constraints(tx, "p", &tables).await?;
    keys.extend(constraints(tx, "u", &tables).await?);
    drop_constraints(tx, &keys).await?;
    let found = tx
        .query(
            "SELECT i.indexname::text, i.indexdef FROM pg_indexes i \
             WHERE i.schemaname = current_schema() AND i.tablename::text = ANY($1) \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = \
                 (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) \
             ORDER BY 1",
            &[&tables],
        )
        .await?;
    let mut indexes = Vec::with_capacity(found.len());
    for r in &found {
        let name: String = r.get(0);
        tx.batch_execute(&format!("DROP INDEX \"{name}\"")).await?;
        indexes.push(r.get(1));
    }
    Ok(SetAside {
        keys,
        indexes,
        foreign_keys,
    })
}

/// Adds the keys and builds the indexes again, then re-adds the foreign keys (each checked
/// against the data).
pub(super) async fn restore(tx: &Transaction<'_>, set_aside: SetAside) -> StoreResult<()> {
    // Index builds sort in memory up to this much (for this transaction only).
    tx.batch_execute("SET LOCAL maintenance_work_mem = '256MB'")
        .await?;
    add_constraints(tx, &set_aside.keys).await?;
    for sql in &set_aside.indexes {
        tx.batch_execute(sql).await?;
    }
    add_constraints(tx, &set_aside.foreign_keys).await
}
