//! Relationships through the store: names taken in any case, tenants of other partners,
//! request keys, If-Match, status changes with their summary, event and audit record, and the
//! list's order and filters.

use super::contract;
use super::fixture::{Fixture, LATER, fixture, quote};
use crate::api::gdap::roles::{DIRECTORY_READERS, GLOBAL_ADMINISTRATOR};
use crate::api::gdap::validate::CheckedRelationship;
use crate::api::gdap::{
    AccessContainer, AccessDetails, AdminRelationshipPatch, NewAccessAssignment,
    RelationshipStatus, RequestAction,
};
use crate::server::store::gdap::{RelationshipQuery, StoredRelationship};
use crate::server::store::{Created, IfMatch, RequestKey, StoreError, StoredResponse, Versioned};

fn terms(name: &str, tenant: &str) -> CheckedRelationship {
    CheckedRelationship {
        display_name: name.into(),
        duration_days: 730,
        auto_extend_days: 0,
        tenant_id: tenant.into(),
        role_ids: vec![DIRECTORY_READERS.into(), GLOBAL_ADMINISTRATOR.into()],
    }
}

fn respond(r: &StoredRelationship) -> StoredResponse {
    StoredResponse {
        status: 201,
        body: r.value.id.clone(),
    }
}

fn create(f: &Fixture, name: &str) -> StoredRelationship {
    match f
        .store
        .create_admin_relationship(&f.actor, &terms(name, &f.tenant_id), None, &respond, LATER)
        .unwrap()
    {
        Created::New(made) => made,
        other => panic!("{other:?}"),
    }
}

