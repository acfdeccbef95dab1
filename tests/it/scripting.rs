//! Running the scripting commands (`cspdash NOUN VERB`) as a script does: the real binary, its
//! stdout parsed back in the format asked for, its exit code and its stderr.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::Command;

use cspdash::api::Role;
use serde_json::Value;

use crate::helpers::TestServer;

/// What one run of the binary left.
#[derive(Debug)]
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// One row of TSV or CSV output, by header.
pub type Record = BTreeMap<String, String>;

impl Ran {
    /// Fails the test, showing stderr, unless the command exited 0.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        self
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    pub fn jsonl(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }

    pub fn csv(&self) -> Vec<Record> {
        let mut reader = csv::Reader::from_reader(self.stdout.as_bytes());
        let headers = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers
                    .iter()
                    .map(str::to_string)
                    .zip(r.iter().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    /// TSV with its header row, escapes (`\t`, `\n`, `\\`) undone.
    pub fn tsv(&self) -> Vec<Record> {
        let mut lines = self.stdout.lines();
        let headers: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        lines
            .map(|line| {
                let cells = line.split('\t').map(unescape_tsv);
                headers.iter().map(|h| h.to_string()).zip(cells).collect()
            })
            .collect()
    }

    /// The JSON error object of a failed run with `--output json`.
    pub fn error_json(&self) -> Value {
        let line = self.stderr.trim();
        assert_eq!(line.lines().count(), 1, "one line on stderr: {line}");
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }
}

fn unescape_tsv(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The binary with a home of its own (no config file, no data of the user's) and no token.
pub fn command(home: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cspdash"));
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("CSPDASH_TOKEN")
        .env_remove("CSPDASH_CONFIG")
        .env_remove("NO_COLOR");
    command
}

/// Runs `command` off the async runtime and collects what it left.
pub async fn run(mut command: Command) -> Ran {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `cspdash ARGS --backend <server>` as `partner`'s agent with `role`.
pub async fn cspdash_as(
    server: &TestServer,
    partner: &'static str,
    role: Role,
    args: &[&str],
) -> Ran {
    let home = tempfile::tempdir().unwrap();
    let mut command = command(home.path());
    command
        .args(args)
        .args(["--backend", &server.url])
        .env("CSPDASH_TOKEN", server.token(partner, role));
    let ran = run(command).await;
    drop(home);
    ran
}

/// [`cspdash_as`] as Contoso Partner's Global admin.
pub async fn cspdash(server: &TestServer, args: &[&str]) -> Ran {
    cspdash_as(server, crate::helpers::CONTOSO, Role::GlobalAdmin, args).await
}
