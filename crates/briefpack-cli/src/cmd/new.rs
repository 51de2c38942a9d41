//! `briefpack new PACK_DIR --title T`: create a pack that passes `check`, with
//! the template and marking its library's house style (library.toml) sets for new packs.

use std::path::PathBuf;
use std::process::ExitCode;

use briefpack::pack::store;
use chrono::NaiveDate;

use crate::Failure;

/// Create a new pack folder.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The folder to create (must not exist, or be empty).
    pack_dir: PathBuf,
    /// The pack's title.
    #[arg(long)]
    title: String,
    /// The briefing's date (YYYY-MM-DD); today if not given.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// The template to build it with; the pack starts with that template's sections.
    /// Default: the library's `default_template` (library.toml in the folder the
    /// pack is created in), else board-briefing.
    #[arg(long)]
    template: Option<String>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    if args.title.trim().is_empty() {
        return Err(Failure::new("the --title is empty; give the pack a title"));
    }
    // The clock is read here, at the edge; the core takes the date as data.
    let date = args.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let pack = briefpack::library::new_pack(args.title.trim(), date, args.template.as_deref(), &args.pack_dir).map_err(Failure::new)?;
    store::create_pack(&args.pack_dir, &pack).map_err(Failure::new)?;
    println!("Created {} (marked {}); check it with `briefpack check {}`", args.pack_dir.display(), pack.meta.marking, args.pack_dir.display());
    Ok(ExitCode::SUCCESS)
}
