//! The invitation-draft screen ("Request a reseller relationship"): loads the partner's personalized
//! link (and its indirect resellers, which `p` binds into it), shows the direct draft at once, with the
//! link on a line of its own, and lets the user copy, edit, mail or save it. Opened with `R` on a
//! customer, it drafts the email with that customer's own link, which restores its relationship. Its state is here; its
//! keys in `input` (tables in `keys`), the editor in `editor`, drawing in `draw`.
//!
//! The same screen shows the email asking a customer's Global admin to approve admin access
//! (`d` on the list, after the request is sent): opened ready, with the approval link in place
//! of the invitation link, and the same keys.
//!
//! The email itself (wording, link guard, `mailto:`, `.eml`) is `crate::invitation`'s; this screen
//! only decides when to use it and asks the runner for everything that touches the outside.

mod calls;
pub mod draw;
mod editor;
pub mod hints;
mod input;
pub mod keys;
pub mod layout;
mod screen;

#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

use crate::api::Me;
use crate::invitation::{AdminRequest, Draft, usable_link};
use crate::tui::action::RequestId;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Ctx;

pub use calls::{LoadDirect, LoadForCustomer, LoadForReseller, ResellerLink};
pub use editor::Editor;
pub use input::Outcome;
pub use screen::{OPEN_DRAFT, OPEN_RESTORE};

/// An indirect reseller the link can bind, as the picker shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reseller {
    pub id: String,
    /// Sanitized.
    pub name: String,
}

pub use crate::tui::model::{CopyWhat, Start};

/// The draft on screen, with what the user is doing to it.
#[derive(Debug)]
pub struct Ready {
    pub draft: Draft,
    pub reseller: Option<Reseller>,
    /// Open while editing (`e`), until left with the link in place.
    pub editor: Option<Editor>,
    /// First line of the draft in view.
    pub scroll: usize,
    /// A copy could reach no clipboard: the text is pointed out for selecting by hand.
    pub manual: Option<CopyWhat>,
}

#[derive(Debug)]
pub enum Stage {
    /// The link and the resellers are on their way.
    Loading(RequestId),
    /// Choosing an indirect reseller; line 0 is "none (direct)". `previous` is the draft to go
    /// back to when picking again was cancelled.
    Picking {
        cursor: usize,
        previous: Option<Box<Ready>>,
    },
    /// The link bound to the reseller at `reseller` (index into the resellers) is on its way.
    LoadingLink {
        req: RequestId,
        reseller: usize,
    },
    Ready(Box<Ready>),
    Failed(String),
}

/// The existing customer a link restores (`R` on the list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundTo {
    pub id: String,
    /// Sanitized.
    pub name: String,
}

/// In whose name the email is written (sanitized, from `/me`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub partner: String,
    pub agent: String,
}

#[derive(Debug)]
pub struct InvitationScreen {
    stage: Stage,
    signer: Signer,
    resellers: Vec<Reseller>,
    /// The link without an indirect reseller, fetched with the reseller list.
    direct: Option<String>,
    /// Set when the draft restores one existing customer (no reseller picking then).
    customer: Option<BoundTo>,
    /// Set when the draft asks for approval of admin access (no reseller picking then).
    approval: Option<AdminRequest>,
    /// The body area's size, for scrolling.
    size: (u16, u16),
}

impl InvitationScreen {
    /// Opens the screen and asks for the link and the indirect resellers.
    pub fn open(me: &Me, size: (u16, u16), ctx: &mut Ctx) -> Self {
        let req = ctx.call(LoadDirect);
        Self::loading(me, size, req, None)
    }

    /// Opens the screen for one existing customer and asks for the link issued for it.
    pub fn open_for_customer(
        me: &Me,
        customer_id: &str,
        customer_name: &str,
        size: (u16, u16),
        ctx: &mut Ctx,
    ) -> Self {
        let customer_id = customer_id.to_string();
        let req = ctx.call(LoadForCustomer {
            customer_id: customer_id.clone(),
        });
        let customer = BoundTo {
            id: customer_id,
            name: sanitize(customer_name).into_owned(),
        };
        Self::loading(me, size, req, Some(customer))
    }

    fn loading(me: &Me, size: (u16, u16), req: RequestId, customer: Option<BoundTo>) -> Self {
        Self {
            stage: Stage::Loading(req),
            signer: Signer {
                partner: sanitize(&me.partner_name).into_owned(),
                agent: sanitize(&me.agent).into_owned(),
            },
            resellers: Vec::new(),
            direct: None,
            customer,
            approval: None,
            size,
        }
    }

