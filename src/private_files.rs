//! Files with customer data are private to their user: directories 0700, files 0600, whatever
//! the umask (a umask can only take bits away, and a strict one such as 0277 would leave a file
//! its owner cannot write, so the mode is set explicitly after creation).
//!
//! Used for the database (SQLite gives its `-wal` and `-shm` files the main file's mode), the
//! data and log directories, and saved invitation drafts.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Mode bits that let anyone but the owner in.
#[cfg(unix)]
const OTHERS: u32 = 0o077;

/// Creates `dir` (and missing parents) private to the user. `dir` must be cspdash's own (the
/// `cspdash` folder in the data or state dir): when it exists and others may enter it, it is
/// made private too. Parents that exist are left as they are.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    // The parent of a bare file name: the current directory, which is not ours to change.
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o777 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Creates a new file at `path`, readable and writable by the user only; fails with
/// `AlreadyExists` rather than touching a file that is there.
pub fn create_new_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        // 0600 from the first moment, so no one can open it before the chmod below.
        let file = options.mode(0o600).open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Sets an existing file's mode to 0600.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// A file other users could read or write, with its mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposed {
    pub path: PathBuf,
    pub mode: u32,
}

/// The ones of `paths` that exist and are open to group or others; missing files are fine.
pub fn exposed(paths: &[PathBuf]) -> io::Result<Vec<Exposed>> {
    let mut found = Vec::new();
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & OTHERS != 0 {
                found.push(Exposed {
                    path: path.clone(),
                    mode,
                });
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
    }
    Ok(found)
}

/// "a (mode 0644), b (mode 0664) can be read or changed by other users; fix it with: chmod 600 a b".
pub fn exposed_message(what: &str, files: &[Exposed]) -> String {
    let listed: Vec<String> = files
        .iter()
        .map(|f| format!("{} (mode {:04o})", f.path.display(), f.mode))
        .collect();
    let paths: Vec<String> = files
        .iter()
        .map(|f| shell_word(&f.path.display().to_string()))
        .collect();
    format!(
        "{what} {} can be read or changed by other users; fix it with: chmod 600 {}",
        listed.join(", "),
        paths.join(" ")
    )
}

/// A path as one word to paste into a shell (quoted when it holds anything but plain characters).
fn shell_word(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%~".contains(c));
    if plain && !text.is_empty() {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_are_0600_and_existing_ones_are_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        drop(create_new_file(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
        let again = create_new_file(&path).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
    }

    #[test]
    fn a_private_dir_is_0700_with_its_new_parents_and_an_open_one_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        ensure_private_dir(&deep).unwrap();
        assert_eq!(mode(&deep), 0o700);
        assert_eq!(mode(&dir.path().join("a")) & OTHERS, 0);
        std::fs::set_permissions(&deep, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&deep).unwrap();
        assert_eq!(mode(&deep), 0o700);
    }

    #[test]
    fn exposed_files_are_listed_with_a_chmod_that_fixes_them() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("my db.db");
        let private = dir.path().join("p.db");
        std::fs::write(&open, "").unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(create_new_file(&private).unwrap());
        let missing = dir.path().join("missing");
        let found = exposed(&[open.clone(), private, missing]).unwrap();
        assert_eq!(
            found,
            [Exposed {
                path: open.clone(),
                mode: 0o644
            }]
        );
        let message = exposed_message("database", &found);
        let shown = open.display();
        assert_eq!(
            message,
            format!(
                "database {shown} (mode 0644) can be read or changed by other users; \
                 fix it with: chmod 600 '{shown}'"
            )
        );
    }
}
