//! The lifecycle with `now` moved as the server's clock would be: approvals nobody answers
//! lapse after 90 days, ended relationships expire or extend by 180 days, requested
//! terminations complete, nothing due (the seeded demo data included) changes nothing, and two
//! replicas sweeping the same database at once change each relationship once.

use std::sync::{Arc, Barrier};

use super::fixture::{Fixture, LOCKED, fixture, quote};
use super::{TestStore, contract};
use crate::api::gdap::roles::DIRECTORY_READERS;

const END: &str = "2026-06-01T12:00:00Z";

fn active(f: &Fixture, id: &str, auto_extend_days: i64) {
    f.relationship(id, "active", Some(END), &[DIRECTORY_READERS]);
    f.store.exec(&format!(
        "UPDATE admin_relationships SET auto_extend_days = {auto_extend_days}, \
         activated_at = '{LOCKED}' WHERE id = {}",
        quote(id)
    ));
}

fn operations(f: &Fixture, operation: &str) -> Vec<(String, String)> {
    f.audit()
        .into_iter()
        .filter(|a| a.0 == operation)
        .map(|a| (a.1, a.4))
        .collect()
}

contract! {
    fn nothing_due_changes_nothing_and_writes_nothing(store) {
        let f = fixture(store);
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

    fn an_approval_nobody_answers_expires_after_90_days(store) {
        let f = fixture(store);
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
            [f.actor.partner_id.as_str()]
        );
        assert_eq!(f.column("r-p", "status").as_deref(), Some("expired"));
        assert_eq!(f.summary().0, "expired");
        assert_eq!(f.column("r-p", "end_at"), None, "it never began");
        let records = operations(&f, "expireAdminRelationship");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].0, "system");
        assert!(
            records[0].1.contains("no answer within 90 days"),
            "{records:?}"
        );
        assert_eq!(f.events(), ["adminRelationship.updated"]);
    }

    fn an_ended_relationship_expires_unless_it_auto_extends_by_180_days(store) {
        let f = fixture(store);
        active(&f, "r-extends", 180);
        active(&f, "r-ends", 0);
        assert_eq!(
            f.store.advance_admin_relationships(END).unwrap(),
            [f.actor.partner_id.as_str()]
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
        let extended = operations(&f, "extendAdminRelationship");
        assert_eq!(extended.len(), 1);
        assert_eq!(extended[0].0, "system");
        assert!(extended[0].1.contains("r-extends"), "{extended:?}");
        assert_eq!(operations(&f, "expireAdminRelationship").len(), 1);
        // Done: the next tick has nothing to do.
        assert!(f.store.advance_admin_relationships(END).unwrap().is_empty());
    }

    fn a_requested_termination_completes_on_the_next_step(store) {
        let f = fixture(store);
        active(&f, "r-t", 0);
        // Requested at the very time of the sweep: due at once, not a tick later.
        let now = "2026-02-01T00:00:00Z";
        f.store.exec(&format!(
            "UPDATE admin_relationships SET status = 'terminationRequested', updated_at = '{now}' \
             WHERE id = 'r-t'"
        ));
        assert_eq!(
            f.store.advance_admin_relationships(now).unwrap(),
            [f.actor.partner_id.as_str()]
        );
        assert_eq!(f.column("r-t", "status").as_deref(), Some("terminated"));
        assert_eq!(operations(&f, "terminateAdminRelationship")[0].0, "system");
        assert_eq!(f.summary().0, "terminated");
    }

    fn nothing_is_due_right_after_seeding(store) {
        store.seed_demo(60).unwrap();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert_eq!(
            store.advance_admin_relationships(&now).unwrap(),
            Vec::<String>::new()
        );
        let events =
            store.rows("SELECT count(*) FROM events WHERE kind = 'adminRelationship.updated'");
        assert_eq!(events, [[Some("0".to_string())]]);
    }

    fn two_replicas_sweeping_at_once_extend_a_relationship_once(store) {
        let f = fixture(store);
        const RELATIONSHIPS: usize = 20;
        for n in 0..RELATIONSHIPS {
            active(&f, &format!("r-{n:02}"), 180);
        }
        // A second replica: a store of its own (own connections) on the same database.
        let other: Arc<dyn TestStore> = Arc::from(store.replica());
        let first: Arc<dyn TestStore> = Arc::from(store.replica());
        let replicas = [first, other];
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
        let ends = store.rows("SELECT end_at, version FROM admin_relationships ORDER BY id");
        assert_eq!(ends.len(), RELATIONSHIPS);
        for row in &ends {
            assert_eq!(
                row[0].as_deref(),
                Some("2026-11-28T12:00:00Z"),
                "extended by 180 days, once"
            );
            assert_eq!(row[1].as_deref(), Some("2"), "one change");
        }
        let counts = store.rows(
            "SELECT (SELECT count(*) FROM audit_records \
         WHERE operation = 'extendAdminRelationship'), \
         (SELECT count(*) FROM events WHERE kind = 'adminRelationship.updated')",
        );
        let n = Some(RELATIONSHIPS.to_string());
        assert_eq!(counts, [[n.clone(), n]], "one record and one event each");
    }
}
