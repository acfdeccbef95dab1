//! GDAP figures (issue 10) on a 100,000-customer database with ~150,000 admin relationships: the
//! admin relationships screen's first page (`$top` 100 and 1000), the expiring-within-30-days
//! view (the server's `$filter`, and the screen's own view over everything loaded), the full load
//! of every relationship (as the screen streams it, into its compact rows), and a bulk
//! auto-extend of 1,000 relationships end to end — one bulk request against a baseline of 1,000
//! single PATCHes in the same run, with their ratio. Run with `cargo bench --bench gdap`; prints
//! medians.
//!
//! The relationships are written straight into the database (a spread of every status, end date
//! and role set) unless the demo seed already made that many. `CSPDASH_BENCH_RELATIONSHIPS`
//! changes how many (default 150000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use cspdash::api::Role;
use cspdash::api::gdap::roles::{
    DIRECTORY_READERS, GLOBAL_ADMINISTRATOR, GLOBAL_READER, HELPDESK_ADMINISTRATOR,
    LICENSE_ADMINISTRATOR, USER_ADMINISTRATOR,
};
use cspdash::api::gdap::{
    AdminRelationshipPatch, BulkAction, BulkItem, BulkOutcome, BulkRequest, EXPIRING_DAYS,
    MAX_BULK_ITEMS, RelationshipStatus,
};
use cspdash::client::{Client, RelationshipFilter};
use cspdash::server::store::Store;
use cspdash::server::{AppState, auth, open_store, spawn};
use cspdash::tui::screens::admin::{AdminList, Rel, View};

