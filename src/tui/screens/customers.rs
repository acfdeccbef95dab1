//! The customers list, as the portal's Customers page: its state (rows, sort, filter, open rows and
//! their cached details, cursor), its keys, and (in `draw`) its drawing.

pub mod draw;
mod input;
pub mod keys;
mod live;
pub mod rowset;
pub mod tree;

#[cfg(test)]
mod admin_tests;
#[cfg(test)]
mod restore_tests;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use super::Ctx;
use crate::tui::action::RequestId;
use crate::tui::command::Command;
use crate::tui::model::detail::Detail;
use crate::tui::model::rows::CustomerRow;
use crate::tui::model::search::SearchKeys;
use rowset::RowSet;
use tree::{LineRef, Viewport, build_lines, find_line};

pub use crate::tui::model::RowPage;

/// What an expanded row shows under it.
#[derive(Debug, Clone, PartialEq)]
pub enum DetailState {
    Loading(RequestId),
    Loaded(Box<Detail>),
    Failed(String),
}

impl DetailState {
    fn line_count(&self) -> u32 {
        match self {
            DetailState::Loaded(d) => u32::try_from(d.lines.len()).unwrap_or(u32::MAX).max(1),
            _ => 1,
        }
    }
}

/// Progress of the list load, for the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub loaded: usize,
    pub total: Option<u64>,
    pub loading: bool,
    /// Rows matching the filter, when there is one.
    pub matching: Option<usize>,
    /// A reload is under way; the rows shown are the previous ones.
    pub reloading: bool,
    /// While loading: when the last page arrived (or the load started).
    pub last_progress: Option<Instant>,
}

#[derive(Debug, Default)]
pub struct CustomersScreen {
    rows: RowSet,
    expanded: HashSet<u32>,
    /// Cached per row, kept when the row is closed; cleared on reload.
    details: HashMap<u32, DetailState>,
    lines: Vec<LineRef>,
    view: Viewport,
    /// The filter being typed, while `/` is active.
    input: Option<String>,
    load_req: Option<RequestId>,
    total: Option<u64>,
    loading: bool,
    /// The next page starts a reload: replace the rows instead of adding to them.
    replace: bool,
    last_progress: Option<Instant>,
    /// Live changes received while the current load runs, by id: a page that arrives later must
    /// not add these rows a second time, and a reload's fresh rows must keep them.
    live: HashMap<String, CustomerRow>,
}

impl CustomersScreen {
    pub fn new() -> Self {
        Self::default()
    }

    // ---- read access for drawing and tests ----

    pub fn rows(&self) -> &RowSet {
        &self.rows
    }
    pub fn lines(&self) -> &[LineRef] {
        &self.lines
    }
    pub fn viewport(&self) -> Viewport {
        self.view
    }
    pub fn is_expanded(&self, row: u32) -> bool {
        self.expanded.contains(&row)
    }
    pub fn detail(&self, row: u32) -> Option<&DetailState> {
        self.details.get(&row)
    }
    pub fn input(&self) -> Option<&str> {
        self.input.as_deref()
    }
    pub fn selected(&self) -> Option<LineRef> {
        self.lines.get(self.view.cursor).copied()
    }
    pub fn progress(&self) -> Progress {
        Progress {
            loaded: self.rows.len(),
            total: self.total,
            loading: self.loading,
            matching: (!self.rows.filter().trim().is_empty()).then(|| self.rows.visible().len()),
            reloading: self.loading && self.replace,
            last_progress: self.last_progress.filter(|_| self.loading),
        }
    }
    /// Something is on its way: the list or a detail (the spinner turns).
    pub fn is_busy(&self) -> bool {
        self.loading
            || self
                .details
                .values()
                .any(|d| matches!(d, DetailState::Loading(_)))
    }
    /// The screen wants every key (the filter is being typed).
    pub fn captures_input(&self) -> bool {
        self.input.is_some()
    }

    // ---- loading ----

    /// Starts loading the list from the first page; the rows on screen stay until it arrives.
    pub fn start_load(&mut self, ctx: &mut Ctx) {
        let req = ctx.ids.next_id();
        self.load_req = Some(req);
        self.loading = true;
        self.last_progress = Some(ctx.now);
        self.replace = !self.rows.is_empty();
        self.live.clear();
        ctx.commands
            .push(Command::LoadCustomers { req, from: None });
    }

    pub fn is_current_load(&self, req: RequestId) -> bool {
        self.load_req == Some(req)
    }

