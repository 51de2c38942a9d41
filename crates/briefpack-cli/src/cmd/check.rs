//! `briefpack check PACK_DIR`: list every problem in a pack, including what
//! building it with its template (every edition) would run into.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Failure;

/// Check a pack for errors and warnings; exit 1 if there is any error.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The pack folder (holding pack.toml).
    pack_dir: PathBuf,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    if !args.pack_dir.is_dir() {
        return Err(Failure::new(format!("{} is not a folder; give the folder that holds pack.toml", args.pack_dir.display())));
    }
    let fonts = briefpack::fonts::FontSet::bundled().map_err(Failure::new)?;
    let diagnostics = briefpack::check::check(&args.pack_dir, &fonts);
    for d in &diagnostics {
        println!("{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!(
        "{}: {errors} error{}, {warnings} warning{}",
        args.pack_dir.display(),
        plural(errors),
        plural(warnings)
    );
    Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
