//! The PostgreSQL store, for a team's shared backend: several `cspdash serve` replicas over one
//! database. Same [`Store`](super::Store) contract as SQLite, so nothing above the store changes.
//!
//! The trait is synchronous and the HTTP layer calls it on tokio's blocking pool. This store runs
//! its connections (tokio-postgres, pooled by deadpool) on a small runtime of its own and each
//! call waits for its future: that works from any thread, inside an async context or not (the
//! CLI, start-up, tests), with no nested-runtime panics.
//!
//! Writes take one transaction-scoped advisory lock, so they are serialised across replicas as
//! SQLite serialises them in one process: check-then-write code (idempotency keys, `If-Match`,
//! invitation links, licence counts) holds on every replica, and event ids grow in commit order.
//! Reads run in read-only repeatable-read transactions (a page and its total agree).

mod audit;
mod customers;
mod gdap;
mod idempotency;
mod invitations;
mod listen;
mod partners;
mod pgpass;
mod resources;
pub mod scratch;
mod seeding;
mod support;
mod tokens;
mod users;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) use testing::test_store;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls};

use super::{StoreError, StoreResult};

/// Numbered migrations; `cspdash_schema.version` is the number of the last one applied.
const MIGRATIONS: &[&str] = &[
    include_str!("postgres/migrations/0001_init.sql"),
    include_str!("postgres/migrations/0002_token_last_used.sql"),
];

/// Advisory lock keys (any two 64-bit numbers no other application on the database uses).
/// Held by every write transaction.
const WRITE_LOCK: i64 = 0x6373_7064_0000_0001;
/// Held (per session) by a replica starting up while it migrates and seeds.
const STARTUP_LOCK: i64 = 0x6373_7064_0000_0002;

/// Connections per replica: two cores' worth of handlers and then some; PostgreSQL's default
/// `max_connections` (100) leaves room for several replicas.
const POOL_SIZE: usize = 16;
/// How long a call waits for a connection (or for PostgreSQL to answer a connect) before it is
/// answered 503: a dead database must not hang requests.
const CONNECT_WAIT: Duration = Duration::from_secs(3);

pub struct PgStore {
    /// Runs the connections' I/O; `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    config: tokio_postgres::Config,
    /// The URL without its password, for messages.
    shown: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("database", &self.shown)
            .finish()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which tokio forbids inside an async context; nothing is left
        // to wait for once the store goes.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// True for `postgres://…` and `postgresql://…`: `--db` means PostgreSQL, else a SQLite path.
pub fn is_postgres_url(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// `url` with any password replaced by `***`, for messages and logs.
pub fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => match authority[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end + 3],
                &authority[..colon],
                &rest[at..]
            ),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// `url` parsed, with its password filled in from `PGPASSWORD` or `~/.pgpass` when it has none.
pub fn parse_url(url: &str) -> StoreResult<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url.parse().map_err(|e| {
        StoreError::Schema(format!(
            "--db {} is not a PostgreSQL URL: {e}",
            redacted(url)
        ))
    })?;
    if config.get_password().is_none()
        && let Some(password) = pgpass::password_for(&config)
    {
        config.password(password);
    }
    Ok(config)
}

impl PgStore {
    /// Connects to `url`, brings the schema up to date (once, whichever replica gets there
    /// first) and refuses a database from a newer cspdash.
    pub fn open(url: &str) -> StoreResult<Self> {
        Self::open_config(parse_url(url)?, redacted(url))
    }

