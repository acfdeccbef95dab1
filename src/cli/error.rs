//! What a scripting command can fail with, and the exit code a script branches on (DESIGN.md §2).

use crate::client::ClientError;
use crate::config::ConfigError;

/// The exit codes, as `--help` and README list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done = 0,
    /// 400, 5xx, 429 after waiting, anything else.
    Failed = 1,
    /// A wrong command line or config.
    Usage = 2,
    /// 404, or no customer / relationship / user by that name.
    NotFound = 3,
    /// 401, 403.
    NotAllowed = 4,
    /// 409, 412: taken, or changed since it was read.
    Conflict = 5,
    /// No answer from the backend after the client's retries.
    Unreachable = 6,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The name a JSON error object carries.
    pub fn name(self) -> &'static str {
        match self {
            Exit::Done => "done",
            Exit::Failed => "failed",
            Exit::Usage => "usage",
            Exit::NotFound => "notFound",
            Exit::NotAllowed => "notAllowed",
            Exit::Conflict => "conflict",
            Exit::Unreachable => "unreachable",
        }
    }
}

/// The exit-code table for `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  done
  1  failed (400, 5xx, 429 after waiting)
  2  usage (a wrong command line or config)
  3  not found (404; no customer, user or relationship by that id or name)
  4  not allowed (401, 403)
  5  conflict (409 taken, 412 changed since it was read)
  6  backend unreachable (after retries, within 15 s)";

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A value the command line cannot mean (a bad duration, an unknown role name).
    #[error("{0}")]
    Usage(String),
    /// Looked up by name on the client side and not there (`customers show no-such.example`).
    #[error("{0}")]
    NotFound(String),
    /// The command could not get going: the log file, the embedded backend.
    #[error("{0:#}")]
    Setup(anyhow::Error),
    /// Writing to stdout or to a file failed.
    #[error("cannot write {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The backend answered, but not in a way the command can use.
    #[error("{0}")]
    Failed(String),
    /// Some items of a bulk request failed (the others went ahead): the exit code their
    /// statuses give.
    #[error("{message}")]
    Items { exit: Exit, message: String },
}

impl CliError {
    pub fn exit(&self) -> Exit {
        match self {
            CliError::Client(err) => client_exit(err),
            CliError::Config(_) | CliError::Usage(_) => Exit::Usage,
            CliError::NotFound(_) => Exit::NotFound,
            CliError::Setup(_) | CliError::Io { .. } | CliError::Failed(_) => Exit::Failed,
            CliError::Items { exit, .. } => *exit,
        }
    }

    /// The HTTP status behind the error, when the backend gave one.
    pub fn status(&self) -> Option<u16> {
        match self {
            CliError::Client(ClientError::Unauthorized { .. }) => Some(401),
            CliError::Client(ClientError::Forbidden { .. }) => Some(403),
            CliError::Client(ClientError::NotFound { .. }) => Some(404),
            CliError::Client(ClientError::RateLimited { .. }) => Some(429),
            CliError::Client(ClientError::Status { status, .. }) => Some(*status),
            _ => None,
        }
    }

    /// The output went to a pipe that closed (`| head`): nothing more to say.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> CliError {
        let what = what.into();
        move |source| CliError::Io { what, source }
    }
}

/// The exit code of a request the backend answered with `status` (a bulk item's).
pub fn status_exit(status: u16) -> Exit {
    match status {
        200..=299 => Exit::Done,
        401 | 403 => Exit::NotAllowed,
        404 => Exit::NotFound,
        409 | 412 => Exit::Conflict,
        _ => Exit::Failed,
    }
}

fn client_exit(err: &ClientError) -> Exit {
    match err {
        ClientError::Unreachable { .. } | ClientError::Timeout { .. } => Exit::Unreachable,
        ClientError::Unauthorized { .. } | ClientError::Forbidden { .. } => Exit::NotAllowed,
        ClientError::NotFound { .. } => Exit::NotFound,
        ClientError::Status {
            status: 409 | 412, ..
        } => Exit::Conflict,
        ClientError::BadUrl { .. } => Exit::Usage,
        ClientError::RateLimited { .. }
        | ClientError::Status { .. }
        | ClientError::Decode { .. } => Exit::Failed,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn status(status: u16) -> CliError {
        CliError::Client(ClientError::from_status(
            status,
            br#"{"code":1,"description":"x"}"#,
            "http://h/v1/customers",
        ))
    }

    #[test]
    fn each_answer_has_the_exit_code_design_md_gives() {
        assert_eq!(status(400).exit().code(), 1);
        assert_eq!(status(500).exit().code(), 1);
        assert_eq!(status(404).exit().code(), 3);
        assert_eq!(status(401).exit().code(), 4);
        assert_eq!(status(403).exit().code(), 4);
        assert_eq!(status(409).exit().code(), 5);
        assert_eq!(status(412).exit().code(), 5);
        let unreachable = CliError::Client(ClientError::Unreachable {
            url: "http://h".into(),
            reason: "connection refused".into(),
        });
        assert_eq!(unreachable.exit().code(), 6);
        let rate = CliError::Client(ClientError::RateLimited {
            retry_after: std::time::Duration::from_secs(60),
        });
        assert_eq!(rate.exit().code(), 1);
        assert_eq!(CliError::Usage("bad".into()).exit().code(), 2);
        assert_eq!(CliError::NotFound("none".into()).exit().code(), 3);
    }
}
