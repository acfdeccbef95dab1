//! `cspdash completions SHELL` and `cspdash man [--dir DIR]`: generated from the clap tree
//! ([`Cli::command`]), so they name exactly the commands and options there are.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::Cli;
use super::error::CliError;

/// The name the completions are registered for (what the user types).
const BIN: &str = "cspdash";

/// Writes `shell`'s completion script for `cspdash` to `out`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<(), CliError> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, BIN, out);
    out.flush().map_err(CliError::io("the completions"))
}

/// Writes the root man page (roff) to `out`.
pub fn man_page(out: &mut dyn Write) -> Result<(), CliError> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .and_then(|()| out.flush())
        .map_err(CliError::io("the man page"))
}

/// Writes one page a command into `dir` (made if missing): `cspdash.1`, `cspdash-serve.1`,
/// `cspdash-customers-list.1`, … Returns their paths, the root's first.
pub fn man_pages(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    std::fs::create_dir_all(dir).map_err(CliError::io(dir.display().to_string()))?;
    let mut command = Cli::command().disable_help_subcommand(true);
    // Building names each subcommand after its path (`cspdash-customers-list`).
    command.build();
    let mut written = Vec::new();
    write_pages(command, dir, &mut written)?;
    Ok(written)
}

fn write_pages(
    command: clap::Command,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), CliError> {
    let children: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .cloned()
        .collect();
    let page = clap_mangen::Man::new(command);
    let path = dir.join(page.get_filename());
    page.generate_to(dir)
        .map_err(CliError::io(path.display().to_string()))?;
    written.push(path);
    for child in children {
        write_pages(child, dir, written)?;
    }
    Ok(())
}

/// `cspdash completions` / `cspdash man`: runs it, says what failed on stderr, and returns the
/// exit code.
pub fn run(what: Generate<'_>) -> u8 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match what {
        Generate::Completions(shell) => completions(shell, &mut out),
        Generate::Man(None) => man_page(&mut out),
        Generate::Man(Some(dir)) => man_pages(dir).and_then(|paths| {
            // The files written, one a line: what a packaging script installs.
            paths
                .iter()
                .try_for_each(|p| writeln!(out, "{}", p.display()))
                .map_err(CliError::io("the output"))
        }),
    };
    match result {
        Ok(()) => 0,
        Err(err) if err.is_broken_pipe() => 0,
        Err(err) => {
            super::report::report(&err, super::output::Format::Tsv, None);
            err.exit().code()
        }
    }
}

/// What to generate.
pub enum Generate<'a> {
    Completions(clap_complete::Shell),
    Man(Option<&'a Path>),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_nouns() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::PowerShell,
            clap_complete::Shell::Elvish,
        ] {
            let mut out = Vec::new();
            completions(shell, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            // Fish spells options `-l output`; the others `--output`.
            for word in [
                "customers",
                "admin-relationships",
                "output",
                "serve",
                "revoke",
            ] {
                assert!(text.contains(word), "{shell:?} lacks {word}");
            }
        }
    }

    #[test]
    fn a_page_a_command_named_after_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let paths = man_pages(dir.path()).unwrap();
        let names: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names[0], "cspdash.1");
        for name in [
            "cspdash-customers-list.1",
            "cspdash-serve.1",
            "cspdash-token-revoke.1",
            "cspdash-completions.1",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
            assert!(dir.path().join(name).is_file());
        }
        assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
        let list = std::fs::read_to_string(dir.path().join("cspdash-customers-list.1")).unwrap();
        assert!(list.contains("\\-\\-filter"), "{list}");
    }
}
