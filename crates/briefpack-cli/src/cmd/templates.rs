//! `briefpack templates [PACK_OR_LIBRARY]`: list the templates and their editions.

use std::path::PathBuf;
use std::process::ExitCode;

use briefpack::render::template_search_path;
use briefpack::template;

use crate::Failure;

/// List the templates a pack can use, with their editions.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// A pack folder, whose own and library templates are listed with the built-in ones.
    pack_dir: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let search = args.pack_dir.as_deref().map(template_search_path).unwrap_or_default();
    for (name, found) in template::list(&search) {
        let t = match found {
            Ok(t) => t,
            Err(e) => {
                println!("{name:<20} cannot be used: {e}");
                continue;
            }
        };
        let origin = t.folder.as_ref().map_or_else(|| "built in".to_string(), |f| f.display().to_string());
        let editions = if t.info.editions.is_empty() { "no editions".to_string() } else { format!("editions: {}", t.info.editions.join(", ")) };
        println!("{:<20} {editions} ({origin})", t.name);
        if !t.info.description.is_empty() {
            println!("{:<20} {}", "", t.info.description);
        }
    }
    Ok(ExitCode::SUCCESS)
}
