//! The relationships the screen holds and what it shows of them: the view (all, expiring,
//! pending, expired, customers without admin access, active without assignments), the filter,
//! the marks and the cursor. Pure state, no I/O, so views and marks are tested on their own.

use std::collections::{HashMap, HashSet};

use super::rel::Rel;
use crate::api::Relationship;
use crate::api::gdap::RelationshipStatus;
use crate::tui::model::rows::{CustomerRow, needle};

/// The screen's views, in the order of their tabs (keys `1`–`6`, Tab cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    All,
    Expiring,
    Pending,
    Expired,
    /// Customers with a reseller relationship but no active admin access.
    NoAdmin,
    /// Active relationships without any access assignment.
    NoAssignment,
}

impl View {
    pub const ALL: [View; 6] = [
        View::All,
        View::Expiring,
        View::Pending,
        View::Expired,
        View::NoAdmin,
        View::NoAssignment,
    ];

    pub fn label(self) -> &'static str {
        match self {
            View::All => "All",
            View::Expiring => "Expiring",
            View::Pending => "Pending",
            View::Expired => "Expired",
            View::NoAdmin => "No admin",
            View::NoAssignment => "Unassigned",
        }
    }

    pub fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    pub fn next(self) -> View {
        View::ALL[(self.index() + 1) % View::ALL.len()]
    }

    pub fn previous(self) -> View {
        View::ALL[(self.index() + View::ALL.len() - 1) % View::ALL.len()]
    }

    /// Whether relationship `r` belongs in this view (NoAdmin is about customers: see
    /// [`AdminList::rebuild`]).
    fn holds(self, r: &Rel, now_secs: i64) -> bool {
        match self {
            View::All => true,
            View::Expiring => r.is_expiring(now_secs),
            View::Pending => r.is_pending(),
            View::Expired => r.status == RelationshipStatus::Expired,
            View::NoAdmin => false,
            View::NoAssignment => r.status == RelationshipStatus::Active && r.assignments == 0,
        }
    }
}

/// A customer with a reseller relationship, as the list holds it: a gap when none of its
/// relationships is active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub customer_id: Box<str>,
    pub tenant: Box<str>,
    /// Sanitized (the list's row is).
    pub name: Box<str>,
}

impl Gap {
    fn of(row: &CustomerRow) -> Option<Self> {
        (row.relationship == Relationship::Reseller).then(|| Gap {
            customer_id: row.id().into(),
            tenant: row.tenant_id().into(),
            name: row.name().into(),
        })
    }
}

/// One line of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// Index into the relationships.
    Rel(usize),
    /// A customer without admin access and without any loaded relationship (index into gaps).
    Customer(usize),
}

#[derive(Debug, Default)]
pub struct AdminList {
    /// By end date (none last), then id.
    rels: Vec<Rel>,
    /// The reseller customers the list holds.
    customers: Vec<Gap>,
    /// Those without an active relationship, as of the last count.
    gaps: Vec<Gap>,
    /// Every relationship has arrived: the gaps can be counted (before, a customer whose
    /// active relationship is on a later page would show as one).
    pub all_loaded: bool,
    pub view: View,
    filter: String,
    /// Marked relationships, by id (they survive reloads and live refreshes).
    marks: HashSet<Box<str>>,
    /// The lines of the current view, filtered.
    shown: Vec<Item>,
    /// Relationships (customers for NoAdmin) in each view, unfiltered.
    counts: [usize; 6],
    pub cursor: usize,
    /// Relationships were replaced since the load began: a later page may repeat one.
    touched: bool,
    /// The wall clock the days are counted against (seconds), from the latest answer.
    pub now_secs: i64,
}

impl AdminList {
    pub fn new(now_secs: i64) -> Self {
        Self {
            now_secs,
            ..Self::default()
        }
    }

    // ---- read access ----

