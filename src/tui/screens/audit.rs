//! The audit log screen (`A` on the list): the partner's audit records newest first — when, agent,
//! customer, operation, before → after — loaded a page at a time from the backend as the cursor
//! nears the end of what has arrived, filtered by a customer (`c`: the one under the list's cursor,
//! `C`: typed) and a time range (`f`: all, 24 h, 7 days, 30 days). `Enter` shows one record in full.
//! Live changes while it is open say "new records — Ctrl-R" rather than moving the rows under the
//! reader. State and its changes are here; keys in `keys`, calls in `calls`, drawing in `draw`,
//! the `Screen` wiring in `screen`.

mod calls;
mod draw;
mod keys;
mod screen;

#[cfg(test)]
mod tests;

use crate::api::{AuditRecord, Collection, Link};
use crate::tui::action::RequestId;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Ctx;

pub use calls::{AuditPage, LoadAudit, Range};
pub use screen::OPEN;

/// How many rows before the end of what has arrived the next page is asked for.
const PREFETCH_ROWS: usize = 20;

/// One record as drawn: every backend string sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: i64,
    /// `2026-12-02 10:15` (UTC), from the backend's RFC 3339 time.
    pub when: String,
    pub agent: String,
    pub customer: String,
    pub operation: String,
    pub resource: String,
    pub before: String,
    pub after: String,
    pub details: String,
}

impl Line {
    fn from_record(r: &AuditRecord) -> Self {
        let clean = |s: &str| sanitize(s).into_owned();
        Self {
            id: r.id,
            when: clean(&short_time(&r.operation_date)),
            agent: clean(&r.agent),
            customer: clean(&r.customer_name),
            operation: clean(&r.operation_type),
            resource: clean(&r.resource_type),
            before: clean(&r.before),
            after: clean(&r.after),
            details: clean(&r.details),
        }
    }

    /// `before → after`, or what the record says otherwise (old records: `details`).
    pub fn change(&self) -> String {
        match (self.before.is_empty(), self.after.is_empty()) {
            (true, true) => self.details.clone(),
            (true, false) => format!("→ {}", self.after),
            (false, _) => format!("{} → {}", self.before, self.after),
        }
    }
}

/// `2026-12-02T10:15:00Z` → `2026-12-02 10:15`; anything else as it came.
fn short_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// The customer the records are narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFilter {
    pub id: String,
    /// Sanitized; the id itself when typed.
    pub name: String,
}

#[derive(Debug)]
pub struct AuditScreen {
    pub lines: Vec<Line>,
    /// Records matching the filters, as the backend counts them.
    pub total: u64,
    /// Where the next page is; None when everything has arrived (or nothing yet).
    next: Option<Link>,
    /// The page on its way.
    loading: Option<RequestId>,
    /// Whether the page on its way starts the listing over (replaces the rows).
    loading_first: bool,
    pub cursor: usize,
    /// First row in view.
    pub top: usize,
    /// Rows of records that fit (the body less the title and column lines).
    pub rows_in_view: usize,
    pub customer: Option<CustomerFilter>,
    pub range: Range,
    /// The customer under the list's cursor when the screen opened (`c` narrows to it).
    pub list_customer: Option<CustomerFilter>,
    /// Typing a customer id (`C`): the text so far.
    pub typing: Option<String>,
    /// Showing the record under the cursor in full (`Enter`).
    pub detail: bool,
    /// Something changed since the first page was read: the hint to reload.
    pub stale: bool,
    pub error: Option<String>,
}

impl AuditScreen {
    /// Opens on the newest records, asking for the first page at once.
    pub fn new(list_customer: Option<CustomerFilter>, body: (u16, u16), ctx: &mut Ctx) -> Self {
        let mut screen = Self {
            lines: Vec::new(),
            total: 0,
            next: None,
            loading: None,
            loading_first: true,
            cursor: 0,
            top: 0,
            rows_in_view: rows_for(body.1),
            customer: None,
            range: Range::All,
            list_customer,
            typing: None,
            detail: false,
            stale: false,
            error: None,
        };
        screen.reload(ctx);
        screen
    }

