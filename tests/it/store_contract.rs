//! The contract suite's own checks: the same test on both stores sees the same backend.
#![allow(clippy::unwrap_used)]

use crate::helpers::*;
use cspdash::api::Role;
use cspdash::server::store::Database;

contract! {
    async fn each_half_runs_on_its_own_store_and_signs_in() {
        let server = spawn_server(3).await;
        match (&server.db, store_kind()) {
            (Database::Sqlite(_), StoreKind::Sqlite) | (Database::Postgres(_), StoreKind::Postgres(_)) => {}
            (db, kind) => panic!("server on {db:?} in a {kind:?} test"),
        }
        let (status, me) = server.get_json("/v1/me").await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["partnerName"], CONTOSO);
        let fabrikam = server
            .request(FABRIKAM, Role::GlobalAdmin, reqwest::Method::GET, "/v1/me")
            .send()
            .await
            .unwrap();
        assert_eq!(fabrikam.status(), 200);
        assert_eq!(server.scalar_i64("SELECT count(*) FROM partners").await, 2);
    }
}
