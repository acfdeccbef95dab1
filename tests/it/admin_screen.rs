//! The admin relationships screen's own calls against the real server: its pages of every
//! relationship, and a bulk auto-extend through the client, confirmed as the screen plans it
//! (Global Administrator skipped before sending) and answered with a result per row.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use cspdash::api::gdap::roles::{DIRECTORY_READERS, GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR};
use cspdash::api::gdap::{
    AccessDetails, BulkOutcome, NewAdminRelationship, RelationshipCustomer, RelationshipStatus,
};
use cspdash::client::Client;
use cspdash::server::clock::Clock;
use cspdash::tui::call::CallBox;
use cspdash::tui::screens::admin::{
    AdminList, BulkAnswer, Kind, LoadPage, Page, Plan, Run, SendBulk,
};

use crate::helpers::{CONTOSO, spawn_server};

async fn run<T: 'static>(client: &Client, call: impl cspdash::tui::call::Call) -> T {
    let reply = CallBox::new(call)
        .run(client.clone())
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", std::any::type_name::<T>()));
    *reply.downcast::<T>().unwrap()
}

#[tokio::test]
async fn a_bulk_auto_extend_from_the_screen_extends_all_but_global_administrator() {
    let server = spawn_server(20).await;
    let client = Client::new(&server.url, server.token(CONTOSO, Role::GlobalAdmin)).unwrap();
    let (_, customers) = server.get_json("/v1/customers?size=3").await;
    let mut codes = Vec::new();
    for (i, customer) in customers["items"].as_array().unwrap().iter().enumerate() {
        let roles: &[&str] = match i {
            0 => &[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR],
            _ => &[DIRECTORY_READERS, HELPDESK_ADMINISTRATOR],
        };
        let new = NewAdminRelationship {
            display_name: format!("Screen bulk {i}"),
            duration: "P730D".into(),
            auto_extend_duration: "PT0S".into(),
            customer: RelationshipCustomer {
                tenant_id: customer["companyProfile"]["tenantId"]
                    .as_str()
                    .unwrap()
                    .into(),
                display_name: String::new(),
            },
            access_details: AccessDetails::of(roles),
        };
        let request_id = uuid::Uuid::new_v4().to_string();
        let made = client
            .create_admin_relationship(&new, &request_id)
            .await
            .unwrap();
        let locked = client
            .lock_for_approval(&made.id, &uuid::Uuid::new_v4().to_string())
            .await
            .unwrap();
        let url = locked.approval_url.unwrap();
        codes.push(url.rsplit('/').next().unwrap().to_string());
    }
    let store = server.store();
    let now = server.clock.now_text();
    for code in &codes {
        store.answer_approval(code, true, &now).unwrap();
    }

    // The screen's first page: every relationship, active now.
    let page: Page = run(&client, LoadPage { next: None }).await;
    assert_eq!(page.next, None);
    let mut list = AdminList::new(page.read_at_secs);
    list.replace(page.rels);
    let ours: Vec<_> = list
        .rels()
        .iter()
        .filter(|r| r.name.starts_with("Screen bulk"))
        .collect();
    assert_eq!(ours.len(), 3);
    assert!(ours.iter().all(|r| r.status == RelationshipStatus::Active));

    // Marked, planned, sent as the screen does.
    list.mark_all_in_view();
    let marked: Vec<_> = list
        .marked()
        .into_iter()
        .filter(|r| r.name.starts_with("Screen bulk"))
        .collect();
    let plan = Plan::new(Kind::AutoExtend, &marked);
    assert_eq!(plan.skipped.len(), 1, "{plan:?}");
    assert!(plan.skipped[0].1.contains("Global Administrator"));
    let mut progress = Run::new(plan);
    while let Some(request) = progress.pending.first().cloned() {
        let answer: BulkAnswer = run(
            &client,
            SendBulk {
                request,
                request_id: uuid::Uuid::new_v4().to_string(),
            },
        )
        .await;
        progress.answered(&answer.results);
        list.upsert(answer.rels);
    }
    assert_eq!(progress.tally(), "succeeded 2 · skipped 1 · failed 0");
    assert!(
        progress
            .results
            .iter()
            .filter(|r| r.outcome == BulkOutcome::Succeeded)
            .all(|r| r.name != "Screen bulk 0")
    );

    // What the backend now says, read again.
    let all = client
        .admin_relationships(&cspdash::client::RelationshipFilter::default())
        .await
        .unwrap();
    for r in all
        .iter()
        .filter(|r| r.display_name.starts_with("Screen bulk"))
    {
        let with_ga = r.access_details.includes_global_administrator();
        assert_eq!(r.auto_extends(), !with_ga, "{}", r.display_name);
    }
    let held = list
        .rels()
        .iter()
        .filter(|r| r.auto_extend && r.name.starts_with("Screen bulk"));
    assert_eq!(held.count(), 2);
}