    pub fn rels(&self) -> &[Rel] {
        &self.rels
    }
    pub fn gaps(&self) -> &[Gap] {
        &self.gaps
    }
    pub fn shown(&self) -> &[Item] {
        &self.shown
    }
    pub fn count(&self, view: View) -> usize {
        self.counts[view.index()]
    }
    pub fn filter(&self) -> &str {
        &self.filter
    }
    pub fn marked_count(&self) -> usize {
        self.marks.len()
    }
    pub fn is_marked(&self, id: &str) -> bool {
        self.marks.contains(id)
    }
    /// Marked relationships still held, in the screen's order.
    pub fn marked(&self) -> Vec<&Rel> {
        self.rels
            .iter()
            .filter(|r| self.marks.contains(&r.id))
            .collect()
    }
    pub fn item(&self, position: usize) -> Option<Item> {
        self.shown.get(position).copied()
    }
    pub fn selected(&self) -> Option<Item> {
        self.item(self.cursor)
    }
    pub fn selected_rel(&self) -> Option<&Rel> {
        match self.selected()? {
            Item::Rel(i) => self.rels.get(i),
            Item::Customer(_) => None,
        }
    }
    /// The tenant of customer `customer_id`, if the screen knows it.
    pub fn tenant_of(&self, customer_id: &str) -> Option<&str> {
        self.customers
            .iter()
            .find(|g| &*g.customer_id == customer_id)
            .map(|g| &*g.tenant)
    }

    // ---- changes ----

