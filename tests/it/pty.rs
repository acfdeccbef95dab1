//! The dashboard binary in a pseudo-terminal, read through a vt100 parser: tests wait for text to
//! appear on the screen (never for a fixed time) and type as a user would.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, PtySize, native_pty_system};

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for what the screen does not show (OSC 52 clipboard writes).
    raw: Arc<Mutex<Vec<u8>>>,
    /// The terminal's output ended: the program exited.
    closed: Arc<AtomicBool>,
}

impl Pty {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        // Without the slave handle the reader sees EOF when the child exits.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let size = |n: u16| NonZeroU16::new(n).expect("a non-empty terminal");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(size(rows), size(cols), 0)));
        let feed = parser.clone();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let record = raw.clone();
        let closed = Arc::new(AtomicBool::new(false));
        let ended = closed.clone();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                record
                    .lock()
                    .expect("raw lock")
                    .extend_from_slice(&buf[..n]);
                feed.lock().expect("parser lock").process(&buf[..n]);
            }
            ended.store(true, Ordering::SeqCst);
        });
        Pty {
            child,
            writer,
            parser,
            raw,
            closed,
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// All output so far, as bytes.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw lock").clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser
            .lock()
            .expect("parser lock")
            .screen()
            .alternate_screen()
    }

    /// Whether the program asked the terminal for bracketed paste (and has not given it back).
    pub fn bracketed_paste(&self) -> bool {
        self.parser
            .lock()
            .expect("parser lock")
            .screen()
            .bracketed_paste()
    }

    /// Pastes `text` as a terminal with bracketed paste does: in one piece, between markers.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// Types `keys`. `Esc` must go on its own (crossterm reads Esc+key as Alt+key).
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Waits until the screen satisfies `ok`, or panics with the screen after `within`.
    pub fn wait_until(&self, what: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                !self.closed.load(Ordering::SeqCst),
                "the program ended while waiting for {what}; screen:\n{screen}"
            );
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_for(&self, text: &str, within: Duration) -> String {
        self.wait_until(&format!("{text:?}"), within, |s| s.contains(text))
    }

    /// Waits for the program to exit and for all it wrote to be read, so the screen is final.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                while !self.closed.load(Ordering::SeqCst) {
                    assert!(Instant::now() < deadline, "the pty output did not end");
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the dashboard did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
