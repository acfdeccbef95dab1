//! The loaded customer list in compact form, and the pure functions that sort and filter it.
//!
//! 100,000 full `Customer`s with billing profiles would cost more memory than the JSON they came in;
//! a row keeps only what the list shows, sanitized once, in a single allocation. Its lowercase
//! search key lives with all the others in one buffer (`search`), for the filter and the sort.
//! Details are fetched on expand instead.

use std::cmp::Ordering;

use crate::api::{Customer, Relationship};
use crate::tui::sanitize::sanitize;

use super::admin::AdminCell;

/// One customer as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    /// name | domain | id | indirect reseller, back to back.
    text: Box<str>,
    /// End offsets in `text` of: name, domain, id.
    ends: [u32; 3],
    pub relationship: Relationship,
    /// The admin column: the customer's admin relationships at a glance (or the legacy flag).
    pub admin: AdminCell,
}

impl CustomerRow {
    /// Display strings are sanitized here; the id is kept verbatim because it addresses the API.
    /// `admin_granted` is the legacy flag; [`CustomerRow::with_admin`] sets the GDAP summary.
    pub fn new(
        id: &str,
        name: &str,
        domain: &str,
        reseller: Option<&str>,
        relationship: Relationship,
        admin_granted: bool,
    ) -> Self {
        let name = sanitize(name);
        let domain = sanitize(domain);
        let reseller = sanitize(reseller.unwrap_or(""));
        let mut text = String::with_capacity(name.len() + domain.len() + id.len() + reseller.len());
        let mut ends = [0u32; 3];
        let mut mark = |text: &String, slot: usize| {
            ends[slot] = u32::try_from(text.len()).unwrap_or(u32::MAX);
        };
        text.push_str(&name);
        mark(&text, 0);
        text.push_str(&domain);
        mark(&text, 1);
        text.push_str(id);
        mark(&text, 2);
        text.push_str(&reseller);
        Self {
            text: text.into_boxed_str(),
            ends,
            relationship,
            admin: AdminCell::legacy(admin_granted),
        }
    }

    pub fn with_admin(mut self, admin: AdminCell) -> Self {
        self.admin = admin;
        self
    }

    /// Working admin access: an active relationship, or (from a backend without admin
    /// relationships) the legacy flag.
    pub fn admin_granted(&self) -> bool {
        self.admin.is_granted()
    }

    pub fn from_customer(c: &Customer) -> Self {
        let reseller = c
            .associated_partner_name
            .as_deref()
            .or(c.associated_partner_id.as_deref());
        Self::new(
            &c.id,
            &c.company_profile.company_name,
            &c.company_profile.domain,
            reseller,
            c.relationship_to_partner,
            c.allow_delegated_access,
        )
        .with_admin(AdminCell::of(
            c.admin_access.as_ref(),
            c.allow_delegated_access,
        ))
        .with_tenant(&c.company_profile.tenant_id)
    }

    /// The row with the customer's tenant id (`companyProfile.tenantId`: admin relationships
    /// name the customer by it). It goes after the reseller behind a NUL, which sanitized text
    /// never holds, so the row grows by no offset. Called once, on a row made by `new`.
    pub fn with_tenant(mut self, tenant_id: &str) -> Self {
        let mut text = String::with_capacity(self.text.len() + 1 + tenant_id.len());
        text.push_str(&self.text);
        text.push('\0');
        text.push_str(tenant_id);
        self.text = text.into_boxed_str();
        self
    }

    /// The tenant id; empty when the row was made without it.
    pub fn tenant_id(&self) -> &str {
        self.text.rsplit_once('\0').map_or("", |(_, tenant)| tenant)
    }

    fn slice(&self, from: usize, to: usize) -> &str {
        let (from, to) = (from.min(self.text.len()), to.min(self.text.len()));
        self.text.get(from..to).unwrap_or("")
    }

    fn end(&self, slot: usize) -> usize {
        self.ends[slot] as usize
    }

    pub fn name(&self) -> &str {
        self.slice(0, self.end(0))
    }
    pub fn domain(&self) -> &str {
        self.slice(self.end(0), self.end(1))
    }
    pub fn id(&self) -> &str {
        self.slice(self.end(1), self.end(2))
    }
    /// The indirect reseller's name, if the customer has one.
    pub fn reseller(&self) -> Option<&str> {
        let rest = self.slice(self.end(2), self.text.len());
        Some(rest.split('\0').next().unwrap_or(rest)).filter(|s| !s.is_empty())
    }

    /// Appends the row's search key: lowercase name, newline, lowercase domain. The filter
    /// searches it and the sort compares it; the newline keeps a match from spanning the end of
    /// the name and the start of the domain (names are sanitized: they hold no newline).
    pub fn push_search_key(&self, out: &mut Vec<u8>) {
        push_lower(out, self.name());
        out.push(b'\n');
        push_lower(out, self.domain());
    }

    /// Heap bytes this row holds (for memory accounting in benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.text.len()
    }
}

fn push_lower(out: &mut Vec<u8>, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase()));
    } else {
        let mut utf8 = [0u8; 4];
        for c in s.chars().flat_map(char::to_lowercase) {
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

/// The normalised form of what the user typed into the filter: lowercase, without control
/// characters (names hold none, and a newline would match across name and domain).
pub fn needle(typed: &str) -> String {
    typed
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column the list is sorted by; `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Company name, as the backend sends it.
    #[default]
    Name,
    Domain,
    /// Resellers first, then ended relationships; by name within each.
    Relationship,
}

impl SortKey {
    pub fn next(self) -> Self {
        match self {
            SortKey::Name => SortKey::Domain,
            SortKey::Domain => SortKey::Relationship,
            SortKey::Relationship => SortKey::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Domain => "domain",
            SortKey::Relationship => "relationship",
        }
    }
}

fn relationship_rank(r: Relationship) -> u8 {
    match r {
        Relationship::Reseller => 0,
        Relationship::None => 1,
        Relationship::Unknown => 2,
    }
}

/// A row with its search key (`CustomerRow::push_search_key`), as the sort compares them.
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    pub row: &'a CustomerRow,
    pub key: &'a [u8],
}

impl Keyed<'_> {
    fn lower_name(&self) -> &[u8] {
        self.key.split(|&b| b == b'\n').next().unwrap_or(self.key)
    }
    fn lower_domain(&self) -> &[u8] {
        let name = self.lower_name().len();
        self.key.get(name + 1..).unwrap_or(&[])
    }
}

/// Total order of two rows under `sort` (ties broken by name, then id, so it is stable across
/// loads). Names compare case-insensitively, by their lowercase search keys.
pub fn compare(a: Keyed, b: Keyed, sort: SortKey) -> Ordering {
    let by_name = || {
        a.lower_name()
            .cmp(b.lower_name())
            .then_with(|| a.row.id().cmp(b.row.id()))
    };
    match sort {
        SortKey::Name => by_name(),
        SortKey::Domain => a.lower_domain().cmp(b.lower_domain()).then_with(by_name),
        SortKey::Relationship => relationship_rank(a.row.relationship)
            .cmp(&relationship_rank(b.row.relationship))
            .then_with(by_name),
    }
}