const CUSTOMERS: u32 = 100_000;
const SAMPLES: usize = 20;
const DAY: i64 = 86_400;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn rfc(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Fills the partner's relationships up to `target`: per customer one, every second customer a
/// second; 70 % active (ends spread over two years, a tenth of them with Global Administrator),
/// 10 % pending (0–89 days), 15 % expired, 5 % terminated.
fn seed_relationships(path: &std::path::Path, partner: &str, target: usize) -> usize {
    let mut db = rusqlite::Connection::open(path).unwrap();
    let have: i64 = db
        .query_row(
            "SELECT count(*) FROM admin_relationships WHERE partner_id = ?1",
            [partner],
            |r| r.get(0),
        )
        .unwrap();
    let have = usize::try_from(have).unwrap();
    if have >= target {
        return have;
    }
    let customers: Vec<String> = {
        let mut stmt = db
            .prepare("SELECT id FROM customers WHERE partner_id = ?1 ORDER BY id")
            .unwrap();
        stmt.query_map([partner], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let now = chrono::Utc::now().timestamp();
    let roles = |i: usize| -> String {
        let mut ids = vec![DIRECTORY_READERS, GLOBAL_READER, HELPDESK_ADMINISTRATOR];
        if i.is_multiple_of(3) {
            ids.extend([USER_ADMINISTRATOR, LICENSE_ADMINISTRATOR]);
        }
        if i % 10 == 7 {
            ids.push(GLOBAL_ADMINISTRATOR);
        }
        serde_json::to_string(&ids).unwrap()
    };
    let tx = db.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, \
                 name_key, duration_days, auto_extend_days, roles, status, created_at, locked_at, \
                 activated_at, end_at, updated_at, approval_code, access_assignment_count, version) \
                 VALUES (?1, ?2, ?3, ?4, lower(?4), 730, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?7, ?11, ?12, 1)",
            )
            .unwrap();
        let mut made = have;
        let mut i = 0usize;
        while made < target {
            let customer = &customers[i % customers.len()];
            // Pass two adds the second relationship of every second customer.
            if i >= customers.len() && (i % customers.len()) % 2 == 1 {
                i += 1;
                continue;
            }
            let n = i;
            i += 1;
            let id = format!("bench-{n:07}");
            let name = format!("Bench {n:07}");
            let kind = n % 20;
            let (status, created, locked, activated, end, code) = match kind {
                0..=13 => {
                    let end = now + ((n as i64 * 37) % 730 + 1) * DAY;
                    let start = end - 730 * DAY;
                    ("active", start, Some(start), Some(start), Some(end), None)
                }
                14 | 15 => {
                    let locked = now - ((n as i64) % 90) * DAY;
                    (
                        "approvalPending",
                        locked,
                        Some(locked),
                        None,
                        None,
                        Some(format!("bench-code-{n:07}")),
                    )
                }
                16..=18 => {
                    let end = now - ((n as i64) % 300 + 1) * DAY;
                    ("expired", end - 730 * DAY, None, None, Some(end), None)
                }
                _ => {
                    let end = now - ((n as i64) % 100 + 1) * DAY;
                    ("terminated", end - 400 * DAY, None, None, Some(end), None)
                }
            };
            insert
                .execute(rusqlite::params![
                    id,
                    partner,
                    customer,
                    name,
                    roles(n),
                    status,
                    rfc(created),
                    locked.map(rfc),
                    activated.map(rfc),
                    end.map(rfc),
                    code,
                    i64::from(!n.is_multiple_of(4)),
                ])
                .unwrap();
            made += 1;
        }
    }
    tx.commit().unwrap();
    target
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let target: usize = std::env::var("CSPDASH_BENCH_RELATIONSHIPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gdap.db");
    let started = Instant::now();
    let store = open_store(&path, Some(CUSTOMERS)).unwrap();
    println!(
        "customers                       {CUSTOMERS} (seeded in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let partner: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT partner_id FROM customers GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let started = Instant::now();
    let relationships = seed_relationships(&path, &partner, target);
    println!(
        "relationships                   {relationships} (written in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let token = auth::new_token();
    store
        .create_token(
            &auth::token_hash(&token),
            Some(&partner),
            Role::AdminAgent,
            None,
        )
        .unwrap();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(Arc::new(store), &base, 1_000_000);
        let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
        spawn(listener, state, async {
            let _ = stopped.await;
        })
        .unwrap();
        let client = Client::new(&base, &token).unwrap();
        let all = RelationshipFilter::default();

        for top in [100u32, 1000] {
            client.admin_relationships_page(&all, top).await.unwrap();
            let mut times = Vec::new();
            for _ in 0..SAMPLES {
                let t = Instant::now();
                let page = client.admin_relationships_page(&all, top).await.unwrap();
                // As the screen takes it: into compact rows.
                let rows: Vec<Rel> = page.value.iter().map(Rel::of).collect();
                assert_eq!(rows.len(), top as usize);
                times.push(t.elapsed());
            }
            println!("first page ($top {top:<4})          {}", ms(median(times)));
        }

        let soon = rfc(chrono::Utc::now().timestamp() + EXPIRING_DAYS * DAY);
        let expiring = RelationshipFilter {
            status: Some(RelationshipStatus::Active),
            end_before: Some(soon),
            ..RelationshipFilter::default()
        };
        let (mut first, mut whole, mut count) = (Vec::new(), Vec::new(), 0);
        for _ in 0..5 {
            let t = Instant::now();
            client.admin_relationships_page(&expiring, 1000).await.unwrap();
            first.push(t.elapsed());
            let t = Instant::now();
            count = client.admin_relationships(&expiring).await.unwrap().len();
            whole.push(t.elapsed());
        }
        println!(
            "expiring ≤30d, server $filter   first page {} · all {count} in {}",
            ms(median(first)),
            ms(median(whole))
        );

        // The full load as the screen does it: page after page into its rows and views.
        let mut loads = Vec::new();
        let mut loaded = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let mut page = client.admin_relationships_page(&all, 1000).await.unwrap();
            let mut list = AdminList::new(chrono::Utc::now().timestamp());
            list.replace(page.value.iter().map(Rel::of).collect());
            while let Some(next) = page.next_link.take() {
                page = client.admin_relationships_next(&next).await.unwrap();
                list.append(page.value.iter().map(Rel::of).collect());
            }
            loads.push(t.elapsed());
            loaded = list.rels().to_vec();
        }
        println!(
            "full load                       {} relationships in {}",
            loaded.len(),
            ms(median(loads))
        );
        let mut list = AdminList::new(chrono::Utc::now().timestamp());
        list.replace(loaded.clone());
        let mut views = Vec::new();
        for _ in 0..SAMPLES {
            let t = Instant::now();
            list.set_view(View::Expiring);
            views.push(t.elapsed());
            list.set_view(View::All);
        }
        println!(
            "expiring ≤30d, screen's view    {} shown, switching to it {}",
            {
                list.set_view(View::Expiring);
                list.shown().len()
            },
            ms(median(views))
        );

        // Bulk auto-extend: active, without Global Administrator, not extending yet.
        let candidates: Vec<&Rel> = loaded
            .iter()
            .filter(|r| {
                r.status == RelationshipStatus::Active
                    && !r.auto_extend
                    && !r.roles.has_global_administrator()
            })
            .collect();
        assert!(candidates.len() >= 4 * MAX_BULK_ITEMS, "{}", candidates.len());
        let mut bulks = Vec::new();
        for round in 0..3 {
            let chunk = &candidates[round * MAX_BULK_ITEMS..(round + 1) * MAX_BULK_ITEMS];
            let request = BulkRequest {
                action: BulkAction::EnableAutoExtend,
                items: chunk
                    .iter()
                    .map(|r| BulkItem {
                        id: r.id.to_string(),
                        etag: Some(r.etag.to_string()),
                    })
                    .collect(),
            };
            let t = Instant::now();
            let results = client
                .bulk_admin_relationships(&request, &uuid::Uuid::new_v4().to_string())
                .await
                .unwrap();
            let rows: Vec<Rel> = results
                .iter()
                .filter_map(|r| r.relationship.as_ref())
                .map(Rel::of)
                .collect();
            bulks.push(t.elapsed());
            let ok = results
                .iter()
                .filter(|r| r.outcome == BulkOutcome::Succeeded)
                .count();
            assert_eq!(ok, MAX_BULK_ITEMS, "{:?}", results.iter().find(|r| r.outcome != BulkOutcome::Succeeded));
            assert_eq!(rows.len(), MAX_BULK_ITEMS);
        }
        let bulk = median(bulks);
        let patch = AdminRelationshipPatch {
            auto_extend_duration: Some("P180D".into()),
            ..AdminRelationshipPatch::default()
        };
        let t = Instant::now();
        for r in &candidates[3 * MAX_BULK_ITEMS..4 * MAX_BULK_ITEMS] {
            client
                .update_admin_relationship(&r.id, &patch, &r.etag)
                .await
                .unwrap();
        }
        let singles = t.elapsed();
        println!(
            "bulk auto-extend of 1,000       {} in one request (target < 5 s) · 1,000 single PATCHes {} · ratio {:.1}x",
            ms(bulk),
            ms(singles),
            singles.as_secs_f64() / bulk.as_secs_f64()
        );
    });
}
