//! The backend calls of the admin relationships screen, and their answers. Relationships are
//! read into compact rows here, in the call's task, so the UI thread only appends them.

use futures::{StreamExt, TryStreamExt};

use super::rel::Rel;
use crate::api::gdap::{BulkRequest, BulkResult, SecurityGroup};
use crate::client::{ClientError, RelationshipFilter};
use crate::tui_call;

/// Relationships per page: the backend's most.
pub const PAGE_SIZE: u32 = 1000;
/// Customers refreshed at once after live events; more than this and the screen reloads all.
pub const MAX_REFRESH_CUSTOMERS: usize = 200;
/// Customers read at the same time during a refresh.
const REFRESH_CONCURRENCY: usize = 8;

/// The first page (`next: None`) or the page a next link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadPage {
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rels: Vec<Rel>,
    pub next: Option<String>,
    /// The wall clock when it arrived (Unix seconds): days are counted against it.
    pub read_at_secs: i64,
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

tui_call!(LoadPage, |this, client| async move {
    let page = match &this.next {
        None => {
            client
                .admin_relationships_page(&RelationshipFilter::default(), PAGE_SIZE)
                .await?
        }
        Some(next) => client.admin_relationships_next(next).await?,
    };
    Ok::<_, ClientError>(Page {
        rels: page.value.iter().map(Rel::of).collect(),
        next: page.next_link,
        read_at_secs: now_secs(),
    })
});

/// The relationships of some customers, as they are now (after live events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshCustomers {
    pub tenants: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    pub tenants: Vec<String>,
    pub rels: Vec<Rel>,
    pub read_at_secs: i64,
}

tui_call!(RefreshCustomers, |this, client| async move {
    let lists: Vec<Vec<Rel>> = futures::stream::iter(this.tenants.clone())
        .map(|tenant| {
            let client = client.clone();
            async move {
                let all = client
                    .admin_relationships(&RelationshipFilter::of_customer(&tenant))
                    .await?;
                Ok::<_, ClientError>(all.iter().map(Rel::of).collect::<Vec<_>>())
            }
        })
        .buffer_unordered(REFRESH_CONCURRENCY)
        .try_collect()
        .await?;
    Ok::<_, ClientError>(Refreshed {
        tenants: this.tenants,
        rels: lists.into_iter().flatten().collect(),
        read_at_secs: now_secs(),
    })
});

/// One bulk request; `request_id` goes out as `MS-RequestId`, so a retry changes nothing twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendBulk {
    pub request: BulkRequest,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkAnswer {
    pub results: Vec<BulkResult>,
    /// The relationships as the results left them (for request again: the new ones).
    pub rels: Vec<Rel>,
}

tui_call!(SendBulk, |this, client| async move {
    let results = client
        .bulk_admin_relationships(&this.request, &this.request_id)
        .await?;
    let rels = results
        .iter()
        .filter_map(|r| r.relationship.as_ref())
        .map(Rel::of)
        .collect();
    Ok::<_, ClientError>(BulkAnswer { results, rels })
});

/// The partner's security groups, for assigning one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadGroups;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups(pub Vec<SecurityGroup>);

tui_call!(LoadGroups, |_this, client| async move {
    client.security_groups().await.map(Groups)
});
