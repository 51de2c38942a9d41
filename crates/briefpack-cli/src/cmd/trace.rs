//! `briefpack trace FILE.pdf [--library DIR]`: whose copy a found PDF is, from
//! the distribution logs of the library's packs.

use std::path::PathBuf;
use std::process::ExitCode;

use briefpack::diagnostic::one_line;
use briefpack::distribute::{self, TracedBy};

use crate::Failure;

/// Say which pack, copy and recipient a found PDF is (exit 1 if it matches no issued copy).
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The PDF that was found.
    file: PathBuf,
    /// The library whose packs' distribution logs are searched (or one pack folder);
    /// default: $BRIEFPACK_LIBRARY, else the current folder.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let library = args
        .library
        .or_else(|| std::env::var_os("BRIEFPACK_LIBRARY").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."));
    let trace = distribute::trace_file(&args.file, &library).map_err(Failure::new)?;
    let file = one_line(&args.file.display().to_string()).into_owned();
    let Some(by) = trace.by else {
        println!(
            "{file} matches no copy in the distribution logs of {} ({} log{} searched): it was not issued from there, or it was changed beyond recognition",
            library.display(),
            trace.logs_searched,
            if trace.logs_searched == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::FAILURE);
    };
    let how = match by {
        TracedBy::Hash => "its SHA-256 is the one logged: the file is unchanged",
        TracedBy::CopyIdentifier => "by the copy identifier in its document information: the file was changed or rewritten since it was issued",
        TracedBy::PrintedLine => "by the copy line printed on its pages: the file was made again from a copy, and only its text identifies it",
    };
    if trace.matches.len() > 1 {
        println!("{file} could be any of these {} copies ({how}):", trace.matches.len());
    } else {
        println!("{file} is this copy ({how}):");
    }
    for found in &trace.matches {
        let e = &found.entry;
        let details: Vec<&str> = [e.role.as_deref(), e.organisation.as_deref(), e.email.as_deref()].into_iter().flatten().collect();
        let details = if details.is_empty() { String::new() } else { format!(" ({})", details.join(", ")) };
        let template = match &e.edition {
            Some(edition) => format!("{}, {edition} edition", e.template),
            None => e.template.clone(),
        };
        println!("  copy {} of {} of “{}”, issued to {}{details}", e.copy, e.of, one_line(&e.title), one_line(&e.recipient), );
        println!("    pack {}, {template}, dated {}, issued at {}", found.pack_dir.display(), e.issued_on.format("%-d %b %Y"), e.issued_at.format("%Y-%m-%d %H:%M %:z"));
        println!("    copy {}, file {}", e.copy_id, one_line(&e.file));
    }
    Ok(ExitCode::SUCCESS)
}
