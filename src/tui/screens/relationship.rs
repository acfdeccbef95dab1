//! Ending or reinstating the relationship with a customer (`x`) and its purchase permission (`b`):
//! a confirmation dialog over the list that first reads the customer as it is now (with its
//! ETag), names it and says what `y` will do, then sends the change under `If-Match`. When
//! someone else changed the customer in between, the backend answers 412: the dialog reloads the
//! customer into the list and says so, and nothing is overwritten.
//!
//! `b` asks too, rather than toggling at once: the list does not know the current value, so the
//! dialog shows it (read fresh) and exactly what `y` turns it into, and a customer's right to buy
//! is not flipped by a stray key.
//!
//! State and results here; keys in [`keys`], the [`crate::tui::screens::Screen`] impl and the
//! list's keys in `screen`, drawing in [`draw`].

mod calls;
pub mod draw;
pub mod keys;
mod screen;

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

pub use calls::{
    CustomerRead, PurchaseRead, PurchaseSet, ReadCustomer, ReadPurchase, RelationshipSet,
    SetPurchase, SetRelationship,
};
pub use screen::{OPEN_END, OPEN_PURCHASE};

use crate::api::{EventKind, Relationship};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;

/// What the dialog is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Relationship,
    Purchase,
}

/// What `y` does, as read from the backend just now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// The relationship is active: end it (and with it the admin access).
    End { etag: String },
    /// It was ended: reinstate the relationship (admin access does not come back with it).
    Reinstate { etag: String },
    /// Purchase permission is `!allow` now: set it to `allow`.
    Purchase { allow: bool, etag: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The customer (or its purchase permission) is being read.
    Reading(RequestId),
    /// Waiting for `y`.
    Confirm(Offer),
    /// The change is on its way.
    Sending {
        req: RequestId,
        offer: Offer,
    },
    /// 412: someone else changed it; the customer is being read again for the list.
    Reloading(RequestId),
    Failed(String),
}

#[derive(Debug)]
pub struct ChangeDialog {
    topic: Topic,
    /// The row as the list had it (names are sanitized there).
    row: CustomerRow,
    stage: Stage,
}

impl ChangeDialog {
    /// Opens the dialog and reads what it needs.
    pub fn open(topic: Topic, row: &CustomerRow, ctx: &mut Ctx) -> Self {
        let id = row.id().to_string();
        let req = match topic {
            Topic::Relationship => ctx.call(ReadCustomer { id }),
            Topic::Purchase => ctx.call(ReadPurchase { id }),
        };
        Self {
            topic,
            row: row.clone(),
            stage: Stage::Reading(req),
        }
    }

    pub fn topic(&self) -> Topic {
        self.topic
    }
    pub fn stage(&self) -> &Stage {
        &self.stage
    }
    /// Sanitized.
    pub fn name(&self) -> &str {
        self.row.name()
    }
    /// Sanitized.
    pub fn domain(&self) -> &str {
        self.row.domain()
    }

    pub fn awaits(&self, req: RequestId) -> bool {
        match &self.stage {
            Stage::Reading(r) | Stage::Reloading(r) | Stage::Sending { req: r, .. } => *r == req,
            Stage::Confirm(_) | Stage::Failed(_) => false,
        }
    }

    pub fn is_busy(&self) -> bool {
        matches!(
            self.stage,
            Stage::Reading(_) | Stage::Sending { .. } | Stage::Reloading(_)
        )
    }

