//! Throwaway databases for tests and benchmarks: each gets a fresh, empty database on a server
//! whose user may `CREATE DATABASE` (named by `CSPDASH_TEST_POSTGRES`, e.g.
//! `postgres://cspdash@127.0.0.1:55432/postgres`, which `bash .ci/run` starts).

use std::sync::atomic::{AtomicU32, Ordering};

use tokio_postgres::NoTls;

use super::{parse_url, redacted};
use crate::server::store::{StoreError, StoreResult};

/// The variable naming the server tests make their databases on.
pub const ENV: &str = "CSPDASH_TEST_POSTGRES";

/// The server's URL from [`ENV`], if set.
pub fn server_url() -> Option<String> {
    std::env::var(ENV).ok().filter(|url| !url.trim().is_empty())
}

/// The line a test prints (or fails with, in CI) when [`ENV`] is not set.
pub fn missing_line() -> String {
    format!(
        "PostgreSQL half not run: set {ENV}=postgres://USER@HOST:PORT/postgres (a user that may \
         CREATE DATABASE; `bash .ci/run` starts a throwaway server and sets it)"
    )
}

/// Makes a new empty database on the server at `admin_url`; its URL.
/// Works from any thread, inside an async context or not.
pub fn create_database(admin_url: &str) -> StoreResult<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "cspdash_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000_000
    );
    let config = parse_url(admin_url)?;
    let statement = format!("CREATE DATABASE {name}");
    let shown = redacted(admin_url);
    std::thread::spawn(move || -> StoreResult<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Schema(e.to_string()))?;
        runtime.block_on(async {
            let (client, connection) = config.connect(NoTls).await.map_err(|e| {
                StoreError::Unavailable(format!("cannot reach the test server {shown}: {e}"))
            })?;
            let driver = tokio::spawn(connection);
            client.batch_execute(&statement).await?;
            drop(client);
            let _ = driver.await;
            Ok(())
        })
    })
    .join()
    .map_err(|_| StoreError::Schema("creating a test database panicked".into()))??;
    Ok(with_database(admin_url, &name))
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = match url[scheme_end..].find('?') {
        Some(q) => url.split_at(scheme_end + q),
        None => (url, ""),
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..authority_end])
}
