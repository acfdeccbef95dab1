//! Handing the draft to the user's mail app: a `mailto:` URL (RFC 6068) opened with the desktop's
//! opener, or a clear refusal when the mail app would not appear in front of the user (over SSH it
//! would open on the remote machine; without a display there is no desktop at all).

use std::io;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::session::{Platform, Session};

/// Everything but RFC 3986's unreserved characters is encoded: `&`, `?`, `#`, `%`, `=`, `+` and
/// spaces (as `%20`, never `+`), and non-ASCII as UTF-8 bytes. Over-encoding is always valid in a
/// `mailto:` URL; under-encoding is what breaks mail apps.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// In the address, `@` stays as written: some mail apps do not decode `%40` there.
const ADDRESS: &AsciiSet = &VALUE.remove(b'@');

/// `mailto:<to>?subject=…&body=…`; `to` may be empty (the user fills it in the mail app). Line
/// breaks in the body become `%0D%0A`, as RFC 6068 requires.
pub fn mailto_url(to: &str, subject: &str, body: &str) -> String {
    let body = body
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        utf8_percent_encode(to.trim(), ADDRESS),
        utf8_percent_encode(subject, VALUE),
        utf8_percent_encode(&body, VALUE),
    )
}

/// Why the mail app was not opened. Each message says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(
        "Not opening the mail app: this session runs over SSH, so it would open on the remote \
         machine, not on yours. Copy the email instead."
    )]
    OverSsh,
    #[error(
        "Not opening the mail app: there is no desktop here (neither DISPLAY nor \
         WAYLAND_DISPLAY is set). Copy the email instead."
    )]
    NoDisplay,
    #[error("Opening the mail app is not supported on this system. Copy the email instead.")]
    Unsupported,
    #[error(
        "The mail app could not be opened: `{program}` did not start ({source}). Copy the email instead."
    )]
    Launch {
        program: String,
        #[source]
        source: io::Error,
    },
    #[error("The mail app did not open: `{program}` failed ({detail}). Copy the email instead.")]
    Failed { program: String, detail: String },
}

/// How long the opener may take to report a failure. Openers normally hand the URL over and exit
/// at once; one still running after this is taken to have started the mail app itself.
const OPENER_WAIT: Duration = Duration::from_secs(5);

/// Opens `url` in the default mail app of this process's session. Blocks for up to a few seconds:
/// call it off the UI loop.
pub fn open_mail_app(url: &str) -> Result<(), MailError> {
    launch(opener(&Session::from_process(), url)?)
}

/// The command that opens `url` on this session's desktop, or why there is none here.
pub fn opener(session: &Session, url: &str) -> Result<Command, MailError> {
    if session.over_ssh {
        return Err(MailError::OverSsh);
    }
    if !session.display {
        return Err(MailError::NoDisplay);
    }
    let program = match session.platform {
        Platform::Unix => "xdg-open",
        Platform::MacOs => "open",
        Platform::Windows => return Err(MailError::Unsupported),
    };
    let mut command = Command::new(program);
    command.arg(url);
    Ok(command)
}

/// Runs the opener detached from the terminal (its output would draw over the dashboard) and
/// reports its failure, if it fails within a few seconds.
pub fn launch(command: Command) -> Result<(), MailError> {
    launch_within(command, OPENER_WAIT)
}

