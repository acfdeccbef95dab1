//! Bulk actions over marked relationships, as pure steps: the plan (what goes out, what is
//! skipped and why — said in the confirmation before anything is sent), the requests (at most
//! `MAX_BULK_ITEMS` relationships each, with their ETags), and the result per row.

use super::rel::Rel;
use crate::api::gdap::{
    BulkAction, BulkItem, BulkOutcome, BulkRequest, BulkResult, MAX_BULK_ITEMS, RelationshipStatus,
};

/// What the user asked to do to the marked relationships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    AutoExtend,
    Terminate,
    RequestAgain,
    AssignGroup {
        group_id: String,
        /// Sanitized.
        group_name: String,
        roles: Vec<String>,
    },
}

impl Kind {
    /// As the confirmation's title and the progress line say it.
    pub fn verb(&self) -> &'static str {
        match self {
            Kind::AutoExtend => "Enable auto-extend",
            Kind::Terminate => "Terminate",
            Kind::RequestAgain => "Request again",
            Kind::AssignGroup { .. } => "Assign a security group",
        }
    }

    pub fn working(&self) -> &'static str {
        match self {
            Kind::AutoExtend => "Enabling auto-extend",
            Kind::Terminate => "Terminating",
            Kind::RequestAgain => "Requesting again",
            Kind::AssignGroup { .. } => "Assigning the security group",
        }
    }

    fn action(&self) -> BulkAction {
        match self {
            Kind::AutoExtend => BulkAction::EnableAutoExtend,
            Kind::Terminate => BulkAction::Terminate,
            Kind::RequestAgain => BulkAction::RequestAgain {
                duration_days: None,
            },
            Kind::AssignGroup {
                group_id, roles, ..
            } => BulkAction::AssignSecurityGroup {
                security_group_id: group_id.clone(),
                roles: roles.clone(),
            },
        }
    }

    /// Why `r` is left out of this action, if it is (the backend would refuse it, or there is
    /// nothing to do).
    fn skip(&self, r: &Rel) -> Option<String> {
        use RelationshipStatus as S;
        let status = r.status.as_str();
        match self {
            Kind::AutoExtend if r.roles.has_global_administrator() => Some(
                "includes Global Administrator: it can't auto-extend (remove that role first)"
                    .into(),
            ),
            Kind::AutoExtend if r.auto_extend => Some("auto-extends already".into()),
            Kind::AutoExtend | Kind::Terminate
                if r.status.is_final() || r.status == S::TerminationRequested =>
            {
                Some(format!("is {status}: nothing to change"))
            }
            Kind::RequestAgain if r.is_pending() => Some("waits for approval already".into()),
            Kind::AssignGroup { .. } if r.status != S::Active => {
                Some(format!("is {status}: roles are assigned once it is active"))
            }
            Kind::AssignGroup { roles, .. } if !roles.iter().any(|id| r.roles.has(id)) => {
                Some("grants none of the chosen roles".into())
            }
            _ => None,
        }
    }
}

/// One relationship as the action names it: enough to send it and to say how it went, even
/// after the rows moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub etag: String,
    pub customer: String,
    pub name: String,
}

impl Target {
    fn of(r: &Rel) -> Self {
        Self {
            id: r.id.to_string(),
            etag: r.etag.to_string(),
            customer: r.customer.to_string(),
            name: r.name.to_string(),
        }
    }
}

/// What an action will do, before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: Kind,
    pub send: Vec<Target>,
    pub skipped: Vec<(Target, String)>,
}

/// How many rows the confirmation lists before "and N more".
const FIRST_ROWS: usize = 5;

impl Plan {
    pub fn new(kind: Kind, marked: &[&Rel]) -> Self {
        let mut send = Vec::new();
        let mut skipped = Vec::new();
        for r in marked {
            match kind.skip(r) {
                Some(why) => skipped.push((Target::of(r), why)),
                None => send.push(Target::of(r)),
            }
        }
        Self {
            kind,
            send,
            skipped,
        }
    }

