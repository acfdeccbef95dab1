//! A small Server-Sent Events decoder (the WHATWG `text/event-stream` rules the client needs).
//!
//! Bytes go in as they arrive (chunks may split lines, even UTF-8 sequences); whole events come out.
//! No I/O here, so the parsing rules are unit-tested on their own.

/// One dispatched event: what the server sent between two blank lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` name; empty when the server sent none (the spec's default type "message").
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last `id:` seen on the stream so far (ids persist across events, as the spec says).
    pub id: Option<String>,
}

/// One line of the stream, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseLine<'a> {
    /// A blank line: dispatch the pending event.
    Dispatch,
    /// `:` comment, used as a keep-alive.
    Comment,
    /// `field: value` (one leading space of the value removed; a line without `:` has an empty value).
    Field { name: &'a str, value: &'a str },
}

/// Classifies one line (without its line terminator).
pub fn parse_line(line: &str) -> SseLine<'_> {
    if line.is_empty() {
        return SseLine::Dispatch;
    }
    if line.starts_with(':') {
        return SseLine::Comment;
    }
    match line.split_once(':') {
        Some((name, value)) => SseLine::Field {
            name,
            value: value.strip_prefix(' ').unwrap_or(value),
        },
        None => SseLine::Field {
            name: line,
            value: "",
        },
    }
}

/// Turns a byte stream into events. Feed it chunks with [`SseDecoder::push`].
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// Bytes of a line not yet terminated.
    partial: Vec<u8>,
    /// A `\r` ended the previous chunk: a `\n` starting the next one belongs to it.
    after_cr: bool,
    started: bool,
    event: String,
    data: String,
    has_data: bool,
    last_id: Option<String>,
    /// The server's `retry:` advice for reconnecting, in milliseconds.
    retry_ms: Option<u64>,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The last `id:` seen, even if its event has not been dispatched yet.
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The server's `retry:` advice, in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Consumes a chunk; returns the events it completed, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        for &byte in chunk {
            if self.after_cr {
                self.after_cr = false;
                if byte == b'\n' {
                    continue;
                }
            }
            match byte {
                b'\n' => self.end_line(&mut out),
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(&mut out);
                }
                _ => self.partial.push(byte),
            }
        }
        out
    }

    fn end_line(&mut self, out: &mut Vec<SseEvent>) {
        let bytes = std::mem::take(&mut self.partial);
        let mut line = String::from_utf8_lossy(&bytes).into_owned();
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_string();
            }
        }
        match parse_line(&line) {
            SseLine::Dispatch => {
                if self.has_data {
                    out.push(SseEvent {
                        event: std::mem::take(&mut self.event),
                        data: std::mem::take(&mut self.data),
                        id: self.last_id.clone(),
                    });
                }
                self.event.clear();
                self.data.clear();
                self.has_data = false;
            }
            SseLine::Comment => {}
            SseLine::Field { name, value } => match name {
                "event" => self.event = value.to_string(),
                "data" => {
                    if self.has_data {
                        self.data.push('\n');
                    }
                    self.data.push_str(value);
                    self.has_data = true;
                }
                // The spec ignores ids containing NUL: they could not be sent back in a header.
                "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
                "retry" => {
                    if let Ok(ms) = value.parse::<u64>() {
                        self.retry_ms = Some(ms);
                    }
                }
                _ => {}
            },
        }
    }
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event: &str, data: &str, id: Option<&str>) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: id.map(Into::into),
        }
    }

    #[test]
    fn a_named_event_with_an_id_is_dispatched_at_the_blank_line() {
        let mut decoder = SseDecoder::new();
        let events = decoder.push(b"id: 7\nevent: customer.created\ndata: {\"a\":1}\n\n");
        assert_eq!(
            events,
            vec![event("customer.created", "{\"a\":1}", Some("7"))]
        );
    }

    #[test]
    fn nothing_is_dispatched_before_the_blank_line() {
        let mut decoder = SseDecoder::new();
        assert!(decoder.push(b"id: 1\ndata: x\n").is_empty());
        assert_eq!(decoder.last_id(), Some("1"));
        assert_eq!(decoder.push(b"\n"), vec![event("", "x", Some("1"))]);
    }

    #[test]
    fn comments_are_keep_alives_and_produce_nothing() {
        let mut decoder = SseDecoder::new();
        assert!(decoder.push(b": keep-alive\n\n:\n\n").is_empty());
    }

    #[test]
    fn lines_split_across_chunks_and_any_line_ending_are_joined() {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        for chunk in [
            &b"da"[..],
            b"ta: he",
            b"llo\r",
            b"\ndata: w\xc3\xb6",
            b"rld\r\r",
            b"data: z\n\n",
        ] {
            events.extend(decoder.push(chunk));
        }
        assert_eq!(
            events,
            vec![event("", "hello\nw\u{00f6}rld", None), event("", "z", None)]
        );
    }

    #[test]
    fn a_multibyte_character_split_between_chunks_survives() {
        let mut decoder = SseDecoder::new();
        let bytes = "data: Müller\n\n".as_bytes();
        let split = bytes
            .iter()
            .position(|&b| b == 0xc3)
            .expect("ü is two bytes")
            + 1;
        assert!(decoder.push(&bytes[..split]).is_empty());
        assert_eq!(
            decoder.push(&bytes[split..]),
            vec![event("", "Müller", None)]
        );
    }

    #[test]
    fn the_id_persists_to_later_events_and_event_names_do_not() {
        let mut decoder = SseDecoder::new();
        let events = decoder.push(b"event: a\nid: 3\ndata: 1\n\ndata: 2\n\n");
        assert_eq!(
            events,
            vec![event("a", "1", Some("3")), event("", "2", Some("3"))]
        );
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        let mut decoder = SseDecoder::new();
        assert!(decoder.push(b"event: ping\nid: 9\n\n").is_empty());
        assert_eq!(
            decoder.last_id(),
            Some("9"),
            "the id still counts for resuming"
        );
    }

    #[test]
    fn retry_advice_is_kept_and_garbage_retry_ignored() {
        let mut decoder = SseDecoder::new();
        decoder.push(b"retry: 2500\nretry: soon\n");
        assert_eq!(decoder.retry_ms(), Some(2500));
    }

    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        let mut decoder = SseDecoder::new();
        let events = decoder.push("\u{feff}data: x\n\n".as_bytes());
        assert_eq!(events, vec![event("", "x", None)]);
    }

    #[test]
    fn lines_are_classified_as_the_spec_says() {
        assert_eq!(parse_line(""), SseLine::Dispatch);
        assert_eq!(parse_line(": hi"), SseLine::Comment);
        assert_eq!(
            parse_line("data:x"),
            SseLine::Field {
                name: "data",
                value: "x"
            }
        );
        assert_eq!(
            parse_line("data:  x"),
            SseLine::Field {
                name: "data",
                value: " x"
            }
        );
        assert_eq!(
            parse_line("data"),
            SseLine::Field {
                name: "data",
                value: ""
            }
        );
        assert_eq!(
            parse_line("a: b: c"),
            SseLine::Field {
                name: "a",
                value: "b: c"
            }
        );
    }
}
