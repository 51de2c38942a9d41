//! `briefpack delete PACK_DIR` and `briefpack trash LIBRARY [--restore NAME | --empty]`:
//! the library's trash, the same one the desktop app shows.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use briefpack::library;

use crate::Failure;

/// Move a pack to its library's trash (restore it with `briefpack trash --restore`).
#[derive(clap::Args)]
pub(crate) struct DeleteArgs {
    /// The pack folder; its library is the folder that holds it.
    pack_dir: PathBuf,
}

/// List the packs in a library's trash, restore one, or empty it.
#[derive(clap::Args)]
pub(crate) struct TrashArgs {
    /// The library folder.
    library: PathBuf,
    /// Move this pack (its name in the trash) back into the library.
    #[arg(long, value_name = "NAME", conflicts_with = "empty")]
    restore: Option<String>,
    /// Delete everything in the trash for good.
    #[arg(long)]
    empty: bool,
}

fn library_and_name(pack_dir: &Path) -> Result<(PathBuf, String), Failure> {
    let absolute = std::path::absolute(pack_dir).map_err(|e| Failure::new(format!("{}: {e}", pack_dir.display())))?;
    match (absolute.parent(), absolute.file_name()) {
        (Some(library), Some(name)) => Ok((library.to_path_buf(), name.to_string_lossy().into_owned())),
        _ => Err(Failure::new(format!("{} is not a pack folder inside a library", pack_dir.display()))),
    }
}

pub(crate) fn delete(args: DeleteArgs) -> Result<ExitCode, Failure> {
    let (library, name) = library_and_name(&args.pack_dir)?;
    let trashed = library::trash_pack(&library, &name).map_err(Failure::new)?;
    println!("Moved {name} to the trash of {}; restore it with `briefpack trash {} --restore {trashed}`", library.display(), library.display());
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn trash(args: TrashArgs) -> Result<ExitCode, Failure> {
    if let Some(trashed) = &args.restore {
        let name = library::restore_pack(&args.library, trashed).map_err(Failure::new)?;
        println!("Restored {trashed} as {}", args.library.join(name).display());
    } else if args.empty {
        let removed = library::empty_trash(&args.library).map_err(Failure::new)?;
        println!("Deleted {removed} pack{} for good", if removed == 1 { "" } else { "s" });
    } else {
        let packs = library::list_trash(&args.library).map_err(Failure::new)?;
        if packs.is_empty() {
            println!("The trash of {} is empty", args.library.display());
        }
        for p in packs {
            let name = p.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            println!("{name:<32} {}", p.title);
        }
    }
    Ok(ExitCode::SUCCESS)
}
