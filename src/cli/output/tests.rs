#![allow(clippy::unwrap_used)]
use std::io::Write;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::*;

#[derive(Serialize)]
struct Row {
    name: String,
    domain: String,
}

const COLUMNS: &[Column<Row>] = &[
    col("companyName", |r| r.name.clone()),
    col("domain", |r| r.domain.clone()),
];

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "Contoso, \"Ltd\"".into(),
            domain: "contoso.example".into(),
        },
        Row {
            name: "Evil\u{202E}moc.liave\nline\tTab\\".into(),
            domain: "evil.example".into(),
        },
    ]
}

fn written(style: Style, items: &[Row]) -> String {
    let shared = Shared::default();
    let mut out = Output::new(style, Box::new(shared.clone()));
    out.all(COLUMNS, items).unwrap();
    let bytes = shared.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn csv_quotes_as_rfc_4180_says_and_reads_back_untouched() {
    let text = written(Style::plain(Format::Csv), &rows());
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["companyName", "domain"]
    );
    let back: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(back[0][0], "Contoso, \"Ltd\"");
    assert_eq!(back[1][0], "Evil\u{202E}moc.liave\nline\tTab\\");
    assert!(text.contains("\"Contoso, \"\"Ltd\"\"\""), "{text}");
}

#[test]
fn a_json_list_is_one_array_and_an_empty_one_is_still_valid() {
    let text = written(Style::plain(Format::Json), &rows());
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value[1]["name"], "Evil\u{202E}moc.liave\nline\tTab\\");
    assert_eq!(value.as_array().unwrap().len(), 2);
    let empty = written(Style::plain(Format::Json), &[]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&empty).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn json_lines_are_one_object_each() {
    let text = written(Style::plain(Format::Jsonl), &rows());
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["domain"], "contoso.example");
}

#[test]
fn tsv_keeps_each_record_on_one_line_with_escapes() {
    let text = written(Style::plain(Format::Tsv), &rows());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "companyName\tdomain");
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[2],
        "Evil\u{202E}moc.liave\\nline\\tTab\\\\\tevil.example"
    );
    let bare = written(
        Style {
            headers: false,
            ..Style::plain(Format::Tsv)
        },
        &rows(),
    );
    assert_eq!(bare.lines().count(), 2);
}

#[test]
fn a_table_sanitises_backend_strings_and_aligns_columns() {
    let text = written(Style::plain(Format::Table), &rows());
    assert!(!text.contains('\u{202E}'), "{text}");
    assert!(!text.contains('\t'), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("COMPANY NAME"), "{text}");
    let column = lines[0].find("DOMAIN").unwrap();
    assert_eq!(lines[1].find("contoso.example"), Some(column), "{text}");
}

#[test]
fn one_record_is_an_object_in_json_and_fields_on_a_terminal() {
    let shared = Shared::default();
    let mut out = Output::new(Style::plain(Format::Json), Box::new(shared.clone()));
    out.item(COLUMNS, &rows()[0]).unwrap();
    let text = String::from_utf8(shared.0.lock().unwrap().clone()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["domain"], "contoso.example");

    let shared = Shared::default();
    let mut out = Output::new(Style::plain(Format::Table), Box::new(shared.clone()));
    out.item(COLUMNS, &rows()[1]).unwrap();
    let text = String::from_utf8(shared.0.lock().unwrap().clone()).unwrap();
    assert!(text.starts_with("COMPANY NAME  Evil"), "{text}");
    assert!(text.contains("DOMAIN        evil.example"), "{text}");
    assert!(!text.contains('\u{202E}'));
}