fn launch_within(mut command: Command, wait: Duration) -> Result<(), MailError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| MailError::Launch {
            program: program.clone(),
            source,
        })?;
    // The thread also reaps an opener that outlives the wait.
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match finished.recv_timeout(wait) {
        Ok(Ok(output)) if output.status.success() => Ok(()),
        Ok(Ok(output)) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let said = stderr.lines().map(str::trim).find(|l| !l.is_empty());
            let detail = match said {
                Some(line) => format!("{}: {line}", output.status),
                None => output.status.to_string(),
            };
            Err(MailError::Failed { program, detail })
        }
        Ok(Err(source)) => Err(MailError::Launch { program, source }),
        Err(mpsc::RecvTimeoutError::Timeout) => Ok(()),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(MailError::Failed {
            program,
            detail: "its exit status was lost".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use percent_encoding::percent_decode_str;

    /// What a mail app does with the URL: the address and each header field, decoded.
    fn parse(url: &str) -> (String, Vec<(String, String)>) {
        let rest = url.strip_prefix("mailto:").unwrap();
        let (to, query) = rest.split_once('?').unwrap();
        let decode = |s: &str| percent_decode_str(s).decode_utf8().unwrap().into_owned();
        let fields = query
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap();
                (name.to_string(), decode(value))
            })
            .collect();
        (decode(to), fields)
    }

    #[test]
    fn mailto_decodes_back_to_the_exact_subject_and_body() {
        let subject = "Müller & Söhne invites you? 100% #1 a+b=c";
        let body = "Hello,\n\nopen https://x.test/invite/a?b=1&c=2#top\n\nGrüße 👋\n";
        let (to, fields) = parse(&mailto_url("", subject, body));
        assert_eq!(to, "");
        assert_eq!(fields[0], ("subject".to_string(), subject.to_string()));
        assert_eq!(fields[1], ("body".to_string(), body.replace('\n', "\r\n")));
        assert_eq!(fields.len(), 2, "an & inside a value must not split it");
    }

    #[test]
    fn mailto_encodes_as_rfc_6068_asks() {
        let url = mailto_url("ceo@fabrikam.example", "A & B", "x y\nz");
        assert_eq!(
            url,
            "mailto:ceo@fabrikam.example?subject=A%20%26%20B&body=x%20y%0D%0Az"
        );
        assert!(!url.contains('+'));
        let non_ascii = mailto_url("", "Müller", "");
        assert_eq!(non_ascii, "mailto:?subject=M%C3%BCller&body=");
    }

    #[test]
    fn mailto_normalises_every_kind_of_line_break_to_crlf() {
        let url = mailto_url("", "s", "a\r\nb\rc\nd");
        assert!(url.ends_with("body=a%0D%0Ab%0D%0Ac%0D%0Ad"), "{url}");
    }

    fn session(platform: Platform, over_ssh: bool, display: bool) -> Session {
        Session {
            platform,
            over_ssh,
            display,
            multiplexer: crate::session::Multiplexer::None,
            output_is_terminal: true,
        }
    }

    #[test]
    fn over_ssh_the_mail_app_is_refused_because_it_would_open_remotely() {
        let err = opener(&session(Platform::Unix, true, true), "mailto:").unwrap_err();
        assert!(matches!(err, MailError::OverSsh));
        assert!(err.to_string().contains("remote machine"), "{err}");
    }

    #[test]
    fn without_a_display_the_mail_app_is_refused_because_there_is_no_desktop() {
        let err = opener(&session(Platform::Unix, false, false), "mailto:").unwrap_err();
        assert!(matches!(err, MailError::NoDisplay));
        assert!(err.to_string().contains("no desktop"), "{err}");
    }

    #[test]
    fn the_desktop_opener_gets_the_url_as_one_argument() {
        let url = mailto_url("", "a & b", "c");
        let linux = opener(&session(Platform::Unix, false, true), &url).unwrap();
        assert_eq!(linux.get_program(), "xdg-open");
        assert_eq!(linux.get_args().collect::<Vec<_>>(), [url.as_str()]);
        let mac = opener(&session(Platform::MacOs, false, true), &url).unwrap();
        assert_eq!(mac.get_program(), "open");
        let windows = opener(&session(Platform::Windows, false, true), &url);
        assert!(matches!(windows, Err(MailError::Unsupported)));
    }

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn an_opener_that_fails_is_reported_with_what_it_said() {
        let err = launch(sh(
            "echo 'xdg-open: no method available for opening mailto' >&2; exit 3",
        ))
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("no method available"), "{message}");
        assert!(message.contains("Copy the email instead"), "{message}");
    }

    #[test]
    fn an_opener_that_succeeds_is_ok() {
        launch(sh("exit 0")).unwrap();
    }

    #[test]
    fn a_missing_opener_is_reported() {
        let err = launch(Command::new("/nonexistent/xdg-open")).unwrap_err();
        assert!(matches!(err, MailError::Launch { .. }), "{err}");
    }

    #[test]
    fn an_opener_still_running_is_taken_as_having_started_the_app() {
        launch_within(sh("sleep 2"), Duration::from_millis(50)).unwrap();
    }
}
