//! Property tests of the event-stream decoder, which reads whatever the network delivers: however
//! the bytes are split into chunks the same events come out, arbitrary bytes never panic, and the
//! events a server writes are the events read.

use proptest::prelude::*;

use super::{SseDecoder, SseEvent};

/// Everything the decoder reports after reading `chunks`: events, last id, retry advice.
fn decode<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<SseEvent>, Option<String>, Option<u64>) {
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        events.extend(decoder.push(chunk));
    }
    (
        events,
        decoder.last_id().map(str::to_string),
        decoder.retry_ms(),
    )
}

/// Bytes that look like an event stream, with every line ending, comments, a BOM, broken UTF-8.
fn stream_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"data: ".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"id: ".to_vec()),
        Just(b"event: ".to_vec()),
        Just(b"retry: ".to_vec()),
        Just(b": keep-alive".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        Just("Müller 漢 😀".as_bytes().to_vec()),
        Just(vec![0xc3]),
        Just(vec![0]),
        "[0-9]{1,5}".prop_map(String::into_bytes),
        "\\PC{0,12}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..6),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// `bytes` cut at the given points (taken modulo its length).
fn split(bytes: &[u8], cuts: &[prop::sample::Index]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for end in at.into_iter().chain([bytes.len()]) {
        chunks.push(bytes[start..end].to_vec());
        start = end;
    }
    chunks
}

fn line_ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r"), Just("\r\n")]
}

/// An event as the server writes it: a name, data lines, an id.
fn server_event() -> impl Strategy<Value = (String, Vec<String>, u32)> {
    (
        "([a-z]{1,10}(\\.[a-z]{1,10})?)?",
        prop::collection::vec("[^\r\n]{0,30}", 1..4),
        any::<u32>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_split_gives_the_events_of_one_chunk(
        bytes in stream_like(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let whole = decode([&bytes[..]]);
        let chunks = split(&bytes, &cuts);
        prop_assert_eq!(decode(chunks.iter().map(Vec::as_slice)), whole);
    }

    #[test]
    fn byte_by_byte_gives_the_events_of_one_chunk(bytes in stream_like()) {
        prop_assert_eq!(decode(bytes.chunks(1)), decode([&bytes[..]]));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let (events, _, _) = decode(bytes.chunks(7));
        // An event is dispatched only at a blank line, so there are fewer events than line ends.
        let ends = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
        prop_assert!(events.len() <= ends / 2 + 1);
    }

    #[test]
    fn events_written_by_a_server_are_read_as_written(
        events in prop::collection::vec((server_event(), line_ending()), 0..8),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        for ((name, data, id), eol) in &events {
            bytes.extend(format!(": keep-alive{eol}id: {id}{eol}").bytes());
            if !name.is_empty() {
                bytes.extend(format!("event: {name}{eol}").bytes());
            }
            for line in data {
                bytes.extend(format!("data: {line}{eol}").bytes());
            }
            bytes.extend(eol.bytes());
            expected.push(SseEvent {
                event: name.clone(),
                data: data.join("\n"),
                id: Some(id.to_string()),
            });
        }
        let (got, last_id, _) = decode(split(&bytes, &cuts).iter().map(Vec::as_slice));
        prop_assert_eq!(got, expected);
        prop_assert_eq!(last_id, events.last().map(|((_, _, id), _)| id.to_string()));
    }
}