    /// The customer as it is now: the offer follows its state.
    pub fn customer_read(&mut self, req: RequestId, read: CustomerRead, ctx: &mut Ctx) {
        let CustomerRead(tagged) = read;
        let row = CustomerRow::from_customer(&tagged.value);
        match self.stage {
            Stage::Reading(r) if r == req => {
                // The list may have had an older state: show it as read.
                if row != self.row {
                    ctx.changed(EventKind::CustomerUpdated, row.clone());
                }
                self.row = row;
                let etag = tagged.etag;
                self.stage = Stage::Confirm(match tagged.value.relationship_to_partner {
                    Relationship::None => Offer::Reinstate { etag },
                    _ => Offer::End { etag },
                });
            }
            Stage::Reloading(r) if r == req => {
                ctx.changed(EventKind::CustomerUpdated, row);
                ctx.close();
                ctx.flash(
                    format!(
                        "{} was changed by someone else — reloaded, try again",
                        self.row.name()
                    ),
                    Tone::Warn,
                );
            }
            _ => {}
        }
    }

    pub fn purchase_read(&mut self, req: RequestId, read: PurchaseRead) {
        if self.stage == Stage::Reading(req) {
            let PurchaseRead(tagged) = read;
            self.stage = Stage::Confirm(Offer::Purchase {
                allow: !tagged.value,
                etag: tagged.etag,
            });
        }
    }

    /// `y`: send the change offered.
    pub fn confirm(&mut self, ctx: &mut Ctx) {
        let Stage::Confirm(offer) = &self.stage else {
            return;
        };
        let offer = offer.clone();
        let id = self.row.id().to_string();
        let req = match &offer {
            Offer::End { etag } => ctx.call(SetRelationship {
                id,
                to: Relationship::None,
                etag: etag.clone(),
            }),
            Offer::Reinstate { etag } => ctx.call(SetRelationship {
                id,
                to: Relationship::Reseller,
                etag: etag.clone(),
            }),
            Offer::Purchase { allow, etag } => ctx.call(SetPurchase {
                id,
                allow: *allow,
                etag: etag.clone(),
            }),
        };
        self.stage = Stage::Sending { req, offer };
    }

    /// The relationship changed: the row shows it, the dialog closes, the status line says so.
    pub fn relationship_set(&mut self, req: RequestId, set: RelationshipSet, ctx: &mut Ctx) {
        if !matches!(self.stage, Stage::Sending { req: r, .. } if r == req) {
            return;
        }
        let RelationshipSet(tagged) = set;
        let row = CustomerRow::from_customer(&tagged.value);
        let name = row.name().to_string();
        let said = match tagged.value.relationship_to_partner {
            Relationship::None => format!(
                "Ended the relationship with {name}: its admin access ended too (R or an admin relationship brings it back)"
            ),
            _ => format!(
                "Reinstated the relationship with {name} (admin access: only through R or an admin relationship)"
            ),
        };
        ctx.changed(EventKind::CustomerUpdated, row);
        ctx.close();
        ctx.flash(said, Tone::Normal);
    }

    /// Purchase permission changed: the open row re-reads it, the dialog closes.
    pub fn purchase_set(&mut self, req: RequestId, set: PurchaseSet, ctx: &mut Ctx) {
        if !matches!(self.stage, Stage::Sending { req: r, .. } if r == req) {
            return;
        }
        let PurchaseSet(tagged) = set;
        let name = self.row.name().to_string();
        let said = if tagged.value {
            format!("{name} may now buy its own products")
        } else {
            format!("{name} may no longer buy its own products")
        };
        ctx.changed(EventKind::PurchasePermissionUpdated, self.row.clone());
        ctx.close();
        ctx.flash(said, Tone::Normal);
    }

    /// A call failed for good. A 412 reloads the customer; anything else is said in the dialog.
    pub fn failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx) {
        if !self.awaits(req) {
            return;
        }
        if error.is_stale() && matches!(self.stage, Stage::Sending { .. }) {
            let req = ctx.call(ReadCustomer {
                id: self.row.id().to_string(),
            });
            self.stage = Stage::Reloading(req);
            ctx.flash(
                format!(
                    "{} was changed by someone else — reloading…",
                    self.row.name()
                ),
                Tone::Warn,
            );
            return;
        }
        self.stage = Stage::Failed(why);
    }
}
