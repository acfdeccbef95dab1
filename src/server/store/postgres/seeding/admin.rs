//! A customer's demo admin relationships and their access assignments (`seed::admin` decides
//! them; the SQLite seeding's `Times` turns their days into the same times).

use super::rows::Tables;
use crate::api::gdap::{AUTO_EXTEND_DAYS, RelationshipStatus};
use crate::server::signing;
use crate::server::store::StoreResult;
use crate::server::store::seed::admin::{DemoGroup, DemoRelationship};
use crate::server::store::sqlite::seeding::admin::{Times, json_ids};

pub(super) fn write(
    t: &mut Tables,
    partner_id: &str,
    customer_id: &str,
    relationships: &[(DemoRelationship, Times)],
    groups: &[DemoGroup],
) -> StoreResult<()> {
    for (r, times) in relationships {
        // Only an open request needs a link; like every link's, its code is unguessable.
        let code = match r.status {
            RelationshipStatus::ApprovalPending => Some(signing::random_text(24)?),
            _ => None,
        };
        let extend = if r.auto_extend { AUTO_EXTEND_DAYS } else { 0 };
        t.relationships
            .text(&r.id)
            .text(partner_id)
            .text(customer_id)
            .text(&r.display_name)
            .text(&r.display_name.to_lowercase())
            .int(i64::from(r.duration_days))
            .int(i64::from(extend))
            .text(&json_ids(&r.roles))
            .text(r.status.as_str())
            .text(&times.created)
            .opt(times.locked.as_deref())
            .opt(times.activated.as_deref())
            .opt(times.end.as_deref())
            .text(&times.changed)
            .opt(code.as_deref())
            .int(r.assignments.len() as i64)
            .end();
        for a in &r.assignments {
            t.assignments
                .text(&a.id)
                .text(&r.id)
                .text(&groups[a.group].id)
                .text(&json_ids(&a.roles))
                .text("active")
                .text(times.activated.as_ref().unwrap_or(&times.created))
                .text(times.activated.as_ref().unwrap_or(&times.created))
                .end();
        }
    }
    Ok(())
}
