//! A customer's admin access as the list's admin column shows it, in three bytes per row (so the
//! row stays 32 bytes): the summary's status and one date (the end of an active relationship,
//! the request of a pending one) as days since 1970. The days left or waited are counted against
//! "today", which drawing is given (the loop reads the wall clock; tests fix it), so a row never
//! goes stale by sitting in memory.
//!
//! A backend that sends no `adminAccess` (Partner Center itself, older cspdash) has only the
//! legacy `allowDelegatedAccess` flag: the column then shows `granted` / `REMOVED` as before.

use chrono::NaiveDate;

use crate::api::gdap::{AdminAccess, AdminAccessStatus, EXPIRING_DAYS};
use crate::tui::theme::Tone;

/// Which of the column's words applies (the date, if any, is beside it in [`AdminCell`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminState {
    Active,
    Pending,
    Expired,
    Terminated,
    /// No admin relationship at all.
    None,
    /// No summary from the backend; the legacy flag says granted.
    LegacyGranted,
    /// No summary from the backend; the customer removed the admin permissions.
    LegacyRemoved,
}

/// The admin column's data for one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AdminCell {
    pub state: AdminState,
    /// Days since 1970-01-01 of the end (active) or the request (pending); 0 when unknown.
    /// Bytes rather than a `u16`, so the cell has no padding and the row's other byte-sized
    /// fields pack beside it.
    day: [u8; 2],
}

impl AdminCell {
    pub fn legacy(granted: bool) -> Self {
        let state = if granted {
            AdminState::LegacyGranted
        } else {
            AdminState::LegacyRemoved
        };
        Self { state, day: [0; 2] }
    }

    /// The backend's summary; `legacy` when it sent none.
    pub fn of(access: Option<&AdminAccess>, legacy: bool) -> Self {
        let Some(access) = access else {
            return Self::legacy(legacy);
        };
        let (state, date) = match access.status {
            AdminAccessStatus::Active => (AdminState::Active, access.end_date_time.as_deref()),
            AdminAccessStatus::Pending => {
                (AdminState::Pending, access.requested_date_time.as_deref())
            }
            AdminAccessStatus::Expired => (AdminState::Expired, None),
            AdminAccessStatus::Terminated => (AdminState::Terminated, None),
            AdminAccessStatus::None => (AdminState::None, None),
        };
        Self {
            state,
            day: date.and_then(parse_day).unwrap_or(0).to_le_bytes(),
        }
    }

    /// The date it carries, if known.
    pub fn date(&self) -> Option<NaiveDate> {
        let day = u16::from_le_bytes(self.day);
        (day > 0).then(|| epoch() + chrono::Days::new(u64::from(day)))
    }

    /// The customer has working admin access (an active relationship, or the legacy grant).
    pub fn is_granted(&self) -> bool {
        matches!(self.state, AdminState::Active | AdminState::LegacyGranted)
    }

    /// Admin access is gone or never was (§7: flagged, and `d` proposes what it had).
    pub fn needs_request(&self) -> bool {
        matches!(
            self.state,
            AdminState::Expired | AdminState::Terminated | AdminState::None
        )
    }

