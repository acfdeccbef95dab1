//! The list as a tree flattened into lines: each visible row, followed by its detail lines when it is
//! expanded. The cursor and the scroll offset are indices into these lines, so moving through an
//! expanded row walks its details like children in a tree.

/// One line of the list: a customer row (`detail == 0`) or its `detail`-th detail line (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineRef {
    pub row: u32,
    pub detail: u32,
}

impl LineRef {
    pub fn row(row: u32) -> Self {
        Self { row, detail: 0 }
    }

    pub fn is_row(self) -> bool {
        self.detail == 0
    }
}

/// Flattens `visible` rows into lines; `detail_count(row)` is how many detail lines an expanded row
/// has (0 when collapsed). With nothing expanded this is one pass with no lookups.
pub fn build_lines(
    visible: &[u32],
    any_expanded: bool,
    detail_count: impl Fn(u32) -> u32,
) -> Vec<LineRef> {
    if !any_expanded {
        return visible.iter().map(|&row| LineRef::row(row)).collect();
    }
    let mut lines = Vec::with_capacity(visible.len() + 16);
    for &row in visible {
        lines.push(LineRef::row(row));
        for detail in 1..=detail_count(row) {
            lines.push(LineRef { row, detail });
        }
    }
    lines
}

/// Where `target` is now, looking first at `hint` (where it was), which is where it stays unless
/// lines were inserted above it.
pub fn find_line(lines: &[LineRef], target: LineRef, hint: usize) -> Option<usize> {
    if lines.get(hint) == Some(&target) {
        return Some(hint);
    }
    lines.iter().position(|&l| l == target)
}

/// Cursor and scroll position over `len` lines shown `height` at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewport {
    pub cursor: usize,
    pub offset: usize,
    pub height: usize,
}

impl Viewport {
    /// Keeps the cursor inside `0..len` and on screen, scrolling as little as possible.
    pub fn settle(&mut self, len: usize) {
        self.cursor = self.cursor.min(len.saturating_sub(1));
        let height = self.height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        // No empty space below the last line while there are lines above the top.
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.cursor = self.cursor.saturating_add_signed(delta);
        self.settle(len);
    }

    /// Moves the cursor and the view together by a page, as `PgDn` does in a pager.
    pub fn page(&mut self, down: bool, len: usize) {
        let step = self.height.max(1);
        if down {
            self.cursor = self.cursor.saturating_add(step);
            self.offset = self.offset.saturating_add(step);
        } else {
            self.cursor = self.cursor.saturating_sub(step);
            self.offset = self.offset.saturating_sub(step);
        }
        self.settle(len);
    }

    /// After lines below `first` were added: scroll so that as many of `first..=last` as possible
    /// are visible, never moving `first` (the cursor's row) off the top.
    pub fn reveal(&mut self, first: usize, last: usize) {
        let height = self.height.max(1);
        if last >= self.offset + height {
            self.offset = (last + 1 - height).min(first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expanded_rows_are_followed_by_their_detail_lines() {
        let lines = build_lines(&[5, 3, 9], true, |row| if row == 3 { 2 } else { 0 });
        assert_eq!(
            lines,
            [
                LineRef::row(5),
                LineRef::row(3),
                LineRef { row: 3, detail: 1 },
                LineRef { row: 3, detail: 2 },
                LineRef::row(9),
            ]
        );
    }

    #[test]
    fn the_cursor_scrolls_the_view_only_at_the_edges() {
        let mut v = Viewport {
            height: 3,
            ..Viewport::default()
        };
        v.move_by(2, 10);
        assert_eq!((v.cursor, v.offset), (2, 0));
        v.move_by(1, 10);
        assert_eq!((v.cursor, v.offset), (3, 1));
        v.move_by(-3, 10);
        assert_eq!((v.cursor, v.offset), (0, 0));
        v.move_by(-1, 10);
        assert_eq!((v.cursor, v.offset), (0, 0));
        v.move_by(100, 10);
        assert_eq!((v.cursor, v.offset), (9, 7));
    }

    #[test]
    fn page_moves_cursor_and_view_together() {
        let mut v = Viewport {
            height: 4,
            ..Viewport::default()
        };
        v.move_by(1, 20);
        v.page(true, 20);
        assert_eq!((v.cursor, v.offset), (5, 4));
        v.page(true, 20);
        v.page(true, 20);
        v.page(true, 20);
        assert_eq!((v.cursor, v.offset), (17, 16));
        v.page(true, 20);
        assert_eq!((v.cursor, v.offset), (19, 16));
        v.page(false, 20);
        assert_eq!((v.cursor, v.offset), (15, 12));
    }

    #[test]
    fn reveal_shows_new_detail_lines_without_hiding_the_row() {
        let mut v = Viewport {
            cursor: 8,
            offset: 5,
            height: 5,
        };
        v.reveal(8, 10);
        assert_eq!(v.offset, 6);
        v.reveal(8, 30);
        assert_eq!(v.offset, 8);
    }

    #[test]
    fn settle_removes_empty_space_after_a_collapse() {
        let mut v = Viewport {
            cursor: 4,
            offset: 3,
            height: 5,
        };
        v.settle(6);
        assert_eq!((v.cursor, v.offset), (4, 1));
    }
}
