//! Access assignments: only granted roles, only while active, only the partner's own groups; a
//! second assignment to a group merges; the relationship counts them. And the bulk route's
//! checks before the store.

use cspdash::api::Role;
use cspdash::api::gdap::roles;
use reqwest::Method;
use serde_json::json;

use super::*;

fn assignment(group: &str, role_ids: &[&str]) -> Value {
    json!({
        "accessContainer": {"accessContainerId": group, "accessContainerType": "securityGroup"},
        "accessDetails": {"unifiedRoles": role_ids.iter().map(|id| json!({"roleDefinitionId": id})).collect::<Vec<_>>()},
    })
}

async fn assign(
    server: &TestServer,
    role: Role,
    id: &str,
    body: &Value,
    key: &str,
) -> (u16, Value, HeaderMap) {
    let path = format!("{BASE}/{id}/accessAssignments");
    send_full(
        server,
        CONTOSO,
        role,
        Method::POST,
        &path,
        Some(body),
        &[("MS-RequestId", key)],
    )
    .await
}

contract! {
    async fn granted_roles_go_to_the_partners_groups_merging_per_group_and_counted_on_the_relationship()
    {
        let server = spawn_server_without_admin_relationships(5).await;
        let cust = customers(&server, CONTOSO, 1).await.remove(0);
        let mine = groups(&server, CONTOSO).await;
        let theirs = groups(&server, FABRIKAM).await;
        let made = create(&server, &cust.tenant, "Assignable", HELPDESK).await;
        let id = made["id"].as_str().unwrap();
        let (group, group_name) = (&mine[0].0, &mine[0].1);

        let (status, refused, _) = assign(
            &server,
            Role::AdminAgent,
            id,
            &assignment(group, &HELPDESK[..1]),
            "a-0",
        )
        .await;
        assert_eq!(status, 409, "not active yet: {refused}");
        let active = activate(&server, id).await;
        assert_eq!(active["accessAssignmentCount"], 0);

        let (status, first, headers) = assign(
            &server,
            Role::AdminAgent,
            id,
            &assignment(group, &HELPDESK[..1]),
            "a-1",
        )
        .await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["status"], "active");
        assert_eq!(
            first["accessContainer"]["accessContainerId"],
            group.as_str()
        );
        assert_eq!(first["accessContainerDisplayName"], group_name.as_str());
        assert_eq!(
            headers["etag"].to_str().unwrap(),
            first["@odata.etag"].as_str().unwrap()
        );
        let (_, replay, _) = assign(
            &server,
            Role::AdminAgent,
            id,
            &assignment(group, &HELPDESK[..1]),
            "a-1",
        )
        .await;
        assert_eq!(replay, first, "a retry answers the first answer");
        let counted = read(&server, CONTOSO, id).await;
        assert_eq!(counted["accessAssignmentCount"], 1);
        assert_ne!(
            counted["@odata.etag"], active["@odata.etag"],
            "the count is part of the ETag"
        );

        let (status, merged, _) = assign(
            &server,
            Role::GlobalAdmin,
            id,
            &assignment(group, &HELPDESK[1..]),
            "a-2",
        )
        .await;
        assert_eq!(status, 201, "{merged}");
        assert_eq!(merged["id"], first["id"], "one assignment per group");
        assert_eq!(
            merged["accessDetails"]["unifiedRoles"],
            json!([{"roleDefinitionId": HELPDESK[0]}, {"roleDefinitionId": HELPDESK[1]}])
        );
        let (status, _, _) = assign(
            &server,
            Role::GlobalAdmin,
            id,
            &assignment(&mine[1].0, &HELPDESK[1..]),
            "a-3",
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(read(&server, CONTOSO, id).await["accessAssignmentCount"], 2);

        let path = format!("{BASE}/{id}/accessAssignments");
        let (status, listed) = send(
            &server,
            CONTOSO,
            Role::HelpdeskAgent,
            Method::GET,
            &path,
            None,
            &[],
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(listed["value"].as_array().unwrap().len(), 2);

        let before = events(&server).await.len();
        for (body, expected) in [
            (
                assignment(group, &[roles::USER_ADMINISTRATOR]),
                "accessDetails.unifiedRoles[0].roleDefinitionId",
            ),
            (
                assignment(group, &[HELPDESK[0], roles::GLOBAL_ADMINISTRATOR]),
                "accessDetails.unifiedRoles[1].roleDefinitionId",
            ),
            (assignment(group, &[]), "accessDetails.unifiedRoles"),
            (
                assignment(&theirs[0].0, &HELPDESK[..1]),
                "accessContainer.accessContainerId",
            ),
            (
                assignment("no-such-group", &HELPDESK[..1]),
                "accessContainer.accessContainerId",
            ),
            (
                json!({"accessContainer": {"accessContainerId": group, "accessContainerType": "user"}, "accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK[0]}]}}),
                "accessContainer.accessContainerType",
            ),
        ] {
            let key = uuid::Uuid::new_v4().to_string();
            let (status, refused, _) = assign(&server, Role::AdminAgent, id, &body, &key).await;
            assert_eq!(
                (status, field(&refused)),
                (400, expected),
                "{body}: {refused}"
            );
        }
        assert_eq!(events(&server).await.len(), before, "nothing changed");
        for role in [Role::SalesAgent, Role::HelpdeskAgent] {
            let (status, refused, _) =
                assign(&server, role, id, &assignment(group, &HELPDESK[..1]), "sa").await;
            assert_eq!(status, 403, "{refused}");
        }
        let records = audit(&server, "createAccessAssignment", "AccessAssignment").await;
        assert_eq!(records.len(), 3, "{records:?}");
        let merge = &records[1];
        assert!(
            merge
                .0
                .ends_with(&format!("{group_name} → Directory Readers")),
            "{merge:?}"
        );
        assert!(
            merge
                .1
                .ends_with("Directory Readers, Helpdesk Administrator"),
            "{merge:?}"
        );
    }
}

contract! {
    async fn another_partners_relationship_takes_no_assignment() {
        let server = spawn_server_without_admin_relationships(5).await;
        let theirs = customers(&server, FABRIKAM, 1).await.remove(0);
        let mine = groups(&server, CONTOSO).await;
        let other = create_for(&server, FABRIKAM, &theirs.tenant, "Theirs", HELPDESK).await;
        let other_id = other["id"].as_str().unwrap();
        activate_for(&server, FABRIKAM, other_id).await;
        let (status, body, _) = assign(
            &server,
            Role::GlobalAdmin,
            other_id,
            &assignment(&mine[0].0, &HELPDESK[..1]),
            "x",
        )
        .await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(
            read(&server, FABRIKAM, other_id).await["accessAssignmentCount"],
            0
        );
    }
}

contract! {
    async fn a_bulk_request_names_one_to_a_thousand_relationships_and_only_admins_send_it() {
        let server = spawn_server_without_admin_relationships(3).await;
        let path = format!("{BASE}/bulk");
        let items = |n: usize| {
            (0..n)
                .map(|i| json!({"id": format!("r-{i}")}))
                .collect::<Vec<_>>()
        };
        for n in [0, 1001] {
            let body = json!({"action": "terminate", "items": items(n)});
            let (status, refused) = send(
                &server,
                CONTOSO,
                Role::GlobalAdmin,
                Method::POST,
                &path,
                Some(&body),
                &[],
            )
            .await;
            assert_eq!(
                (status, field(&refused)),
                (400, "items"),
                "{n} items: {refused}"
            );
        }
        let body = json!({"action": "terminate", "items": [{"id": " "}]});
        let (status, refused) = send(
            &server,
            CONTOSO,
            Role::AdminAgent,
            Method::POST,
            &path,
            Some(&body),
            &[],
        )
        .await;
        assert_eq!((status, field(&refused)), (400, "items[0].id"), "{refused}");
        let body = json!({"action": "enableAutoExtend", "items": items(3)});
        for role in [Role::SalesAgent, Role::HelpdeskAgent] {
            let (status, refused) = send(
                &server,
                CONTOSO,
                role,
                Method::POST,
                &path,
                Some(&body),
                &[],
            )
            .await;
            assert_eq!(status, 403, "{role}: {refused}");
        }
    }
}