    /// Opens the draft asking the customer's Global admin to approve `request` through `link`
    /// (the relationship's `approvalUrl`); refused when the link is not safe to show and send.
    pub fn approval(
        me: &Me,
        size: (u16, u16),
        link: &str,
        request: AdminRequest,
    ) -> Result<Self, String> {
        let link = usable_link(link)?;
        let mut screen = Self::loading(me, size, crate::tui::action::RequestId(0), None);
        screen.approval = Some(request);
        screen.stage = Stage::Ready(Box::new(screen.draft(link, None)));
        Ok(screen)
    }

    // ---- read access for drawing and tests ----

    pub fn stage(&self) -> &Stage {
        &self.stage
    }
    pub fn resellers(&self) -> &[Reseller] {
        &self.resellers
    }
    pub fn signer(&self) -> &Signer {
        &self.signer
    }
    /// The customer this draft restores, if opened with `R`.
    pub fn customer(&self) -> Option<&BoundTo> {
        self.customer.as_ref()
    }
    /// The admin access this draft asks approval for, if opened after `d`.
    pub fn approval_request(&self) -> Option<&AdminRequest> {
        self.approval.as_ref()
    }
    pub fn ready(&self) -> Option<&Ready> {
        match &self.stage {
            Stage::Ready(r) => Some(r),
            _ => None,
        }
    }
    pub fn is_picking(&self) -> bool {
        matches!(self.stage, Stage::Picking { .. })
    }
    /// The editor (or its refusal) wants every key.
    pub fn captures_input(&self) -> bool {
        self.ready().is_some_and(|r| r.editor.is_some())
    }
    /// Something is on its way (the spinner turns).
    pub fn is_busy(&self) -> bool {
        matches!(self.stage, Stage::Loading(_) | Stage::LoadingLink { .. })
    }
    /// Whether a result tagged `req` is still awaited.
    pub fn awaits(&self, req: RequestId) -> bool {
        match self.stage {
            Stage::Loading(r) | Stage::LoadingLink { req: r, .. } => r == req,
            _ => false,
        }
    }

    /// Pasted text goes into the editor when it is open (and not showing its refusal); the draft
    /// itself is not typed into.
    pub fn paste(&mut self, text: &str) {
        if let Stage::Ready(ready) = &mut self.stage
            && let Some(editor) = &mut ready.editor
            && !editor.is_refused()
        {
            editor.paste(text);
        }
    }

    /// The body area is `width`×`height`.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    // ---- results ----

    /// The link and the resellers arrived: straight to the direct draft.
    pub fn loaded(&mut self, req: RequestId, start: Start) {
        if !self.awaits(req) {
            return;
        }
        let link = match usable_link(&start.link) {
            Ok(link) => link,
            Err(why) => return self.stage = Stage::Failed(why),
        };
        self.resellers = start
            .resellers
            .iter()
            .map(|r| Reseller {
                id: r.id.clone(),
                name: sanitize(&r.name).into_owned(),
            })
            .collect();
        self.direct = Some(link.clone());
        // The direct draft at once, so `r` `y` copies a link; `p` binds a reseller from there.
        self.stage = Stage::Ready(Box::new(self.draft(link, None)));
    }

    /// The link bound to the chosen reseller arrived.
    pub fn link_loaded(&mut self, req: RequestId, link: &str) {
        let Stage::LoadingLink { req: r, reseller } = self.stage else {
            return;
        };
        if r != req {
            return;
        }
        self.stage = match usable_link(link) {
            Ok(link) => {
                let reseller = self.resellers.get(reseller).cloned();
                Stage::Ready(Box::new(self.draft(link, reseller)))
            }
            Err(why) => Stage::Failed(why),
        };
    }

    /// The request tagged `req` failed for good.
    pub fn failed(&mut self, req: RequestId, why: String) {
        if self.awaits(req) {
            self.stage = Stage::Failed(why);
        }
    }

    /// A copy reached no clipboard: point at the text to select by hand.
    pub fn copy_failed(&mut self, what: CopyWhat) {
        if let Stage::Ready(ready) = &mut self.stage {
            ready.manual = Some(what);
            if what == CopyWhat::Link {
                ready.scroll = 0;
            }
        }
    }

    fn draft(&self, link: String, reseller: Option<Reseller>) -> Ready {
        let (partner, agent) = (&self.signer.partner, &self.signer.agent);
        let draft = match (&self.customer, &self.approval) {
            (_, Some(request)) => Draft::admin_approval(partner, agent, &link, request),
            (Some(customer), None) => Draft::restore(partner, agent, &link, &customer.name),
            (None, None) => Draft::new(
                partner,
                agent,
                &link,
                reseller.as_ref().map(|r| r.name.as_str()),
            ),
        };
        Ready {
            draft,
            reseller,
            editor: None,
            scroll: 0,
            manual: None,
        }
    }
}