    /// [`PgStore::open`] with the configuration parsed; `shown` names it in messages.
    pub fn open_config(mut config: tokio_postgres::Config, shown: String) -> StoreResult<Self> {
        config.connect_timeout(CONNECT_WAIT);
        config.keepalives_idle(Duration::from_secs(30));
        if config.get_application_name().is_none() {
            config.application_name("cspdash");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cspdash-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Schema(format!("cannot start PostgreSQL I/O threads: {e}")))?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                // A connection PostgreSQL closed (a restart) is noticed and replaced.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = {
            let _entered = runtime.enter();
            Pool::builder(manager)
                .max_size(POOL_SIZE)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .wait_timeout(Some(CONNECT_WAIT))
                .create_timeout(Some(CONNECT_WAIT))
                .recycle_timeout(Some(CONNECT_WAIT))
                .build()
                .map_err(|e| StoreError::Schema(format!("cannot set up a pool for {shown}: {e}")))?
        };
        let store = Self {
            runtime: Some(runtime),
            pool,
            config,
            shown,
        };
        // Name the database (without its password) when it cannot be reached or refuses us.
        store.exclusively(|_| Ok(())).map_err(|e| match e {
            StoreError::Unavailable(why) => {
                StoreError::Unavailable(format!("{}: {why}", store.shown))
            }
            StoreError::Postgres(err) => {
                StoreError::Schema(format!("cannot open {}: {err}", store.shown))
            }
            other => other,
        })?;
        Ok(store)
    }

    /// The database URL without its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        // Set from `open` until `drop`.
        self.runtime
            .as_ref()
            .unwrap_or_else(|| unreachable!("the runtime lives as long as the store"))
    }

    /// Waits for `work`, whose I/O runs on the store's runtime; PostgreSQL being unreachable
    /// becomes [`StoreError::Unavailable`].
    fn run<T>(&self, work: impl Future<Output = StoreResult<T>>) -> StoreResult<T> {
        let _entered = self.runtime().enter();
        futures::executor::block_on(work).map_err(classify)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Client> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => classify(StoreError::Postgres(e)),
            other => StoreError::Unavailable(format!("no connection to PostgreSQL: {other}")),
        })
    }

    /// Runs `f` in a read-only repeatable-read transaction.
    fn read<T>(&self, f: impl AsyncFnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await?;
            let value = f(&tx).await?;
            tx.commit().await?;
            Ok(value)
        })
    }

    /// Runs `f` in one write transaction under the write lock, committed only when `f` succeeds.
    fn write<T>(&self, f: impl AsyncFnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await?;
            let value = f(&tx).await?;
            tx.commit().await?;
            Ok(value)
        })
    }

    /// Runs `f` while this process alone holds the start-up lock (on a connection of its own, so
    /// `f` may use the store): migrations run first, then `f` (seeding, sweeping). A replica that
    /// starts meanwhile waits, then finds the work done.
    pub fn exclusively<T>(&self, f: impl FnOnce(&Self) -> StoreResult<T>) -> StoreResult<T> {
        let (mut client, connection) = self.run(async {
            self.config
                .connect(NoTls)
                .await
                .map_err(|e| classify(StoreError::Postgres(e)))
        })?;
        let driver = self.runtime().spawn(connection);
        let outcome = (|| {
            self.run(async {
                client
                    .execute("SELECT pg_advisory_lock($1)", &[&STARTUP_LOCK])
                    .await?;
                migrate(&mut client, &self.shown).await
            })?;
            f(self)
        })();
        // Closing the session releases the lock even when `f` failed.
        drop(client);
        driver.abort();
        outcome
    }
}

/// Applies the migrations the database lacks, all in one transaction.
async fn migrate(client: &mut tokio_postgres::Client, shown: &str) -> StoreResult<()> {
    let tx = client.transaction().await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS cspdash_schema (version BIGINT NOT NULL)")
        .await?;
    let current: i64 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM cspdash_schema", &[])
        .await?
        .get(0);
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::Schema(format!(
            "database {shown} has schema version {current}, but this cspdash knows only up to \
             {known}: upgrade cspdash (or use another --db)"
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        tx.batch_execute(sql).await.map_err(|e| {
            StoreError::Schema(format!("migration {version} failed on {shown}: {e}"))
        })?;
        tx.execute(
            "INSERT INTO cspdash_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// PostgreSQL down, restarting or refusing connections: the caller may retry shortly.
fn classify(err: StoreError) -> StoreError {
    let StoreError::Postgres(e) = &err else {
        return err;
    };
    let unreachable = match e.code() {
        Some(code) => {
            code.code().starts_with("08") // connection exception
                || *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || *code == SqlState::TOO_MANY_CONNECTIONS
        }
        None => {
            e.is_closed() || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
        }
    };
    if unreachable {
        StoreError::Unavailable(format!("PostgreSQL is unreachable: {e}"))
    } else {
        err
    }
}

/// Whether `err` is PostgreSQL refusing a duplicate in a unique index (the caller says which
/// field is taken).
pub(super) fn is_unique_violation(err: &tokio_postgres::Error) -> bool {
    err.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// Timestamps are RFC 3339 in UTC with seconds, as on SQLite.
pub(crate) fn now() -> String {
    super::sqlite::now()
}

mod store_impl;
