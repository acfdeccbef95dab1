//! Printing what a command read: a table on a terminal, tab-separated values when stdout is not
//! one, or `--output json|jsonl|csv`. Lists are written as they arrive, page by page, so memory
//! stays flat whatever the count (a table keeps its first rows to size its columns).
//!
//! Backend strings are untrusted: the table (and TSV on a terminal) shows them through
//! [`crate::sanitize`]; JSON and CSV pass them through untouched for the program reading them.

mod table;

use std::io::{IsTerminal, Write};

use serde::Serialize;

use super::error::CliError;

/// The most characters of one line or cell shown on a terminal (a bound, not a layout choice).
const LONGEST_LINE: usize = 1 << 16;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading (the default on a terminal).
    Table,
    /// Tab-separated values, a header row first (the default when stdout is not a terminal).
    Tsv,
    /// One JSON document: an array for a list, written page by page.
    Json,
    /// One JSON object a line.
    Jsonl,
    /// RFC 4180: a header row, fields quoted where needed.
    Csv,
}

impl Format {
    pub fn is_json(self) -> bool {
        matches!(self, Format::Json | Format::Jsonl)
    }
}

/// One column of a record's table, TSV and CSV forms. `name` is the CSV/TSV header (camelCase,
/// as the JSON field it comes from); the table shows it in capitals.
pub struct Column<T> {
    pub name: &'static str,
    pub cell: fn(&T) -> String,
}

/// Shorthand for a [`Column`].
pub const fn col<T>(name: &'static str, cell: fn(&T) -> String) -> Column<T> {
    Column { name, cell }
}

/// How text is written, decided once from the flags and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub format: Format,
    pub headers: bool,
    /// Stdout is a terminal: backend strings are sanitised, JSON is indented.
    pub terminal: bool,
    /// Bold headings (off with `NO_COLOR` or when stdout is not a terminal).
    pub color: bool,
}

impl Style {
    /// From `--output` and `--no-headers`, looking at stdout and `NO_COLOR`.
    pub fn detect(format: Option<Format>, no_headers: bool) -> Self {
        let terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            format: format.unwrap_or(if terminal { Format::Table } else { Format::Tsv }),
            headers: !no_headers,
            terminal,
            color: terminal && !no_color,
        }
    }

    /// For tests and files: no terminal, no colour.
    pub fn plain(format: Format) -> Self {
        Self {
            format,
            headers: true,
            terminal: false,
            color: false,
        }
    }
}

/// Where a command's results go (stdout, buffered).
pub struct Output {
    style: Style,
    sink: Box<dyn Write + Send>,
}

impl Output {
    pub fn stdout(style: Style) -> Self {
        Self::new(style, Box::new(std::io::BufWriter::new(std::io::stdout())))
    }

    pub fn new(style: Style, sink: Box<dyn Write + Send>) -> Self {
        Self { style, sink }
    }

    pub fn style(&self) -> Style {
        self.style
    }

    /// Starts a list of records; call [`List::finish`] after the last.
    pub fn list<'a, T: Serialize>(&'a mut self, columns: &'a [Column<T>]) -> List<'a, T> {
        List::new(self.style, &mut *self.sink, columns)
    }

    /// Writes a whole list at once (for short lists read in one go).
    pub fn all<T: Serialize>(
        &mut self,
        columns: &[Column<T>],
        items: &[T],
    ) -> Result<(), CliError> {
        let mut list = self.list(columns);
        for item in items {
            list.push(item)?;
        }
        list.finish()
    }

    /// Writes one record: a JSON object (not an array), one CSV/TSV row under its header, or the
    /// fields one a line on a terminal.
    pub fn item<T: Serialize>(&mut self, columns: &[Column<T>], item: &T) -> Result<(), CliError> {
        let style = self.style;
        let write = |sink: &mut dyn Write| -> std::io::Result<()> {
            match style.format {
                Format::Json if style.terminal => {
                    serde_json::to_writer_pretty(&mut *sink, item)?;
                    writeln!(sink)
                }
                Format::Json | Format::Jsonl => {
                    serde_json::to_writer(&mut *sink, item)?;
                    writeln!(sink)
                }
                Format::Table => table::write_fields(sink, style, columns, item),
                Format::Tsv | Format::Csv => {
                    let mut list = List::new(style, sink, columns);
                    list.push(item).map_err(into_io)?;
                    list.finish().map_err(into_io)
                }
            }
        };
        write(&mut *self.sink).map_err(CliError::io("the output"))?;
        self.flush()
    }

    /// Plain text (a link, an email's body), line by line: each line sanitised on a terminal,
    /// all of it as given otherwise. Ends with a line break.
    pub fn text(&mut self, text: &str) -> Result<(), CliError> {
        let mut written = String::with_capacity(text.len() + 1);
        for line in text.lines() {
            if self.style.terminal {
                written.push_str(&crate::sanitize::sanitize_max(line, LONGEST_LINE));
            } else {
                written.push_str(line);
            }
            written.push('\n');
        }
        self.raw(written.as_bytes())
    }