    /// Adds a page of the current load; pages of an older load are ignored (returns false).
    pub fn page_loaded(&mut self, req: RequestId, page: RowPage, now: Instant) -> bool {
        if !self.is_current_load(req) {
            return false;
        }
        self.last_progress = Some(now);
        let mut reselect = None;
        if std::mem::take(&mut self.replace) {
            reselect = self
                .selected()
                .and_then(|l| self.rows.get(l.row))
                .map(|r| r.id().to_string());
            let mut fresh = RowSet::new();
            fresh.set_sort(self.rows.sort());
            fresh.set_filter(self.rows.filter());
            self.rows = fresh;
            self.expanded.clear();
            self.details.clear();
            self.keep_live_rows();
        }
        if self.total.is_none() || self.rows.is_empty() {
            self.rows
                .reserve(usize::try_from(page.total).unwrap_or(0).min(10_000_000));
        }
        self.total = Some(page.total);
        self.loading = page.more;
        let arrived = page.rows.len();
        let rows = self.without_live(page.rows);
        // Rows a live change already brought are left out, and their keys with them.
        let keys = match rows.len() == arrived {
            true => page.keys,
            false => SearchKeys::of(&rows),
        };
        self.rows.extend_keyed(rows, keys);
        if !self.loading {
            self.live.clear();
            self.rows.loaded();
        }
        self.rebuild(true);
        if let Some(id) = reselect {
            self.select_id(&id);
        }
        true
    }

    /// The current load stopped for good (not to be retried).
    pub fn load_stopped(&mut self, req: RequestId) {
        if self.is_current_load(req) {
            self.loading = false;
            self.live.clear();
        }
    }

    /// Whether a detail result for `row` tagged `req` is still awaited.
    pub fn awaits_detail(&self, req: RequestId, row: u32) -> bool {
        matches!(self.details.get(&row), Some(DetailState::Loading(r)) if *r == req)
    }

    pub fn detail_loaded(&mut self, row: u32, detail: Box<Detail>) {
        self.details.insert(row, DetailState::Loaded(detail));
        if self.expanded.contains(&row) {
            self.rebuild(true);
            if self.selected() == Some(LineRef::row(row)) {
                let first = self.view.cursor;
                let count = self.details.get(&row).map_or(1, DetailState::line_count) as usize;
                self.view.reveal(first, first + count);
            }
        }
    }

    pub fn detail_failed(&mut self, row: u32, message: String) {
        self.details.insert(row, DetailState::Failed(message));
        self.rebuild(true);
    }

    /// Puts the cursor on the customer `id`; false when it is not shown (filtered out).
    fn select_id(&mut self, id: &str) -> bool {
        let found = self
            .lines
            .iter()
            .position(|l| l.is_row() && self.rows.get(l.row).is_some_and(|r| r.id() == id));
        if let Some(i) = found {
            self.view.cursor = i;
            self.view.settle(self.lines.len());
        }
        found.is_some()
    }

    /// Rebuilds the lines after rows, filter, sort or open rows changed. `keep` holds the cursor on
    /// the same line (or its row) at the same height on screen, except that a view showing the top
    /// of the list keeps showing it (so a customer arriving live above the cursor is seen);
    /// otherwise it goes to the top, as after typing in the filter.
    fn rebuild(&mut self, keep: bool) {
        let current = self.selected();
        let on_screen = self.view.cursor.saturating_sub(self.view.offset);
        let at_top = self.view.offset == 0;
        let (expanded, details) = (&self.expanded, &self.details);
        self.lines = build_lines(self.rows.visible(), !expanded.is_empty(), |row| {
            if expanded.contains(&row) {
                details.get(&row).map_or(1, DetailState::line_count)
            } else {
                0
            }
        });
        match current {
            Some(cur) if keep => {
                let hint = self.view.cursor;
                let found = find_line(&self.lines, cur, hint)
                    .or_else(|| find_line(&self.lines, LineRef::row(cur.row), hint));
                if let Some(i) = found
                    && i != hint
                {
                    self.view.cursor = i;
                    self.view.offset = if at_top {
                        0
                    } else {
                        i.saturating_sub(on_screen)
                    };
                }
            }
            _ if keep => {}
            _ => {
                self.view = Viewport {
                    height: self.view.height,
                    ..Viewport::default()
                }
            }
        }
        self.view.settle(self.lines.len());
    }
}
