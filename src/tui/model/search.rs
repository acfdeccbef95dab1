//! Every row's search key (lowercase name, newline, lowercase domain) copied back to back into one
//! buffer, in row order, each ended by a NUL. A filter keystroke over 100,000 rows then reads one
//! contiguous block front to back, with one search through it (or one `memchr` per key for a
//! single byte), instead of a call into the general searcher per row in sort order, which cost
//! ~2.5 ms a keystroke. The NUL keeps a match from spanning two rows (names hold none).

use memchr::memmem::Finder;

use super::rows::CustomerRow;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchKeys {
    bytes: Vec<u8>,
    /// `ends[i]`: where row `i`'s key ends in `bytes` (its NUL); the next key starts one later.
    ends: Vec<usize>,
}

impl SearchKeys {
    /// The keys of `rows`, in their order.
    pub fn of(rows: &[CustomerRow]) -> Self {
        let mut keys = Self::default();
        for row in rows {
            keys.push(row);
        }
        keys
    }

    /// `more`'s keys after these (the rows they belong to are appended in the same order).
    pub fn append(&mut self, more: SearchKeys) {
        let offset = self.bytes.len();
        self.bytes.extend_from_slice(&more.bytes);
        self.ends.extend(more.ends.iter().map(|end| end + offset));
    }

    fn push(&mut self, row: &CustomerRow) {
        row.push_search_key(&mut self.bytes);
        self.ends.push(self.bytes.len());
        self.bytes.push(0);
    }

    /// Room for `rows` more rows of about the size of those already in.
    pub fn reserve(&mut self, rows: usize) {
        let per_row = self.bytes.len().checked_div(self.ends.len()).unwrap_or(48);
        self.bytes.reserve(rows.saturating_mul(per_row));
        self.ends.reserve(rows);
    }

    /// Gives back what growing by doubling left unused (the list is loaded).
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Row `row`'s key (empty for a row that is not there).
    pub fn key(&self, row: u32) -> &[u8] {
        self.span(row)
            .and_then(|(start, end)| self.bytes.get(start..end))
            .unwrap_or(&[])
    }

    /// Where row `row`'s key is in `bytes`, if the row is there.
    fn span(&self, row: u32) -> Option<(usize, usize)> {
        let row = row as usize;
        let start = match row {
            0 => 0,
            _ => self.ends.get(row - 1)? + 1,
        };
        Some((start, *self.ends.get(row)?))
    }

    /// Row `row` changed (a live update): its key is replaced in place, the keys after it move.
    pub fn replace(&mut self, row: u32, with: &CustomerRow) {
        let Some((start, end)) = self.span(row) else {
            return;
        };
        let mut key = Vec::new();
        with.push_search_key(&mut key);
        let (old_len, new_len) = (end - start, key.len());
        self.bytes.splice(start..end, key);
        for end in self.ends.iter_mut().skip(row as usize) {
            *end = *end - old_len + new_len;
        }
    }

    /// The rows among `candidates` whose key contains `needle` (lowercase), in the same order.
    pub fn filter(&self, candidates: &[u32], needle: &str) -> Vec<u32> {
        if needle.is_empty() {
            return candidates.to_vec();
        }
        if needle.contains('\0') {
            // No key holds a NUL (names are sanitized); in the buffer it would match a row's end.
            return Vec::new();
        }
        let needle = needle.as_bytes();
        let finder = Finder::new(needle);
        // Few candidates (typing on): look at just their keys.
        if candidates.len() < self.ends.len() / 8 {
            return candidates
                .iter()
                .copied()
                .filter(|&row| match needle {
                    [byte] => memchr::memchr(*byte, self.key(row)).is_some(),
                    _ => finder.find(self.key(row)).is_some(),
                })
                .collect();
        }
        // Many: mark the rows that match, reading the buffer front to back; the candidates then
        // keep their order.
        let hit = match needle {
            [byte] => self.rows_holding_byte(*byte),
            _ => self.rows_holding(&finder),
        };
        candidates
            .iter()
            .copied()
            .filter(|&row| hit.get(row as usize).copied().unwrap_or(false))
            .collect()
    }