    /// The column's text on `today` and how it reads: `active 412d`, `expiring 6d`, `pending
    /// 12d`, `expired`, `terminated`, `none` (words, so it reads without colour).
    pub fn text(&self, today: NaiveDate) -> (String, Tone) {
        let days = |sign: i64| {
            self.date()
                .map(|d| (d - today).num_days() * sign)
                .map(|n| n.max(0))
        };
        match self.state {
            AdminState::Active => match days(1) {
                Some(left) if left <= EXPIRING_DAYS => (format!("expiring {left}d"), Tone::Warn),
                Some(left) => (format!("active {left}d"), Tone::Normal),
                None => ("active".into(), Tone::Normal),
            },
            AdminState::Pending => match days(-1) {
                Some(waited) => (format!("pending {waited}d"), Tone::Dim),
                None => ("pending".into(), Tone::Dim),
            },
            AdminState::Expired => ("expired".into(), Tone::Bad),
            AdminState::Terminated => ("terminated".into(), Tone::Bad),
            AdminState::None => ("none".into(), Tone::Dim),
            AdminState::LegacyGranted => ("granted".into(), Tone::Normal),
            AdminState::LegacyRemoved => ("REMOVED".into(), Tone::Bad),
        }
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::default()
}

/// The day of an RFC 3339 time (`2026-12-02T10:00:00Z` → that date), as days since 1970, if it
/// fits the cell (1970..2149).
fn parse_day(text: &str) -> Option<u16> {
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    u16::try_from((date - epoch()).num_days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date")
    }

    fn cell(status: AdminAccessStatus, end: Option<&str>, requested: Option<&str>) -> AdminCell {
        AdminCell::of(
            Some(&AdminAccess {
                status,
                end_date_time: end.map(str::to_string),
                requested_date_time: requested.map(str::to_string),
            }),
            true,
        )
    }

    fn text(c: AdminCell) -> String {
        c.text(today()).0
    }

    #[test]
    fn active_counts_the_days_left_and_says_expiring_within_30() {
        let active = |end| text(cell(AdminAccessStatus::Active, Some(end), None));
        assert_eq!(active("2028-01-18T09:30:00Z"), "active 412d");
        assert_eq!(active("2028-12-01T00:00:00Z"), "active 730d");
        assert_eq!(active("2027-01-02T00:00:00Z"), "active 31d");
        assert_eq!(active("2027-01-01T00:00:00Z"), "expiring 30d");
        assert_eq!(active("2026-12-08T23:59:59Z"), "expiring 6d");
        // Past its end but not yet expired by the backend: nothing left, not negative.
        assert_eq!(active("2026-11-30T00:00:00Z"), "expiring 0d");
        assert_eq!(
            cell(
                AdminAccessStatus::Active,
                Some("2026-12-08T00:00:00Z"),
                None
            )
            .text(today())
            .1,
            Tone::Warn
        );
    }

    #[test]
    fn pending_counts_the_days_since_the_request() {
        let pending = |at| text(cell(AdminAccessStatus::Pending, None, Some(at)));
        assert_eq!(pending("2026-11-20T12:00:00Z"), "pending 12d");
        assert_eq!(pending("2026-12-02T01:00:00Z"), "pending 0d");
        assert_eq!(
            text(cell(AdminAccessStatus::Pending, None, None)),
            "pending"
        );
    }

    #[test]
    fn ended_and_missing_access_are_words_and_the_legacy_flag_stands_in_for_no_summary() {
        assert_eq!(
            text(cell(AdminAccessStatus::Expired, None, None)),
            "expired"
        );
        assert_eq!(
            text(cell(AdminAccessStatus::Terminated, None, None)),
            "terminated"
        );
        assert_eq!(text(cell(AdminAccessStatus::None, None, None)), "none");
        assert_eq!(text(AdminCell::of(None, true)), "granted");
        assert_eq!(text(AdminCell::of(None, false)), "REMOVED");
        assert!(cell(AdminAccessStatus::Expired, None, None).needs_request());
        assert!(cell(AdminAccessStatus::None, None, None).needs_request());
        assert!(!AdminCell::of(None, false).needs_request());
    }

    #[test]
    fn an_unreadable_or_out_of_range_date_shows_the_word_alone() {
        assert_eq!(
            text(cell(AdminAccessStatus::Active, Some("soon"), None)),
            "active"
        );
        assert_eq!(
            text(cell(
                AdminAccessStatus::Active,
                Some("2200-01-01T00:00:00Z"),
                None
            )),
            "active"
        );
    }

    #[test]
    fn a_cell_is_three_bytes_without_padding() {
        assert_eq!(std::mem::size_of::<AdminCell>(), 3);
    }
}
