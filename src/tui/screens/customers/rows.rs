//! The loaded customer list in compact form, and the pure functions that sort and filter it.
//!
//! 100,000 full `Customer`s with billing profiles would cost more memory than the JSON they came in;
//! a row keeps only what the list shows, sanitized once, in a single allocation, plus the lowercase
//! search key so filtering per keystroke is a substring scan with no allocation. Details are fetched
//! on expand instead.

use std::cmp::Ordering;

use crate::api::{Customer, Relationship};
use crate::tui::sanitize::sanitize;

/// One customer as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    /// `lower name` `\n` `lower domain` | name | domain | id | indirect reseller, back to back.
    text: Box<str>,
    /// End offsets in `text` of: lower name, lower domain (= search key), name, domain, id.
    ends: [u32; 5],
    pub relationship: Relationship,
    /// False when the customer removed the partner's admin permissions.
    pub admin_granted: bool,
}

impl CustomerRow {
    /// Display strings are sanitized here; the id is kept verbatim because it addresses the API.
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
        let mut text =
            String::with_capacity(2 * (name.len() + domain.len()) + 1 + id.len() + reseller.len());
        let mut ends = [0u32; 5];
        let mut mark = |text: &String, slot: usize| {
            ends[slot] = u32::try_from(text.len()).unwrap_or(u32::MAX);
        };
        push_lower(&mut text, &name);
        mark(&text, 0);
        text.push('\n');
        push_lower(&mut text, &domain);
        mark(&text, 1);
        text.push_str(&name);
        mark(&text, 2);
        text.push_str(&domain);
        mark(&text, 3);
        text.push_str(id);
        mark(&text, 4);
        text.push_str(&reseller);
        Self {
            text: text.into_boxed_str(),
            ends,
            relationship,
            admin_granted,
        }
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
    }

    fn slice(&self, from: usize, to: usize) -> &str {
        let (from, to) = (from.min(self.text.len()), to.min(self.text.len()));
        self.text.get(from..to).unwrap_or("")
    }

    fn end(&self, slot: usize) -> usize {
        self.ends[slot] as usize
    }

    pub fn name(&self) -> &str {
        self.slice(self.end(1), self.end(2))
    }
    pub fn domain(&self) -> &str {
        self.slice(self.end(2), self.end(3))
    }
    pub fn id(&self) -> &str {
        self.slice(self.end(3), self.end(4))
    }
    /// The indirect reseller's name, if the customer has one.
    pub fn reseller(&self) -> Option<&str> {
        Some(self.slice(self.end(4), self.text.len())).filter(|s| !s.is_empty())
    }
    fn lower_name(&self) -> &str {
        self.slice(0, self.end(0))
    }
    fn lower_domain(&self) -> &str {
        self.slice(self.end(0) + 1, self.end(1))
    }

    /// Case-insensitive match over name and domain; `needle` must already be lowercase. The newline
    /// between the two keeps a match from spanning the end of the name and the start of the domain.
    pub fn matches(&self, needle: &str) -> bool {
        self.search_key().contains(needle)
    }

    /// Lowercase name, newline, lowercase domain.
    fn search_key(&self) -> &str {
        self.slice(0, self.end(1))
    }

    /// Heap bytes this row holds (for memory accounting in benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.text.len()
    }
}

fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// The normalised form of what the user typed into the filter.
pub fn needle(typed: &str) -> String {
    typed.trim().to_lowercase()
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

/// Total order of two rows under `sort` (ties broken by name, then id, so it is stable across loads).
pub fn compare(a: &CustomerRow, b: &CustomerRow, sort: SortKey) -> Ordering {
    let by_name = || {
        a.lower_name()
            .cmp(b.lower_name())
            .then_with(|| a.id().cmp(b.id()))
    };
    match sort {
        SortKey::Name => by_name(),
        SortKey::Domain => a.lower_domain().cmp(b.lower_domain()).then_with(by_name),
        SortKey::Relationship => relationship_rank(a.relationship)
            .cmp(&relationship_rank(b.relationship))
            .then_with(by_name),
    }
}

/// Sorts row indices in place. The sort is adaptive: appending a page to an already sorted order and
/// sorting again costs little more than sorting the page.
pub fn sort_indices(rows: &[CustomerRow], order: &mut [u32], sort: SortKey) {
    order.sort_by(
        |&a, &b| match (rows.get(a as usize), rows.get(b as usize)) {
            (Some(a), Some(b)) => compare(a, b, sort),
            _ => a.cmp(&b),
        },
    );
}

/// The indices among `candidates` whose row matches `needle` (lowercase), in the same order. The
/// searcher is built once per call and scans with SIMD: this runs on every keystroke over every row.
pub fn filter_indices(rows: &[CustomerRow], candidates: &[u32], needle: &str) -> Vec<u32> {
    if needle.is_empty() {
        return candidates.to_vec();
    }
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    candidates
        .iter()
        .copied()
        .filter(|&i| {
            rows.get(i as usize)
                .is_some_and(|r| finder.find(r.search_key().as_bytes()).is_some())
        })
        .collect()
}
