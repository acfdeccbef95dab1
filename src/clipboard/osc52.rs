//! The OSC 52 escape sequence that asks the user's terminal to put text on its clipboard, as bytes
//! the TUI writes to its own output. It reaches the user's machine through SSH, and tmux stores and
//! forwards it when `set -g set-clipboard on`.
//!
//! The text travels base64-encoded, so nothing in it (ESC, BEL, `ST`) can end the sequence early
//! or smuggle another escape sequence to the terminal.
//!
//! Inside tmux we send the plain sequence rather than tmux's DCS passthrough wrapping: passthrough
//! is off by default since tmux 3.3 (`allow-passthrough`) and bypasses tmux's paste buffers, while
//! the plain sequence works with the one documented setting, `set-clipboard on`, and tmux then also
//! forwards it to the outer terminal. GNU screen does not understand OSC 52 at all, so there the
//! sequence goes through screen's DCS passthrough, cut into pieces its buffer accepts.

use std::io::{self, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::session::Multiplexer;

/// How the sequence is wrapped for what sits between us and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// `ESC ] 52 ; c ; <base64> BEL`: terminals, and tmux with `set-clipboard on`.
    Plain,
    /// The plain sequence cut into pieces, each in `ESC P … ESC \` (GNU screen's passthrough).
    Screen,
}

impl Wrap {
    pub fn for_multiplexer(multiplexer: Multiplexer) -> Self {
        match multiplexer {
            Multiplexer::Screen => Self::Screen,
            Multiplexer::None | Multiplexer::Tmux => Self::Plain,
        }
    }
}

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;
/// Bytes of the plain sequence per screen DCS string: screen drops longer passthrough strings
/// (its buffer is 768 bytes); 76 is what long-standing vim/tmux helpers use.
const SCREEN_CHUNK_BYTES: usize = 76;

/// The bytes that put `text` on the terminal's clipboard (selection `c`).
pub fn sequence(text: &str, wrap: Wrap) -> Vec<u8> {
    let mut plain = Vec::with_capacity(text.len() * 4 / 3 + 12);
    plain.extend_from_slice(&[ESC, b']']);
    plain.extend_from_slice(b"52;c;");
    plain.extend_from_slice(STANDARD.encode(text).as_bytes());
    plain.push(BEL);
    match wrap {
        Wrap::Plain => plain,
        Wrap::Screen => {
            let mut wrapped = Vec::with_capacity(plain.len() * 2);
            for chunk in plain.chunks(SCREEN_CHUNK_BYTES) {
                wrapped.extend_from_slice(&[ESC, b'P']);
                wrapped.extend_from_slice(chunk);
                wrapped.extend_from_slice(&[ESC, b'\\']);
            }
            wrapped
        }
    }
}

/// Writes the sequence to `out` (the terminal the TUI draws on) and flushes it, so it is not held
/// back in a buffer until the next frame.
pub fn write(out: &mut impl Write, text: &str, wrap: Wrap) -> io::Result<()> {
    out.write_all(&sequence(text, wrap))?;
    out.flush()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// What a terminal does with a plain sequence: the text it would put on the clipboard.
    fn decode_plain(bytes: &[u8]) -> String {
        let payload = bytes
            .strip_prefix(b"\x1b]52;c;")
            .and_then(|rest| rest.strip_suffix(b"\x07"))
            .expect("ESC ] 52 ; c ; … BEL");
        String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn plain_sequence_carries_the_link_to_the_clipboard() {
        let link = "https://cspdash.example.net/invite/AbC123?x=1&y=2";
        let bytes = sequence(link, Wrap::Plain);
        assert!(bytes.starts_with(b"\x1b]52;c;"));
        assert_eq!(decode_plain(&bytes), link);
    }

    #[test]
    fn non_ascii_text_round_trips() {
        let text = "Müller & Söhne GmbH — Grüße 👋\r\nzweite Zeile";
        assert_eq!(decode_plain(&sequence(text, Wrap::Plain)), text);
    }

    #[test]
    fn control_characters_cannot_end_the_sequence_early() {
        let hostile = "a\x07b\x1b\\c\x1b]0;pwned\x07\x1b[2J\u{9c}d\n";
        let bytes = sequence(hostile, Wrap::Plain);
        let payload = &bytes[b"\x1b]52;c;".len()..bytes.len() - 1];
        assert!(
            payload
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)),
            "only base64 between the header and the terminator"
        );
        assert_eq!(bytes.iter().filter(|&&b| b == ESC).count(), 1);
        assert_eq!(bytes.iter().filter(|&&b| b == BEL).count(), 1);
        assert_eq!(decode_plain(&bytes), hostile);
    }

    #[test]
    fn empty_text_is_a_valid_sequence() {
        assert_eq!(sequence("", Wrap::Plain), b"\x1b]52;c;\x07");
    }

    #[test]
    fn screen_wrapping_cuts_the_sequence_into_short_dcs_strings() {
        let text = "x".repeat(500);
        let wrapped = sequence(&text, Wrap::Screen);
        let mut plain = Vec::new();
        let mut rest = wrapped.as_slice();
        while !rest.is_empty() {
            let body = rest
                .strip_prefix(b"\x1bP")
                .expect("each piece starts with ESC P");
            let end = body.windows(2).position(|w| w == b"\x1b\\").unwrap();
            assert!(end <= SCREEN_CHUNK_BYTES);
            plain.extend_from_slice(&body[..end]);
            rest = &body[end + 2..];
        }
        assert_eq!(plain, sequence(&text, Wrap::Plain));
        assert_eq!(decode_plain(&plain), text);
    }

    #[test]
    fn tmux_gets_the_plain_sequence_and_screen_the_wrapped_one() {
        assert_eq!(Wrap::for_multiplexer(Multiplexer::Tmux), Wrap::Plain);
        assert_eq!(Wrap::for_multiplexer(Multiplexer::None), Wrap::Plain);
        assert_eq!(Wrap::for_multiplexer(Multiplexer::Screen), Wrap::Screen);
    }

    #[test]
    fn write_puts_the_whole_sequence_on_the_output() {
        let mut out = Vec::new();
        write(&mut out, "link", Wrap::Plain).unwrap();
        assert_eq!(out, sequence("link", Wrap::Plain));
    }
}
