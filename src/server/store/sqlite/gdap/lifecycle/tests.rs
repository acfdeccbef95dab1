#![allow(clippy::unwrap_used)]
//! The lifecycle on seeded data, with `now` moved ahead as the server's clock would be.

use rusqlite::{Connection, params};

use super::super::super::{SqliteStore, lock};
use super::{parse_time, text};
use crate::server::store::{AdminStore, Store};

fn seeded(dir: &tempfile::TempDir) -> SqliteStore {
    let store = SqliteStore::open(&dir.path().join("l.db")).unwrap();
    store.seed_demo(60).unwrap();
    store
}

fn days(n: i64) -> String {
    text(chrono::Utc::now() + chrono::TimeDelta::days(n))
}

fn status(conn: &Connection, id: &str) -> (String, Option<String>, String) {
    conn.query_row(
        "SELECT r.status, r.end_at, c.admin_status FROM admin_relationships r \
         JOIN customers c ON c.id = r.customer_id WHERE r.id = ?1",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

/// The id of one Contoso relationship the filter picks.
fn pick(conn: &Connection, filter: &str) -> String {
    conn.query_row(
        &format!(
            "SELECT r.id FROM admin_relationships r JOIN partners p ON p.id = r.partner_id \
             WHERE p.name = 'Contoso Partner' AND {filter} ORDER BY r.id LIMIT 1"
        ),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn audit(conn: &Connection, operation: &str) -> Vec<(String, String)> {
    conn.prepare("SELECT agent_id, value_after FROM audit_records WHERE operation = ?1 ORDER BY id")
        .unwrap()
        .query_map(params![operation], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn events(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM events WHERE kind = 'adminRelationship.updated'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn nothing_is_due_right_after_seeding() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir);
    assert_eq!(
        store.advance_admin_relationships(&days(0)).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(events(&lock(&store.writer)), 0);
}

#[test]
fn an_approval_nobody_answers_expires_after_90_days() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir);
    let (id, only) = {
        let conn = lock(&store.writer);
        let id = pick(
            &conn,
            "status = 'approvalPending' AND locked_at < date('now', '-80 days')",
        );
        // A customer whose only relationship it is, so its summary must follow.
        let only = pick(
            &conn,
            "status = 'approvalPending' AND locked_at < date('now', '-80 days') AND \
             (SELECT count(*) FROM admin_relationships o WHERE o.customer_id = r.customer_id) = 1",
        );
        (id, only)
    };
    store.advance_admin_relationships(&days(4)).unwrap();
    assert_eq!(status(&lock(&store.writer), &only).0, "approvalPending");
    let changed = store.advance_admin_relationships(&days(6)).unwrap();
    assert_eq!(changed.len(), 1, "one partner changed: {changed:?}");
    let conn = lock(&store.writer);
    assert_eq!(status(&conn, &id).0, "expired");
    assert_eq!(
        status(&conn, &only),
        ("expired".into(), None, "expired".into())
    );
    let records = audit(&conn, "expireAdminRelationship");
    assert!(
        records.iter().all(|(agent, _)| agent == "system"),
        "{records:?}"
    );
    assert!(records.iter().any(|(_, after)| after.contains(&id)));
    let by_system: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_records WHERE agent_id = 'system'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events(&conn), by_system, "one event per change");
}

#[test]
fn an_ended_relationship_expires_unless_it_auto_extends_by_180_days() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir);
    let within_7 = format!("status = 'active' AND end_at <= '{}'", days(7));
    let (plain, extending, end) = {
        let conn = lock(&store.writer);
        let plain = pick(&conn, &format!("{within_7} AND auto_extend_days = 0"));
        let extending = pick(&conn, &format!("{within_7} AND auto_extend_days = 180"));
        let end = status(&conn, &extending).1.unwrap();
        (plain, extending, end)
    };
    store.advance_admin_relationships(&days(8)).unwrap();
    let conn = lock(&store.writer);
    assert_eq!(status(&conn, &plain).0, "expired");
    let (now_status, new_end, summary) = status(&conn, &extending);
    assert_eq!(
        (now_status.as_str(), summary.as_str()),
        ("active", "active")
    );
    let moved = parse_time(&new_end.unwrap()).unwrap() - parse_time(&end).unwrap();
    assert_eq!(moved.num_days(), 180);
    let extended = audit(&conn, "extendAdminRelationship");
    assert!(
        extended
            .iter()
            .any(|(a, after)| a == "system" && after.contains(&extending))
    );
}

#[test]
fn a_requested_termination_completes_on_the_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir);
    let id = {
        let conn = lock(&store.writer);
        let id = pick(&conn, "status = 'active'");
        conn.execute(
            "UPDATE admin_relationships SET status = 'terminationRequested', updated_at = ?2 \
             WHERE id = ?1",
            params![id, days(0)],
        )
        .unwrap();
        id
    };
    store.advance_admin_relationships(&days(0)).unwrap();
    let conn = lock(&store.writer);
    assert_eq!(status(&conn, &id).0, "terminated");
    assert_eq!(audit(&conn, "terminateAdminRelationship")[0].0, "system");
}

/// What a sweep with nothing due costs in this (debug) build, for the notes: `cargo test --lib
/// sweep_time -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn sweep_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
    store.seed_demo(20_000).unwrap();
    let relationships: i64 = lock(&store.writer)
        .query_row("SELECT count(*) FROM admin_relationships", [], |r| r.get(0))
        .unwrap();
    let now = days(0);
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        assert!(store.advance_admin_relationships(&now).unwrap().is_empty());
    }
    let read_first = started.elapsed() / 1000;
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        assert!(
            store
                .write(|tx| super::advance(tx, &now))
                .unwrap()
                .is_empty()
        );
    }
    let write_only = started.elapsed() / 1000;
    eprintln!(
        "a sweep with nothing due over {relationships} relationships: {read_first:?} \
         (as a write transaction alone: {write_only:?})"
    );
}