    /// The customers the list holds (the reseller ones are kept).
    pub fn set_customers<'a>(&mut self, rows: impl Iterator<Item = &'a CustomerRow>) {
        self.customers = rows.filter_map(Gap::of).collect();
        self.rebuild();
    }

    /// A customer changed (live). Admin events change relationships, not this: a burst of them
    /// (another agent's bulk action) costs a comparison each.
    pub fn customer_changed(&mut self, row: &CustomerRow) {
        let at = self
            .customers
            .iter()
            .position(|g| &*g.customer_id == row.id());
        match (at, Gap::of(row)) {
            (Some(i), Some(gap)) if self.customers[i] == gap => return,
            (Some(i), Some(gap)) => self.customers[i] = gap,
            (Some(i), None) => {
                self.customers.remove(i);
            }
            (None, Some(gap)) => self.customers.push(gap),
            (None, None) => return,
        }
        self.rebuild();
    }

    /// The first page of a (re)load: replaces what was held.
    pub fn replace(&mut self, rels: Vec<Rel>) {
        self.rels = rels;
        self.touched = false;
        self.rebuild();
    }

    /// A further page: the backend sends them in order, so it goes at the end.
    pub fn append(&mut self, rels: Vec<Rel>) {
        if self.touched {
            let incoming: HashSet<&str> = rels.iter().map(|r| &*r.id).collect();
            self.rels.retain(|r| !incoming.contains(&*r.id));
        }
        let in_order = match (self.rels.last(), rels.first()) {
            (Some(last), Some(first)) => last.order_key() <= first.order_key(),
            _ => true,
        };
        let first_new = self.rels.len();
        self.rels.extend(rels);
        if !in_order || self.touched || self.view == View::NoAdmin || self.all_loaded {
            if !in_order {
                self.sort();
            }
            return self.rebuild();
        }
        // The usual case while streaming: only the new rows are counted and, if they match,
        // added to the view (a full recount per page would cost O(n) 150 times).
        let now = self.now_secs;
        let needle = needle(&self.filter);
        for i in first_new..self.rels.len() {
            let r = &self.rels[i];
            for view in View::ALL {
                if view.holds(r, now) {
                    self.counts[view.index()] += 1;
                }
            }
            if self.view.holds(r, now) && (needle.is_empty() || r.key.contains(needle.as_str())) {
                self.shown.push(Item::Rel(i));
            }
        }
    }

    /// The relationships of `tenants` as they are now (a live refresh): theirs are replaced.
    pub fn replace_customers(&mut self, tenants: &HashSet<String>, fresh: Vec<Rel>) {
        self.rels.retain(|r| !tenants.contains(&*r.tenant));
        self.rels.extend(fresh);
        self.touched = true;
        self.sort();
        self.rebuild();
    }

    /// Relationships as a change answered them (a bulk result): replaced by id, or added.
    pub fn upsert(&mut self, changed: Vec<Rel>) {
        if changed.is_empty() {
            return;
        }
        let mut by_id: HashMap<Box<str>, Rel> =
            changed.into_iter().map(|r| (r.id.clone(), r)).collect();
        for r in &mut self.rels {
            if let Some(new) = by_id.remove(&r.id) {
                *r = new;
            }
        }
        self.rels.extend(by_id.into_values());
        self.touched = true;
        self.sort();
        self.rebuild();
    }

    fn sort(&mut self) {
        self.rels.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }

    pub fn set_view(&mut self, view: View) {
        if view != self.view {
            self.view = view;
            self.shown.clear();
            self.cursor = 0;
            self.rebuild();
        }
    }

    pub fn set_filter(&mut self, typed: &str) {
        self.filter = typed.to_string();
        self.shown.clear();
        self.cursor = 0;
        self.rebuild();
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// `Space`: marks or unmarks the relationship under the cursor; Err says why it can't be.
    pub fn toggle_mark(&mut self) -> Result<(), &'static str> {
        match self.selected() {
            Some(Item::Rel(i)) => {
                let id = self.rels[i].id.clone();
                if !self.marks.remove(&id) {
                    self.marks.insert(id);
                }
                Ok(())
            }
            Some(Item::Customer(_)) => Err(
                "This customer has no relationship to act on: d on the list requests admin access",
            ),
            None => Err("Nothing under the cursor"),
        }
    }

    /// Marks every relationship of the view (as filtered); how many were added.
    pub fn mark_all_in_view(&mut self) -> usize {
        let before = self.marks.len();
        for item in &self.shown {
            if let Item::Rel(i) = item {
                self.marks.insert(self.rels[*i].id.clone());
            }
        }
        self.marks.len() - before
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
    }

    /// Marks of relationships no longer held go (a reload dropped them).
    pub fn forget_missing_marks(&mut self) {
        let held: HashSet<&str> = self.rels.iter().map(|r| &*r.id).collect();
        self.marks.retain(|id| held.contains(&**id));
    }

    /// Counts every view and makes the current one's lines, keeping the cursor on its line.
    pub fn rebuild(&mut self) {
        let keep = self.selected().map(|item| self.item_id(item));
        let now = self.now_secs;
        let mut counts = [0usize; 6];
        for r in &self.rels {
            for view in View::ALL {
                if view.holds(r, now) {
                    counts[view.index()] += 1;
                }
            }
        }
        if self.all_loaded || self.view == View::NoAdmin {
            self.count_gaps();
        }
        counts[View::NoAdmin.index()] = self.gaps.len();
        self.counts = counts;
        let needle = needle(&self.filter);
        let matches = |key: &str| needle.is_empty() || key.contains(needle.as_str());
        self.shown = match self.view {
            View::NoAdmin => self.gap_items(&needle),
            view => self
                .rels
                .iter()
                .enumerate()
                .filter(|(_, r)| view.holds(r, now) && matches(&r.key))
                .map(|(i, _)| Item::Rel(i))
                .collect(),
        };
        self.cursor = keep
            .and_then(|id| self.shown.iter().position(|&it| self.item_id(it) == id))
            .unwrap_or(self.cursor)
            .min(self.shown.len().saturating_sub(1));
    }

    /// Customers without active admin access: each with its latest relationship when one is
    /// held (so it can be marked and requested again), else on its own.
    fn gap_items(&self, needle: &str) -> Vec<Item> {
        let latest: HashMap<&str, usize> = {
            let mut m: HashMap<&str, usize> = HashMap::new();
            for (i, r) in self.rels.iter().enumerate() {
                // Later in the order = later end (or none): the newest.
                m.insert(&r.tenant, i);
            }
            m
        };
        self.gaps
            .iter()
            .enumerate()
            .filter(|(_, g)| needle.is_empty() || g.name.to_lowercase().contains(needle))
            .map(|(gi, g)| match latest.get(&*g.tenant) {
                Some(&i) => Item::Rel(i),
                None => Item::Customer(gi),
            })
            .collect()
    }

    /// Reseller customers none of whose relationships is active.
    fn count_gaps(&mut self) {
        let active: HashSet<&str> = self
            .rels
            .iter()
            .filter(|r| r.status == RelationshipStatus::Active)
            .map(|r| &*r.tenant)
            .collect();
        self.gaps = self
            .customers
            .iter()
            .filter(|c| !active.contains(&*c.tenant))
            .cloned()
            .collect();
    }

    /// What identifies a line across rebuilds.
    fn item_id(&self, item: Item) -> Box<str> {
        match item {
            Item::Rel(i) => self.rels.get(i).map_or_else(|| "".into(), |r| r.id.clone()),
            Item::Customer(i) => self.gaps.get(i).map_or_else(
                || "".into(),
                |g| format!("customer:{}", g.customer_id).into(),
            ),
        }
    }
}
