//! Admin relationships (`a` on the list): every GDAP relationship of the partner across all
//! customers, by end date, streamed in page by page (the first shows at once). Views pick out
//! what needs care — expiring within 30 days, pending approval (with the link's age against its
//! 90 days), expired, customers with a reseller relationship but no active admin access, active
//! ones without any access assignment — and `/` filters as you type. `Space` marks, `a` marks
//! the whole view, `c` clears; bulk actions on any number of marked relationships (auto-extend,
//! terminate, request again, assign a security group) confirm first, run in requests of up to
//! `MAX_BULK_ITEMS` with a progress line, and end in a result per row.
//!
//! State and its changes here; the relationship rows in `rel`, views and marks in `list`, the
//! bulk plan and results in `bulk`, calls in `calls`, keys in `keys` and `input`, live events in
//! `live`, drawing in `draw`, the `Screen` wiring in `screen`.

mod bulk;
mod calls;
mod draw;
mod input;
mod keys;
mod list;
mod live;
mod rel;
mod screen;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use crate::api::gdap::SecurityGroup;
use crate::tui::action::RequestId;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;
use crate::tui::widgets::confirm::Confirm;
use crate::tui::widgets::picker::Picker;

pub use bulk::{Kind, Plan, RowResult, Run};
pub use calls::{
    BulkAnswer, Groups, LoadGroups, LoadPage, PAGE_SIZE, Page, RefreshCustomers, Refreshed,
    SendBulk,
};
pub use list::{AdminList, Item, View};
pub use rel::Rel;
pub use screen::OPEN;

/// What the screen shows over its list.
#[derive(Debug, Clone)]
pub enum Mode {
    List,
    /// Asking before a bulk action.
    Confirm {
        plan: Box<Plan>,
        dialog: Box<Confirm>,
    },
    /// Choosing the security group to assign.
    PickGroup(Box<Picker>),
    /// Choosing which of the marked relationships' roles the group gets.
    PickRoles {
        group: SecurityGroup,
        /// The role ids the picker lists, in its order.
        roles: Vec<String>,
        picker: Box<Picker>,
    },
    /// How a finished bulk action went, a row each; `top` is the first row shown.
    Results {
        run: Box<Run>,
        top: usize,
    },
}

#[derive(Debug)]
pub struct AdminScreen {
    pub list: AdminList,
    pub mode: Mode,
    /// The page on its way, and whether it starts over.
    loading: Option<RequestId>,
    loading_first: bool,
    /// Everything has arrived (no next link left).
    pub complete: bool,
    pub load_error: Option<String>,
    /// Typing the filter (`/`).
    pub typing: bool,
    /// A bulk action under way, and its request on the way.
    pub run: Option<Run>,
    bulk_req: Option<RequestId>,
    /// Live: customers (tenants) whose relationships changed, waiting for the refresh on its way.
    waiting: HashSet<String>,
    refreshing: Option<RequestId>,
    /// Customers this screen just changed in bulk, until when their echoes are not refetched.
    quiet: HashMap<String, Instant>,
    groups: Option<Vec<SecurityGroup>>,
    groups_req: Option<RequestId>,
    pub note: Option<(String, Tone)>,
    /// Rows of relationships that fit (for PgUp/PgDn and scrolling).
    pub rows_in_view: usize,
}

impl AdminScreen {
    pub fn new(body: (u16, u16), ctx: &mut Ctx) -> Self {
        let mut screen = Self {
            list: AdminList::new(chrono::Utc::now().timestamp()),
            mode: Mode::List,
            loading: None,
            loading_first: true,
            complete: false,
            load_error: None,
            typing: false,
            run: None,
            bulk_req: None,
            waiting: HashSet::new(),
            refreshing: None,
            quiet: HashMap::new(),
            groups: None,
            groups_req: None,
            note: None,
            rows_in_view: rows_for(body.1),
        };
        screen.reload(ctx);
        screen
    }