    /// The first page again, with the current filters; the rows go when it arrives.
    pub fn reload(&mut self, ctx: &mut Ctx) {
        self.stale = false;
        self.error = None;
        self.loading_first = true;
        self.loading = Some(ctx.call(LoadAudit {
            customer_id: self.customer.as_ref().map(|c| c.id.clone()),
            range: self.range,
            next: None,
        }));
    }

    /// The next page, when the cursor is near the end of what has arrived and there is more.
    fn load_more_if_near_end(&mut self, ctx: &mut Ctx) {
        if self.loading.is_some() || self.cursor + PREFETCH_ROWS < self.lines.len() {
            return;
        }
        let Some(next) = self.next.clone() else {
            return;
        };
        self.loading_first = false;
        self.loading = Some(ctx.call(LoadAudit {
            customer_id: self.customer.as_ref().map(|c| c.id.clone()),
            range: self.range,
            next: Some(next),
        }));
    }

    pub fn awaits(&self, req: RequestId) -> bool {
        self.loading == Some(req)
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn has_more(&self) -> bool {
        self.next.is_some()
    }

    pub fn loaded(&mut self, req: RequestId, page: Collection<AuditRecord>, ctx: &mut Ctx) {
        if self.loading != Some(req) {
            return;
        }
        self.loading = None;
        if self.loading_first {
            self.lines.clear();
            self.cursor = 0;
            self.top = 0;
            self.detail = false;
        }
        self.total = page.total_count;
        self.next = page.links.next;
        self.lines.extend(page.items.iter().map(Line::from_record));
        // A short first page on a tall terminal, or a cursor already at the end: keep going.
        self.load_more_if_near_end(ctx);
    }

    pub fn failed(&mut self, req: RequestId, why: String) {
        if self.loading == Some(req) {
            self.loading = None;
            self.error = Some(why);
        }
    }

    /// Moves the cursor by `delta` rows (clamped), keeping it in view, and asks for more rows
    /// when it nears the end.
    pub fn move_by(&mut self, delta: isize, ctx: &mut Ctx) {
        let last = self.lines.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.keep_in_view();
        self.load_more_if_near_end(ctx);
    }

    pub fn page_rows(&self) -> isize {
        self.rows_in_view.max(1) as isize
    }

    fn keep_in_view(&mut self) {
        let rows = self.rows_in_view.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + rows {
            self.top = self.cursor + 1 - rows;
        }
    }

    pub fn resize(&mut self, height: u16) {
        self.rows_in_view = rows_for(height);
        self.keep_in_view();
    }

    /// `c`: narrow to the customer under the list's cursor, or back to every customer.
    pub fn toggle_customer(&mut self, ctx: &mut Ctx) {
        self.customer = match (&self.customer, &self.list_customer) {
            (Some(_), _) => None,
            (None, Some(c)) => Some(c.clone()),
            (None, None) => {
                ctx.flash(
                    "No customer was under the list's cursor: C types a customer id",
                    crate::tui::theme::Tone::Warn,
                );
                return;
            }
        };
        self.reload(ctx);
    }

    /// `f`: the next time range.
    pub fn next_range(&mut self, ctx: &mut Ctx) {
        self.range = self.range.next();
        self.reload(ctx);
    }

    /// `Enter` while typing a customer id: narrow to it (empty: every customer).
    pub fn apply_typed(&mut self, ctx: &mut Ctx) {
        let typed = self.typing.take().unwrap_or_default();
        let id = typed.trim();
        self.customer = (!id.is_empty()).then(|| CustomerFilter {
            id: id.to_string(),
            name: sanitize(id).into_owned(),
        });
        self.reload(ctx);
    }

    pub fn selected(&self) -> Option<&Line> {
        self.lines.get(self.cursor)
    }
}

/// Record rows that fit a body `height` high: less the filter line and the column titles.
fn rows_for(height: u16) -> usize {
    usize::from(height.saturating_sub(2)).max(1)
}
