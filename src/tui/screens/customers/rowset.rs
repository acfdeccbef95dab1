//! All loaded rows with their current sort and filter: what the list shows, in order.
//!
//! Pages stream in while the user types, so both operations are incremental: a longer needle that
//! contains the previous one only re-scans the previous matches, and a new page is merged into an
//! already sorted order.

use crate::tui::model::rows::{CustomerRow, Keyed, SortKey, compare, needle};
use crate::tui::model::search::SearchKeys;

#[derive(Debug, Default)]
pub struct RowSet {
    rows: Vec<CustomerRow>,
    /// Every row index, sorted by `sort`.
    order: Vec<u32>,
    /// `order` filtered by `needle`; unused (empty) while there is no filter.
    matches: Vec<u32>,
    sort: SortKey,
    /// The filter as typed, and its lowercase form.
    filter: String,
    needle: String,
    /// The rows' search keys in one buffer, for the filter.
    keys: SearchKeys,
}

impl RowSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `total` rows, so 100,000 rows don't pass through repeated doublings.
    pub fn reserve(&mut self, total: usize) {
        let more = total.saturating_sub(self.rows.len());
        self.rows.reserve_exact(more);
        self.order.reserve_exact(more);
        self.keys.reserve(more);
    }

    /// The last page is in: memory reserved for more goes back.
    pub fn loaded(&mut self) {
        self.keys.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, index: u32) -> Option<&CustomerRow> {
        self.rows.get(index as usize)
    }

    /// Every loaded row, in load order.
    pub fn iter(&self) -> impl Iterator<Item = &CustomerRow> {
        self.rows.iter()
    }

    pub fn sort(&self) -> SortKey {
        self.sort
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Row indices to show, in order.
    pub fn visible(&self) -> &[u32] {
        if self.needle.is_empty() {
            &self.order
        } else {
            &self.matches
        }
    }

    /// Adds a page of rows.
    pub fn extend(&mut self, rows: Vec<CustomerRow>) {
        let keys = SearchKeys::of(&rows);
        self.extend_keyed(rows, keys);
    }

    /// Adds a page of rows whose search keys were made already (off the UI thread, with the rows).
    pub fn extend_keyed(&mut self, rows: Vec<CustomerRow>, keys: SearchKeys) {
        if rows.is_empty() {
            return;
        }
        let first_new = self.rows.len();
        self.keys.append(keys);
        self.rows.extend(rows);
        let new = (first_new..self.rows.len()).filter_map(|i| u32::try_from(i).ok());
        let already_sorted = self.order.len();
        self.order.extend(new);
        // Pages come in name order, so under the name sort a page usually belongs at the end.
        let fits_at_end = self
            .order
            .get(already_sorted.saturating_sub(1)..)
            .is_some_and(|tail| {
                tail.windows(2)
                    .all(|w| match (self.keyed(w[0]), self.keyed(w[1])) {
                        (Some(a), Some(b)) => compare(a, b, self.sort).is_le(),
                        _ => false,
                    })
            });
        if !fits_at_end {
            self.sort_order();
        }
        if !self.needle.is_empty() {
            if fits_at_end {
                let tail = self
                    .keys
                    .filter(&self.order[already_sorted..], &self.needle);
                self.matches.extend(tail);
            } else {
                self.matches = self.keys.filter(&self.order, &self.needle);
            }
        }
    }

    /// Replaces the row with the same id, or adds it; returns its index. Linear in the number of rows:
    /// meant for live updates, which are rare, not for pages.
    pub fn upsert(&mut self, row: CustomerRow) -> u32 {
        if let Some(i) = self.rows.iter().position(|r| r.id() == row.id()) {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            if keeps_place(&self.rows[i], &row) {
                self.rows[i] = row;
                return index;
            }
            self.keys.replace(index, &row);
            self.rows[i] = row;
            self.sort_order();
            self.refilter();
            return index;
        }
        let index = self.rows.len();
        self.extend(vec![row]);
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    /// Replaces the row with the same id when the change leaves its place in the order and the
    /// filter alone (only what sorting and searching read: name, domain, relationship); its index,
    /// or None when there is no such row or it would move ([`RowSet::upsert`] then).
    pub fn replace_in_place(&mut self, row: CustomerRow) -> Option<u32> {
        let i = self.rows.iter().position(|r| r.id() == row.id())?;
        if !keeps_place(&self.rows[i], &row) {
            return None;
        }
        self.rows[i] = row;
        u32::try_from(i).ok()
    }

    /// Whether exactly this row (same id, same contents) is in the set. Linear: for live updates.
    pub fn holds(&self, row: &CustomerRow) -> bool {
        self.rows.iter().any(|r| r == row)
    }

    /// Sets the filter text; cheap when the new needle narrows the previous one (typing on).
    pub fn set_filter(&mut self, typed: &str) {
        let new = needle(typed);
        let narrows = !self.needle.is_empty() && new.contains(self.needle.as_str());
        self.filter = typed.to_string();
        if new == self.needle {
            return;
        }
        if narrows {
            self.matches = self.keys.filter(&self.matches, &new);
            self.needle = new;
        } else {
            self.needle = new;
            self.refilter();
        }
    }

    pub fn set_sort(&mut self, sort: SortKey) {
        if sort == self.sort {
            return;
        }
        self.sort = sort;
        self.sort_order();
        self.refilter();
    }

    fn keyed(&self, row: u32) -> Option<Keyed<'_>> {
        Some(Keyed {
            row: self.rows.get(row as usize)?,
            key: self.keys.key(row),
        })
    }

    /// Sorts the row indices. The sort is adaptive: appending a page to an already sorted order
    /// and sorting again costs little more than sorting the page.
    fn sort_order(&mut self) {
        let mut order = std::mem::take(&mut self.order);
        order.sort_by(|&a, &b| match (self.keyed(a), self.keyed(b)) {
            (Some(ka), Some(kb)) => compare(ka, kb, self.sort),
            _ => a.cmp(&b),
        });
        self.order = order;
    }

    fn refilter(&mut self) {
        self.matches = if self.needle.is_empty() {
            Vec::new()
        } else {
            self.keys.filter(&self.order, &self.needle)
        };
    }

    /// Bytes held, for memory accounting in benchmarks.
    pub fn heap_bytes(&self) -> usize {
        let rows = self.rows.capacity() * std::mem::size_of::<CustomerRow>();
        let text: usize = self.rows.iter().map(CustomerRow::heap_bytes).sum();
        rows + text + 4 * (self.order.capacity() + self.matches.capacity()) + self.keys.heap_bytes()
    }
}