    /// The confirmation's subject: how many, what.
    pub fn subject(&self) -> String {
        let n = self.send.len();
        let what = match &self.kind {
            Kind::AutoExtend => format!("Auto-extend {n} by 180 days each time they end"),
            Kind::Terminate => format!("End admin access of {n} relationships now"),
            Kind::RequestAgain => format!(
                "{n} new relationships with the same roles, each waiting for its customer's approval"
            ),
            Kind::AssignGroup {
                group_name, roles, ..
            } => format!(
                "Give {} to \"{group_name}\" in {n} relationships",
                role_list(roles)
            ),
        };
        let requests = n.div_ceil(MAX_BULK_ITEMS);
        let requests = match requests {
            0 | 1 => String::new(),
            r => format!(" ({r} requests of up to {MAX_BULK_ITEMS})"),
        };
        format!("{what}{requests}")
    }

    /// The confirmation's body: the first rows, then what is skipped and why.
    pub fn consequence(&self) -> String {
        let mut out = String::new();
        for t in self.send.iter().take(FIRST_ROWS) {
            out.push_str(&format!("• {} — {}\n", t.customer, t.name));
        }
        if self.send.len() > FIRST_ROWS {
            out.push_str(&format!("• and {} more\n", self.send.len() - FIRST_ROWS));
        }
        if !self.skipped.is_empty() {
            out.push_str(&format!("Skipped, {} not sent:\n", self.skipped.len()));
            for (t, why) in self.skipped.iter().take(FIRST_ROWS) {
                out.push_str(&format!("• {} — {}: {why}\n", t.customer, t.name));
            }
            if self.skipped.len() > FIRST_ROWS {
                out.push_str(&format!("• and {} more\n", self.skipped.len() - FIRST_ROWS));
            }
        }
        if let Kind::Terminate = self.kind {
            out.push_str("Terminated relationships can't be revived: only a new request can.\n");
        }
        out.trim_end().to_string()
    }

