//! `briefpack import FILE [--into PACK_DIR [--accept-all [--with-context]] | --json]`:
//! a saved page → a clean article plus proposed statistics and guidance links.
//!
//! With `--json`, prints what import found and writes nothing. With
//! `--into`, adds the article (and, with `--accept-all`, every statistic and
//! guidance link; `--with-context` adds the organisations named only for
//! context too) to the pack and saves it atomically. With neither, prints a
//! readable preview.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use briefpack::import::{self, AcceptOptions, Imported, OrganisationKind};
use chrono::NaiveDate;
use serde::Serialize;

use crate::Failure;

/// Import an article from a saved web page (.html, .txt or .md).
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The saved page.
    file: PathBuf,
    /// Add the article to this pack folder.
    #[arg(long, value_name = "PACK_DIR", conflicts_with = "json")]
    into: Option<PathBuf>,
    /// With --into: also add every proposed statistic and guidance link.
    #[arg(long, requires = "into")]
    accept_all: bool,
    /// With --accept-all: also link the organisations named only for context
    /// (a government department, an intelligence agency).
    #[arg(long, requires = "accept_all")]
    with_context: bool,
    /// Print what was found as JSON, writing nothing.
    #[arg(long)]
    json: bool,
    /// With --into: the date the page was saved (YYYY-MM-DD); today if not given.
    #[arg(long, requires = "into")]
    retrieved: Option<NaiveDate>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let bytes = import::read_file(&args.file).map_err(Failure::new)?;
    let imported = import::import(&args.file, &bytes).map_err(Failure::new)?;
    if args.json {
        let json = serde_json::to_string_pretty(&JsonImport::from(&imported)).map_err(Failure::new)?;
        let mut out = std::io::stdout().lock();
        return match writeln!(out, "{json}") {
            // A reader that stops early (`| head`) is not an error.
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            Err(e) => Err(Failure::new(format!("cannot write the JSON: {e}"))),
        };
    }
    match &args.into {
        Some(dir) => add(&args, dir, &imported),
        None => {
            preview(&imported);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn add(args: &Args, dir: &std::path::Path, imported: &Imported) -> Result<ExitCode, Failure> {
    // The clock is read here, at the edge; the core takes the date as data.
    let retrieved = args.retrieved.unwrap_or_else(|| chrono::Local::now().date_naive());
    let fallback_title = args.file.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " "));
    let options = if args.with_context {
        AcceptOptions { retrieved: Some(retrieved), fallback_title, ..AcceptOptions::all_with_context(imported) }
    } else if args.accept_all {
        AcceptOptions { retrieved: Some(retrieved), fallback_title, ..AcceptOptions::all(imported) }
    } else {
        AcceptOptions { retrieved: Some(retrieved), fallback_title, ..AcceptOptions::default() }
    };
    let (added, _revision) = import::import_into(dir, imported, &options, None).map_err(|e| Failure::new(format!("nothing was imported: {e}")))?;
    println!(
        "Added articles/{}.md to {}{}",
        added.article,
        dir.display(),
        if args.accept_all {
            format!(" with {} statistic{} and {} guidance link{}", added.statistics.len(), plural(added.statistics.len()), added.links.len(), plural(added.links.len()))
        } else {
            String::new()
        }
    );
    if !added.links_already_present.is_empty() {
        println!("Already linked: {}", added.links_already_present.join(", "));
    }
    let guidance = imported.organisations.iter().filter(|o| o.kind == OrganisationKind::Guidance).count();
    if !args.accept_all && (!imported.statistics.is_empty() || guidance > 0) {
        println!(
            "{} statistic{} and {} guidance link{} proposed but not added; see them with `briefpack import {}` and add them with --accept-all",
            imported.statistics.len(),
            plural(imported.statistics.len()),
            guidance,
            plural(guidance),
            args.file.display()
        );
    }
    println!("Check the pack with `briefpack check {}`", dir.display());
    Ok(ExitCode::SUCCESS)
}

fn preview(imported: &Imported) {
    let or_none = |v: Option<String>| v.unwrap_or_else(|| "(none found)".into());
    println!("Title:   {}", or_none(imported.title.clone()));
    println!("Byline:  {}", or_none(imported.byline.clone()));
    println!("Date:    {}", or_none(imported.date.map(|d| d.to_string())));
    println!("Body:    {} words", imported.body_markdown.split_whitespace().count());
    println!("\nStatistics proposed ({}):", imported.statistics.len());
    for s in &imported.statistics {
        let period = s.period.as_deref().map(|p| format!(" [{p}]")).unwrap_or_default();
        println!("  {:>10}  {}{period}\n              “{}”", s.display, s.label, s.sentence);
    }
    let (guidance, context): (Vec<_>, Vec<_>) = imported.organisations.iter().partition(|o| o.kind == OrganisationKind::Guidance);
    println!("\nGuidance organisations named ({}):", guidance.len());
    for o in &guidance {
        println!("  {:<10}  {}", o.name, o.url);
    }
    if !context.is_empty() {
        println!("\nAlso named, for context only ({}; linked only with --with-context):", context.len());
        for o in &context {
            println!("  {:<10}  {}", o.name, o.url);
        }
    }
    println!("\nRead with: {}.", imported.extraction.describe());
    println!("\nAdd it to a pack with --into PACK_DIR (and --accept-all to take every proposal), or print JSON with --json.");
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The `--json` shape: the command's contract with scripts.
#[derive(Serialize)]
struct JsonImport<'a> {
    title: Option<&'a str>,
    byline: Option<&'a str>,
    date: Option<String>,
    /// How the article was found in the page ("reader-view", "json-ld", …).
    extraction: import::Extraction,
    body_markdown: &'a str,
    statistics: Vec<JsonStatistic<'a>>,
    organisations: Vec<JsonOrganisation<'a>>,
}

#[derive(Serialize)]
struct JsonStatistic<'a> {
    display: &'a str,
    value: f64,
    label: &'a str,
    period: Option<&'a str>,
    sentence: &'a str,
}

#[derive(Serialize)]
struct JsonOrganisation<'a> {
    name: &'a str,
    url: &'a str,
    /// "guidance" or "context".
    kind: OrganisationKind,
}

impl<'a> From<&'a Imported> for JsonImport<'a> {
    fn from(i: &'a Imported) -> Self {
        JsonImport {
            title: i.title.as_deref(),
            byline: i.byline.as_deref(),
            date: i.date.map(|d| d.format("%Y-%m-%d").to_string()),
            extraction: i.extraction,
            body_markdown: &i.body_markdown,
            statistics: i
                .statistics
                .iter()
                .map(|s| JsonStatistic { display: &s.display, value: s.value, label: &s.label, period: s.period.as_deref(), sentence: &s.sentence })
                .collect(),
            organisations: i.organisations.iter().map(|o| JsonOrganisation { name: &o.name, url: &o.url, kind: o.kind }).collect(),
        }
    }
}
