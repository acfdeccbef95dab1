//! The backend calls of the admin-access request: reading the customer (its tenant id, and for a
//! customer whose access ended, the roles it had), and sending the request (create, then lock
//! for approval, each with its own `MS-RequestId` so a retry of the same request makes nothing
//! twice).

use crate::api::gdap::{AdminRelationship, NewAdminRelationship, roles};
use crate::client::{ClientError, RelationshipFilter};
use crate::tui_call;

/// The customer's tenant id; with `previous`, also the roles of its newest ended relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadTarget {
    pub customer_id: String,
    pub previous: bool,
}

/// The answer to [`LoadTarget`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub tenant_id: String,
    pub previous: Option<Previous>,
}

/// The relationship whose roles are proposed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// As the backend named it (sanitize before drawing).
    pub name: String,
    /// The requestable ones among its roles, in the catalog's order.
    pub role_ids: Vec<&'static str>,
    /// When it ended (RFC 3339), if known.
    pub ended: Option<String>,
}

tui_call!(LoadTarget, |this, client| async move {
    let customer = client.customer(&this.customer_id).await?;
    let tenant_id = customer.company_profile.tenant_id;
    let previous = if this.previous {
        let all = client
            .admin_relationships(&RelationshipFilter::of_customer(&tenant_id))
            .await?;
        newest_ended(&all)
    } else {
        None
    };
    Ok::<_, ClientError>(Target {
        tenant_id,
        previous,
    })
});

/// The newest of the relationships that ended (expired or terminated) and asked for roles this
/// build can request again.
pub fn newest_ended(all: &[AdminRelationship]) -> Option<Previous> {
    let ended_at = |r: &AdminRelationship| {
        r.end_date_time
            .clone()
            .unwrap_or_else(|| r.last_modified_date_time.clone())
    };
    all.iter()
        .filter(|r| r.status.is_final())
        .filter_map(|r| {
            let wanted: Vec<&str> = r.access_details.role_ids().collect();
            let role_ids: Vec<&'static str> = roles::REQUESTABLE
                .iter()
                .filter(|known| wanted.iter().any(|w| w.eq_ignore_ascii_case(known.id)))
                .map(|known| known.id)
                .collect();
            (!role_ids.is_empty()).then(|| (ended_at(r), r, role_ids))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(ended, r, role_ids)| Previous {
            name: r.display_name.clone(),
            role_ids,
            ended: Some(ended),
        })
}

/// Creates the relationship and sends it for approval; answers it as it is then, with its
/// `approvalUrl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAccess {
    pub create_id: String,
    pub lock_id: String,
    pub new: Box<NewAdminRelationship>,
}

tui_call!(RequestAccess, |this, client| async move {
    let created = client
        .create_admin_relationship(&this.new, &this.create_id)
        .await?;
    client
        .lock_for_approval(&created.id, &this.lock_id)
        .await
        .map(Box::new)
});

/// The answer to [`RequestAccess`].
pub type Requested = Box<AdminRelationship>;