    /// The requests to send, in order: at most `MAX_BULK_ITEMS` relationships each.
    pub fn requests(&self) -> Vec<BulkRequest> {
        self.send
            .chunks(MAX_BULK_ITEMS)
            .map(|chunk| BulkRequest {
                action: self.kind.action(),
                items: chunk
                    .iter()
                    .map(|t| BulkItem {
                        id: t.id.clone(),
                        etag: (!t.etag.is_empty()).then(|| t.etag.clone()),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Role ids by name, as a sentence lists them.
pub fn role_list(roles: &[String]) -> String {
    let names: Vec<&str> = roles
        .iter()
        .map(|id| crate::api::gdap::roles::name_of(id))
        .collect();
    match names.len() {
        0 => "no roles".into(),
        1..=3 => names.join(", "),
        n => format!("{}, and {} more roles", names[..2].join(", "), n - 2),
    }
}

/// How one row of an action ended, as the result view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowResult {
    pub customer: String,
    pub name: String,
    pub outcome: BulkOutcome,
    /// Why it was skipped or failed (sanitized).
    pub message: Option<String>,
    /// For request again: the new relationship's approval link.
    pub link: Option<String>,
    /// For request again: what the approval email says of the new relationship.
    pub request: Option<crate::invitation::approval::AdminRequest>,
}

impl RowResult {
    pub fn skipped(target: &Target, why: &str) -> Self {
        Self {
            customer: target.customer.clone(),
            name: target.name.clone(),
            outcome: BulkOutcome::Skipped,
            message: Some(why.to_string()),
            link: None,
            request: None,
        }
    }

    pub fn failed(target: &Target, why: &str) -> Self {
        Self {
            outcome: BulkOutcome::Failed,
            ..Self::skipped(target, why)
        }
    }

    /// The backend's result for `target`.
    pub fn of(target: &Target, result: &BulkResult) -> Self {
        let clean = |s: &str| crate::tui::sanitize::sanitize(s).into_owned();
        Self {
            customer: target.customer.clone(),
            name: target.name.clone(),
            outcome: result.outcome,
            message: result.message.as_deref().map(clean),
            link: result
                .relationship
                .as_ref()
                .and_then(|r| r.approval_url.as_deref())
                .filter(|_| result.outcome == BulkOutcome::Succeeded)
                .map(clean),
            request: result
                .relationship
                .as_ref()
                .filter(|r| r.approval_url.is_some())
                .map(|r| words(target, r)),
        }
    }
}

/// The approval email's words for a relationship made by request again: its customer, name,
/// roles (the catalog's words), duration and auto-extend.
fn words(
    target: &Target,
    r: &crate::api::gdap::AdminRelationship,
) -> crate::invitation::approval::AdminRequest {
    use crate::api::gdap::roles;
    let clean = |s: &str| crate::tui::sanitize::sanitize(s).into_owned();
    crate::invitation::approval::AdminRequest {
        customer: target.customer.clone(),
        name: clean(&r.display_name),
        roles: r
            .access_details
            .role_ids()
            .map(|id| match roles::find(id) {
                Some(info) => (info.name.to_string(), info.description.to_string()),
                None => (clean(id), String::new()),
            })
            .collect(),
        duration_days: r.duration_days().unwrap_or(0),
        auto_extend_days: crate::api::gdap::iso_to_days(&r.auto_extend_duration).unwrap_or(0),
        purpose: crate::tui::screens::admin_request::purpose(None).to_string(),
    }
}

/// An action under way and how it went so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub plan: Plan,
    /// The requests still to send, the first one next (or on its way).
    pub pending: Vec<BulkRequest>,
    /// Relationships answered so far (sent ones only).
    pub done: usize,
    pub results: Vec<RowResult>,
}

impl Run {
    pub fn new(plan: Plan) -> Self {
        let results = plan
            .skipped
            .iter()
            .map(|(t, why)| RowResult::skipped(t, why))
            .collect();
        let pending = plan.requests();
        Self {
            plan,
            pending,
            done: 0,
            results,
        }
    }

    pub fn total(&self) -> usize {
        self.plan.send.len()
    }

    /// The request on its way was answered: a result per item, in order.
    pub fn answered(&mut self, results: &[BulkResult]) {
        let sent = self.sent_targets();
        for (i, target) in sent.iter().enumerate() {
            // Matched by id; by position when the backend answers in order (it does).
            let result = results
                .iter()
                .find(|r| r.id == target.id)
                .or_else(|| results.get(i).filter(|r| r.id == target.id));
            self.results.push(match result {
                Some(r) => RowResult::of(target, r),
                None => RowResult::failed(target, "the backend gave no result for it"),
            });
        }
        self.advance(sent.len());
    }

    /// The request on its way failed as a whole: every relationship in it failed with `why`.
    pub fn request_failed(&mut self, why: &str) {
        let sent = self.sent_targets();
        for target in &sent {
            self.results.push(RowResult::failed(target, why));
        }
        self.advance(sent.len());
    }

    fn sent_targets(&self) -> Vec<Target> {
        self.plan
            .send
            .iter()
            .skip(self.done)
            .take(self.pending.first().map_or(0, |r| r.items.len()))
            .cloned()
            .collect()
    }

    fn advance(&mut self, n: usize) {
        self.done += n;
        if !self.pending.is_empty() {
            self.pending.remove(0);
        }
    }

    pub fn is_finished(&self) -> bool {
        self.pending.is_empty()
    }

    /// `succeeded 998 · skipped 2 · failed 0`.
    pub fn tally(&self) -> String {
        let n = |o| {
            let count = self.results.iter().filter(|r| r.outcome == o).count();
            crate::tui::widgets::text::thousands(count as u64)
        };
        format!(
            "succeeded {} · skipped {} · failed {}",
            n(BulkOutcome::Succeeded),
            n(BulkOutcome::Skipped),
            n(BulkOutcome::Failed)
        )
    }

    /// The new approval links, one per line with the customer's name (request again).
    pub fn links(&self) -> String {
        self.results
            .iter()
            .filter_map(|r| r.link.as_ref().map(|l| format!("{}: {l}", r.customer)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
