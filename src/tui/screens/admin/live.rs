//! Live changes on the admin relationships screen. An `adminRelationship.*` event (another
//! agent's bulk action, an approval, an expiry) names its customer: that customer's relationships
//! are read again. Events are coalesced: while one refresh is on its way, every customer named
//! meanwhile waits, and the next refresh reads them all at once — so the 1,000 events of another
//! agent's bulk action cost a few requests, not 1,000, and past `MAX_REFRESH_CUSTOMERS` the
//! screen reloads everything instead. The echoes of this screen's own bulk actions are skipped:
//! their answers carried the new state already.

use std::collections::HashSet;

use super::AdminScreen;
use super::calls::{MAX_REFRESH_CUSTOMERS, RefreshCustomers, Refreshed};
use crate::api::EventKind;
use crate::tui::action::RequestId;
use crate::tui::screens::{Ctx, LiveChange};

impl AdminScreen {
    pub fn live(&mut self, change: &LiveChange, ctx: &mut Ctx) {
        // The customer's admin summary may have changed with any event about it.
        self.list.customer_changed(&change.row);
        if !matches!(
            change.kind,
            EventKind::AdminRelationshipCreated | EventKind::AdminRelationshipUpdated
        ) {
            return;
        }
        let tenant = change.row.tenant_id();
        let tenant = match tenant.is_empty() {
            false => tenant.to_string(),
            true => match self.list.tenant_of(change.customer_id()) {
                Some(t) => t.to_string(),
                None => return,
            },
        };
        self.quiet.retain(|_, until| *until > ctx.now);
        if self.quiet.contains_key(&tenant) {
            return;
        }
        self.waiting.insert(tenant);
        self.refresh_waiting(ctx);
    }

    /// Sends the customers waiting, unless a refresh (or the whole load) is on its way: its
    /// answer sends the next.
    pub(super) fn refresh_waiting(&mut self, ctx: &mut Ctx) {
        if self.refreshing.is_some() || self.waiting.is_empty() {
            return;
        }
        if self.is_loading() && self.loading_first {
            // A reload is on its way: it reads them anyway.
            self.waiting.clear();
            return;
        }
        if self.waiting.len() > MAX_REFRESH_CUSTOMERS {
            self.waiting.clear();
            return self.reload(ctx);
        }
        let mut tenants: Vec<String> = self.waiting.drain().collect();
        tenants.sort();
        self.refreshing = Some(ctx.call(RefreshCustomers { tenants }));
    }

    pub fn refreshed(&mut self, req: RequestId, fresh: Refreshed, ctx: &mut Ctx) {
        if self.refreshing != Some(req) {
            return;
        }
        self.refreshing = None;
        self.list.now_secs = fresh.read_at_secs;
        let tenants: HashSet<String> = fresh.tenants.into_iter().collect();
        self.list.replace_customers(&tenants, fresh.rels);
        self.refresh_waiting(ctx);
    }

    pub fn is_refreshing(&self) -> bool {
        self.refreshing.is_some()
    }
}
