//! The SQLite store: one writer connection, a small pool of readers (WAL lets them run alongside the
//! writer), numbered migrations, bound parameters only.

mod audit;
mod customers;
mod file_mode;
mod gdap;
mod idempotency;
mod invitations;
mod partners;
mod resources;
pub(super) mod seeding;
mod support;
mod tokens;
mod users;

// Pure helpers the PostgreSQL store shares, so both stores fold and word things alike.
pub(crate) use audit::{LATEST as AUDIT_LATEST, new_customer_words, relationship_change};
pub(crate) use customers::{prefix_upper_bound, search_key};
pub(crate) use invitations::{
    ALREADY_RESTORED, CODE_BYTES, KNOWN_DOMAIN, LINK_LIFETIME_DAYS, MIN_DAYS_LEFT, ROTATED,
    customer_as_agent, days_from_now, rotated_words, state as link_state,
};
pub(crate) use partners::slug as agent_email_slug;
pub(crate) use support::{
    MAX_SERVICE_REQUESTS_PER_CUSTOMER, contacts_words, invalid as invalid_input, opened_words,
    parse_severity,
};
pub(crate) use tokens::{Due as TokenDue, columns as token_columns, now_secs as token_now_secs};

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::{IfMatch, StoreError, StoreResult};

/// Numbered migrations; the database's `user_version` is the number of the last one applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_secrets.sql"),
    include_str!("migrations/0003_invitations.sql"),
    include_str!("migrations/0004_token_expiry.sql"),
    include_str!("migrations/0005_filter_indexes.sql"),
    include_str!("migrations/0006_users.sql"),
    include_str!("migrations/0007_support.sql"),
    include_str!("migrations/0008_audit_changes.sql"),
    include_str!("migrations/0009_admin_relationships.sql"),
    include_str!("migrations/0010_token_last_used.sql"),
];

pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Idle reader connections; a reader is opened on demand when none is idle.
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