/// Most live changes (admin access, purchase permission, users) leave what the order and the
/// filter read alone: such a row keeps its place, so a burst of a thousand events (another
/// agent's bulk action) costs no thousand sorts of the whole list.
fn keeps_place(old: &CustomerRow, new: &CustomerRow) -> bool {
    old.name() == new.name() && old.domain() == new.domain() && old.relationship == new.relationship
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Relationship;

    fn row(id: &str, name: &str, domain: &str) -> CustomerRow {
        CustomerRow::new(id, name, domain, None, Relationship::Reseller, true)
    }

    fn names(set: &RowSet) -> Vec<&str> {
        set.visible()
            .iter()
            .filter_map(|&i| set.get(i).map(CustomerRow::name))
            .collect()
    }

    #[test]
    fn a_row_gives_back_what_it_was_built_from_sanitized() {
        let r = CustomerRow::new(
            "id-1",
            "Con\u{202E}toso",
            "contoso.com",
            Some("Tailspin"),
            Relationship::None,
            false,
        );
        assert_eq!(
            (r.id(), r.name(), r.domain(), r.reseller()),
            ("id-1", "Contoso", "contoso.com", Some("Tailspin"))
        );
        assert!(!r.admin_granted());
        assert_eq!(row("2", "A", "a.com").reseller(), None);
    }

    #[test]
    fn filter_is_case_insensitive_over_name_and_domain_but_not_across_them() {
        let mut set = RowSet::new();
        set.extend(vec![
            row("1", "Contoso", "contoso.com"),
            row("2", "Fabrikam", "FABRIKAM.example"),
            row("3", "Ärztehaus", "aerzte.de"),
        ]);
        set.set_filter("FAB");
        assert_eq!(names(&set), ["Fabrikam"]);
        set.set_filter("example");
        assert_eq!(names(&set), ["Fabrikam"]);
        set.set_filter("äRZ");
        assert_eq!(names(&set), ["Ärztehaus"]);
        set.set_filter("socontoso");
        assert!(names(&set).is_empty());
        set.set_filter("");
        assert_eq!(names(&set).len(), 3);
    }

    #[test]
    fn typing_on_narrows_and_deleting_widens_again() {
        let mut set = RowSet::new();
        set.extend(vec![
            row("1", "Contoso", "c.com"),
            row("2", "Contour", "d.com"),
            row("3", "Fabrikam", "f.net"),
        ]);
        set.set_filter("con");
        assert_eq!(names(&set), ["Contoso", "Contour"]);
        set.set_filter("cont");
        set.set_filter("conto");
        assert_eq!(names(&set), ["Contoso", "Contour"]);
        set.set_filter("contos");
        assert_eq!(names(&set), ["Contoso"]);
        set.set_filter("co");
        assert_eq!(names(&set), ["Contoso", "Contour"]);
    }

    #[test]
    fn pages_arriving_under_a_filter_are_filtered_and_kept_in_order() {
        let mut set = RowSet::new();
        set.set_filter("o");
        set.extend(vec![row("1", "Bob", "b.com"), row("2", "Dan", "d.net")]);
        set.extend(vec![row("3", "Alice", "a.org"), row("4", "Zed", "z.io")]);
        assert_eq!(names(&set), ["Alice", "Bob", "Zed"]);
    }

    #[test]
    fn sort_cycles_through_name_domain_relationship() {
        let mut set = RowSet::new();
        set.extend(vec![
            CustomerRow::new("1", "Beta", "a.com", None, Relationship::None, true),
            CustomerRow::new("2", "Alpha", "c.com", None, Relationship::Reseller, true),
            CustomerRow::new("3", "Gamma", "b.com", None, Relationship::Reseller, true),
        ]);
        assert_eq!(names(&set), ["Alpha", "Beta", "Gamma"]);
        set.set_sort(set.sort().next());
        assert_eq!(names(&set), ["Beta", "Gamma", "Alpha"]);
        set.set_sort(set.sort().next());
        assert_eq!(names(&set), ["Alpha", "Gamma", "Beta"]);
        assert_eq!(set.sort().next(), SortKey::Name);
    }

    #[test]
    fn a_change_that_keeps_name_domain_and_relationship_is_replaced_in_place() {
        let mut set = RowSet::new();
        set.set_filter("a");
        set.extend(vec![row("1", "Alpha", "a.com"), row("2", "Beta", "b.com")]);
        let granted = CustomerRow::new("2", "Beta", "b.com", None, Relationship::Reseller, false);
        assert_eq!(set.replace_in_place(granted), Some(1));
        assert_eq!(set.get(1).map(CustomerRow::admin_granted), Some(false));
        assert_eq!(names(&set), ["Alpha", "Beta"], "filter and order as before");
        let renamed = row("2", "Aardvark", "b.com");
        assert_eq!(set.replace_in_place(renamed.clone()), None, "it would move");
        assert_eq!(
            set.replace_in_place(row("9", "Zed", "z.io")),
            None,
            "not there"
        );
        set.upsert(renamed);
        assert_eq!(names(&set), ["Aardvark", "Alpha"]);
    }

    #[test]
    fn upsert_replaces_by_id_and_adds_new_ones() {
        let mut set = RowSet::new();
        set.extend(vec![row("1", "Alpha", "a.com"), row("2", "Beta", "b.com")]);
        let i = set.upsert(CustomerRow::new(
            "2",
            "Beta",
            "b.com",
            None,
            Relationship::None,
            false,
        ));
        assert_eq!(i, 1);
        assert_eq!(set.len(), 2);
        assert_eq!(set.get(1).map(|r| r.relationship), Some(Relationship::None));
        assert_eq!(set.upsert(row("3", "Aardvark", "z.com")), 2);
        assert_eq!(names(&set), ["Aardvark", "Alpha", "Beta"]);
    }
}
