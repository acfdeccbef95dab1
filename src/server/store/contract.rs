//! The contract suite: one body per behaviour of [`Store`], run on every implementation.
//! `contract! { fn name(store) { .. } }` makes `name::sqlite` (a temporary file) and
//! `name::postgres` (a scratch database; one SKIPPED line and a pass without
//! `CSPDASH_TEST_POSTGRES`, a failure in CI, as [`super::postgres::testing::test_store`] does).
//! `store` is a `&dyn TestStore`: the [`Store`] plus [`TestStore::exec`] and [`TestStore::rows`]
//! for the states a test sets up or reads behind the API (the schemas share their table and
//! column names, so one statement, with literals and no engine-only functions, serves both),
//! and a few setups each engine does its own way (demo customers, both domain plans, summaries,
//! a second store on the same database).
#![allow(clippy::unwrap_used)]

use super::seed::DemoPartner;
use super::{CustomerPage, CustomerQuery, Store, StoreResult};

mod audit;
mod customers;
mod fixture;
mod gdap_approval;
mod gdap_bulk;
mod gdap_lifecycle;
mod gdap_relationships;
mod invitations;
mod seeding;
mod support;
mod tokens;

/// A store the contract tests can also reach behind the API.
pub(crate) trait TestStore: Store {
    /// Runs `sql` (statements without parameters) in one write transaction.
    fn exec(&self, sql: &str);
    /// The rows `sql` returns, each value as text (integers in decimal, booleans as the engine
    /// spells them), None for NULL.
    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>>;
    /// Adds `partner` with its agents and resellers and its first `customers` demo customers,
    /// without the rest of the demo data (relationships, audit records, events).
    fn add_book(&self, partner: &DemoPartner, customers: u32);
    /// `list_customers` with the threshold between the two domain-filter plans as given, so a
    /// test can run both.
    fn list_customers_planned(
        &self,
        partner_id: &str,
        query: &CustomerQuery,
        few_domain_matches: i64,
    ) -> StoreResult<CustomerPage>;
    /// Recomputes every customer's `adminAccess` summary from its relationships, as the store
    /// does after each change (one write).
    fn refresh_admin_summaries(&self);
    /// Another store on the same database (own connections), as a second replica or process
    /// serving it would have.
    fn replica(&self) -> Box<dyn TestStore>;
}

/// One test body, two tests: `name::sqlite` and `name::postgres`. Attributes before `fn` go to
/// both halves.
macro_rules! contract {
    ($($(#[$meta:meta])* fn $name:ident($store:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let opened =
                    crate::server::store::SqliteStore::open(&dir.path().join("contract.db"))
                        .unwrap();
                let $store: &dyn crate::server::store::contract::TestStore = &opened;
                $body
            }

            $(#[$meta])*
            #[test]
            fn postgres() {
                let Some(opened) = crate::server::store::postgres::test_store() else {
                    return;
                };
                let $store: &dyn crate::server::store::contract::TestStore = &opened;
                $body
            }
        }
    )*};
}
pub(crate) use contract;
