//! `briefpack`: the command-line face of the Briefpack core.
//!
//! Each subcommand lives in its own file under `cmd/` and is a thin adapter:
//! parse arguments, call one core function, print the result. Errors are
//! reported here, once, as one sentence on stderr; nothing panics at a user.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Build formatted PDF briefing packs from folders of plain files.
#[derive(Parser)]
#[command(name = "briefpack", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(cmd::build::Args),
    Check(cmd::check::Args),
    Distribute(cmd::distribute::Args),
    Import(cmd::import::Args),
    New(cmd::new::Args),
    Templates(cmd::templates::Args),
    Trace(cmd::trace::Args),
    Delete(cmd::trash::DeleteArgs),
    Trash(cmd::trash::TrashArgs),
}

/// A failure to report: the sentence to print and the exit code.
pub(crate) struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// A failure that exits with status 1, printed on one line (a newline in a
    /// file name is shown escaped).
    pub(crate) fn new(message: impl std::fmt::Display) -> Self {
        Failure { message: briefpack::diagnostic::one_line(&message.to_string()).into_owned(), code: 1 }
    }

    /// A failure whose message is several lines (each already one line).
    pub(crate) fn lines(lines: &[String]) -> Self {
        Failure { message: lines.join("\n"), code: 1 }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Distribute(args) => cmd::distribute::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Templates(args) => cmd::templates::run(args),
        Command::Trace(args) => cmd::trace::run(args),
        Command::Delete(args) => cmd::trash::delete(args),
        Command::Trash(args) => cmd::trash::trash(args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
