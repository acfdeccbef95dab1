//! Reading a profile's token file: `~` expanded, refused unless only its owner can read it.

use std::path::{Path, PathBuf};

use super::ConfigError;

/// `~` and `~/x` become the home directory; a relative path is taken from the config file's
/// directory (so `token_file = "global.token"` sits next to `config.toml`).
pub fn expand_path(written: &str, home: Option<&Path>, config_dir: Option<&Path>) -> PathBuf {
    if let Some(home) = home {
        if written == "~" {
            return home.to_path_buf();
        }
        if let Some(rest) = written.strip_prefix("~/") {
            return home.join(rest);
        }
    }
    let path = PathBuf::from(written);
    match config_dir {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path,
    }
}

/// The token in `path`, trimmed. `profile` names whose token it is, for messages.
pub fn read_token_file(path: &Path, profile: &str) -> Result<String, ConfigError> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| {
        ConfigError::Other(format!(
            "cannot read token file {shown} of profile `{profile}`: {e}"
        ))
    })?;
    if !metadata.is_file() {
        return Err(ConfigError::Other(format!(
            "token file {shown} of profile `{profile}` is not a file"
        )));
    }
    check_private(path, &metadata)?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::Other(format!(
            "cannot read token file {shown} of profile `{profile}`: {e}"
        ))
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(ConfigError::Other(format!(
            "token file {shown} of profile `{profile}` is empty"
        )));
    }
    Ok(token.to_string())
}

/// A bearer token readable by others is as good as published: refuse it and say how to fix it.
#[cfg(unix)]
fn check_private(path: &Path, metadata: &std::fs::Metadata) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        let shown = path.display();
        return Err(ConfigError::Other(format!(
            "token file {shown} can be read by other users (mode {mode:04o}); \
             fix it with: chmod 600 {shown}"
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _metadata: &std::fs::Metadata) -> Result<(), ConfigError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_file(contents: &str, mode: u32) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("global.token");
        std::fs::write(&path, contents).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        (dir, path)
    }

    #[test]
    fn a_private_token_file_is_read_and_trimmed() {
        let (_dir, path) = token_file("  abc123\n", 0o600);
        assert_eq!(read_token_file(&path, "global").expect("token"), "abc123");
    }

    #[cfg(unix)]
    #[test]
    fn a_group_or_world_readable_token_file_is_refused_with_the_chmod_fix() {
        for mode in [0o644, 0o640, 0o604] {
            let (_dir, path) = token_file("abc", mode);
            let message = read_token_file(&path, "global")
                .expect_err("refused")
                .to_string();
            assert!(message.contains(&format!("mode {mode:04o}")), "{message}");
            assert!(
                message.ends_with(&format!("fix it with: chmod 600 {}", path.display())),
                "{message}"
            );
        }
    }

    #[test]
    fn a_missing_token_file_names_the_path_and_profile() {
        let message = read_token_file(Path::new("/nonexistent/t.token"), "usgov")
            .expect_err("missing")
            .to_string();
        assert!(
            message.starts_with("cannot read token file /nonexistent/t.token of profile `usgov`"),
            "{message}"
        );
    }

    #[test]
    fn an_empty_token_file_is_refused() {
        let (_dir, path) = token_file(" \n", 0o600);
        let message = read_token_file(&path, "global")
            .expect_err("empty")
            .to_string();
        assert!(message.ends_with("is empty"), "{message}");
    }

    #[test]
    fn tilde_means_home_and_relative_means_next_to_the_config() {
        let home = Path::new("/home/ana");
        let dir = Path::new("/home/ana/.config/cspdash");
        assert_eq!(
            expand_path("~/.config/t", Some(home), Some(dir)),
            home.join(".config/t")
        );
        assert_eq!(expand_path("~", Some(home), Some(dir)), home);
        assert_eq!(
            expand_path("g.token", Some(home), Some(dir)),
            dir.join("g.token")
        );
        assert_eq!(
            expand_path("/etc/t", Some(home), Some(dir)),
            PathBuf::from("/etc/t")
        );
    }
}
