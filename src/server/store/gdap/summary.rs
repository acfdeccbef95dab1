//! Each customer's `adminAccess` summary (customers.admin_*): the best of its relationships, as
//! both stores compute it in the transaction that changed one.

use crate::api::gdap::{AdminAccessStatus, RelationshipStatus};

/// The best relationship by DESIGN.md §4's precedence: active (latest end), else pending (newest
/// request), else expired, else terminated, else none.
pub(crate) fn best(
    relationships: impl IntoIterator<Item = (RelationshipStatus, Option<String>, String)>,
) -> (AdminAccessStatus, Option<String>, Option<String>) {
    let mut active: Option<String> = None;
    let mut pending: Option<String> = None;
    let (mut expired, mut terminated) = (false, false);
    for (status, end, requested) in relationships {
        match status {
            RelationshipStatus::Active => {
                let end = end.unwrap_or_default();
                if active.as_ref().is_none_or(|best| end > *best) {
                    active = Some(end);
                }
            }
            RelationshipStatus::ApprovalPending | RelationshipStatus::Created => {
                if pending.as_ref().is_none_or(|best| requested > *best) {
                    pending = Some(requested);
                }
            }
            RelationshipStatus::Expired => expired = true,
            RelationshipStatus::Terminated | RelationshipStatus::TerminationRequested => {
                terminated = true
            }
            RelationshipStatus::Unknown => {}
        }
    }
    if let Some(end) = active {
        (AdminAccessStatus::Active, Some(end), None)
    } else if let Some(requested) = pending {
        (AdminAccessStatus::Pending, None, Some(requested))
    } else if expired {
        (AdminAccessStatus::Expired, None, None)
    } else if terminated {
        (AdminAccessStatus::Terminated, None, None)
    } else {
        (AdminAccessStatus::None, None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RelationshipStatus as S;

    fn r(status: S, end: Option<&str>, requested: &str) -> (S, Option<String>, String) {
        (status, end.map(str::to_string), requested.to_string())
    }

    #[test]
    fn active_beats_pending_beats_expired_beats_terminated() {
        let all = vec![
            r(S::Terminated, None, "2026-01-01"),
            r(S::Expired, None, "2026-01-02"),
            r(S::ApprovalPending, None, "2026-01-03"),
            r(S::Active, Some("2027-01-01"), "2026-01-04"),
            r(S::Active, Some("2028-01-01"), "2026-01-05"),
        ];
        assert_eq!(
            best(all.clone()),
            (AdminAccessStatus::Active, Some("2028-01-01".into()), None)
        );
        assert_eq!(
            best(all[..3].to_vec()),
            (AdminAccessStatus::Pending, None, Some("2026-01-03".into()))
        );
        assert_eq!(best(all[..2].to_vec()).0, AdminAccessStatus::Expired);
        assert_eq!(best(all[..1].to_vec()).0, AdminAccessStatus::Terminated);
        assert_eq!(best(Vec::new()).0, AdminAccessStatus::None);
    }
}
