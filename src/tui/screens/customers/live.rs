//! Live changes from the event stream merged into the list: a new customer is added and a changed
//! one replaced (by id), in the current sort and filter, with the cursor kept on its customer.
//!
//! A change can arrive while the list is still loading, for a customer whose page has not come
//! yet (or, during a reload, before the fresh rows replace the old ones). Such rows are remembered
//! until the load ends: a later page skips them (the event is at least as new as anything in it,
//! and any later change brings its own event), and a reload puts them back into its fresh rows.

use super::CustomersScreen;
use super::DetailState;
use crate::tui::command::Command;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::Ctx;

impl CustomersScreen {
    /// Adds or replaces `row`. Returns true when the customer was not in the list before.
    pub fn apply_live(&mut self, row: CustomerRow, ctx: &mut Ctx) -> bool {
        let before = self.rows.len();
        if self.loading {
            self.live.insert(row.id().to_string(), row.clone());
        }
        if let Some(index) = self.rows.replace_in_place(row.clone()) {
            // Same place, same lines: only an open detail needs reading again.
            if self.details.remove(&index).is_some() {
                self.reread_detail(index, ctx);
                self.rebuild(true);
            }
            return false;
        }
        let index = self.rows.upsert(row);
        let added = self.rows.len() > before;
        if added {
            self.total = self.total.map(|t| t.saturating_add(1));
        } else {
            // The cached detail describes the customer as it was.
            if self.details.remove(&index).is_some() {
                self.reread_detail(index, ctx);
            }
        }
        self.rebuild(true);
        added
    }

    /// The cached detail of row `index` described the customer as it was: an expanded row reads
    /// it again (a collapsed one reads it when expanded).
    fn reread_detail(&mut self, index: u32, ctx: &mut Ctx) {
        if !self.expanded.contains(&index) {
            return;
        }
        if let Some(r) = self.rows.get(index) {
            let req = ctx.ids.next_id();
            let id = r.id().to_string();
            self.details.insert(index, DetailState::Loading(req));
            ctx.commands.push(Command::LoadDetail {
                req,
                row: index,
                id,
            });
        }
    }

    /// A customer this dashboard just added: in the list (once, even if its live event came
    /// first), with the cursor on it. False when the filter hides it.
    pub fn add_and_select(&mut self, row: CustomerRow, ctx: &mut Ctx) -> bool {
        let id = row.id().to_string();
        self.apply_live(row, ctx);
        self.select_id(&id)
    }

    /// `rows` less the customers a live change already put in the list during this load.
    pub(super) fn without_live(&self, mut rows: Vec<CustomerRow>) -> Vec<CustomerRow> {
        if !self.live.is_empty() {
            rows.retain(|r| !self.live.contains_key(r.id()));
        }
        rows
    }

    /// After a reload replaced the rows: the live changes of this load go back in.
    pub(super) fn keep_live_rows(&mut self) {
        for row in self.live.values() {
            self.rows.upsert(row.clone());
        }
    }
}
