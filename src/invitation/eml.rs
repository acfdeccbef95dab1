//! The draft as an `.eml` file: an RFC 5322 message marked unsent (`X-Unsent: 1`), which mail apps
//! open as a new message to complete and send. For users whose mail app `mailto:` cannot reach,
//! e.g. over SSH: they save it, copy it home and open it.
//!
//! The message is built by `mail-builder`: it encodes non-ASCII headers per RFC 2047, picks
//! 7bit or quoted-printable for the body, folds long lines and writes CRLF line endings.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::raw::Raw;

/// The message text. There is no sender address to give, so `From` is only the partner's name,
/// written as an empty group (`From: Contoso Partner:;`, RFC 6854); the mail app puts the user's
/// own account there when they send it.
pub fn eml(from_name: &str, subject: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let message = MessageBuilder::new()
        .from(Address::new_group(Some(from_name.trim()), Vec::new()))
        .subject(subject)
        .header("X-Unsent", Raw::new("1"))
        .text_body(body);
    // Serializing into memory cannot fail: `write_to_vec` returns a Result only for its signature.
    let bytes = message.write_to_vec().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[derive(Debug, thiserror::Error)]
#[error("Could not save the draft in {}: {source}", dir.display())]
pub struct SaveError {
    pub dir: PathBuf,
    #[source]
    pub source: io::Error,
}

/// The most files `save_eml` tries before giving up (`invitation-x.eml` … `invitation-x-999.eml`).
const MAX_NAME_TRIES: usize = 999;

/// Writes the draft into `dir` as `invitation-<partner>.eml`, or `invitation-<partner>-N.eml`
/// when that exists: never overwrites a file. Returns the path written.
pub fn save_eml(
    dir: &Path,
    from_name: &str,
    subject: &str,
    body: &str,
) -> Result<PathBuf, SaveError> {
    let error = |source| SaveError {
        dir: dir.to_path_buf(),
        source,
    };
    let text = eml(from_name, subject, body);
    let stem = format!("invitation-{}", slug(from_name));
    for n in 1..=MAX_NAME_TRIES {
        let name = match n {
            1 => format!("{stem}.eml"),
            n => format!("{stem}-{n}.eml"),
        };
        let path = dir.join(name);
        // `create_new` makes "unique" atomic: a file that appears meanwhile is not overwritten.
        // The draft names the customer's invitation link: 0600, as all customer data.
        match crate::private_files::create_new_file(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes()).map_err(error)?;
                file.sync_all().map_err(error)?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(error(e)),
        }
    }
    Err(error(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{stem}.eml and {MAX_NAME_TRIES} numbered variants already exist"),
    )))
}

/// A file-name part from a partner name: letters and digits, words joined by `-`, at most 40
/// characters; nothing that could be a path separator, a dot file or a device name.
fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.chars().count() + word.chars().count() + 1 > 40 {
            if slug.is_empty() {
                slug = word.chars().take(40).collect();
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() {
        "draft".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use mail_parser::MessageParser;

    const BODY: &str =
        "Hello,\n\nopen https://x.test/invite/abc?a=1&b=2\n\nKind regards,\nJürgen\n";

    fn header<'a>(eml: &'a str, name: &str) -> Option<&'a str> {
        let head = eml.split("\r\n\r\n").next().unwrap();
        head.split("\r\n")
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
    }

    #[test]
    fn eml_is_an_unsent_utf8_plain_text_draft() {
        let eml = eml("Contoso Partner", "Contoso invites you", BODY);
        assert_eq!(header(&eml, "X-Unsent"), Some("1"));
        assert_eq!(header(&eml, "MIME-Version"), Some("1.0"));
        assert_eq!(header(&eml, "Subject"), Some("Contoso invites you"));
        let content_type = header(&eml, "Content-Type")
            .unwrap()
            .to_lowercase()
            .replace('"', "");
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        assert!(content_type.contains("charset=utf-8"), "{content_type}");
        let encoding = header(&eml, "Content-Transfer-Encoding").unwrap();
        assert!(
            ["7bit", "8bit", "quoted-printable"].contains(&encoding),
            "{encoding}"
        );
        assert!(header(&eml, "Date").is_some());
        // The partner's name without an address: an empty group (RFC 6854).
        assert_eq!(header(&eml, "From"), Some("\"Contoso Partner\":;"));
    }

    #[test]
    fn eml_uses_crlf_line_endings_only() {
        let eml = eml("Contoso Partner", "Subject", "a\nb\r\nc\rd\n");
        let bare_lf = eml
            .match_indices('\n')
            .any(|(i, _)| !eml[..i].ends_with('\r'));
        assert!(!bare_lf, "{eml:?}");
        assert!(!eml.replace("\r\n", "").contains('\r'), "{eml:?}");
    }

    #[test]
    fn non_ascii_subject_and_sender_are_encoded_and_read_back_exactly() {
        let subject = "Müller & Söhne invites you to a reseller relationship";
        let eml = eml("Müller & Söhne", subject, BODY);
        assert!(
            eml.is_ascii(),
            "headers and body are encoded for 7-bit transport"
        );
        assert!(
            header(&eml, "Subject").unwrap().starts_with("=?"),
            "RFC 2047"
        );
        let message = MessageParser::default().parse(eml.as_bytes()).unwrap();
        assert_eq!(message.subject(), Some(subject));
        let from = message.from().unwrap();
        let group = from.as_group().unwrap();
        assert_eq!(group[0].name.as_deref(), Some("Müller & Söhne"));
        assert_eq!(message.body_text(0).unwrap().replace("\r\n", "\n"), BODY);
    }

    #[test]
    fn a_long_unbroken_line_survives() {
        let body = format!("{}\n", "https://x.test/".repeat(80));
        let eml = eml("Contoso Partner", "s", &body);
        assert!(eml.split("\r\n").all(|line| line.len() <= 998));
        let message = MessageParser::default().parse(eml.as_bytes()).unwrap();
        assert_eq!(message.body_text(0).unwrap().replace("\r\n", "\n"), body);
    }

    #[test]
    fn save_writes_a_file_named_after_the_partner_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let first = save_eml(dir.path(), "Müller & Söhne", "s", BODY).unwrap();
        let second = save_eml(dir.path(), "Müller & Söhne", "s", "other").unwrap();
        assert_eq!(first.file_name().unwrap(), "invitation-müller-söhne.eml");
        assert_eq!(second.file_name().unwrap(), "invitation-müller-söhne-2.eml");
        let saved = std::fs::read_to_string(&first).unwrap();
        assert_eq!(
            saved.lines().find(|l| l.starts_with("X-Unsent")),
            Some("X-Unsent: 1")
        );
        assert_ne!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );
        #[cfg(unix)]
        for saved in [&first, &second] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(saved).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "only the user may read a draft");
        }
    }

    #[test]
    fn save_names_cannot_escape_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = save_eml(dir.path(), "../../etc/passwd", "s", "b").unwrap();
        assert_eq!(path.parent().unwrap(), dir.path());
        assert_eq!(path.file_name().unwrap(), "invitation-etc-passwd.eml");
        let dots = save_eml(dir.path(), "...", "s", "b").unwrap();
        assert_eq!(dots.file_name().unwrap(), "invitation-draft.eml");
    }

    #[test]
    fn save_into_a_missing_directory_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = save_eml(&missing, "Contoso", "s", "b").unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
    }
}