/// A poisoned lock only means another thread panicked mid-call; SQLite rolled its transaction back.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A database written by a newer cspdash is refused rather than misread.
    pub fn open(path: &Path) -> StoreResult<Self> {
        file_mode::create_or_check_private(path)?;
        let writer = open_connection(path)?;
        // WAL: readers never block the writer; an acknowledged commit is in the log before we answer.
        writer.pragma_update(None, "journal_mode", "WAL")?;
        migrate(&writer, path)?;
        Ok(Self {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on an idle reader connection.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let idle = lock(&self.readers).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => open_connection(&self.path)?,
        };
        let result = f(&conn);
        lock(&self.readers).push(conn);
        result
    }

    /// Runs `f` in one immediate write transaction, committed only when `f` succeeds.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

fn open_connection(path: &Path) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Schema(format!("cannot open database {}: {e}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: a commit is on disk before the client hears "created" (survives power loss, not just kill -9).
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn migrate(conn: &Connection, path: &Path) -> StoreResult<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::Schema(format!(
            "database {} has schema version {current}, but this cspdash knows only up to {known}: \
             upgrade cspdash (or use another --db)",
            path.display()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let apply = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            conn.execute_batch(sql)?;
            conn.pragma_update(None, "user_version", version)?;
            conn.execute_batch("COMMIT")
        };
        if let Err(e) = apply() {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(StoreError::Schema(format!(
                "migration {version} failed on {}: {e}",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Timestamps are RFC 3339 in UTC with seconds, as Partner Center writes them.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl super::Store for SqliteStore {
    fn principal_for_token(&self, token_sha256: &str) -> StoreResult<Option<super::Principal>> {
        let now = tokens::now_secs();
        let found = self.read(|c| tokens::lookup(c, token_sha256, now))?;
        let Some((principal, due)) = found else {
            return Ok(None);
        };
        if due.any() {
            // Revoked between the read and this write: refused after all.
            let alive = self.write(|tx| tokens::record_use(tx, token_sha256, now, due))?;
            if !alive {
                return Ok(None);
            }
        }
        Ok(Some(principal))
    }

    fn create_expiring_token(
        &self,
        token_sha256: &str,
        partner: Option<&str>,
        role: crate::api::Role,
        agent_name: Option<&str>,
        expiry: super::TokenExpiry,
    ) -> StoreResult<super::Principal> {
        self.write(|tx| partners::create_token(tx, token_sha256, partner, role, agent_name, expiry))
    }

    fn renew_token(&self, token_sha256: &str) -> StoreResult<bool> {
        self.write(|tx| tokens::renew(tx, token_sha256, tokens::now_secs(), true))
    }

    fn purge_expired_tokens(&self) -> StoreResult<usize> {
        self.write(|tx| tokens::purge(tx, tokens::now_secs()))
    }

    fn purge_request_ids_before(&self, cutoff: &str) -> StoreResult<usize> {
        self.write(|tx| {
            Ok(tx
                .prepare_cached("DELETE FROM idempotency_keys WHERE created_at < ?1")?
                .execute([cutoff])?)
        })
    }

    fn secret(&self, name: &str) -> StoreResult<Vec<u8>> {
        self.write(|tx| {
            let existing = tx
                .prepare_cached("SELECT value FROM server_secrets WHERE name = ?1")?
                .query_row([name], |row| row.get::<_, Vec<u8>>(0));
            match existing {
                Ok(value) => Ok(value),
                Err(rusqlite::Error::QueryReturnedNoRows) => {
                    let value = crate::server::signing::random_key()?;
                    tx.prepare_cached("INSERT INTO server_secrets (name, value) VALUES (?1, ?2)")?
                        .execute(rusqlite::params![name, value])?;
                    Ok(value)
                }
                Err(other) => Err(other.into()),
            }
        })
    }

    fn revoke_token(&self, token_sha256: &str) -> StoreResult<bool> {
        self.write(|tx| {
            let gone = tx
                .prepare_cached("DELETE FROM tokens WHERE hash = ?1")?
                .execute([token_sha256])?;
            Ok(gone > 0)
        })
    }

    fn tokens(&self) -> StoreResult<Vec<super::TokenInfo>> {
        self.read(tokens::list)
    }

    fn token_holders(&self, name_or_id: &str) -> StoreResult<Vec<super::TokenHolder>> {
        self.read(|c| tokens::holders(c, name_or_id))
    }

    fn revoke_agent_tokens(&self, agent_id: &str) -> StoreResult<Vec<super::TokenInfo>> {
        self.write(|tx| tokens::revoke_agent(tx, agent_id))
    }

    fn revoke_token_id(&self, id: &str) -> StoreResult<Option<super::TokenInfo>> {
        self.write(|tx| tokens::revoke_id(tx, id))
    }

    fn agents(&self, partner_id: &str) -> StoreResult<Vec<crate::api::Agent>> {
        self.read(|c| partners::agents(c, partner_id))
    }

    fn indirect_resellers(
        &self,
        partner_id: &str,
    ) -> StoreResult<Vec<crate::api::PartnerRelationship>> {
        self.read(|c| partners::indirect_resellers(c, partner_id))
    }

    fn invite_code(
        &self,
        partner_id: &str,
        reseller_id: Option<&str>,
        customer_id: Option<&str>,
    ) -> StoreResult<String> {
        self.write(|tx| invitations::invite_code(tx, partner_id, reseller_id, customer_id))
    }

    fn rotate_invite(
        &self,
        actor: &super::Principal,
        key: Option<&super::RequestKey>,
    ) -> StoreResult<String> {
        self.write(|tx| {
            if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
                return Ok(first.body);
            }
            let code = invitations::rotate(tx, actor)?;
            let answer = super::StoredResponse {
                status: 200,
                body: code.clone(),
            };
            idempotency::remember(tx, &actor.partner_id, key, &answer)?;
            Ok(code)
        })
    }

    fn list_customers(
        &self,
        partner_id: &str,
        query: &super::CustomerQuery,
    ) -> StoreResult<super::CustomerPage> {
        self.read(|c| customers::list(c, partner_id, query))
    }

    fn customer(
        &self,
        partner_id: &str,
        id: &str,
    ) -> StoreResult<super::Versioned<crate::api::Customer>> {
        self.read(|c| customers::get(c, partner_id, id))
    }

    fn create_customer(
        &self,
        actor: &super::Principal,
        new: &crate::api::NewCustomer,
        key: Option<&super::RequestKey>,
        respond: &dyn Fn(&crate::api::Customer) -> super::StoredResponse,
    ) -> StoreResult<super::Created<crate::api::Customer>> {
        self.write(|tx| customers::create(tx, actor, new, key, respond))
    }

    fn set_relationship(
        &self,
        actor: &super::Principal,
        id: &str,
        relationship: crate::api::Relationship,
        if_match: &IfMatch,
    ) -> StoreResult<super::Versioned<crate::api::Customer>> {
        self.write(|tx| customers::set_relationship(tx, actor, id, relationship, if_match))
    }

    fn purchase_permission(
        &self,
        partner_id: &str,
        id: &str,
    ) -> StoreResult<super::Versioned<bool>> {
        self.read(|c| customers::purchase_permission(c, partner_id, id))
    }

    fn set_purchase_permission(
        &self,
        actor: &super::Principal,
        id: &str,
        allow: bool,
        if_match: &IfMatch,
    ) -> StoreResult<super::Versioned<bool>> {
        self.write(|tx| customers::set_purchase_permission(tx, actor, id, allow, if_match))
    }

    fn subscriptions(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<Vec<crate::api::Subscription>> {
        self.read(|c| resources::subscriptions(c, partner_id, customer_id))
    }

    fn subscribed_skus(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<Vec<crate::api::SubscribedSku>> {
        self.read(|c| resources::subscribed_skus(c, partner_id, customer_id))
    }

    fn support_contacts(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<super::Versioned<Vec<crate::api::SupportContact>>> {
        self.read(|c| support::support_contacts(c, partner_id, customer_id))
    }

    fn set_support_contacts(
        &self,
        actor: &super::Principal,
        customer_id: &str,
        agent_ids: &[String],
        if_match: &IfMatch,
    ) -> StoreResult<super::Versioned<Vec<crate::api::SupportContact>>> {
        self.write(|tx| support::set_support_contacts(tx, actor, customer_id, agent_ids, if_match))
    }

    fn service_requests(
        &self,
        partner_id: &str,
        customer_id: &str,
        limit: u32,
    ) -> StoreResult<(u64, Vec<crate::api::ServiceRequest>)> {
        self.read(|c| support::service_requests(c, partner_id, customer_id, limit))
    }

    fn open_service_request(
        &self,
        actor: &super::Principal,
        customer_id: &str,
        new: &crate::api::support::CheckedServiceRequest,
        key: Option<&super::RequestKey>,
        respond: &dyn Fn(&crate::api::ServiceRequest) -> super::StoredResponse,
    ) -> StoreResult<super::Created<crate::api::ServiceRequest>> {
        self.write(|tx| support::open_service_request(tx, actor, customer_id, new, key, respond))
    }

    fn audit_records(
        &self,
        partner_id: &str,
        query: &super::AuditQuery,
    ) -> StoreResult<super::AuditPage> {
        self.read(|c| audit::page(c, partner_id, query))
    }

    fn latest_event_id(&self, partner_id: &str) -> StoreResult<i64> {
        self.read(|c| resources::latest_event_id(c, partner_id))
    }

    fn events_after(
        &self,
        partner_id: &str,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<super::StoredEvent>> {
        self.read(|c| resources::events_after(c, partner_id, after_id, limit))
    }

    fn invitation(&self, code: &str) -> StoreResult<super::Invitation> {
        self.read(|c| invitations::invitation(c, code))
    }

    fn accept_invitation(
        &self,
        code: &str,
        acceptance: &super::Acceptance,
    ) -> StoreResult<super::AcceptOutcome> {
        self.write(|tx| invitations::accept(tx, code, acceptance))
    }

    fn is_empty(&self) -> StoreResult<bool> {
        self.read(partners::is_empty)
    }

    fn seed_demo(&self, customers: u32) -> StoreResult<()> {
        // Idle readers would keep the database in WAL mode during the load (see seeding).
        lock(&self.readers).clear();
        seeding::seed(&mut lock(&self.writer), customers)
    }

    fn ping(&self) -> StoreResult<()> {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    }
}

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
