//! Running one test of this binary as a child process, for what must happen in another process:
//! under another `DISPLAY`, inside a tmux pane. Rust tests may not change their own environment
//! (it is process-wide, and `set_var` is unsafe), so the child gets it from its `Command`.
//! Child tests are `#[ignore]`d and do nothing unless their marker variable is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read};
use std::process::Command;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// The marker variable set for child tests; they return at once without it.
pub const CHILD_MARKER: &str = "CSPDASH_TEST_CHILD";

/// Whether this process is the child the named test asked for.
pub fn is_child(name: &str) -> bool {
    std::env::var(CHILD_MARKER).is_ok_and(|v| v == name)
}

/// The arguments that run exactly the (ignored) test `name` of this binary, printing its output.
pub fn args(name: &str) -> Vec<String> {
    [
        "--exact",
        name,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]
    .map(String::from)
    .to_vec()
}

/// This test binary, set up to run the child test `name`.
pub fn command(name: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(args(name)).env(CHILD_MARKER, name);
    command
}

/// The child's output, line by line, read on a thread so waits can have deadlines.
pub fn lines(output: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// The rest of the first line that contains `marker`, from the marker on, waiting at most
/// `within`; panics with what was seen. (libtest prints `test name ... ` before the child's
/// own output, on the same line.)
pub fn wait_for_marker(lines: &Receiver<String>, marker: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(marker) => {
                return line[line.find(marker).unwrap_or_default()..].to_string();
            }
            Ok(line) => seen.push(line),
            Err(_) => panic!("no line with {marker:?} within {within:?}; saw {seen:#?}"),
        }
    }
}

/// Polls `probe` until it returns `Ok`, for at most `within`; the last `Err` says what it saw
/// and goes into the panic message.
pub fn poll<T>(within: Duration, what: &str, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + within;
    loop {
        match probe() {
            Ok(value) => return value,
            Err(last) if Instant::now() >= deadline => {
                panic!("{what}: not within {within:?}; last: {last}")
            }
            Err(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
}