contract! {
    fn a_new_relationship_is_created_with_its_summary_event_and_audit_record(store) {
        let f = fixture(store);
        let made = create(&f, "Helpdesk");
        assert_eq!(made.value.status, RelationshipStatus::Created);
        assert_eq!(made.value.customer.display_name, "Customer 1");
        assert_eq!(made.version, 1);
        assert_eq!(made.approval_code, None);
        assert_eq!(
            f.summary(),
            ("pending".into(), None, Some(LATER.to_string()))
        );
        assert_eq!(f.events(), ["adminRelationship.created"]);
        let audit = f.audit();
        assert_eq!(audit[0].0, "createAdminRelationship");
        assert_eq!(audit[0].1, "a-test");
        assert!(
            audit[0].4.starts_with("displayName Helpdesk, roles "),
            "{audit:?}"
        );
        assert_eq!(
            f.store
                .admin_relationship(&f.actor.partner_id, &made.value.id)
                .unwrap(),
            made
        );
        assert!(matches!(
            f.store.admin_relationship("p-other", &made.value.id),
            Err(StoreError::NotFound)
        ));
    }

    fn a_name_is_taken_in_any_case_and_a_tenant_must_be_the_partners(store) {
        let f = fixture(store);
        create(&f, "Helpdesk");
        let again = f.store.create_admin_relationship(
            &f.actor,
            &terms("HELPDESK", "tenant-2"),
            None,
            &respond,
            LATER,
        );
        assert!(
            matches!(&again, Err(StoreError::Taken { field, .. }) if *field == "displayName"),
            "{again:?}"
        );
        let theirs = f.store.create_admin_relationship(
            &f.actor,
            &terms("Other", "tenant-4"),
            None,
            &respond,
            LATER,
        );
        assert!(
            matches!(&theirs, Err(StoreError::Invalid { field, .. }) if field == "customer.tenantId"),
            "{theirs:?}"
        );
    }

    fn a_repeated_request_key_answers_the_first_time_again_and_makes_nothing(store) {
        let f = fixture(store);
        let key = RequestKey {
            request_id: "req-1".into(),
            body_sha256: "abc".into(),
        };
        let first = f
            .store
            .create_admin_relationship(
                &f.actor,
                &terms("Once", "tenant-1"),
                Some(&key),
                &respond,
                LATER,
            )
            .unwrap();
        let Created::New(made) = first else {
            panic!("{first:?}")
        };
        let second = f
            .store
            .create_admin_relationship(
                &f.actor,
                &terms("Once", "tenant-1"),
                Some(&key),
                &respond,
                LATER,
            )
            .unwrap();
        assert_eq!(
            second,
            Created::Replayed(StoredResponse {
                status: 201,
                body: made.value.id.clone()
            })
        );
        let count = f.sql("SELECT count(*) FROM admin_relationships");
        assert_eq!(count, [[Some("1".to_string())]]);
    }

    fn a_patch_needs_the_current_version_and_an_active_one_changes_only_auto_extend(store) {
        let f = fixture(store);
        let made = create(&f, "Patched");
        let id = made.value.id.clone();
        let rename = AdminRelationshipPatch {
            display_name: Some("Renamed".into()),
            ..AdminRelationshipPatch::default()
        };
        let stale = f.store.update_admin_relationship(
            &f.actor,
            &id,
            &rename,
            &IfMatch::parse("\"7\""),
            LATER,
        );
        assert!(
            matches!(stale, Err(StoreError::Stale { current: 1 })),
            "{stale:?}"
        );
        let renamed = f
            .store
            .update_admin_relationship(&f.actor, &id, &rename, &IfMatch::parse("\"1\""), LATER)
            .unwrap();
        assert_eq!(renamed.value.display_name, "Renamed");
        assert_eq!(renamed.version, 2);
        let record = f.audit().pop().unwrap();
        assert_eq!(record.0, "updateAdminRelationship");
        assert_eq!(record.3, "Patched: displayName Patched");
        assert_eq!(record.4, "Patched: displayName Renamed");

        store.exec(&format!(
            "UPDATE admin_relationships SET status = 'active', end_at = '2027-01-01T00:00:00Z' \
             WHERE id = {}",
            quote(&id)
        ));
        let rename_again = AdminRelationshipPatch {
            display_name: Some("Renamed while active".into()),
            ..AdminRelationshipPatch::default()
        };
        let refused =
            f.store
                .update_admin_relationship(&f.actor, &id, &rename_again, &IfMatch::Any, LATER);
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "{refused:?}"
        );
        let drop_ga = AdminRelationshipPatch {
            access_details: Some(AccessDetails::of(&[DIRECTORY_READERS])),
            auto_extend_duration: Some("P180D".into()),
            ..AdminRelationshipPatch::default()
        };
        let changed = f
            .store
            .update_admin_relationship(&f.actor, &id, &drop_ga, &IfMatch::Any, LATER)
            .unwrap();
        assert!(changed.value.auto_extends());
        assert!(!changed.value.access_details.includes_global_administrator());
    }

    fn lock_gives_a_code_and_terminate_follows_the_status(store) {
        let f = fixture(store);
        let made = create(&f, "Locked");
        let id = made.value.id.clone();
        let lock = |action| {
            f.store
                .request_admin_action(&f.actor, &id, action, None, &respond, LATER)
        };
        let Created::New(locked) = lock(RequestAction::LockForApproval).unwrap() else {
            panic!()
        };
        assert_eq!(locked.value.status, RelationshipStatus::ApprovalPending);
        assert_eq!(locked.value.locked_date_time.as_deref(), Some(LATER));
        let code = locked.approval_code.clone().unwrap();
        assert_eq!(code.len(), 43);
        assert_eq!(f.store.approval(&code, LATER).unwrap().relationship.id, id);
        assert!(matches!(
            lock(RequestAction::LockForApproval),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            lock(RequestAction::Approve),
            Err(StoreError::Invalid { field, .. }) if field == "action"
        ));
        let Created::New(ended) = lock(RequestAction::Terminate).unwrap() else {
            panic!()
        };
        assert_eq!(ended.value.status, RelationshipStatus::Terminated);
        assert_eq!(ended.approval_code, None);
        assert_eq!(f.summary().0, "terminated");
        assert!(matches!(
            lock(RequestAction::Terminate),
            Err(StoreError::Conflict(_))
        ));
        let operations: Vec<String> = f.audit().into_iter().map(|a| a.0).collect();
        assert_eq!(
            operations,
            [
                "createAdminRelationship",
                "lockAdminRelationship",
                "terminateAdminRelationship"
            ]
        );
    }

    fn an_assignment_gives_granted_roles_of_an_active_relationship_to_a_group(store) {
        let f = fixture(store);
        let made = create(&f, "Assigned");
        let id = made.value.id.clone();
        let new = |group: &str, roles: &[&str]| NewAccessAssignment {
            access_container: AccessContainer::security_group(group),
            access_details: AccessDetails::of(roles),
        };
        let respond = |a: &Versioned<crate::api::gdap::AccessAssignment>| StoredResponse {
            status: 201,
            body: a.value.id.clone(),
        };
        let give = |n: &NewAccessAssignment| {
            f.store
                .create_access_assignment(&f.actor, &id, n, None, &respond, LATER)
        };
        assert!(matches!(
            give(&new("group-1", &[DIRECTORY_READERS])),
            Err(StoreError::Conflict(_))
        ));
        store.exec(&format!(
            "UPDATE admin_relationships SET status = 'active' WHERE id = {}",
            quote(&id)
        ));
        assert!(matches!(
            give(&new("group-other", &[DIRECTORY_READERS])),
            Err(StoreError::Invalid { field, .. }) if field == "accessContainer.accessContainerId"
        ));
        let Created::New(given) = give(&new("group-1", &[DIRECTORY_READERS])).unwrap() else {
            panic!()
        };
        assert_eq!(
            given.value.access_container_display_name.as_deref(),
            Some("Helpdesk Agents")
        );
        give(&new("group-1", &[GLOBAL_ADMINISTRATOR])).unwrap();
        let listed = f
            .store
            .access_assignments(&f.actor.partner_id, &id)
            .unwrap();
        assert_eq!(listed.len(), 1, "the same group's roles merge");
        assert_eq!(
            listed[0]
                .value
                .access_details
                .role_ids()
                .collect::<Vec<_>>(),
            [DIRECTORY_READERS, GLOBAL_ADMINISTRATOR]
        );
        let now = f
            .store
            .admin_relationship(&f.actor.partner_id, &id)
            .unwrap();
        assert_eq!(now.value.access_assignment_count, 1);
        assert_eq!(
            now.version,
            made.version + 1,
            "a new assignment moves the ETag"
        );
    }

    fn a_page_is_by_end_date_with_none_last_and_filters_combine(store) {
        let f = fixture(store);
        for (id, status, end) in [
            ("r-a", "active", Some("2026-05-01T00:00:00Z")),
            ("r-b", "active", Some("2026-03-01T00:00:00Z")),
            ("r-c", "created", None),
            ("r-d", "expired", Some("2026-03-01T00:00:00Z")),
            ("r-e", "approvalPending", None),
        ] {
            f.relationship(id, status, end, &[DIRECTORY_READERS]);
        }
        let page = |query: RelationshipQuery| {
            f.store
                .admin_relationships(&f.actor.partner_id, &query)
                .unwrap()
        };
        let ids = |p: &crate::server::store::gdap::RelationshipPage| {
            p.items
                .iter()
                .map(|r| r.value.id.clone())
                .collect::<Vec<_>>()
        };
        let mut seen = Vec::new();
        let mut query = RelationshipQuery {
            size: 2,
            ..RelationshipQuery::default()
        };
        loop {
            let p = page(query.clone());
            seen.extend(ids(&p));
            match p.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["r-b", "r-d", "r-a", "r-c", "r-e"]);
        let active = page(RelationshipQuery {
            size: 10,
            status: Some(RelationshipStatus::Active),
            end_before: Some("2026-04-01T00:00:00Z".into()),
            ..RelationshipQuery::default()
        });
        assert_eq!(ids(&active), ["r-b"]);
        assert_eq!(active.next, None);
        let theirs = page(RelationshipQuery {
            size: 10,
            tenant_id: Some("tenant-2".into()),
            ..RelationshipQuery::default()
        });
        assert!(theirs.items.is_empty());
        assert_eq!(
            ids(&page(RelationshipQuery {
                size: 10,
                tenant_id: Some("tenant-1".into()),
                ..RelationshipQuery::default()
            }))
            .len(),
            5
        );
    }
}