    /// Bytes as they are (an `.eml` message, a man page).
    pub fn raw(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.sink
            .write_all(bytes)
            .map_err(CliError::io("the output"))?;
        self.flush()
    }

    pub fn flush(&mut self) -> Result<(), CliError> {
        self.sink.flush().map_err(CliError::io("the output"))
    }
}

fn into_io(err: CliError) -> std::io::Error {
    match err {
        CliError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    }
}

/// A list being written, one record at a time.
pub struct List<'a, T> {
    style: Style,
    columns: &'a [Column<T>],
    sink: Sink<'a>,
    count: usize,
    table: table::Table,
}

enum Sink<'a> {
    Plain(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

impl<'a, T: Serialize> List<'a, T> {
    fn new(style: Style, sink: &'a mut dyn Write, columns: &'a [Column<T>]) -> Self {
        let sink = match style.format {
            Format::Csv => Sink::Csv(Box::new(csv::WriterBuilder::new().from_writer(sink))),
            _ => Sink::Plain(sink),
        };
        Self {
            style,
            columns,
            sink,
            count: 0,
            table: table::Table::new(style, columns.iter().map(|c| c.name)),
        }
    }

    /// How many records were written so far.
    pub fn count(&self) -> usize {
        self.count
    }

    pub fn push(&mut self, item: &T) -> Result<(), CliError> {
        let first = self.count == 0;
        self.count += 1;
        let style = self.style;
        let cells = || self.columns.iter().map(|c| (c.cell)(item));
        match &mut self.sink {
            Sink::Csv(writer) => {
                if first && style.headers {
                    writer
                        .write_record(self.columns.iter().map(|c| c.name))
                        .map_err(csv_error)?;
                }
                writer
                    .write_record(cells().collect::<Vec<_>>())
                    .map_err(csv_error)?;
                Ok(())
            }
            Sink::Plain(sink) => {
                let sink: &mut dyn Write = &mut **sink;
                let written = match style.format {
                    Format::Json => {
                        let lead: &[u8] = if first { b"[\n" } else { b",\n" };
                        sink.write_all(lead).and_then(|()| {
                            serde_json::to_writer(&mut *sink, item).map_err(Into::into)
                        })
                    }
                    Format::Jsonl => serde_json::to_writer(&mut *sink, item)
                        .map_err(Into::into)
                        .and_then(|()| writeln!(sink)),
                    Format::Tsv => {
                        let header = (first && style.headers).then(|| {
                            tsv_row(style, self.columns.iter().map(|c| c.name.to_string()))
                        });
                        header
                            .map_or(Ok(()), |h| sink.write_all(h.as_bytes()))
                            .and_then(|()| sink.write_all(tsv_row(style, cells()).as_bytes()))
                    }
                    Format::Table => self.table.push(sink, cells().collect()),
                    Format::Csv => Ok(()),
                };
                written.map_err(CliError::io("the output"))
            }
        }
    }

    /// Ends the list (closes a JSON array, prints a table's last rows) and flushes.
    pub fn finish(mut self) -> Result<(), CliError> {
        let style = self.style;
        let count = self.count;
        match &mut self.sink {
            Sink::Csv(writer) => {
                if count == 0 && style.headers {
                    writer
                        .write_record(self.columns.iter().map(|c| c.name))
                        .map_err(csv_error)?;
                }
                writer.flush().map_err(CliError::io("the output"))
            }
            Sink::Plain(sink) => {
                let sink: &mut dyn Write = &mut **sink;
                let written = match style.format {
                    Format::Json if count == 0 => sink.write_all(b"[]\n"),
                    Format::Json => sink.write_all(b"\n]\n"),
                    Format::Jsonl | Format::Csv => Ok(()),
                    Format::Tsv if count == 0 && style.headers => sink.write_all(
                        tsv_row(style, self.columns.iter().map(|c| c.name.to_string())).as_bytes(),
                    ),
                    Format::Tsv => Ok(()),
                    Format::Table => self.table.finish(sink),
                };
                written
                    .and_then(|()| sink.flush())
                    .map_err(CliError::io("the output"))
            }
        }
    }
}

fn csv_error(err: csv::Error) -> CliError {
    let source = match err.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    CliError::Io {
        what: "the output".into(),
        source,
    }
}

/// One TSV line: tabs between cells, and in a cell `\` `TAB` `LF` `CR` written as `\\` `\t`
/// `\n` `\r` (as PostgreSQL's text format), so every record stays one line of its columns.
fn tsv_row(style: Style, cells: impl Iterator<Item = String>) -> String {
    let mut line = String::new();
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            line.push('\t');
        }
        let cell = if style.terminal {
            crate::sanitize::sanitize_max(&cell, LONGEST_LINE).into_owned()
        } else {
            cell
        };
        for c in cell.chars() {
            match c {
                '\\' => line.push_str("\\\\"),
                '\t' => line.push_str("\\t"),
                '\n' => line.push_str("\\n"),
                '\r' => line.push_str("\\r"),
                c => line.push(c),
            }
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests;
