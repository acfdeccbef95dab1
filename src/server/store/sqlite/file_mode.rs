//! The database file's mode: private to the user from its creation, and checked on every open.

use std::path::{Path, PathBuf};

use crate::private_files;
use crate::server::store::{StoreError, StoreResult};

/// The database holds every customer's data: a new one is created 0600 before SQLite opens it
/// (SQLite gives its `-wal` and `-shm` files the main file's mode), and one that other users can
/// read is refused with the `chmod` that fixes it.
pub(super) fn create_or_check_private(path: &Path) -> StoreResult<()> {
    let file_error = |source| StoreError::File {
        path: path.to_path_buf(),
        source,
    };
    match private_files::create_new_file(path) {
        // An empty file is a new database to SQLite.
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(file_error(e)),
    }
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let files = [path.to_path_buf(), with_suffix("-wal"), with_suffix("-shm")];
    let exposed = private_files::exposed(&files).map_err(file_error)?;
    match exposed.is_empty() {
        true => Ok(()),
        false => Err(StoreError::NotPrivate(private_files::exposed_message(
            "the database",
            &exposed,
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::server::store::SqliteStore;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn a_new_database_and_its_wal_and_shm_are_private_to_the_user() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private.db");
        let store = SqliteStore::open(&path).unwrap();
        crate::server::store::Store::seed_demo(&store, 3).unwrap();
        for file in ["private.db", "private.db-wal", "private.db-shm"] {
            assert_eq!(mode(&dir.path().join(file)), 0o600, "{file}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_database_others_can_read_is_refused_with_the_chmod_that_fixes_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("open.db");
        drop(SqliteStore::open(&path).unwrap());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = SqliteStore::open(&path).unwrap_err().to_string();
        let shown = path.display();
        assert!(err.contains(&format!("chmod 600 {shown}")), "{err}");
        assert!(err.contains("mode 0644"), "{err}");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let wal = dir.path().join("open.db-wal");
        std::fs::write(&wal, "").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o640)).unwrap();
        let err = SqliteStore::open(&path).unwrap_err().to_string();
        assert!(
            err.ends_with(&format!("chmod 600 {}", wal.display())),
            "{err}"
        );
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(SqliteStore::open(&path).is_ok());
    }
}