    /// Everything again from the first page; the rows stay until it arrives.
    pub fn reload(&mut self, ctx: &mut Ctx) {
        self.load_error = None;
        self.loading_first = true;
        self.complete = false;
        self.list.all_loaded = false;
        self.loading = Some(ctx.call(LoadPage { next: None }));
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn awaits(&self, req: RequestId) -> bool {
        [
            self.loading,
            self.bulk_req,
            self.refreshing,
            self.groups_req,
        ]
        .contains(&Some(req))
    }

    pub fn page(&mut self, req: RequestId, page: Page, ctx: &mut Ctx) {
        if self.loading != Some(req) {
            return;
        }
        self.loading = None;
        self.list.now_secs = page.read_at_secs;
        if self.loading_first {
            self.list.replace(page.rels);
        } else {
            self.list.append(page.rels);
        }
        self.loading_first = false;
        match page.next {
            Some(next) => self.loading = Some(ctx.call(LoadPage { next: Some(next) })),
            None => {
                self.complete = true;
                self.list.all_loaded = true;
                self.list.forget_missing_marks();
                self.list.rebuild();
            }
        }
    }

    pub fn failed(&mut self, req: RequestId, why: String, ctx: &mut Ctx) {
        if self.loading == Some(req) {
            self.loading = None;
            self.load_error = Some(why);
        } else if self.bulk_req == Some(req) {
            self.bulk_req = None;
            if let Some(run) = &mut self.run {
                run.request_failed(&why);
            }
            self.next_bulk(ctx);
        } else if self.refreshing == Some(req) {
            self.refreshing = None;
            self.note = Some((format!("Could not refresh: {why}"), Tone::Warn));
            self.refresh_waiting(ctx);
        } else if self.groups_req == Some(req) {
            self.groups_req = None;
            self.note = Some((
                format!("Could not read the security groups: {why}"),
                Tone::Bad,
            ));
        }
    }

    // ---- bulk actions ----

    /// The confirmation for `kind` over the marked relationships.
    pub fn confirm(&mut self, kind: Kind) {
        let marked = self.list.marked();
        if marked.is_empty() {
            self.note = Some((
                "Nothing marked: Space marks a relationship, a marks the whole view".into(),
                Tone::Warn,
            ));
            return;
        }
        let plan = Plan::new(kind, &marked);
        if plan.send.is_empty() {
            let why = plan
                .skipped
                .first()
                .map_or(String::new(), |(_, w)| w.clone());
            self.note = Some((
                format!("Nothing to send: every marked relationship is skipped ({why})"),
                Tone::Warn,
            ));
            return;
        }
        let dialog = Confirm::new(
            format!("{}?", plan.kind.verb()),
            plan.subject(),
            plan.consequence(),
            plan.kind.verb().to_lowercase(),
        )
        .with_working_text(format!("{}…", plan.kind.working()));
        self.mode = Mode::Confirm {
            plan: Box::new(plan),
            dialog: Box::new(dialog),
        };
    }

    /// Confirmed: the run starts, the list stays usable while it goes.
    pub fn start(&mut self, plan: Plan, ctx: &mut Ctx) {
        self.mode = Mode::List;
        let until = ctx.now + ECHO_QUIET;
        for t in &plan.send {
            if let Some(r) = self.list.rels().iter().find(|r| *r.id == *t.id) {
                self.quiet.insert(r.tenant.to_string(), until);
            }
        }
        self.run = Some(Run::new(plan));
        self.next_bulk(ctx);
    }

    /// Sends the next request of the run, or shows the results when none is left.
    fn next_bulk(&mut self, ctx: &mut Ctx) {
        let Some(run) = &mut self.run else {
            return;
        };
        if let Some(request) = run.pending.first() {
            self.bulk_req = Some(ctx.call(SendBulk {
                request: request.clone(),
                request_id: uuid::Uuid::new_v4().to_string(),
            }));
            return;
        }
        if let Some(run) = self.run.take() {
            self.note = Some((
                format!("{}: {}", run.plan.kind.verb(), run.tally()),
                Tone::Normal,
            ));
            self.mode = Mode::Results {
                run: Box::new(run),
                top: 0,
            };
        }
    }

    pub fn bulk_answered(&mut self, req: RequestId, answer: BulkAnswer, ctx: &mut Ctx) {
        if self.bulk_req != Some(req) {
            return;
        }
        self.bulk_req = None;
        if let Some(run) = &mut self.run {
            run.answered(&answer.results);
        }
        // Their events are on the way or arrived: the answer is their state already.
        let until = ctx.now + ECHO_QUIET;
        for r in &answer.rels {
            self.quiet.insert(r.tenant.to_string(), until);
        }
        self.list.upsert(answer.rels);
        self.next_bulk(ctx);
    }

    /// `s`: the security groups (read once), then the group, then the roles.
    pub fn pick_group(&mut self, ctx: &mut Ctx) {
        if self.list.marked_count() == 0 {
            return self.confirm(Kind::AssignGroup {
                group_id: String::new(),
                group_name: String::new(),
                roles: Vec::new(),
            });
        }
        match &self.groups {
            Some(groups) => {
                let items = groups
                    .iter()
                    .map(|g| crate::tui::widgets::picker::PickItem::new(&g.display_name))
                    .collect();
                let picker = Picker::new(items, crate::tui::widgets::picker::PickMode::One);
                self.mode = Mode::PickGroup(Box::new(picker));
            }
            None if self.groups_req.is_none() => {
                self.groups_req = Some(ctx.call(LoadGroups));
                self.note = Some(("Reading the security groups…".into(), Tone::Normal));
            }
            None => {}
        }
    }

    pub fn groups_loaded(&mut self, req: RequestId, groups: Groups, ctx: &mut Ctx) {
        if self.groups_req != Some(req) {
            return;
        }
        self.groups_req = None;
        self.note = None;
        if groups.0.is_empty() {
            self.note = Some(("The partner has no security groups".into(), Tone::Warn));
            return;
        }
        self.groups = Some(groups.0);
        self.pick_group(ctx);
    }
}

/// After a bulk action of this screen, the events it caused are not refetched for this long (the
/// answers carried the new state already).
const ECHO_QUIET: std::time::Duration = std::time::Duration::from_secs(10);

/// Relationship rows that fit a body `height` high: less the tabs, the header and the column
/// titles, and the progress line.
fn rows_for(height: u16) -> usize {
    usize::from(height.saturating_sub(4)).max(1)
}