    /// A one-byte needle (the first key typed) is in most keys, often several times: one
    /// `memchr` per key stops at the first.
    fn rows_holding_byte(&self, byte: u8) -> Vec<bool> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let key = self.bytes.get(start..end).unwrap_or(&[]);
                start = end + 1;
                memchr::memchr(byte, key).is_some()
            })
            .collect()
    }

    /// A longer needle is rare enough that one search through the whole buffer, row by row as
    /// the hits come, beats a search per key.
    fn rows_holding(&self, finder: &Finder) -> Vec<bool> {
        let mut hit = vec![false; self.ends.len()];
        let mut row = 0;
        for at in finder.find_iter(&self.bytes) {
            while self.ends.get(row).is_some_and(|&end| end < at) {
                row += 1;
            }
            match hit.get_mut(row) {
                Some(h) => *h = true,
                None => break,
            }
        }
        hit
    }

    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Relationship;

    fn rows() -> Vec<CustomerRow> {
        let names = [
            "Contoso",
            "Fabrikam",
            "Ärztehaus Süd",
            "株式会社サンプル",
            "Northwind",
            "Adatum",
            "Litware",
            "Proseware",
            "Wingtip",
            "Tailspin",
            "Woodgrove",
            "Alpine Ski",
        ];
        (0..200)
            .map(|i| {
                let name = format!("{} {i}", names[i % names.len()]);
                let domain = format!("d{i}.example");
                CustomerRow::new(
                    &i.to_string(),
                    &name,
                    &domain,
                    None,
                    Relationship::Reseller,
                    true,
                )
            })
            .collect()
    }

    fn naive(rows: &[CustomerRow], candidates: &[u32], needle: &str) -> Vec<u32> {
        candidates
            .iter()
            .copied()
            .filter(|&i| {
                let mut key = Vec::new();
                rows[i as usize].push_search_key(&mut key);
                memchr::memmem::find(&key, needle.as_bytes()).is_some()
            })
            .collect()
    }

    #[test]
    fn the_buffer_finds_exactly_what_each_rows_own_key_would_in_either_way_of_scanning() {
        let rows = rows();
        let keys = SearchKeys::of(&rows);
        // All rows in reverse (a sort order), and a few rows (typing on).
        let all: Vec<u32> = (0..rows.len() as u32).rev().collect();
        let few: Vec<u32> = vec![150, 3, 77, 12];
        for needle in [
            "o",
            "on",
            "contoso 1",
            "sample",
            "サンプル",
            "ärzte",
            "example",
            "1\nd",
            "9",
            "zzz",
            "d199.example",
        ] {
            assert_eq!(
                keys.filter(&all, needle),
                naive(&rows, &all, needle),
                "{needle:?} over all"
            );
            assert_eq!(
                keys.filter(&few, needle),
                naive(&rows, &few, needle),
                "{needle:?} over few"
            );
        }
        // A match never spans two rows: the end of one domain and the start of the next name.
        assert!(keys.filter(&all, "example\0").is_empty());
        assert_eq!(keys.filter(&all, "example").len(), rows.len());
        let mut keys = SearchKeys::of(&rows[..10]);
        assert_eq!(keys.filter(&[0, 9], "contoso"), vec![0]);
        // A page's keys appended are the keys of all the rows.
        keys.append(SearchKeys::of(&rows[10..]));
        assert_eq!(keys, SearchKeys::of(&rows));
        // A row replaced in place, by a longer and by a shorter key: as if built anew.
        let mut changed = rows.clone();
        for (at, name) in [(5, "A much longer company name than before"), (150, "X")] {
            changed[at] = CustomerRow::new(
                &at.to_string(),
                name,
                "new.example",
                None,
                Relationship::Reseller,
                true,
            );
            keys.replace(at as u32, &changed[at]);
        }
        assert_eq!(keys, SearchKeys::of(&changed));
    }
}
