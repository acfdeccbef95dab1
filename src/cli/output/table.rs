//! The table a person reads on a terminal: columns sized to the first rows (so a long list is
//! written as it arrives, not held), cells sanitised and cut with `…` when wider than a column may be.

use std::io::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Column, Style};

/// Rows read before the column widths are fixed; later rows are cut to them.
const SAMPLE_ROWS: usize = 200;
/// The widest a column other than the last may be, in terminal cells.
const MAX_WIDTH: usize = 48;
const GAP: &str = "  ";

pub(super) struct Table {
    style: Style,
    headings: Vec<String>,
    pending: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
}

impl Table {
    pub(super) fn new<'n>(style: Style, names: impl Iterator<Item = &'n str>) -> Self {
        Self {
            style,
            headings: names.map(heading).collect(),
            pending: Vec::new(),
            widths: None,
        }
    }

    pub(super) fn push(&mut self, sink: &mut dyn Write, cells: Vec<String>) -> std::io::Result<()> {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| crate::sanitize::sanitize(c).into_owned())
            .collect();
        match &self.widths {
            Some(widths) => write_row(sink, widths, &cells),
            None => {
                self.pending.push(cells);
                if self.pending.len() >= SAMPLE_ROWS {
                    self.settle(sink)?;
                }
                Ok(())
            }
        }
    }

    pub(super) fn finish(&mut self, sink: &mut dyn Write) -> std::io::Result<()> {
        if self.widths.is_none() {
            self.settle(sink)?;
        }
        Ok(())
    }

    /// Fixes the widths from the headings and the rows so far, and writes them.
    fn settle(&mut self, sink: &mut dyn Write) -> std::io::Result<()> {
        let mut widths: Vec<usize> = self.headings.iter().map(|h| h.width()).collect();
        if !self.style.headers {
            widths.fill(0);
        }
        for row in &self.pending {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let last = widths.len().saturating_sub(1);
        for width in widths.iter_mut().take(last) {
            *width = (*width).min(MAX_WIDTH);
        }
        if self.style.headers {
            let (on, off) = if self.style.color {
                ("\x1b[1m", "\x1b[0m")
            } else {
                ("", "")
            };
            sink.write_all(on.as_bytes())?;
            write_cells(sink, &widths, &self.headings)?;
            sink.write_all(off.as_bytes())?;
            sink.write_all(b"\n")?;
        }
        for row in std::mem::take(&mut self.pending) {
            write_row(sink, &widths, &row)?;
        }
        self.widths = Some(widths);
        Ok(())
    }
}

fn write_row(sink: &mut dyn Write, widths: &[usize], cells: &[String]) -> std::io::Result<()> {
    write_cells(sink, widths, cells)?;
    sink.write_all(b"\n")
}

fn write_cells(sink: &mut dyn Write, widths: &[usize], cells: &[String]) -> std::io::Result<()> {
    let last = cells.len().saturating_sub(1);
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i == last {
            line.push_str(cell);
        } else {
            let cut = fit(cell, *width);
            let pad = width.saturating_sub(cut.width());
            line.push_str(&cut);
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(GAP);
        }
    }
    sink.write_all(line.trim_end().as_bytes())
}

/// `text` cut to `width` terminal cells, ending in `…` when cut.
fn fit(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if text.width() <= width {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out.into()
}

/// A field's heading: `adminStatus` → `ADMIN STATUS`.
fn heading(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
    }
    out
}

/// One record as `HEADING  value` lines, for `show` on a terminal.
pub(super) fn write_fields<T>(
    sink: &mut dyn Write,
    style: Style,
    columns: &[Column<T>],
    item: &T,
) -> std::io::Result<()> {
    let headings: Vec<String> = columns.iter().map(|c| heading(c.name)).collect();
    let width = headings.iter().map(|h| h.width()).max().unwrap_or(0);
    let (on, off) = if style.color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    for (column, heading) in columns.iter().zip(&headings) {
        let value = (column.cell)(item);
        let value = crate::sanitize::sanitize(&value);
        let pad = width - heading.width();
        writeln!(sink, "{on}{heading}{off}{}{GAP}{value}", " ".repeat(pad))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_split_camel_case_into_capital_words() {
        assert_eq!(heading("adminStatus"), "ADMIN STATUS");
        assert_eq!(heading("id"), "ID");
    }

    #[test]
    fn wide_cells_are_cut_to_their_column_with_an_ellipsis() {
        assert_eq!(fit("Contoso", 10), "Contoso");
        assert_eq!(fit("Contoso Holdings", 8), "Contoso…");
        // Wide characters count two cells each.
        assert_eq!(fit("日本語テキスト", 5), "日本…");
    }
}
