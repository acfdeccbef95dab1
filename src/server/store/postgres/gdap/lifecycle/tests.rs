#![allow(clippy::unwrap_used)]
//! The lifecycle on PostgreSQL with `now` moved as the server's clock would be, and two
//! replicas sweeping the same database at once.

use std::sync::{Arc, Barrier};

use crate::api::gdap::roles::DIRECTORY_READERS;
use crate::server::store::gdap::AdminStore;
use crate::server::store::postgres::PgStore;
use crate::server::store::postgres::gdap::fixture::{Fixture, LOCKED, fixture};

const END: &str = "2026-06-01T12:00:00Z";

fn active(f: &Fixture, id: &str, auto_extend_days: i64) {
    f.relationship(id, "active", Some(END), &[DIRECTORY_READERS]);
    f.sql(
        "UPDATE admin_relationships SET auto_extend_days = $2, activated_at = $3 WHERE id = $1",
        &[&id, &auto_extend_days, &LOCKED],
    );
}

fn operations(f: &Fixture, operation: &str) -> Vec<(String, String)> {
    f.audit()
        .into_iter()
        .filter(|a| a.0 == operation)
        .map(|a| (a.1, a.4))
        .collect()
}

#[test]
fn nothing_due_changes_nothing_and_writes_nothing() {
    let Some(f) = fixture() else { return };
    active(&f, "r-1", 180);
    f.relationship("r-2", "approvalPending", None, &[DIRECTORY_READERS]);
    assert!(
        f.store
            .advance_admin_relationships("2026-02-01T00:00:00Z")
            .unwrap()
            .is_empty()
    );
    assert!(f.events().is_empty());
    assert!(f.audit().is_empty());
}

#[test]
fn an_approval_nobody_answers_expires_after_90_days() {
    let Some(f) = fixture() else { return };
    f.relationship("r-p", "approvalPending", None, &[DIRECTORY_READERS]);
    // LOCKED is 2026-01-10T08:00:00Z: 90 days later is 2026-04-10T08:00:00Z.
    assert!(
        f.store
            .advance_admin_relationships("2026-04-10T07:59:59Z")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        f.store
            .advance_admin_relationships("2026-04-10T08:00:00Z")
            .unwrap(),
        [f.actor.partner_id.clone()]
    );
    assert_eq!(f.column("r-p", "status").as_deref(), Some("expired"));
    assert_eq!(f.summary().0, "expired");
    let records = operations(&f, "expireAdminRelationship");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].0, "system");
    assert!(
        records[0].1.contains("no answer within 90 days"),
        "{records:?}"
    );
    assert_eq!(f.events(), ["adminRelationship.updated"]);
}

#[test]
fn an_ended_relationship_expires_unless_it_auto_extends_by_180_days() {
    let Some(f) = fixture() else { return };
    active(&f, "r-extends", 180);
    active(&f, "r-ends", 0);
    assert_eq!(
        f.store.advance_admin_relationships(END).unwrap(),
        [f.actor.partner_id.clone()]
    );
    assert_eq!(
        f.column("r-extends", "end_at").as_deref(),
        Some("2026-11-28T12:00:00Z")
    );
    assert_eq!(f.column("r-extends", "status").as_deref(), Some("active"));
    assert_eq!(f.column("r-ends", "status").as_deref(), Some("expired"));
    assert_eq!(
        f.summary(),
        ("active".into(), Some("2026-11-28T12:00:00Z".into()), None),
        "the summary follows the extension"
    );
    assert_eq!(operations(&f, "extendAdminRelationship").len(), 1);
    assert_eq!(operations(&f, "expireAdminRelationship").len(), 1);
    // Done: the next tick has nothing to do.
    assert!(f.store.advance_admin_relationships(END).unwrap().is_empty());
}

#[test]
fn a_requested_termination_completes_on_the_next_step() {
    let Some(f) = fixture() else { return };
    active(&f, "r-t", 0);
    f.sql(
        "UPDATE admin_relationships SET status = 'terminationRequested' WHERE id = 'r-t'",
        &[],
    );
    f.store
        .advance_admin_relationships("2026-02-01T00:00:00Z")
        .unwrap();
    assert_eq!(f.column("r-t", "status").as_deref(), Some("terminated"));
    assert_eq!(operations(&f, "terminateAdminRelationship")[0].0, "system");
    assert_eq!(f.summary().0, "terminated");
}

#[test]
fn two_replicas_sweeping_at_once_extend_a_relationship_once() {
    let Some(f) = fixture() else { return };
    const RELATIONSHIPS: usize = 20;
    for n in 0..RELATIONSHIPS {
        active(&f, &format!("r-{n:02}"), 180);
    }
    // A second replica: a store of its own (own pool, own connections) on the same database.
    let other = PgStore::open(f.store.shown()).unwrap();
    let replicas = [Arc::new(f.store), Arc::new(other)];
    const SWEEPERS_EACH: usize = 3;
    let start = Arc::new(Barrier::new(2 * SWEEPERS_EACH));
    let mut sweeps = Vec::new();
    for replica in &replicas {
        for _ in 0..SWEEPERS_EACH {
            let (replica, start) = (replica.clone(), start.clone());
            sweeps.push(std::thread::spawn(move || {
                start.wait();
                // Every replica ticks more than once while the others do.
                (0..3)
                    .map(|_| replica.advance_admin_relationships(END).unwrap().len())
                    .sum::<usize>()
            }));
        }
    }
    let changed: usize = sweeps.into_iter().map(|s| s.join().unwrap()).sum();
    assert_eq!(
        changed, 1,
        "one sweep did the work, every other found nothing due"
    );
    let store = &replicas[0];
    let ends: Vec<(String, i64)> = store
        .write(async |tx| {
            Ok(tx
                .query(
                    "SELECT end_at, version FROM admin_relationships ORDER BY id",
                    &[],
                )
                .await?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect())
        })
        .unwrap();
    assert_eq!(ends.len(), RELATIONSHIPS);
    for (end, version) in &ends {
        assert_eq!(end, "2026-11-28T12:00:00Z", "extended by 180 days, once");
        assert_eq!(*version, 2, "one change");
    }
    let (extensions, events): (i64, i64) = store
        .write(async |tx| {
            let r = tx
                .query_one(
                    "SELECT (SELECT count(*) FROM audit_records \
                     WHERE operation = 'extendAdminRelationship'), \
                     (SELECT count(*) FROM events WHERE kind = 'adminRelationship.updated')",
                    &[],
                )
                .await?;
            Ok((r.get(0), r.get(1)))
        })
        .unwrap();
    assert_eq!(extensions, RELATIONSHIPS as i64);
    assert_eq!(events, RELATIONSHIPS as i64);
}
